//! Every route of the application, in one place.

use crate::state::AppState;
use crate::{api, assets, auth, pages};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Content Security Policy: everything from this server, nothing inline but styles in SVG.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

pub fn app(state: AppState) -> Router {
    let (api_router, openapi) = api::router(&state.config).split_for_parts();
    let openapi_json: Arc<String> = Arc::new(openapi.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    let authenticated = Router::new()
        .merge(api_router)
        .route("/api/v1/openapi.json", get(move || openapi_document(openapi_json.clone())))
        .merge(pages::router(&state.config))
        .layer(from_fn_with_state(state.clone(), auth::authenticate));
    Router::new()
        .route("/healthz", get(api::health::healthz))
        .merge(assets::router())
        .merge(authenticated)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(
            // Method and path only: query strings can carry names and phone numbers.
            TraceLayer::new_for_http().make_span_with(
                |req: &Request| tracing::info_span!("request", method = %req.method(), path = %req.uri().path()),
            ),
        )
        .with_state(state)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn openapi_document(json: Arc<String>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], json.as_str().to_owned()).into_response()
}

fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

async fn not_found(State(_state): State<AppState>, req: Request) -> Response {
    if is_api(&req) {
        crate::error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在").into_response()
    } else {
        pages::errors::not_found_page()
    }
}

async fn method_not_allowed(req: Request) -> Response {
    let e = crate::error::ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "不支持该请求方法");
    if is_api(&req) { e.into_response() } else { pages::errors::error_page(&e) }
}
