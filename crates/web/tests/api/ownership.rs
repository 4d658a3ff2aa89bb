//! Seeing is not owning: an item belongs to the jurisdiction that registered it, and a freeze
//! covers only the projects registered inside the freezer's jurisdiction. The county office sees
//! the city's item (its own 住建局 is responsible) but decides nothing in its lifecycle; the city
//! office decides, and so does any office above the registering one.

use crate::app::{PASSWORD, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// A 泉州市 office (the city above 晋江市), made by the administrator.
async fn city_office(app: &TestApp) {
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post(
            "/api/v1/users",
            json!({"username": "cityoffice", "display_name": "市督查室", "password": PASSWORD,
                   "roles": [{"role": "office", "unit": "350500"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

fn action(code: &str, version: i64) -> Value {
    json!({"action": code, "version": version, "unit": "JJ-ZJJ", "deadline_workdays": 20,
           "measures": "已整改", "result": "已完成", "note": "进展", "reason": "原因", "opinion": "整改到位"})
}

#[tokio::test]
async fn a_county_office_sees_the_citys_item_but_only_the_city_decides() {
    let app = TestApp::new().await;
    city_office(&app).await;
    let mut city = app.signed_in("cityoffice").await;
    let mut county = app.signed_in("office").await;
    let mut liaison = app.signed_in("unit").await;
    let r = city
        .post("/api/v1/items", json!({"title": "城区内涝点整治", "owner_unit": "350500", "responsible_unit": "JJ-ZJJ"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}");
    let acts = format!("{path}/actions");

    // Before 交办 it is the city's business alone: the county does not see it, nor can it assign it.
    assert_eq!(county.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(county.post(&acts, action("assign", 1)).await.status, StatusCode::NOT_FOUND);
    // The city office owns it: it is offered 交办 and gives it.
    assert!(city.get(&path).await.json()["actions"].as_array().unwrap().contains(&json!("assign")));
    let r = city.post(&acts, action("assign", 1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Now the county sees it (its 住建局 is responsible) and is offered nothing.
    let seen = county.get(&path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["actions"], json!([]), "the county office decides nothing here");
    let v = seen.json()["version"].as_i64().unwrap();
    let r = county.post(&acts, action("cancel", v)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = county.post(&format!("{path}/split"), json!({"children": [{"title": "子项", "unit": "JJ-T01"}]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // The liaison works it and asks for 销号 …
    for code in ["accept", "request_close"] {
        let v = liaison.get(&path).await.json()["version"].as_i64().unwrap();
        let r = liaison.post(&acts, action(code, v)).await;
        assert_eq!(r.status, StatusCode::OK, "{code}: {}", r.text());
    }
    // … which only the city writes off; 回头看 is the city's too.
    let v = county.get(&path).await.json()["version"].as_i64().unwrap();
    assert_eq!(county.post(&acts, action("approve_close", v)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(city.post(&acts, action("approve_close", v)).await.status, StatusCode::OK);
    let v = county.get(&path).await.json()["version"].as_i64().unwrap();
    assert_eq!(county.post(&acts, action("reopen", v)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(county.get(&path).await.json()["state"], "closed", "nothing the county tried was stored");
}

#[tokio::test]
async fn an_office_above_the_registering_one_may_decide_too() {
    let app = TestApp::new().await;
    city_office(&app).await;
    let mut county = app.signed_in("office").await;
    let mut city = app.signed_in("cityoffice").await;
    let r = county
        .post("/api/v1/items", json!({"title": "农贸市场改造", "owner_unit": "350582", "responsible_unit": "JJ-ZJJ"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let item = r.json();
    assert!(item["actions"].as_array().unwrap().contains(&json!("assign")), "the registering office owns it");
    let path = format!("/api/v1/items/{}", item["id"]);
    let seen = city.get(&path).await.json();
    assert!(seen["actions"].as_array().unwrap().contains(&json!("assign")), "and so does the city above it");
}

#[tokio::test]
async fn a_freeze_covers_only_the_projects_registered_inside_the_jurisdiction() {
    let app = TestApp::new().await;
    city_office(&app).await;
    let mut city = app.signed_in("cityoffice").await;
    let mut county = app.signed_in("office").await;
    let project = |name: &str, owner: &str| {
        json!({"name": name, "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ", "owner_unit": owner,
               "planned_start": "2025-01-01", "planned_end": "2025-12-31"})
    };
    let r = city.post("/api/v1/projects", project("市级排涝工程", "350500")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let citys = r.json()["id"].as_i64().unwrap();
    let r = county.post("/api/v1/projects", project("县级口袋公园", "350582")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let countys = r.json()["id"].as_i64().unwrap();

    let r = county.post("/api/v1/projects/freezes", json!({"unit": "350582", "year": 2025, "quarter": 1})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["projects"], 1, "the city's project is not the county's to close: {}", r.text());
    // The county's March report is closed; the city's project, led by the same 住建局, is not.
    let mut liaison = app.signed_in("unit").await;
    let report = json!({"period": "2025-03", "progress": 20});
    let r = liaison.post(&format!("/api/v1/projects/{countys}/reports"), report.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = liaison.post(&format!("/api/v1/projects/{citys}/reports"), report).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // The city closes its own quarter, which takes in the county's project too (it lies below).
    let r = city.post("/api/v1/projects/freezes", json!({"unit": "350500", "year": 2025, "quarter": 1})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["projects"], 2);
}
