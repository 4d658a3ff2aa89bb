//! Static assets, compiled into the binary: government intranets have no internet, so nothing comes
//! from a CDN and no web font is fetched (the system font stack is used).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
const OUTBOX: &str = include_str!("../static/outbox.js");
const UPLOAD: &str = include_str!("../static/upload.js");
const LOCATE: &str = include_str!("../static/locate.js");
const FAVICON: &str = include_str!("../static/favicon.svg");

/// Asset URLs carry the crate version, so a new release is never served a stale cached file.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400")], body)
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/static/app.js", get(|| async { asset("text/javascript; charset=utf-8", JS) }))
        .route("/static/outbox.js", get(|| async { asset("text/javascript; charset=utf-8", OUTBOX) }))
        .route("/static/upload.js", get(|| async { asset("text/javascript; charset=utf-8", UPLOAD) }))
        .route("/static/locate.js", get(|| async { asset("text/javascript; charset=utf-8", LOCATE) }))
        .route("/favicon.svg", get(|| async { asset("image/svg+xml", FAVICON) }))
        .route("/favicon.ico", get(|| async { asset("image/svg+xml", FAVICON) }))
}
