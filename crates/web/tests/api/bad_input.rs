use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn malformed_json_is_400_invalid_json() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin.send(Method::POST, "/api/v1/units", Some("application/json"), b"{\"code\":".to_vec(), &[]).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_json"));
    assert!(!r.json()["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_missing_and_wrong_typed_fields_are_422_naming_the_field() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let cases = [
        (json!({"code": "A", "name": "甲", "kind": "town", "parent": "350582", "colour": "red"}), "colour"),
        (json!({"name": "甲", "kind": "town"}), "code"),
        (json!({"code": "A", "name": "甲", "kind": "town", "sort_order": "first"}), "sort_order"),
        (json!({"code": "A", "name": "甲", "kind": "county", "parent": "350582"}), "kind"),
        (json!({"code": "A", "name": "甲", "kind": "town", "parent": "350582", "region": "12345"}), "region"),
        (json!({"code": "A B", "name": "甲", "kind": "town", "parent": "350582"}), "code"),
        (json!({"code": "A", "name": "甲", "kind": "town", "parent": "NOPE"}), "parent"),
    ];
    for (body, field) in cases {
        let r = admin.post("/api/v1/units", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{body}");
        assert!(!r.json()["message"].as_str().unwrap().is_empty());
    }
    let r = admin.post("/api/v1/users", json!({"username": "xiaomou", "display_name": "某", "password": "Ab-123456", "roles": [{"role": "mayor", "unit": "350582"}]})).await;
    assert_eq!(r.json()["field"], "roles[0].role");
}

#[tokio::test]
async fn wrong_content_type_is_415_and_too_large_is_413() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin.send(Method::POST, "/api/v1/units", Some("text/plain"), b"{}".to_vec(), &[]).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
    let r = admin.send(Method::POST, "/api/v1/units", None, b"{}".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = format!("{{\"code\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let r = admin.send(Method::POST, "/api/v1/units", Some("application/json"), big.into_bytes(), &[]).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    assert_eq!(app.unit_count().await, 5, "nothing was stored");
}

#[tokio::test]
async fn path_ids_that_are_not_ids_are_404_never_500() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    for path in [
        "/api/v1/units/abc",
        "/api/v1/units/0",
        "/api/v1/units/-3",
        "/api/v1/units/99999999999999999999",
        "/api/v1/users/1.5",
        "/api/v1/units/12345678",
    ] {
        let r = admin.get(path).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "not_found"), "{path}");
    }
    let r = admin.get("/api/v1/no-such-thing").await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "not_found"));
    let r = admin.send(Method::PUT, "/api/v1/me", None, vec![], &[]).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
}

#[tokio::test]
async fn a_failed_request_changes_nothing() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let before = app.audit_count().await;
    let r = admin
        .post("/api/v1/units", json!({"code": "350582", "name": "重复", "kind": "other", "parent": "350500"}))
        .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "duplicate_code"));
    assert_eq!(app.audit_count().await, before);
    assert_eq!(app.unit_count().await, 5);
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::new().await;
    let r = app.client().get("/login").await;
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["x-frame-options"], "DENY");
    assert!(r.headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
}

#[tokio::test]
async fn dates_outside_2000_to_2100_are_422_naming_the_field() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let plan = |start: &str, end: &str| {
        json!({"name": "口袋公园", "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
               "planned_start": start, "planned_end": end})
    };
    for (body, field) in [
        (plan("-0001-01-01", "2025-12-31"), "planned_start"),
        (plan("2025-01-01", "9999-12-31"), "planned_end"),
        (plan("1999-12-31", "2025-12-31"), "planned_start"),
        (plan("2025-01-01", "2101-01-01"), "planned_end"),
    ] {
        let r = office.post("/api/v1/projects", body.clone()).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{body}");
    }
    // The window's ends are inside it.
    let r = office.post("/api/v1/projects", plan("2000-01-01", "2100-12-31")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // A deadline, on registering and on assigning.
    let item = |deadline: &str| json!({"title": "路灯不亮", "responsible_unit": "JJ-ZJJ", "deadline": deadline});
    let r = office.post("/api/v1/items", item("2101-01-01")).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("deadline")),
        "{}",
        r.text()
    );
    let draft = office.post("/api/v1/items", json!({"title": "路灯不亮", "responsible_unit": "JJ-ZJJ"})).await;
    let (id, version) = (draft.json()["id"].as_i64().unwrap(), draft.json()["version"].clone());
    let r = office
        .post(
            &format!("/api/v1/items/{id}/actions"),
            json!({"action": "assign", "version": version, "unit": "JJ-ZJJ", "deadline": "9999-12-31"}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("deadline")),
        "{}",
        r.text()
    );
    let r = office
        .post(&format!("/api/v1/items/{id}/actions"), json!({"action": "assign", "version": version, "unit": "JJ-ZJJ", "deadline_workdays": 5, "assigned_on": "1900-01-01"}))
        .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("assigned_on")),
        "{}",
        r.text()
    );
}
