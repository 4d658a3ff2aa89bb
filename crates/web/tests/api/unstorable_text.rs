//! Text no database can keep — NUL, other C0 controls, Unicode noncharacters — is refused where a
//! request is decoded, naming the field (422) or query parameter (400), on SQLite and PostgreSQL
//! alike. PostgreSQL answered many of these 500 before (it cannot store NUL in text at all).

use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

fn item(field: &str, value: Value) -> Value {
    let mut body = json!({"title": "路灯不亮", "responsible_unit": "JJ-ZJJ", "draft": true});
    body[field] = value;
    body
}

fn project(field: &str, value: Value) -> Value {
    let mut body = json!({
        "name": "安海镇口袋公园", "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
        "planned_start": "2025-01-01", "planned_end": "2025-12-31",
    });
    body[field] = value;
    body
}

#[tokio::test]
async fn json_fields_with_nul_or_noncharacters_are_422_naming_the_field() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let before = app.audit_count().await;
    let cases = [
        ("/api/v1/items", item("responsible_unit", json!("JJ-\u{0}027")), "responsible_unit"),
        ("/api/v1/items", item("title", json!("路灯\u{ffff}")), "title"),
        ("/api/v1/items", item("cooperating_units", json!(["JJ-T01", "JJ-\u{0}"])), "cooperating_units[1]"),
        ("/api/v1/projects", project("lead_unit", json!("JJ-\u{0}ZJJ")), "lead_unit"),
        ("/api/v1/projects", project("owner_unit", json!("\u{0}")), "owner_unit"),
        ("/api/v1/projects", project("name", json!("口袋公园\u{ffff}")), "name"),
        ("/api/v1/projects", project("cooperating_units", json!(["\u{1b}[31m"])), "cooperating_units[0]"),
        (
            "/api/v1/projects",
            project("milestones", json!([{"name": "完工\u{fdd0}", "date": "2025-06-30", "progress": 60}])),
            "milestones[0].name",
        ),
        ("/api/v1/projects/freezes", json!({"unit": "350\u{0}582", "year": 2025, "quarter": 1}), "unit"),
        ("/api/v1/units", json!({"code": "A1", "name": "甲", "kind": "town", "parent": "350\u{0}582"}), "parent"),
    ];
    for (path, body, field) in cases {
        let r = office.post(path, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}: {}", r.text());
        assert_eq!((r.code().as_str(), r.json()["field"].as_str()), ("invalid_field", Some(field)), "{body}");
        let message = r.json()["message"].as_str().unwrap().to_string();
        assert!(message.contains("U+"), "the message names the character: {message}");
    }
    // Traditional characters and emoji are text.
    let r = office.post("/api/v1/items", item("title", json!("路燈不亮😀"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(app.audit_count().await, before + 1, "only the good item was stored");
}

#[tokio::test]
async fn signing_in_with_a_nul_is_refused_before_the_audit_log() {
    let app = TestApp::new().await;
    let before = app.audit_count().await;
    let mut anyone = app.client();
    let r = anyone.post("/api/v1/session", json!({"username": "a\u{0}b", "password": "x"})).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("username")));
    let r = anyone.form("/login", &[("username", "ad\u{0}min"), ("password", "x")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("U+0000"), "the page says why");
    assert_eq!(app.audit_count().await, before);
    // A lone surrogate cannot even be decoded: the JSON is refused as such.
    let r = anyone
        .send(
            Method::POST,
            "/api/v1/session",
            Some("application/json"),
            br#"{"username":"\ud800","password":"x"}"#.to_vec(),
            &[],
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_json"));
}

#[tokio::test]
async fn query_parameters_are_400_naming_the_parameter_on_every_list() {
    let app = TestApp::new().await;
    let mut anyone = app.client();
    for path in ["/public/projects?kind=%00", "/public/projects?unit=%00", "/public/projects?q=a%EF%BF%BFb"] {
        let r = anyone.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(r.text().contains("U+"), "{path}: the page says why");
    }
    let mut admin = app.signed_in("admin").await;
    for list in [
        "/api/v1/items",
        "/api/v1/items/summary",
        "/api/v1/projects",
        "/api/v1/projects/stats",
        "/api/v1/units",
        "/api/v1/users",
        "/api/v1/audit/events",
        "/api/v1/notifications",
        "/api/v1/projects/export.xlsx",
        "/api/v1/lists/problems.xlsx",
    ] {
        for query in ["q=a%00b", "unit=%00", "kind=%01", "status=%EF%BF%BE", "a%00=1"] {
            let path = format!("{list}?{query}");
            let r = admin.get(&path).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::BAD_REQUEST, "invalid_query"),
                "{path}: {}",
                r.text()
            );
            assert!(r.json()["field"].is_string(), "{path}");
        }
    }
    for page in ["/items", "/projects", "/units", "/users", "/audit", "/inbox", "/projects/chart.svg"] {
        let r = admin.get(&format!("{page}?q=a%00b")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{page}");
    }
}

#[tokio::test]
async fn forms_uploads_and_imports_name_the_field_or_line() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut admin = app.signed_in("admin").await;
    let before = app.audit_count().await;
    // A multipart form's text field, and an uploaded file's name.
    let item = crate::items::new_item(&mut office, "待补材料").await;
    let id = item["id"].as_i64().unwrap();
    let r = office
        .multipart(&format!("/api/v1/items/{id}/attachments"), &[("note", "a\u{0}")], Some(("a.txt", b"x")))
        .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("note")),
        "{}",
        r.text()
    );
    let r = office.upload(&format!("/api/v1/items/{id}/attachments"), "a\u{ffff}.txt", b"x").await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file")),
        "{}",
        r.text()
    );
    // A CSV import stops at the line and column that hold it.
    let csv = "单位代码,单位名称,上级单位代码,单位类型\nJJ-T08,内坑镇,350582,乡镇\nJJ-T09,磁灶\u{0}镇,350582,乡镇\n";
    let r = admin.send(Method::POST, "/api/v1/units/import", Some("text/csv"), csv.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!((r.json()["line"].as_u64(), r.json()["field"].as_str()), (Some(3), Some("单位名称")), "{}", r.text());
    let projects = "项目名称,牵头单位\n口袋公园\u{ffff},JJ-ZJJ\n";
    let r = office
        .send(
            Method::POST,
            "/api/v1/projects/import?year=2025&kind=为民办实事",
            Some("text/csv"),
            projects.as_bytes().to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!((r.json()["line"].as_u64(), r.json()["field"].as_str()), (Some(2), Some("项目名称")), "{}", r.text());
    // The calendar's year file names its line.
    let year = "year 2027\nholiday 2027-01-01..2027-01-03 元\u{0}旦\n";
    let r =
        admin.send(Method::PUT, "/api/v1/calendar/years/2027", Some("text/plain"), year.as_bytes().to_vec(), &[]).await;
    assert_eq!((r.status, r.json()["line"].as_u64()), (StatusCode::UNPROCESSABLE_ENTITY, Some(2)), "{}", r.text());
    assert_eq!(app.audit_count().await, before + 1, "only the item was stored");
}
