//! Notices: the inbox, webhooks with their delivery log, and the escalation job over the 2025
//! National Day holiday.

use crate::app::TestApp;
use crate::items::{act, new_item};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_inbox_tells_each_side_what_to_do() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let item = new_item(&mut office, "施工许可办理受阻").await;
    act(&mut office, &item["id"], json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    let counts = unit.get("/api/v1/notifications/counts").await.json();
    assert_eq!((counts["unread"].as_i64(), counts["by_kind"]["todo"].as_i64()), (Some(1), Some(1)));
    let inbox = unit.get("/api/v1/notifications?unread=true").await.json();
    assert!(inbox["data"][0]["title"].as_str().unwrap().contains("新交办事项"));
    assert_eq!(inbox["data"][0]["item_id"], item["id"]);
    let id = inbox["data"][0]["id"].clone();
    assert_eq!(
        office.post(&format!("/api/v1/notifications/{id}/read"), json!({})).await.status,
        StatusCode::NOT_FOUND,
        "not theirs"
    );
    assert_eq!(unit.post(&format!("/api/v1/notifications/{id}/read"), json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(unit.get("/api/v1/notifications/counts").await.json()["unread"], 0);

    act(&mut unit, &item["id"], json!({"action": "accept", "version": 2})).await;
    act(&mut unit, &item["id"], json!({"action": "request_close", "version": 3, "measures": "m", "result": "r"})).await;
    let office_inbox = office.get("/api/v1/notifications").await.json();
    assert!(office_inbox["data"][0]["title"].as_str().unwrap().contains("申请销号待审核"));
    act(&mut office, &item["id"], json!({"action": "return", "version": 4, "reason": "材料不全"})).await;
    assert_eq!(unit.get("/api/v1/notifications?kind=returned").await.json()["total"], 1);
    assert_eq!(unit.post("/api/v1/notifications/read-all", json!({})).await.json()["marked"], 1);
}

#[tokio::test]
async fn a_unit_webhook_gets_a_signed_notice_in_its_delivery_log() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let zjj = app.unit("JJ-ZJJ");
    // Loopback, private, link-local and metadata addresses are refused, and addresses that do not parse.
    for url in [
        "http://[::1",
        "http://127.0.0.1:9/bangdu",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://localhost/",
        "https://u:p@oa.example.gov.cn/",
    ] {
        let r = office.post(&format!("/api/v1/units/{zjj}/webhooks"), json!({"url": url})).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("url")), "{url}");
    }
    // …until the administrator allows one; only the administrator may.
    let allow = json!({"webhooks.allowed_destinations": "127.0.0.1"});
    assert_eq!(office.patch("/api/v1/settings", allow.clone()).await.status, StatusCode::FORBIDDEN);
    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.patch("/api/v1/settings", allow).await.status, StatusCode::OK);
    let r = office.post(&format!("/api/v1/units/{zjj}/webhooks"), json!({"url": "http://127.0.0.1:9/bangdu"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let hook = r.json();
    assert!(hook["secret"].as_str().unwrap().len() >= 40, "the secret is shown once");
    let listed = office.get(&format!("/api/v1/units/{zjj}/webhooks")).await.json();
    assert!(listed[0].get("secret").is_none(), "and never again");
    let bad = office.post(&format!("/api/v1/units/{zjj}/webhooks"), json!({"url": "ftp://x"})).await;
    assert_eq!(bad.json()["field"], "url");
    let mut unit = app.signed_in("unit").await;
    assert_eq!(
        unit.post(&format!("/api/v1/units/{zjj}/webhooks"), json!({"url": "http://x/"})).await.status,
        StatusCode::FORBIDDEN
    );

    let item = new_item(&mut office, "回调").await;
    act(&mut office, &item["id"], json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    let log = office.get(&format!("/api/v1/webhooks/{}/deliveries", hook["id"])).await.json();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["status"], "pending");
    assert_eq!(log[0]["payload"]["event"], "item.assigned");
    assert_eq!(log[0]["payload"]["item"]["code"], item["code"]);
    assert_eq!(office.delete(&format!("/api/v1/webhooks/{}", hook["id"])).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_escalation_job_climbs_the_ladder_across_national_day() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let mut admin = app.signed_in("admin").await;
    let item = new_item(&mut office, "国庆前到期的事项").await;
    let id = item["id"].clone();
    act(
        &mut office,
        &id,
        json!({"action": "assign", "version": 1, "assigned_on": "2025-09-01", "deadline": "2025-09-30"}),
    )
    .await;
    act(&mut unit, &id, json!({"action": "accept", "version": 2})).await;

    let run = |date: &str, force: bool| json!({"date": date, "force": force});
    // Nothing is run for a day still to come (the app's today is 24 September).
    let r = admin.post("/api/v1/jobs/escalation", run("2025-09-26", false)).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("date")));
    // From here each run is made on its own day.
    let day = |date: &str| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let admin_on = |date: &str| app.on_day(day(date), &admin);
    // 26 September: three working days left (Sun 28 is a make-up day) → 临近提醒.
    let r = admin_on("2025-09-26").post("/api/v1/jobs/escalation", run("2025-09-26", false)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["raised"], json!({"reminder": 1}));
    assert_eq!(office.get(&format!("/api/v1/items/{id}")).await.json()["escalation"], "reminder");
    // 8 October: still the holiday, nothing more.
    assert_eq!(
        admin_on("2025-10-08").post("/api/v1/jobs/escalation", run("2025-10-08", false)).await.json()["raised"],
        json!({})
    );
    // 13 October: 催办 fell on 9 October and 督办 is due (10, Sat 11, Mon 13 are the 3 more days).
    let r = admin_on("2025-10-13").post("/api/v1/jobs/escalation", run("2025-10-13", false)).await.json();
    assert_eq!(r["raised"], json!({"supervise": 1, "urge": 1}));
    // The same day again: claimed already; forced: nothing changes.
    assert_eq!(
        admin_on("2025-10-13").post("/api/v1/jobs/escalation", run("2025-10-13", false)).await.json()["skipped"],
        true
    );
    assert_eq!(
        admin_on("2025-10-13").post("/api/v1/jobs/escalation", run("2025-10-13", true)).await.json()["raised"],
        json!({})
    );
    assert_eq!(
        admin_on("2025-10-20").post("/api/v1/jobs/escalation", run("2025-10-20", false)).await.json()["raised"],
        json!({"bulletin": 1})
    );

    let events = office.get(&format!("/api/v1/items/{id}/events")).await.json();
    let steps: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "escalate")
        .map(|e| e["payload"]["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["reminder", "urge", "supervise", "bulletin"]);
    let urges = unit.get("/api/v1/notifications?kind=urge").await.json();
    assert_eq!(urges["total"], 3, "催办, 督办, 通报");
    assert!(
        office.get("/api/v1/notifications?kind=urge").await.json()["data"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("通报")
    );
    assert_eq!(office.get("/api/v1/items?escalation=supervise").await.json()["total"], 1);
    assert_eq!(unit.post("/api/v1/jobs/escalation", run("2025-09-24", false)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(admin.get("/api/v1/audit/verify").await.json()["ok"], true);
}

#[tokio::test]
async fn a_todo_is_done_once_somebody_answers_it() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let todo = |v: serde_json::Value| v["by_kind"]["todo"].as_i64().unwrap_or(0);
    let item = new_item(&mut office, "施工许可办理受阻").await;
    act(&mut office, &item["id"], json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    assert_eq!(todo(unit.get("/api/v1/notifications/counts").await.json()), 1);
    act(&mut unit, &item["id"], json!({"action": "accept", "version": 2})).await;
    assert_eq!(todo(unit.get("/api/v1/notifications/counts").await.json()), 0, "signed for: nothing left to do");

    act(
        &mut unit,
        &item["id"],
        json!({"action": "request_extension", "version": 3, "deadline_workdays": 5, "reason": "材料补正"}),
    )
    .await;
    assert_eq!(todo(office.get("/api/v1/notifications/counts").await.json()), 1);
    // Reporting progress answers nothing: the extension still waits for the office.
    act(&mut unit, &item["id"], json!({"action": "report", "version": 4, "note": "进展"})).await;
    assert_eq!(todo(office.get("/api/v1/notifications/counts").await.json()), 1);
    act(&mut office, &item["id"], json!({"action": "approve_extension", "version": 5})).await;
    assert_eq!(todo(office.get("/api/v1/notifications/counts").await.json()), 0, "decided: off the office's list");
    // The unit still has the decision to read: answering marks only the answered kind.
    let unit_unread = unit.get("/api/v1/notifications?unread=true").await.json();
    assert!(unit_unread["data"][0]["title"].as_str().unwrap().contains("延期已同意"), "{unit_unread}");
}
