//! `GET /open311/v2/discovery.{format}`: where the endpoint is and what it speaks.

use super::format::{Field, Format, Record, single, text};
use crate::state::AppState;
use axum::response::Response;

/// The spec's discovery document for this server.
pub async fn discovery(state: &AppState, f: Format) -> Response {
    let base = match state.db.reader().await {
        Ok(mut reader) => crate::pages::public::board::public_base(&mut reader.conn(), state).await.ok(),
        Err(_) => None,
    }
    .unwrap_or_else(|| state.config.fallback_public_url());
    let endpoint: Record = vec![
        ("specification", text("http://wiki.open311.org/GeoReport_v2")),
        ("url", text(format!("{base}/open311/v2"))),
        ("changeset", text("2026-12-07T00:00:00+08:00")),
        ("type", text("production")),
        ("formats", Field::Strings("formats", "format", vec!["text/xml".into(), "application/json".into()])),
    ];
    let doc: Record = vec![
        ("changeset", text("2026-12-07T00:00:00+08:00")),
        ("contact", text("12345 政务服务便民热线")),
        ("key_service", text("API 密钥由本系统管理员在“诉求分类与 Open311”页面发放")),
        ("endpoints", Field::List("endpoints", "endpoint", vec![endpoint])),
    ];
    single(f, "discovery", doc)
}
