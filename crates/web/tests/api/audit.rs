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

/// The audit log reads in Chinese: actions by name (交办, 催办 as 梯级督查), the system by what it
/// was doing, objects by kind with a link; the codes stay only in tooltips and filter values.
#[tokio::test]
async fn the_audit_log_reads_in_chinese() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let item = crate::items::new_item(&mut office, "农村自来水管网铺设后无法供水").await;
    let id = item["id"].as_i64().unwrap();
    let assign = json!({"action": "assign", "version": 1, "assigned_on": "2025-09-01", "deadline": "2025-09-10"});
    assert_eq!(crate::items::act(&mut office, &item["id"], assign).await.status, StatusCode::OK);
    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.post("/api/v1/jobs/escalation", json!({})).await.status, StatusCode::OK);
    let page = admin.get("/audit").await.text();
    let shown: String = page.split('<').map(|part| part.split_once('>').map_or("", |(_, text)| text)).collect();
    for words in ["交办", "登记事项", "梯级督查", "系统·梯级督查", "手动运行梯级督查", "督导事项"]
    {
        assert!(shown.contains(words), "{words} missing from the log");
    }
    for code in ["item.assign", "item.escalate", "escalation", "item "] {
        let at = shown.find(code).map(|i| shown[i..].chars().take(80).collect::<String>());
        assert!(at.is_none(), "“{code}” shows on the page: {at:?}");
    }
    assert!(page.contains(&format!("href=\"/items/{id}\"")), "the object links to its page");
}
