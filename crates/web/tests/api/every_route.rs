//! Every route, every field, the inputs that broke things: NUL and other controls, noncharacters,
//! 100,000-character strings, wrong types, huge and malformed ids. Whatever is sent, the answer is
//! never a server error (5xx), on SQLite and on PostgreSQL. API routes come from the OpenAPI
//! document and page routes from the router's source, so a new route is covered the day it is added.

use crate::app::{Client, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

/// Text values that have broken or could break something below the input layer.
fn bad_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "\u{0}",
        "a\u{0}b",
        "\u{ffff}",
        "\u{fffe}",
        "\u{fdd0}",
        "\u{1b}[31m",
        "\u{7f}",
        "\u{202e}rtl",
        "'; DROP TABLE units; --",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "99999999999999999999",
        "-1",
        "0",
        "1.5e308",
        "9999-12-31",
        "-0001-01-01",
        "2025-02-30",
        "=HYPERLINK(\"http://evil.example\")",
        "http://[::1",
        "晉江市 鄉鎮",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push("长".repeat(100_000));
    texts
}

/// JSON values of every type, for fields that expect another.
fn bad_values() -> Vec<Value> {
    let mut values: Vec<Value> = bad_texts().into_iter().map(Value::String).collect();
    values.extend([
        json!(1e308),
        json!(-9_223_372_036_854_775_808i64),
        json!(18_446_744_073_709_551_615u64),
        json!(-1),
        json!(true),
        json!(null),
        json!([]),
        json!(["\u{0}"]),
        json!({}),
        json!({"a": "\u{ffff}"}),
    ]);
    values
}

/// Path ids: huge, signed, zero-padded, not numbers, escaped NUL and U+FFFF.
const BAD_IDS: [&str; 9] = ["1", "0", "-1", "+1", "0001", "99999999999999999999", "abc", "%00", "%EF%BF%BF"];

/// Percent-encoded for a query string. A URI holds at most 64 KB, so the 100,000-character value
/// goes in as its first 500 characters (the bodies carry it whole).
fn percent(text: &str) -> String {
    let text: String = text.chars().take(500).collect();
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn with_id(path: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        out.push_str(id);
        rest = &rest[rest[start..].find('}').map_or(rest.len(), |e| start + e + 1)..];
    }
    out.push_str(rest);
    out
}

/// The properties of a request body's schema, following `$ref`s into the components.
fn body_fields(doc: &Value, schema: &Value) -> Vec<String> {
    let resolved = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or("")],
        None => schema,
    };
    resolved["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

#[derive(Default)]
struct Tally {
    requests: usize,
    failures: Vec<String>,
}

impl Tally {
    async fn send(
        &mut self,
        client: &mut Client,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) {
        let shown = format!("{method} {}", path.chars().take(160).collect::<String>());
        let r = client.send(method, path, content_type, body, &[]).await;
        self.requests += 1;
        if r.status.is_server_error() {
            self.failures.push(format!("{shown} → {} {}", r.status, r.text().chars().take(200).collect::<String>()));
        }
    }
}

#[tokio::test]
async fn no_api_route_answers_a_server_error_whatever_it_is_sent() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    // A bearer token, so a route that ends sessions (sign-out) does not end this run.
    for name in ["a", "b", "c"] {
        let r = admin.post("/api/v1/tokens", json!({"name": name})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        admin.bearer = r.json()["token"].as_str().map(String::from);
    }
    admin.cookies.clear();
    let doc = admin.get("/api/v1/openapi.json").await.json();
    let mut tally = Tally::default();
    let mut anonymous = app.client();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let params: Vec<(String, String)> = operation["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            (p["name"].as_str().unwrap_or("").to_string(), p["in"].as_str().unwrap_or("").to_string())
                        })
                        .collect()
                })
                .unwrap_or_default();
            let queries: Vec<&String> = params.iter().filter(|(_, at)| at == "query").map(|(n, _)| n).collect();
            let fields = operation["requestBody"]["content"]["application/json"]["schema"]
                .as_object()
                .map(|s| body_fields(&doc, &Value::Object(s.clone())))
                .unwrap_or_default();
            for id in BAD_IDS {
                let target = with_id(path, id);
                tally.send(&mut anonymous, method.clone(), &target, None, vec![]).await;
                tally.send(&mut admin, method.clone(), &target, Some("application/json"), b"{}".to_vec()).await;
            }
            let target = with_id(path, "1");
            for text in bad_texts() {
                for name in queries.iter().map(|q| q.as_str()).chain(["q", "page", "per_page", "a\u{0}"]) {
                    let url = format!("{target}?{}={}", percent(name), percent(&text));
                    tally.send(&mut admin, method.clone(), &url, None, vec![]).await;
                }
            }
            if matches!(method, Method::GET | Method::HEAD | Method::DELETE) && fields.is_empty() {
                continue;
            }
            for body in [&b"null"[..], b"[]", b"\"x\"", b"1e999", b"{\"a\":", b"\xff\xfe", b"{\"\\u0000\":1}"] {
                tally.send(&mut admin, method.clone(), &target, Some("application/json"), body.to_vec()).await;
            }
            for value in bad_values() {
                for field in &fields {
                    let body = json!({ field.as_str(): value.clone() }).to_string().into_bytes();
                    tally.send(&mut admin, method.clone(), &target, Some("application/json"), body).await;
                }
                // Every field at once with the same bad value: the checks of later fields run too.
                let all: serde_json::Map<String, Value> = fields.iter().map(|f| (f.clone(), value.clone())).collect();
                let body = Value::Object(all).to_string().into_bytes();
                tally.send(&mut admin, method.clone(), &target, Some("application/json"), body).await;
            }
        }
    }
    eprintln!("API routes: {} requests, {} server errors", tally.requests, tally.failures.len());
    assert!(tally.requests > 5_000, "the document lists the routes: {}", tally.requests);
    assert!(tally.failures.is_empty(), "{} server errors:\n{}", tally.failures.len(), tally.failures.join("\n"));
}

