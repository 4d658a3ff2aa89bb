//! `GET /api/v1/items/summary`: counts for dashboards.

use crate::auth::ApiUser;
use crate::error::WebResult;
use crate::output::items::{Context, SummaryOut, summary};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Counts of the items in the caller's scope, for dashboards.
#[utoipa::path(get, path = "/api/v1/items/summary", tag = "items", responses((status = 200, body = SummaryOut)))]
pub async fn item_summary(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<SummaryOut>> {
    let ctx = Context::load(&state).await?;
    Ok(Json(summary(&state, &authed, &ctx).await?))
}
