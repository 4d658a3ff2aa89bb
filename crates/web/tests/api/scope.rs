//! What each role sees through the API; out-of-scope records answer 404, not 403.

use crate::app::TestApp;
use axum::http::StatusCode;

async fn codes(client: &mut crate::app::Client) -> Vec<String> {
    let page = client.get("/api/v1/units?per_page=100&sort=code").await.json();
    page["data"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn each_role_sees_its_own_part_of_the_tree() {
    let app = TestApp::new().await;
    assert_eq!(codes(&mut app.signed_in("admin").await).await, ["350500", "350581", "350582", "JJ-T01", "JJ-ZJJ"]);
    assert_eq!(codes(&mut app.signed_in("office").await).await, ["350582", "JJ-T01", "JJ-ZJJ"]);
    assert_eq!(codes(&mut app.signed_in("leader").await).await, ["350582", "JJ-T01", "JJ-ZJJ"]);
    assert_eq!(codes(&mut app.signed_in("unit").await).await, ["JJ-ZJJ"]);
    assert!(codes(&mut app.signed_in("inspector").await).await.is_empty(), "self scope: only units they created");
}

#[tokio::test]
async fn out_of_scope_records_are_not_found() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let r = office.get(&format!("/api/v1/units/{}", app.unit("350581"))).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "not_found"));
    assert_eq!(office.get(&format!("/api/v1/units/{}", app.unit("JJ-T01"))).await.status, StatusCode::OK);
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get(&format!("/api/v1/units/{}", app.unit("350582"))).await.status, StatusCode::NOT_FOUND);
    // A filter cannot be used to probe outside the scope either.
    let r = office.get("/api/v1/units?under=350581").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn users_are_listed_within_scope() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let names: Vec<String> = office.get("/api/v1/users?per_page=100").await.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["leader", "office", "unit"], "the inspector (石狮市) and admin (泉州市) are outside 晋江市");
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get("/api/v1/users").await.status, StatusCode::FORBIDDEN);
    let admin_id = app.signed_in("admin").await.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    assert_eq!(office.get(&format!("/api/v1/users/{admin_id}")).await.status, StatusCode::NOT_FOUND);
}
