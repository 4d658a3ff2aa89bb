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

#[tokio::test]
async fn the_settings_page_saves_all_fields_together_or_none() {
    use crate::pages::{hidden, sign_in_page};
    let app = TestApp::new().await;
    let mut admin = sign_in_page(&app, "admin").await;
    let page = admin.get("/settings").await.text();
    for label in [
        "审计哈希算法",
        "督导事项编号前缀",
        "临近提醒（工作日）",
        "督办后转通报（工作日）",
        "SMTP 密码",
        "短信网关地址",
    ] {
        assert!(page.contains(label), "{label}");
    }
    let csrf = hidden(&page, "csrf_token");
    let r = admin
        .form(
            "/settings",
            &[("csrf_token", &csrf), ("escalation.reminder_days", "5"), ("notify.smtp_password", "s3cret-pass")],
        )
        .await;
    assert_eq!(r.location(), "/settings?done=saved", "{}", r.text());
    let page = admin.get("/settings").await.text();
    assert!(!page.contains("s3cret-pass"), "a secret is never shown back");
    assert!(page.contains("name=\"escalation.reminder_days\" value=\"5\""));

    // One bad field: nothing is saved, the typed values stay, the field says what is wrong.
    let before = app.audit_count().await;
    let r = admin
        .form("/settings", &[("csrf_token", &csrf), ("escalation.reminder_days", "7"), ("items.code_prefix", "x")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    assert!(text.contains("未保存") && text.contains("应为 2–10 位大写字母或数字") && text.contains("value=\"7\""));
    let r = admin.form("/settings", &[("csrf_token", &csrf), ("escalation.reminder_days", "abc")]).await;
    assert!(r.text().contains("应为整数"));
    assert_eq!(app.audit_count().await, before, "nothing saved, nothing audited");

    // Saving the form as shown (the secret as its mask) changes nothing and records nothing.
    let shown: Vec<(String, String)> = ["escalation.reminder_days", "notify.smtp_password", "items.code_prefix"]
        .iter()
        .map(|k| (k.to_string(), hidden(&page, k)))
        .collect();
    let mut fields: Vec<(&str, &str)> = shown.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("csrf_token", &csrf));
    assert_eq!(admin.form("/settings", &fields).await.location(), "/settings?done=saved");
    assert_eq!(app.audit_count().await, before);
    let mut reader = app.db.db.reader().await.unwrap();
    let password =
        bangdu_store::settings::get(&mut reader.conn(), bangdu_store::settings::SMTP_PASSWORD).await.unwrap();
    assert_eq!(password, "s3cret-pass", "the mask kept the stored secret");
    drop(reader);
    assert_eq!(sign_in_page(&app, "office").await.form("/settings", &fields).await.status, StatusCode::FORBIDDEN);
}
