//! Each right is checked once, in the store: whoever lacks it is refused through every door — the
//! page, its form and the API — with a well-formed request, so the refusal cannot come from a
//! parser first.

use crate::app::{PASSWORD, TestApp};
use crate::pages::{hidden, sign_in_page};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_unit_liaison_is_refused_what_only_offices_and_administrators_do() {
    let app = TestApp::new().await;
    let admin_id = app.signed_in("admin").await.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    let town = app.unit("JJ-T01");
    let mut page = sign_in_page(&app, "unit").await;
    for path in [
        "/projects/new",
        "/projects/freezes",
        "/projects/import",
        "/projects/comments",
        "/items/new",
        "/users",
        "/users/new",
        &format!("/users/{admin_id}"),
        "/units/new",
        &format!("/units/{town}/edit"),
        "/units/import",
        "/audit",
        "/audit/verify",
        "/settings",
        "/pool",
        "/pool/new",
        "/pool/import",
        "/inspections",
        "/appeals/import",
    ] {
        let r = page.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(r.text().contains("无权"), "GET {path} shows the refusal page");
    }
    let csrf = hidden(&page.get("/account").await.text(), "csrf_token");
    let forms: [(&str, Vec<(&str, &str)>); 12] = [
        ("/units", vec![("code", "JJ-T09"), ("name", "新镇"), ("kind", "town"), ("parent", "350582")]),
        (
            "/users",
            vec![("username", "newbie"), ("display_name", "新人"), ("password", "Str0ng!Passw0rd"), ("unit", "")],
        ),
        ("/projects/freezes", vec![("unit", "350582"), ("year", "2025"), ("quarter", "1"), ("note", "")]),
        ("/calendar/years", vec![("text", "year 2027\nholiday 2027-01-01 元旦\n")]),
        // A file that does not read is refused as well, not read to the one who may not load it.
        ("/calendar/years", vec![("text", "not a year file")]),
        ("/settings", vec![]),
        (&format!("/users/{admin_id}/unlock"), vec![]),
        (&format!("/users/{admin_id}/password"), vec![("password", "Str0ng!Passw0rd")]),
        ("/pool", vec![("name", "林"), ("unit", "住建局"), ("region", "350581"), ("domains", "城建")]),
        ("/inspections", vec![("name", "专项"), ("starts_on", "2025-10-01"), ("ends_on", "2025-12-31")]),
        ("/appeals/transfer", vec![("appeal", "1"), ("title", "转办")]),
        ("/appeals/1/ratings", vec![("level", "satisfied"), ("comment", "")]),
    ];
    for (path, fields) in forms {
        let mut fields = fields;
        fields.push(("csrf_token", &csrf));
        let r = page.form(path, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {path}: {}", r.text());
    }

    let mut api = app.signed_in("unit").await;
    for path in [
        "/api/v1/users",
        "/api/v1/audit/events",
        "/api/v1/audit/verify",
        "/api/v1/settings",
        "/api/v1/pool/members",
        "/api/v1/campaigns",
        "/api/v1/open311-keys",
    ] {
        assert_eq!(api.get(path).await.status, StatusCode::FORBIDDEN, "GET {path}");
    }
    assert_eq!(api.get(&format!("/api/v1/users/{admin_id}/tokens")).await.status, StatusCode::FORBIDDEN);
    for (path, body) in [
        ("/api/v1/units", json!({"code": "JJ-T09", "name": "新镇", "kind": "town", "parent": "350582"})),
        ("/api/v1/users", json!({"username": "newbie", "display_name": "新人", "password": "Str0ng!Passw0rd"})),
        ("/api/v1/projects/freezes", json!({"unit": "350582", "year": 2025, "quarter": 1})),
        ("/api/v1/jobs/escalation", json!({})),
        (&format!("/api/v1/users/{admin_id}/unlock"), json!({})),
        (&format!("/api/v1/users/{admin_id}/password"), json!({"password": "Str0ng!Passw0rd"})),
        ("/api/v1/pool/members", json!({"name": "林", "unit": "住建局", "region": "350581", "domains": ["城建"]})),
        ("/api/v1/campaigns", json!({"name": "专项", "starts_on": "2025-10-01", "ends_on": "2025-12-31"})),
        ("/api/v1/appeals/transfer", json!({"appeals": [1]})),
        ("/api/v1/appeals/1/ratings", json!({"level": "satisfied"})),
        (
            "/api/v1/appeal-meetings",
            json!({"held_on": "2025-09-20", "place": "社区", "host": "王", "attendees": 3, "issues": [{"content": "积水"}]}),
        ),
        ("/api/v1/appeal-categories", json!({"code": "x", "name": "新", "group_name": "其他", "time_limit_days": 5})),
        ("/api/v1/open311-keys", json!({"name": "客户端"})),
    ] {
        let r = api.post(path, body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {path}: {}", r.text());
        assert_eq!(r.code(), "forbidden");
    }
    assert_eq!(api.patch("/api/v1/settings", json!({})).await.status, StatusCode::FORBIDDEN);
    let year = "year 2027\nholiday 2027-01-01 元旦\n".as_bytes().to_vec();
    let r = api.send(Method::PUT, "/api/v1/calendar/years/2027", Some("text/plain"), year, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api.send(Method::PUT, "/api/v1/calendar/years/2027", Some("text/plain"), b"nonsense".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let csv = "项目名称,责任单位\n测试项目,晋江市\n".as_bytes().to_vec();
    let r = api.send(Method::POST, "/api/v1/projects/import", Some("text/csv"), csv.clone(), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api.send(Method::POST, "/api/v1/units/import", Some("text/csv"), csv, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let pool = "姓名,工作单位,所在地区划代码,专业领域\n林,住建局,350581,城建\n".as_bytes().to_vec();
    let r = api.send(Method::POST, "/api/v1/pool/import", Some("text/csv"), pool, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let export = "工单编号,来电时间,诉求内容
G1,2025-09-20 10:00,路灯不亮
"
    .as_bytes()
    .to_vec();
    let r = api.send(Method::POST, "/api/v1/appeals/import", Some("text/csv"), export, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing was made along the way.
    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.get("/api/v1/users?q=newbie").await.json()["total"], 0);
    assert_eq!(admin.get("/api/v1/units?q=JJ-T09").await.json()["total"], 0);
    assert!(admin.get("/api/v1/projects/freezes").await.json().as_array().is_none_or(|a| a.is_empty()));
}

#[tokio::test]
async fn an_account_without_any_role_sees_no_projects_rather_than_an_empty_list() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post("/api/v1/users", json!({"username": "norole", "display_name": "无角色", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let mut page = sign_in_page(&app, "norole").await;
    for path in ["/projects", "/projects/stats", "/projects/chart", "/projects/map", "/projects/boards.pdf"] {
        assert_eq!(page.get(path).await.status, StatusCode::FORBIDDEN, "GET {path}");
    }
    let mut api = app.signed_in("norole").await;
    assert_eq!(api.get("/api/v1/projects").await.status, StatusCode::FORBIDDEN);
}
