//! After a project is built: 运行使用情况 (operating checks, a problem found becoming an item) and
//! the evidence attached to a month's report or a check — through the API and the pages.

use crate::app::TestApp;
use crate::items::PNG;
use crate::pages::{hidden, sign_in_page};
use axum::http::{StatusCode, header};
use serde_json::{Value, json};

/// Led by 住建局 (the `unit` user's unit), managed after completion by 安海镇.
fn park() -> Value {
    json!({
        "name": "安海镇口袋公园", "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
        "manager_unit": "JJ-T01",
        "planned_start": "2025-01-01", "planned_end": "2025-12-31",
        "milestones": [{"name": "主体完工", "date": "2025-06-30", "progress": 60}],
    })
}

#[tokio::test]
async fn a_finished_project_is_checked_in_use_and_a_problem_found_becomes_an_item() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let id = office.post("/api/v1/projects", park()).await.json()["id"].as_i64().unwrap();
    let checks = format!("/api/v1/projects/{id}/checks");
    let mut unit = app.signed_in("unit").await;

    // Not built yet: nothing to check.
    let r = unit.post(&checks, json!({"normal": true})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "project_not_completed".to_string()));
    let done = json!({"period": "2025-08", "progress": 100, "status": "completed", "completed_on": "2025-08-28"});
    assert_eq!(unit.post(&format!("/api/v1/projects/{id}/reports"), done).await.status, StatusCode::CREATED);

    let r =
        unit.post(&checks, json!({"checked_on": "2025-09-20", "normal": true, "notes": "晚间开放，照明正常"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!((r.json()["normal"].as_bool(), r.json()["item"].is_null()), (Some(true), true));

    // Bad checks name the field and store nothing (the tests' today is 2025-09-24).
    let before = app.audit_count().await;
    for (body, field) in [
        (json!({"normal": false}), "notes"),
        (json!({"normal": false, "notes": "   "}), "notes"),
        (json!({"checked_on": "2025-09-25", "normal": true}), "checked_on"),
        (json!({"checked_on": "2025-08-27", "normal": true}), "checked_on"),
        (json!({"checked_on": "2025-02-30", "normal": true}), "checked_on"),
    ] {
        let r = unit.post(&checks, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{body}");
    }
    assert_eq!(app.audit_count().await, before);

    // The unit finds a problem: recorded, but only the office turns it into an item.
    let r = unit.post(&checks, json!({"checked_on": "2025-09-22", "normal": false, "notes": "健身器材损坏两处"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let found = r.json();
    assert!(found["item"].is_null());
    let raise = format!("{checks}/{}/item", found["id"]);
    assert_eq!(unit.post(&raise, json!({})).await.status, StatusCode::FORBIDDEN);
    let r = office.post(&raise, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let item_id = r.json()["item"]["id"].as_i64().unwrap();
    let item = office.get(&format!("/api/v1/items/{item_id}")).await.json();
    assert_eq!(item["source"], "operation");
    assert_eq!(item["title"], "运行问题：安海镇口袋公园");
    assert_eq!(item["responsible_unit"]["code"], "JJ-T01", "the management unit answers for it");
    assert_eq!(item["project"]["id"], id);
    assert!(item["description"].as_str().unwrap().contains("健身器材损坏两处"));
    let r = office.post(&raise, json!({})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "check_item_exists".to_string()));
    let first = r.json();
    assert!(first["message"].as_str().unwrap().contains(item["code"].as_str().unwrap()));

    // The office's own finding becomes an item at once.
    let r = office.post(&checks, json!({"normal": false, "notes": "园内路灯不亮"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["checked_on"], "2025-09-24", "today by default");
    assert!(r.json()["item"]["code"].is_string());

    // A normal check has nothing to raise.
    let listed = office.get(&checks).await.json();
    let days: Vec<&str> = listed.as_array().unwrap().iter().map(|c| c["checked_on"].as_str().unwrap()).collect();
    assert_eq!(days, ["2025-09-24", "2025-09-22", "2025-09-20"], "newest first");
    let r = office.post(&format!("{checks}/{}/item", listed[2]["id"]), json!({})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "check_normal".to_string()));
    assert_eq!(office.get(&format!("/api/v1/projects/{id}/items")).await.json().as_array().unwrap().len(), 2);

    // Out of scope: not found, and nothing recorded.
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get(&checks).await.status, StatusCode::NOT_FOUND);
    assert_eq!(inspector.post(&checks, json!({"normal": true})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(office.get(&checks).await.json().as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_month_s_evidence_stays_with_it_until_the_report_is_accepted() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let id = office.post("/api/v1/projects", park()).await.json()["id"].as_i64().unwrap();
    let mut unit = app.signed_in("unit").await;
    let reports = format!("/api/v1/projects/{id}/reports");
    let files = format!("/api/v1/projects/{id}/files");
    assert_eq!(unit.post(&reports, json!({"period": "2025-08", "progress": 75})).await.status, StatusCode::CREATED);

    let r = unit.multipart(&files, &[("period", "2025-08")], Some(("现场照片.png", PNG))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let file = r.json();
    assert_eq!((file["period"].as_str(), file["filename"].as_str()), (Some("2025-08"), Some("现场照片.png")));
    assert_eq!(file["content_type"], "image/png");

    // Refused: no month named, a month not reported, a type that is not evidence.
    for (fields, name, bytes, status) in [
        (vec![], "a.png", PNG, StatusCode::UNPROCESSABLE_ENTITY),
        (vec![("period", "2025-07")], "a.png", PNG, StatusCode::UNPROCESSABLE_ENTITY),
        (
            vec![("period", "2025-08")],
            "run.exe",
            &b"MZ\x90\x00\x03\x00\x00\x00"[..],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ] {
        let r = unit.multipart(&files, &fields, Some((name, bytes))).await;
        assert_eq!(r.status, status, "{fields:?} {name}: {}", r.text());
    }

    // Replacing the month's report keeps its evidence.
    assert_eq!(unit.post(&reports, json!({"period": "2025-08", "progress": 76})).await.status, StatusCode::CREATED);
    let listed = office.get(&reports).await.json();
    assert_eq!(listed[0]["progress"], 76.0);
    assert_eq!(listed[0]["files"].as_array().unwrap().len(), 1);
    let url = listed[0]["files"][0]["url"].as_str().unwrap().to_string();
    let r = office.get(&url).await;
    assert_eq!((r.status, r.body.as_slice()), (StatusCode::OK, PNG));
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get(&url).await.status, StatusCode::NOT_FOUND);

    // Accepted: the month's evidence is fixed.
    let rid = listed[0]["id"].as_i64().unwrap();
    office.post(&format!("{reports}/{rid}/check"), json!({"accept": true})).await;
    let r = unit.multipart(&files, &[("period", "2025-08")], Some(("补充.png", PNG))).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "report_checked".to_string()));
    assert_eq!(office.get(&files).await.json().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_project_page_takes_a_report_with_a_photo_and_an_operating_check() {
    let app = TestApp::new().await;
    let mut api = app.signed_in("office").await;
    let id = api.post("/api/v1/projects", park()).await.json()["id"].as_i64().unwrap();

    let mut unit = sign_in_page(&app, "unit").await;
    let html = unit.get(&format!("/projects/{id}")).await.text();
    assert!(html.contains("enctype=\"multipart/form-data\""), "the report form can carry a file");
    assert!(!html.contains("运行使用情况"), "no operating checks before the project is built");
    let csrf = hidden(&html, "csrf_token");
    let r = unit
        .multipart(
            &format!("/projects/{id}/reports"),
            &[
                ("csrf_token", &csrf),
                ("period", "2025-08"),
                ("progress", "100"),
                ("status", "completed"),
                ("completed_on", "2025-08-28"),
            ],
            Some(("竣工验收单.png", PNG)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = unit.get(&format!("/projects/{id}")).await.text();
    assert!(html.contains("竣工验收单.png"), "the month lists its file");
    let file = api.get(&format!("/api/v1/projects/{id}/files")).await.json()[0]["id"].as_i64().unwrap();
    let r = unit.get(&format!("/projects/{id}/files/{file}")).await;
    assert_eq!((r.status, r.body.as_slice()), (StatusCode::OK, PNG));

    // Built: the unit records a problem with a photo; the office turns it into an item.
    assert!(html.contains("记录运行检查"));
    let r = unit
        .multipart(
            &format!("/projects/{id}/checks"),
            &[("csrf_token", &csrf), ("checked_on", "2025-09-23"), ("normal", "no"), ("notes", "公厕未开放")],
            Some(("公厕.png", PNG)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = unit.get(&format!("/projects/{id}")).await.text();
    assert!(html.contains("公厕未开放") && html.contains("公厕.png") && html.contains("待督查室处理"));
    // Without a choice of normal / problem the page says so and records nothing.
    let r = unit.multipart(&format!("/projects/{id}/checks"), &[("csrf_token", &csrf), ("notes", "x")], None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("请选择运行是否正常"));
    // A form without the session's token is refused.
    let r = unit.multipart(&format!("/projects/{id}/checks"), &[("normal", "yes")], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut office = sign_in_page(&app, "office").await;
    let html = office.get(&format!("/projects/{id}")).await.text();
    let check = api.get(&format!("/api/v1/projects/{id}/checks")).await.json()[0]["id"].as_i64().unwrap();
    assert!(html.contains(&format!("/projects/{id}/checks/{check}/item")), "the office sees the raise button");
    let csrf = hidden(&html, "csrf_token");
    let r = office.form(&format!("/projects/{id}/checks/{check}/item"), &[("csrf_token", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let code =
        api.get(&format!("/api/v1/projects/{id}/checks")).await.json()[0]["item"]["code"].as_str().unwrap().to_string();
    assert!(office.get(&format!("/projects/{id}")).await.text().contains(&code));
}
