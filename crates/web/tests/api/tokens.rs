use crate::app::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn bearer_tokens_work_until_revoked() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let r = office.post("/api/v1/tokens", json!({"name": "12345 对接", "expires_in_days": 30})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let created = r.json();
    let token = created["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("bd_"));
    assert!(token.starts_with(created["prefix"].as_str().unwrap()));
    let mut script = app.client();
    script.bearer = Some(token.clone());
    let me = script.get("/api/v1/me").await.json();
    assert_eq!((me["username"].as_str(), me["via"].as_str()), (Some("office"), Some("token")));
    assert!(me["csrf_token"].is_null());
    // A bearer client needs no CSRF token, whatever the origin says.
    let listed = office.get("/api/v1/tokens").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("token").is_none(), "the token itself is never shown again");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(office.delete(&format!("/api/v1/tokens/{id}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(script.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn others_tokens_are_not_found_except_for_administrators() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let id = office.post("/api/v1/tokens", json!({"name": "脚本"})).await.json()["id"].as_i64().unwrap();
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.delete(&format!("/api/v1/tokens/{id}")).await.status, StatusCode::NOT_FOUND);
    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.delete(&format!("/api/v1/tokens/{id}")).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_garbage_token_is_401() {
    let app = TestApp::new().await;
    let mut client = app.client();
    client.bearer = Some("bd_not-a-real-token".into());
    assert_eq!(client.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}
