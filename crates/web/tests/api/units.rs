use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn create_get_list_and_paginate() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post(
            "/api/v1/units",
            json!({"code": "JJ-T02", "name": "磁灶镇", "kind": "乡镇", "parent": "350582", "region": "350582"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let unit = r.json();
    assert_eq!(r.location(), format!("/api/v1/units/{}", unit["id"]));
    assert_eq!((unit["kind"].as_str(), unit["kind_label"].as_str()), (Some("town"), Some("乡镇")));
    assert_eq!(unit["parent_code"], "350582");
    assert_eq!(unit["version"], 1);
    assert_eq!(admin.get(&format!("/api/v1/units/{}", unit["id"])).await.json()["name"], "磁灶镇");

    let page = admin.get("/api/v1/units?per_page=2&page=2&sort=code").await.json();
    assert_eq!(page["total"], 6);
    assert_eq!(page["page"], 2);
    assert_eq!(page["per_page"], 2);
    let codes: Vec<&str> = page["data"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["350582", "JJ-T01"]);
    let towns = admin.get("/api/v1/units?kind=town&under=350582").await.json();
    assert_eq!(towns["total"], 2);
    let bad = admin.get("/api/v1/units?page=first").await;
    assert_eq!((bad.status, bad.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("page")));
}

#[tokio::test]
async fn patch_is_version_guarded_and_move_takes_the_subtree() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let town = app.unit("JJ-T01");
    let r = admin.patch(&format!("/api/v1/units/{town}"), json!({"name": "安海镇人民政府", "version": 1})).await;
    assert_eq!(r.json()["version"], 2);
    let stale = admin.patch(&format!("/api/v1/units/{town}"), json!({"name": "又改", "version": 1})).await;
    assert_eq!((stale.status, stale.code().as_str()), (StatusCode::CONFLICT, "version_conflict"));
    let cleared = admin.patch(&format!("/api/v1/units/{town}"), json!({"region": "350582"})).await.json();
    assert_eq!(cleared["region"], "350582");
    let cleared = admin.patch(&format!("/api/v1/units/{town}"), json!({"region": null})).await.json();
    assert_eq!(cleared["region"], serde_json::Value::Null);

    let jinjiang = app.unit("350582");
    let moved = admin.post(&format!("/api/v1/units/{jinjiang}/move"), json!({"parent": "350581"})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    let town_after = admin.get(&format!("/api/v1/units/{town}")).await.json();
    assert_eq!(
        town_after["path"],
        format!("/{:010}/{:010}/{:010}/{:010}/", app.unit("350500"), app.unit("350581"), jinjiang, town)
    );
    assert_eq!(town_after["depth"], 3);
    let cycle = admin.post(&format!("/api/v1/units/{jinjiang}/move"), json!({"parent": "JJ-T01"})).await;
    assert_eq!((cycle.status, cycle.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("parent")));
}

#[tokio::test]
async fn deactivate_children_first() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let jinjiang = app.unit("350582");
    let r = admin.post(&format!("/api/v1/units/{jinjiang}/deactivate"), json!({})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "unit_has_active_children"));
    for code in ["JJ-T01", "JJ-ZJJ"] {
        let r =
            admin.send(Method::POST, &format!("/api/v1/units/{}/deactivate", app.unit(code)), None, vec![], &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let r = admin.post(&format!("/api/v1/units/{jinjiang}/deactivate"), json!({"version": 1})).await;
    assert_eq!(r.json()["active"], false);
    let inactive = admin.get("/api/v1/units?active=false").await.json();
    assert_eq!(inactive["total"], 3);
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_with_line_and_field() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let good = "code,name,parent,kind,region\nJJ-T02,磁灶镇,350582,乡镇,350582\nJJ-V01,大埔村,JJ-T02,村,\n";
    let r = admin.send(Method::POST, "/api/v1/units/import", Some("text/csv"), good.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({"rows": 2, "created": 2, "updated": 0, "unchanged": 0}));
    let r = admin.send(Method::POST, "/api/v1/units/import", Some("text/csv"), good.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.json()["unchanged"], 2, "re-importing the same file changes nothing");

    let bad = "code,name,parent,kind,region\nJJ-T03,陈埭镇,350582,乡镇,\nJJ-T04,池店镇,350582,县,\n";
    let r = admin.send(Method::POST, "/api/v1/units/import", Some("text/csv"), bad.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    assert_eq!(
        (body["code"].as_str(), body["line"].as_i64(), body["field"].as_str()),
        (Some("invalid_import_row"), Some(3), Some("kind"))
    );
    assert!(body["message"].as_str().unwrap().contains("第 3 行"));
    assert_eq!(app.unit_count().await, 7, "the good first row was not kept either");

    let r = admin.send(Method::POST, "/api/v1/units/import", Some("application/json"), b"{}".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn csv_export_opens_in_excel_and_round_trips() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin.get("/api/v1/units/export.csv").await;
    assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let text = r.text();
    assert!(
        text.starts_with("\u{feff}单位代码,单位名称,上级单位代码,单位类型,行政区划代码\n350500,泉州市,,人民政府,\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 6);
    let again = admin.send(Method::POST, "/api/v1/units/import", Some("text/csv"), r.body.clone(), &[]).await;
    assert_eq!(again.json()["unchanged"], 5);
}

#[tokio::test]
async fn only_administrators_change_units() {
    let app = TestApp::new().await;
    for who in ["office", "leader", "unit", "inspector"] {
        let mut client = app.signed_in(who).await;
        let r = client
            .post("/api/v1/units", json!({"code": "Z1", "name": "某", "kind": "other", "parent": "350582"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        let r = client
            .send(Method::POST, "/api/v1/units/import", Some("text/csv"), b"code,name,kind\nZ,z,other\n".to_vec(), &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.unit_count().await, 5);
}

#[tokio::test]
async fn the_office_manages_a_units_webhooks_on_its_page() {
    use crate::pages::{hidden, sign_in_page};
    let app = TestApp::new().await;
    let zjj = app.unit("JJ-ZJJ");
    let mut office = sign_in_page(&app, "office").await;
    let unit_page = office.get(&format!("/units/{zjj}")).await.text();
    assert!(unit_page.contains(&format!("/units/{zjj}/webhooks")));
    let page = office.get(&format!("/units/{zjj}/webhooks")).await.text();
    assert!(page.contains("本单位还没有推送地址"));
    let csrf = hidden(&page, "csrf_token");
    let r = office.form(&format!("/units/{zjj}/webhooks"), &[("csrf_token", &csrf), ("url", "ftp://oa")]).await;
    assert!(r.text().contains("回调地址应为") && r.text().contains("value=\"ftp://oa\""));
    let r = office
        .form(&format!("/units/{zjj}/webhooks"), &[("csrf_token", &csrf), ("url", "https://oa.example.gov.cn/notify")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let shown = r.text();
    let start = shown.find("secret-box mono\">").unwrap() + "secret-box mono\">".len();
    let secret = &shown[start..start + shown[start..].find('<').unwrap()];
    assert!(secret.len() >= 40, "{secret}");
    let page = office.get(&format!("/units/{zjj}/webhooks")).await.text();
    assert!(page.contains("https://oa.example.gov.cn/notify") && !page.contains(secret), "the secret is shown once");
    let start = page.find("/deactivate").unwrap();
    let action = &page[page[..start].rfind('"').unwrap() + 1..start + "/deactivate".len()];
    let r = office.form(action, &[("csrf_token", &csrf)]).await;
    assert_eq!(r.location(), format!("/units/{zjj}/webhooks?done=webhook_off"));
    assert!(office.get(&format!("/units/{zjj}/webhooks")).await.text().contains("已停用"));
    let mut unit = sign_in_page(&app, "unit").await;
    assert_eq!(unit.get(&format!("/units/{zjj}/webhooks")).await.status, StatusCode::FORBIDDEN);
    assert!(!unit.get(&format!("/units/{zjj}")).await.text().contains("推送地址"));
}

/// A unit name Excel would run as a formula is written defused in the CSV and reads back exact.
#[tokio::test]
async fn a_formula_in_a_unit_name_is_defused_in_the_csv() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let name = "=HYPERLINK(\"http://evil.example\",\"x\")";
    let r = admin
        .post("/api/v1/units", serde_json::json!({"code": "JJ-T09", "name": name, "kind": "town", "parent": "350582"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let csv = admin.get("/api/v1/units/export.csv").await;
    let text = csv.text();
    assert!(text.contains("JJ-T09,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""), "{text}");
    assert!(!text.contains(",=HYPERLINK"), "never a bare formula");
    let again = admin.send(Method::POST, "/api/v1/units/import", Some("text/csv"), csv.body.clone(), &[]).await;
    assert_eq!(again.json()["updated"], 0, "{}", again.text());
    let unit = admin.get("/api/v1/units?q=HYPERLINK").await.json();
    assert_eq!(unit["data"][0]["name"], name);
}
