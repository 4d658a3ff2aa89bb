//! `TestApp`: a fresh database with a small organisation, and a client that keeps its cookie.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use bangdu_domain::UnitId;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::unit::UnitKind;
use bangdu_store::grants::GrantInput;
use bangdu_store::testing::TestDb;
use bangdu_store::units::{self, NewUnit};
use bangdu_store::users::{self, NewUser};
use bangdu_store::{Actor, passwords};
use bangdu_web::{AppState, WebConfig};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::OnceLock;
use tower::ServiceExt;

pub const PASSWORD: &str = "Bangdu@2025";

/// The tests' "today": Wednesday 24 September 2025, a week before the National Day holiday, so that
/// deadlines counted from it cross the holiday and its make-up days, and never leave the loaded years.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 9, 24).unwrap()
}

/// One real Argon2 hash of `PASSWORD`, shared by all test users (hashing is slow on purpose).
fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| passwords::hash(PASSWORD).unwrap()).clone()
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
    }

    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    }
}

/// A client of the app, with at most one session cookie or bearer token.
#[derive(Clone)]
pub struct Client {
    router: Router,
    pub cookies: Vec<(String, String)>,
    pub bearer: Option<String>,
}

impl Client {
    fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty())
            .then(|| self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut req = Request::builder().method(method).uri(path);
        if !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req = req.header(header::HOST, "localhost");
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        if let Some(cookie) = self.cookie_header() {
            req = req.header(header::COOKIE, cookie);
        }
        if let Some(token) = &self.bearer {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let response = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        let response = Response { status, headers, body };
        for cookie in response.set_cookies() {
            let pair = cookie.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() && !cookie.contains("Max-Age=0") {
                self.cookies.push((name.to_string(), value.to_string()));
            }
        }
        response
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Method::GET, path, None, vec![], &[]).await
    }

    pub async fn delete(&mut self, path: &str) -> Response {
        self.send(Method::DELETE, path, None, vec![], &[]).await
    }

    pub async fn post(&mut self, path: &str, body: Value) -> Response {
        self.send(Method::POST, path, Some("application/json"), body.to_string().into_bytes(), &[]).await
    }

    pub async fn patch(&mut self, path: &str, body: Value) -> Response {
        self.send(Method::PATCH, path, Some("application/json"), body.to_string().into_bytes(), &[]).await
    }

    pub async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        self.send(Method::POST, path, Some("application/x-www-form-urlencoded"), body.into_bytes(), &[]).await
    }

    /// A `multipart/form-data` upload of one file in the field `file`.
    pub async fn upload(&mut self, path: &str, filename: &str, bytes: &[u8]) -> Response {
        let boundary = "bangdu-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.send(Method::POST, path, Some(&content_type), body, &[]).await
    }

    /// A `multipart/form-data` form: text fields, and optionally one file in the field `file`.
    pub async fn multipart(&mut self, path: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Response {
        let boundary = "bangdu-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((filename, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.send(Method::POST, path, Some(&content_type), body, &[]).await
    }

    pub async fn sign_in(&mut self, username: &str) -> Response {
        let r = self.post("/api/v1/session", serde_json::json!({"username": username, "password": PASSWORD})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r
    }
}

pub struct TestApp {
    pub db: TestDb,
    pub files: tempfile::TempDir,
    router: Router,
    /// Unit ids by code: 350500 泉州市 → 350582 晋江市 → JJ-T01 安海镇, JJ-ZJJ 住建局; 350581 石狮市.
    pub units: std::collections::HashMap<&'static str, i64>,
}

impl TestApp {
    /// A database with a small tree and one account per role:
    /// admin (泉州市, all), office and leader (晋江市 and below), unit (晋江市住建局), inspector (石狮市, self).
    pub async fn new() -> TestApp {
        TestApp::configured(|_| {}).await
    }

    /// As `new`, with the web configuration changed first (e.g. no fonts for the boards).
    pub async fn configured(change: impl FnOnce(&mut WebConfig)) -> TestApp {
        let db = TestDb::new().await.unwrap();
        let system = Actor::system("cli");
        let mut tx = db.db.begin().await.unwrap();
        let mut c = tx.conn();
        let mut ids = std::collections::HashMap::new();
        for (code, name, kind, parent) in [
            ("350500", "泉州市", UnitKind::Government, None),
            ("350582", "晋江市", UnitKind::Government, Some("350500")),
            ("350581", "石狮市", UnitKind::Government, Some("350500")),
            ("JJ-T01", "安海镇", UnitKind::Town, Some("350582")),
            ("JJ-ZJJ", "住建局", UnitKind::Department, Some("350582")),
        ] {
            let unit = units::create(
                &mut c,
                &system,
                NewUnit {
                    code: code.into(),
                    name: name.into(),
                    kind,
                    parent: parent.map(|p| UnitId(ids[p])),
                    region: None,
                    sort_order: 0,
                },
            )
            .await
            .unwrap();
            ids.insert(code, unit.id);
        }
        for (name, role, unit, scope) in [
            ("admin", Role::Admin, "350500", None),
            ("office", Role::Office, "350582", None),
            ("leader", Role::Leader, "350582", None),
            ("unit", Role::Unit, "JJ-ZJJ", None),
            ("inspector", Role::Inspector, "350581", Some(DataScope::SelfOnly)),
        ] {
            users::create(
                &mut c,
                &system,
                NewUser {
                    username: name.into(),
                    display_name: format!("{name}用户"),
                    phone: None,
                    email: None,
                    password_hash: password_hash(),
                    must_change_password: false,
                    grants: vec![GrantInput { role, unit: UnitId(ids[unit]), data_scope: scope, custom_units: vec![] }],
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let files = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(bangdu_store::files::LocalFiles::new(files.path()));
        let mut config = WebConfig { today: Some(today()), ..WebConfig::default() };
        change(&mut config);
        let router = bangdu_web::app(AppState::with_files(db.db.clone(), config, store));
        TestApp { db, files, router, units: ids }
    }

    pub fn client(&self) -> Client {
        Client { router: self.router.clone(), cookies: vec![], bearer: None }
    }

    /// The same signed-in client on a server whose today is `today` (the same data and sessions):
    /// for what happens over the days, since nothing may be done for a day still to come.
    pub fn on_day(&self, today: chrono::NaiveDate, client: &Client) -> Client {
        let config = WebConfig { today: Some(today), ..WebConfig::default() };
        let store = std::sync::Arc::new(bangdu_store::files::LocalFiles::new(self.files.path()));
        let router = bangdu_web::app(AppState::with_files(self.db.db.clone(), config, store));
        Client { router, cookies: client.cookies.clone(), bearer: client.bearer.clone() }
    }

    /// A fresh client of a server with this configuration, on the same data.
    pub fn with_config(&self, config: WebConfig) -> Client {
        let store = std::sync::Arc::new(bangdu_store::files::LocalFiles::new(self.files.path()));
        Client {
            router: bangdu_web::app(AppState::with_files(self.db.db.clone(), config, store)),
            cookies: vec![],
            bearer: None,
        }
    }

    /// A client signed in with the session cookie.
    pub async fn signed_in(&self, username: &str) -> Client {
        let mut client = self.client();
        client.sign_in(username).await;
        client
    }

    pub fn unit(&self, code: &str) -> i64 {
        self.units[code]
    }

    pub async fn audit_count(&self) -> i64 {
        let mut r = self.db.db.reader().await.unwrap();
        bangdu_store::audit::list(
            &mut r.conn(),
            &bangdu_store::Actor::system("test"),
            &Default::default(),
            bangdu_store::paging::PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap()
        .total
    }

    pub async fn unit_count(&self) -> usize {
        let mut r = self.db.db.reader().await.unwrap();
        units::all(&mut r.conn(), &bangdu_store::Actor::system("cli"), &Default::default()).await.unwrap().len()
    }
}

/// The day an Excel date cell holds (Excel counts days from 1899-12-30), as YYYY-MM-DD.
pub fn excel_day(cell: &calamine::Data) -> Option<String> {
    let calamine::Data::DateTime(d) = cell else { return None };
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(d.as_f64() as u64)).map(|d| d.to_string())
}
