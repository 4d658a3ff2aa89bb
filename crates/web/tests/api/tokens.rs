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

/// A password that may have leaked leaves no way in behind it: an administrator's reset revokes
/// every API token of the user; the user's own change revokes all but those they choose to keep.
#[tokio::test]
async fn tokens_die_with_the_password_unless_the_owner_keeps_them() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut made = Vec::new();
    for name in ["12345 对接", "大屏", "备份脚本"] {
        let created = office.post("/api/v1/tokens", json!({"name": name})).await.json();
        let mut script = app.client();
        script.bearer = Some(created["token"].as_str().unwrap().to_string());
        made.push((created["id"].as_i64().unwrap(), script));
    }
    // The owner changes it and keeps the first token.
    let r = office
        .post(
            "/api/v1/me/password",
            json!({"current_password": crate::app::PASSWORD, "new_password": "New-Pass-2025", "keep_tokens": [made[0].0]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let status = |r: crate::app::Response| r.status;
    assert_eq!(status(made[0].1.get("/api/v1/me").await), StatusCode::OK, "kept");
    assert_eq!(status(made[1].1.get("/api/v1/me").await), StatusCode::UNAUTHORIZED, "revoked with the change");
    assert_eq!(status(made[2].1.get("/api/v1/me").await), StatusCode::UNAUTHORIZED);
    // An administrator resets it: the kept token dies too.
    let id = made[0].1.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    let mut admin = app.signed_in("admin").await;
    let r = admin.post(&format!("/api/v1/users/{id}/password"), json!({"password": "Reset-Pass-9"})).await;
    assert!(r.status.is_success(), "{}", r.text());
    assert_eq!(status(made[0].1.get("/api/v1/me").await), StatusCode::UNAUTHORIZED, "a reset ends every token");
}
