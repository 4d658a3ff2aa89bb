use crate::app::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn sign_in_sets_a_hardened_session_cookie_and_me_shows_roles_units_scopes() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let r = client.post("/api/v1/session", json!({"username": "office", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.set_cookies().into_iter().find(|c| c.starts_with("bangdu_session=")).expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not over TLS here: {cookie}");
    let me = client.get("/api/v1/me").await.json();
    assert_eq!(me["username"], "office");
    assert_eq!(me["roles"], json!(["office"]));
    assert_eq!(me["units"][0]["code"], "350582");
    assert_eq!(me["grants"][0]["data_scope"], "unit_and_below");
    assert_eq!(me["scope"]["all"], false);
    assert_eq!(me["scope"]["subtrees"].as_array().unwrap().len(), 1);
    assert_eq!(me["via"], "session");
}

#[tokio::test]
async fn secure_cookie_when_the_public_address_is_https() {
    let app = TestApp::new().await;
    let router = bangdu_web::app(bangdu_web::AppState::new(
        app.db.db.clone(),
        bangdu_web::WebConfig {
            secure_cookies: true,
            public_url: Some("https://bangdu.example".into()),
            ..Default::default()
        },
    ));
    let response = tower::ServiceExt::oneshot(
        router,
        axum::http::Request::post("/api/v1/session")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(json!({"username": "admin", "password": PASSWORD}).to_string()))
            .unwrap(),
    )
    .await
    .unwrap();
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
}

/// A sign-in from `address` (the app believes X-Forwarded-For here, as behind its own proxy).
async fn sign_in_from(
    client: &mut crate::app::Client,
    address: &str,
    username: &str,
    password: &str,
) -> crate::app::Response {
    let body = json!({"username": username, "password": password}).to_string().into_bytes();
    client.send(Method::POST, "/api/v1/session", Some("application/json"), body, &[("x-forwarded-for", address)]).await
}

#[tokio::test]
async fn guessing_slows_the_guesser_and_not_the_owner() {
    let app = TestApp::configured(|c| c.trust_proxy = true).await;
    let mut client = app.client();
    // Five wrong passwords from one address: that address waits before trying the account again…
    for _ in 0..5 {
        let r = sign_in_from(&mut client, "203.0.113.7", "leader", "Wrong-pass1").await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
    }
    let r = sign_in_from(&mut client, "203.0.113.7", "leader", PASSWORD).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::TOO_MANY_REQUESTS, "sign_in_delayed"));
    assert_eq!(r.headers["retry-after"], "30");
    // …while the owner, elsewhere, signs in: a stranger cannot lock them out.
    let r = sign_in_from(&mut client, "10.0.0.5", "leader", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // One password sprayed over many accounts from one address stops at the tenth failure.
    let mut sprayer = app.client();
    for i in 0..10 {
        let r = sign_in_from(&mut sprayer, "198.51.100.9", &format!("user{i}"), "Spring2025!").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = sign_in_from(&mut sprayer, "198.51.100.9", "admin", "Spring2025!").await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"));
    assert_eq!(r.headers["retry-after"], "900");

    // Twenty failures in a row from many addresses make the account itself wait a minute, even for
    // the right password; an administrator can lift the wait at once.
    for i in 0..20 {
        let r = sign_in_from(&mut client, &format!("192.0.2.{i}"), "leader", "Wrong-pass1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = sign_in_from(&mut client, "10.0.0.5", "leader", PASSWORD).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::LOCKED, "account_locked"));
    let mut admin = app.signed_in("admin").await;
    let leader_id = admin.get("/api/v1/users?q=leader").await.json()["data"][0]["id"].as_i64().unwrap();
    let until = admin.get(&format!("/api/v1/users/{leader_id}")).await.json()["locked_until"].clone();
    let until: chrono::DateTime<chrono::Utc> = until.as_str().unwrap().parse().unwrap();
    let wait = until - chrono::Utc::now();
    assert!(wait > chrono::Duration::seconds(50) && wait <= chrono::Duration::minutes(1), "a minute: {wait}");
    assert_eq!(admin.post(&format!("/api/v1/users/{leader_id}/unlock"), json!({})).await.status, StatusCode::OK);
    assert_eq!(sign_in_from(&mut client, "10.0.0.5", "leader", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_and_sign_out_invalidates_it() {
    let app = TestApp::new().await;
    let mut first = app.signed_in("admin").await;
    let mut second = app.signed_in("admin").await;
    assert_ne!(first.cookies, second.cookies, "a fresh session id at every sign-in");
    let sessions = first.get("/api/v1/me/sessions").await.json();
    assert_eq!(sessions.as_array().unwrap().len(), 2);
    assert_eq!(sessions.as_array().unwrap().iter().filter(|s| s["current"] == true).count(), 1);

    let stolen = second.cookies.clone();
    assert_eq!(second.delete("/api/v1/session").await.status, StatusCode::NO_CONTENT);
    second.cookies = stolen;
    assert_eq!(second.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "the old cookie no longer works");
    assert_eq!(first.get("/api/v1/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_user_can_end_another_of_their_sessions() {
    let app = TestApp::new().await;
    let mut laptop = app.signed_in("office").await;
    let mut phone = app.signed_in("office").await;
    let sessions = laptop.get("/api/v1/me/sessions").await.json();
    let other = sessions.as_array().unwrap().iter().find(|s| s["current"] == false).unwrap()["id"].as_i64().unwrap();
    assert_eq!(laptop.delete(&format!("/api/v1/me/sessions/{other}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(phone.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // Somebody else's session is not found.
    let mut admin = app.signed_in("admin").await;
    let admin_session = admin.get("/api/v1/me/sessions").await.json()[0]["id"].as_i64().unwrap();
    assert_eq!(laptop.delete(&format!("/api/v1/me/sessions/{admin_session}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn password_change_checks_policy_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let mut here = app.signed_in("unit").await;
    let mut elsewhere = app.signed_in("unit").await;
    let weak =
        here.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "password"})).await;
    assert_eq!((weak.status, weak.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")));
    let wrong = here
        .post("/api/v1/me/password", json!({"current_password": "Nope-1234", "new_password": "New-Pass-2025"}))
        .await;
    assert_eq!(wrong.code(), "wrong_password");
    let ok =
        here.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "New-Pass-2025"})).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(here.get("/api/v1/me").await.status, StatusCode::OK);
    assert_eq!(elsewhere.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut fresh = app.client();
    let r = fresh.post("/api/v1/session", json!({"username": "unit", "password": "New-Pass-2025"})).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn cross_origin_changes_with_the_cookie_are_refused() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let body = json!({"code": "X-1", "name": "跨站", "kind": "other", "parent": "350500"}).to_string().into_bytes();
    let r = admin
        .send(
            axum::http::Method::POST,
            "/api/v1/units",
            Some("application/json"),
            body.clone(),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::FORBIDDEN, "csrf_failed"));
    let csrf = admin.get("/api/v1/me").await.json()["csrf_token"].as_str().unwrap().to_string();
    let r = admin
        .send(
            axum::http::Method::POST,
            "/api/v1/units",
            Some("application/json"),
            body,
            &[("origin", "https://evil.example"), ("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "the session's CSRF token vouches for the request");
}
