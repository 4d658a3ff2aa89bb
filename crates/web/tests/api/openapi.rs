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
