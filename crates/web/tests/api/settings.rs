use crate::app::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn switching_to_sm3_keeps_the_chain_verifiable() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin.patch("/api/v1/settings", json!({"audit.hash_algorithm": "sm3"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    admin.post("/api/v1/units", json!({"code": "JJ-T09", "name": "紫帽镇", "kind": "town", "parent": "350582"})).await;
    let latest = admin.get("/api/v1/audit/events?per_page=1").await.json();
    assert_eq!(latest["data"][0]["algorithm"], "sm3");
    let verify = admin.get("/api/v1/audit/verify").await.json();
    assert_eq!(verify["ok"], true, "{verify}");
    let bad = admin.patch("/api/v1/settings", json!({"audit.hash_algorithm": "md5"})).await;
    assert_eq!(
        (bad.status, bad.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("audit.hash_algorithm"))
    );
    let mut office = app.signed_in("office").await;
    assert_eq!(
        office.patch("/api/v1/settings", json!({"audit.hash_algorithm": "sha256"})).await.status,
        StatusCode::FORBIDDEN
    );
}
