use crate::app::TestApp;
use axum::http::StatusCode;
use bangdu_store::tables::AuditEvents;
use sea_query::{Expr, ExprTrait, Query};
use serde_json::json;

#[tokio::test]
async fn every_change_is_an_event_with_actor_role_ip_and_change() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let unit = admin
        .post("/api/v1/units", json!({"code": "JJ-T02", "name": "磁灶镇", "kind": "town", "parent": "350582"}))
        .await
        .json();
    let id = unit["id"].as_i64().unwrap();
    admin.patch(&format!("/api/v1/units/{id}"), json!({"name": "磁灶镇人民政府"})).await;
    let events = admin.get(&format!("/api/v1/audit/events?object_type=unit&object_id={id}")).await.json();
    assert_eq!(events["total"], 2);
    let update = &events["data"][0];
    assert_eq!(update["action"], "unit.update");
    assert_eq!(update["actor_name"], "admin");
    assert_eq!(update["actor_role"], "admin");
    assert_eq!(update["result"], "ok");
    assert_eq!(update["change"]["before"]["name"], "磁灶镇");
    assert_eq!(update["change"]["after"]["name"], "磁灶镇人民政府");
    assert_eq!(update["prev_hash"], events["data"][1]["hash"]);
    let sign_ins = admin.get("/api/v1/audit/events?action=session.").await.json();
    assert!(sign_ins["total"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn verify_detects_tampering_through_the_api() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let ok = admin.get("/api/v1/audit/verify").await.json();
    assert_eq!(ok["ok"], true);
    let events = ok["events"].as_i64().unwrap();
    assert!(events > 10);
    assert!(ok.get("broken").is_none());
    // Someone with database access rewrites who did something.
    let mut tx = app.db.db.begin().await.unwrap();
    tx.conn()
        .execute(
            Query::update()
                .table(AuditEvents::Table)
                .value(AuditEvents::ActorName, "nobody")
                .and_where(Expr::col(AuditEvents::Seq).eq(3)),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let broken = admin.get("/api/v1/audit/verify").await.json();
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["broken"]["seq"], 3);
    assert_eq!(broken["events"], 2);
}

#[tokio::test]
async fn only_administrators_read_the_audit_log() {
    let app = TestApp::new().await;
    for who in ["office", "leader", "unit", "inspector"] {
        let mut client = app.signed_in(who).await;
        assert_eq!(client.get("/api/v1/audit/verify").await.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(client.get("/api/v1/audit/events").await.status, StatusCode::FORBIDDEN, "{who}");
    }
}
