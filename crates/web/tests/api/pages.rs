//! The web pages: sign-in with CSRF, each role's home, forms with CSRF, redirects.

use crate::app::{PASSWORD, TestApp};
use axum::http::StatusCode;

pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in page")) + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

pub async fn sign_in_page(app: &TestApp, username: &str) -> crate::app::Client {
    let mut client = app.client();
    let page = client.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden(&page.text(), "csrf_token");
    let r = client
        .form("/login", &[("username", username), ("password", PASSWORD), ("csrf_token", &csrf), ("next", "/")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/");
    client
}

#[tokio::test]
async fn pages_need_sign_in_and_come_back_after() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let r = client.get("/units?kind=town").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=%2Funits%3Fkind%3Dtown");
    let page = client.get("/login?next=%2Funits").await.text();
    assert!(page.contains("用户登录"));
    let csrf = hidden(&page, "csrf_token");
    let r = client
        .form("/login", &[("username", "admin"), ("password", PASSWORD), ("csrf_token", &csrf), ("next", "/units")])
        .await;
    assert_eq!(r.location(), "/units");
    // An off-site "next" is never followed.
    let mut other = app.client();
    let csrf = hidden(&other.get("/login").await.text(), "csrf_token");
    let r = other
        .form(
            "/login",
            &[("username", "admin"), ("password", PASSWORD), ("csrf_token", &csrf), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn sign_in_form_without_its_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let mut client = app.client();
    client.get("/login").await;
    let r = client.form("/login", &[("username", "admin"), ("password", PASSWORD), ("csrf_token", "forged")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("登录页面已过期"));
    assert!(client.get("/api/v1/me").await.status == StatusCode::UNAUTHORIZED);
    let csrf = hidden(&client.get("/login").await.text(), "csrf_token");
    let r = client.form("/login", &[("username", "admin"), ("password", "wrong"), ("csrf_token", &csrf)]).await;
    assert!(r.text().contains("用户名或密码错误"));
}

#[tokio::test]
async fn each_role_gets_its_home_page() {
    let app = TestApp::new().await;
    let mut admin = sign_in_page(&app, "admin").await;
    let home = admin.get("/").await.text();
    assert!(
        home.contains("常用操作")
            && home.contains("组织机构")
            && home.contains("用户管理")
            && home.contains("审计日志")
    );
    assert!(home.contains("泉州市") && home.contains("系统管理员"), "the top bar shows unit and role");
    let mut unit = sign_in_page(&app, "unit").await;
    let home = unit.get("/").await.text();
    assert!(home.contains("暂无待办事项"));
    assert!(home.contains("住建局"));
    assert!(!home.contains("href=\"/users\""), "no user administration in the unit's menu");
    assert_eq!(unit.get("/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(unit.get("/audit").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forms_need_the_session_csrf_token() {
    let app = TestApp::new().await;
    let mut admin = sign_in_page(&app, "admin").await;
    let form = admin.get("/units/new").await.text();
    let csrf = hidden(&form, "csrf_token");
    let fields = [
        ("code", "JJ-T05"),
        ("name", "内坑镇"),
        ("kind", "town"),
        ("parent", "350582"),
        ("region", ""),
        ("sort_order", ""),
    ];
    let r = admin.form("/units", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token");
    let mut with_token = fields.to_vec();
    with_token.push(("csrf_token", &csrf));
    let r = admin.form("/units", &with_token).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = admin.get(&r.location()).await.text();
    assert!(page.contains("内坑镇") && page.contains("已创建"));
    // A bad field shows the form again with the message, keeping what was typed.
    let mut bad = fields.to_vec();
    bad[0] = ("code", "JJ-T06");
    bad[4] = ("region", "123");
    bad.push(("csrf_token", &csrf));
    let r = admin.form("/units", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("行政区划代码“123”无效") && html.contains("value=\"JJ-T06\""));
}

#[tokio::test]
async fn every_page_of_the_shell_renders() {
    let app = TestApp::new().await;
    let mut admin = sign_in_page(&app, "admin").await;
    let town = app.unit("JJ-T01");
    for path in [
        "/",
        "/units",
        "/units?q=镇",
        &format!("/units/{town}"),
        &format!("/units/{town}/edit"),
        "/units/new",
        "/units/import",
        "/users",
        "/users/new",
        "/account",
        "/calendar",
        "/calendar?year=2024&from=2025-09-30&days=5",
        "/audit",
        "/audit/verify",
        "/settings",
    ] {
        let r = admin.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert!(r.text().contains("帮督一体工作平台"), "{path}");
    }
    let calc = admin.get("/calendar?from=2025-09-30&days=5").await.text();
    assert!(calc.contains("2025-10-14"));
    assert_eq!(admin.get("/units/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_out_from_the_page() {
    let app = TestApp::new().await;
    let mut admin = sign_in_page(&app, "admin").await;
    let csrf = hidden(&admin.get("/").await.text(), "csrf_token");
    let r = admin.form("/logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(r.location(), "/login?done=signed_out");
    assert_eq!(admin.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn no_page_fails_for_any_role() {
    let app = TestApp::new().await;
    let town = app.unit("JJ-T01");
    let admin_id = app.signed_in("admin").await.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    for who in ["office", "leader", "unit", "inspector"] {
        let mut client = sign_in_page(&app, who).await;
        for path in [
            "/".to_string(),
            "/units".into(),
            format!("/units/{town}"),
            format!("/units/{town}/edit"),
            "/units/new".into(),
            "/units/import".into(),
            "/units/export.csv".into(),
            "/users".into(),
            format!("/users/{admin_id}"),
            "/account".into(),
            "/calendar".into(),
            "/audit".into(),
            "/settings".into(),
        ] {
            let r = client.get(&path).await;
            assert!(
                [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&r.status),
                "{who} {path}: {}",
                r.status
            );
        }
        // What they may not manage stays closed.
        assert_eq!(client.get("/units/new").await.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(client.get("/settings").await.status, StatusCode::FORBIDDEN, "{who}");
    }
}

/// Nothing signed in is cached (the static files are); HSTS only behind an https public address;
/// a record has one address — `/items/+1` and `/items/0001` name nothing.
#[tokio::test]
async fn caching_hsts_and_one_address_per_record() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let me = office.get("/api/v1/me").await;
    assert_eq!(me.headers["cache-control"], "no-store");
    assert_eq!(office.get("/").await.headers["cache-control"], "no-store");
    assert_eq!(office.get("/static/app.css").await.headers["cache-control"], "public, max-age=86400");
    assert!(me.headers.get("strict-transport-security").is_none(), "no HSTS without an https public address");
    let config = bangdu_web::WebConfig {
        public_url: Some("https://bangdu.example.gov.cn".into()),
        secure_cookies: true,
        ..bangdu_web::WebConfig::default()
    };
    let https = app.with_config(config).get("/healthz").await;
    assert_eq!(https.headers["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let item = crate::items::new_item(&mut office, "路灯不亮").await;
    let id = item["id"].as_i64().unwrap();
    assert_eq!(office.get(&format!("/api/v1/items/{id}")).await.status, StatusCode::OK);
    for odd in [format!("+{id}"), format!("000{id}")] {
        assert_eq!(office.get(&format!("/api/v1/items/{odd}")).await.status, StatusCode::NOT_FOUND, "{odd}");
    }
}