/// `(method, path)` of every page route, read from the router's source.
fn page_routes() -> Vec<(Method, String)> {
    let source = include_str!("../../src/router.rs");
    let pages = &source[source.find("fn page_routes").unwrap()..];
    let mut routes = Vec::new();
    for line in pages.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
        let path = line[8..].split('"').next().unwrap().to_string();
        for (verb, method) in [("get(", Method::GET), ("post(", Method::POST)] {
            if line.contains(verb) {
                routes.push((method, path.clone()));
            }
        }
    }
    routes
}

/// Field names the page forms use, each filled with the same bad value.
const FORM_FIELDS: [&str; 30] = [
    "code",
    "name",
    "parent",
    "kind",
    "region",
    "sort_order",
    "username",
    "display_name",
    "phone",
    "email",
    "password",
    "role",
    "unit",
    "data_scope",
    "title",
    "description",
    "responsible_unit",
    "deadline",
    "deadline_workdays",
    "action",
    "reason",
    "note",
    "year",
    "quarter",
    "planned_start",
    "planned_end",
    "url",
    "stars",
    "comment",
    "version",
];

#[tokio::test]
async fn no_page_answers_a_server_error_whatever_it_is_sent() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("admin").await;
    let csrf = crate::pages::hidden(&office.get("/account").await.text(), "csrf_token");
    let routes = page_routes();
    assert!(routes.len() > 60, "the router's page routes were read: {}", routes.len());
    let mut tally = Tally::default();
    for (method, path) in &routes {
        if path == "/logout" || path.contains("/password") || path.ends_with("/deactivate") || path.ends_with("/revoke")
        {
            continue; // would end this session or lock this account out of the rest of the run
        }
        for id in BAD_IDS {
            tally.send(&mut office, method.clone(), &with_id(path, id), None, vec![]).await;
        }
        let target = with_id(path, "1");
        for text in bad_texts() {
            let query: String = ["q", "page", "year", "unit", "kind", "status", "from", "days", "sort"]
                .iter()
                .map(|k| format!("{k}={}", percent(&text)))
                .collect::<Vec<_>>()
                .join("&");
            tally.send(&mut office, Method::GET, &format!("{target}?{query}"), None, vec![]).await;
            if *method == Method::POST {
                let mut form = form_urlencoded::Serializer::new(String::new());
                form.append_pair("csrf_token", &csrf);
                for field in FORM_FIELDS {
                    form.append_pair(field, &text);
                }
                let body = form.finish().into_bytes();
                tally.send(&mut office, Method::POST, &target, Some("application/x-www-form-urlencoded"), body).await;
            }
        }
    }
    eprintln!("page routes: {} requests, {} server errors", tally.requests, tally.failures.len());
    assert!(tally.failures.is_empty(), "{} server errors:\n{}", tally.failures.len(), tally.failures.join("\n"));
}
