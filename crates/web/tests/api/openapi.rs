//! The OpenAPI document describes the routes the server really has.

use crate::app::TestApp;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn every_documented_operation_exists() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let doc = client.get("/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 20, "{} paths", paths.len());
    let mut checked = 0;
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let concrete = path.replace("{id}", "1").replace("{date}", "2025-10-01").replace("{year}", "2025");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = client.send(m, &concrete, None, vec![], &[]).await;
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            if r.status == StatusCode::NOT_FOUND {
                assert_ne!(r.json()["message"], "接口不存在", "{method} {path} is documented but not routed");
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked}");
}

#[tokio::test]
async fn errors_and_lists_are_documented_with_their_shapes() {
    let app = TestApp::new().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let error = &schemas["ErrorBody"]["properties"];
    assert!(error.get("code").is_some() && error.get("message").is_some());
    assert!(schemas.keys().any(|k| k.starts_with("ListOf")), "{:?}", schemas.keys().collect::<Vec<_>>());
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
}

/// What a validator requires and a client relies on (CI also runs openapi-spec-validator and checks
/// real answers with scripts/check-openapi.py): every response described; who may call declared —
/// a token or the session cookie, nothing for signing in and the calendar; a setting's value typed
/// as whatever JSON it holds, not an object.
#[tokio::test]
async fn the_document_describes_every_response_and_who_may_call() {
    let app = TestApp::new().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let mut responses = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                responses += 1;
                let description = response["description"].as_str().unwrap_or("");
                assert!(!description.trim().is_empty(), "{method} {path} {status} has no description");
            }
        }
    }
    assert!(responses > 190, "{responses}");
    assert_eq!(doc["security"], serde_json::json!([{"bearer": []}, {"session": []}]));
    assert_eq!(
        doc["paths"]["/api/v1/session"]["post"]["security"],
        serde_json::json!([{}]),
        "signing in needs nothing"
    );
    assert_eq!(doc["paths"]["/api/v1/calendar/add-workdays"]["get"]["security"], serde_json::json!([{}]));
    assert!(doc["paths"]["/api/v1/items"]["get"].get("security").is_none(), "the default applies");
    let value = &doc["components"]["schemas"]["SettingOut"]["properties"]["value"];
    assert!(value.get("type").is_none(), "any JSON value: {value}");
}

/// The document names each schema once: two types with the same name (a project's `ReportOut` and a
/// round's) would silently become one schema, and answers of the other would break it. Every type
/// that derives `ToSchema` in the web crate has a name (its own, or its `#[schema(as = …)]`) no
/// other has.
#[test]
fn no_two_schemas_share_a_name() {
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut derives_schema = false;
            let mut renamed: Option<String> = None;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") && line.contains("ToSchema") {
                    derives_schema = true;
                } else if let Some(rest) = line.strip_prefix("#[schema(as = ") {
                    renamed = rest.split(')').next().map(str::to_string);
                } else if let Some(rest) = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum ")) {
                    if derives_schema {
                        let own: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        let name = renamed.take().unwrap_or(own);
                        names.entry(name).or_default().push(path.display().to_string());
                    }
                    derives_schema = false;
                    renamed = None;
                } else if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                    derives_schema = false;
                    renamed = None;
                }
            }
        }
    }
    let twice: Vec<_> = names.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(twice.is_empty(), "schemas named twice: {twice:?}");
    assert!(names.len() > 50, "{} schemas found", names.len());
}
