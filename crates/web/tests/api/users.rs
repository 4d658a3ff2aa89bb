use crate::app::{PASSWORD, TestApp};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn create_user_with_several_roles_in_several_units() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post(
            "/api/v1/users",
            json!({
                "username": "Lin.Duban", "display_name": "林督办", "password": "Duban-2025", "phone": "0595-88888888",
                "roles": [
                    {"role": "office", "unit": "350582"},
                    {"role": "leader", "unit": "350581", "data_scope": "unit"},
                    {"role": "inspector", "unit": "350500", "data_scope": "custom", "custom_units": ["JJ-T01", "JJ-ZJJ"]}
                ]
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let user = r.json();
    assert_eq!(user["username"], "lin.duban", "stored lower-case");
    let roles: Vec<(String, String, String)> = user["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["role"].as_str().unwrap().into(),
                g["unit"]["code"].as_str().unwrap().into(),
                g["data_scope"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("office".to_string(), "350582".to_string(), "unit_and_below".to_string()),
            ("leader".into(), "350581".into(), "unit".into()),
            ("inspector".into(), "350500".into(), "custom".into()),
        ]
    );
    assert_eq!(user["roles"][2]["custom_units"].as_array().unwrap().len(), 2);
    let mut lin = app.client();
    let r = lin.post("/api/v1/session", json!({"username": "LIN.DUBAN", "password": "Duban-2025"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let me = lin.get("/api/v1/me").await.json();
    assert_eq!(me["roles"], json!(["office", "inspector", "leader"]));
    assert_eq!(me["units"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn usernames_are_unique_and_passwords_follow_the_policy() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post("/api/v1/users", json!({"username": "office", "display_name": "重名", "password": "Another-1"}))
        .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "duplicate_username"));
    for weak in ["short1A", "alllowercase1", "NoDigitsHere", "zhangsan-Pass1"] {
        let r = admin
            .post("/api/v1/users", json!({"username": "zhangsan", "display_name": "张三", "password": weak}))
            .await;
        assert_eq!(
            (r.status, r.json()["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("password")),
            "{weak}"
        );
    }
}

#[tokio::test]
async fn reset_password_ends_the_users_sessions() {
    let app = TestApp::new().await;
    let mut unit = app.signed_in("unit").await;
    let mut admin = app.signed_in("admin").await;
    let id = unit.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    let r = admin.post(&format!("/api/v1/users/{id}/password"), json!({"password": "Reset-Pass-9"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(unit.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut again = app.client();
    assert_eq!(
        again.post("/api/v1/session", json!({"username": "unit", "password": PASSWORD})).await.status,
        StatusCode::UNAUTHORIZED
    );
    again.post("/api/v1/session", json!({"username": "unit", "password": "Reset-Pass-9"})).await;
    assert_eq!(again.get("/api/v1/me").await.json()["must_change_password"], true);
}

#[tokio::test]
async fn deactivating_a_user_signs_them_out_and_roles_can_be_replaced() {
    let app = TestApp::new().await;
    let mut leader = app.signed_in("leader").await;
    let mut admin = app.signed_in("admin").await;
    let id = leader.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    let r = admin
        .patch(&format!("/api/v1/users/{id}"), json!({"roles": [{"role": "leader", "unit": "350500"}], "version": 1}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["roles"][0]["unit"]["code"], "350500");
    let r = admin.patch(&format!("/api/v1/users/{id}"), json!({"active": false})).await;
    assert_eq!(r.json()["active"], false);
    assert_eq!(leader.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut again = app.client();
    let r = again.post("/api/v1/session", json!({"username": "leader", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a deactivated account cannot sign in");
}

#[tokio::test]
async fn the_last_administrator_stays() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let id = admin.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    let r = admin.patch(&format!("/api/v1/users/{id}"), json!({"active": false})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "last_admin"));
}

#[tokio::test]
async fn an_e_mail_address_is_set_through_the_api_and_the_page_and_is_masked_in_the_audit_log() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post(
            "/api/v1/users",
            json!({"username": "xiaoli", "display_name": "小李", "password": "Ab-123456", "email": "li@jj.gov.cn",
                   "roles": [{"role": "office", "unit": "350582"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["email"], "li@jj.gov.cn");
    let id = r.json()["id"].as_i64().unwrap();
    for bad in ["li", "li@jj", "li@jj.gov.cn, x@y.cn"] {
        let r = admin.patch(&format!("/api/v1/users/{id}"), json!({"email": bad})).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("email")), "{bad}");
    }
    let r = admin.patch(&format!("/api/v1/users/{id}"), json!({"email": null})).await;
    assert_eq!((r.status, r.json()["email"].is_null()), (StatusCode::OK, true));
    // The user's page: shown, and saved with the rest of the form.
    let page = admin.get(&format!("/users/{id}")).await.text();
    let csrf = crate::pages::hidden(&page, "csrf_token");
    let version = admin.get(&format!("/api/v1/users/{id}")).await.json()["version"].to_string();
    let r = admin
        .form(
            &format!("/users/{id}"),
            &[
                ("csrf_token", &csrf),
                ("display_name", "小李"),
                ("email", "xiaoli@jj.gov.cn"),
                ("active", "on"),
                ("version", &version),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.text());
    assert_eq!(admin.get(&format!("/api/v1/users/{id}")).await.json()["email"], "xiaoli@jj.gov.cn");
    assert!(admin.get(&format!("/users/{id}")).await.text().contains("xiaoli@jj.gov.cn"));
    // The audit log records that it changed, not the address.
    let events = admin.get(&format!("/api/v1/audit/events?object_type=user&object_id={id}")).await.json();
    let text = events.to_string();
    assert!(text.contains("\"email\":\"***\"") && !text.contains("xiaoli@jj.gov.cn"), "{text}");
}
