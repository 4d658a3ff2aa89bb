//! `GET /api/v1/items/{id}` and its full record (`/events`).

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Id;
use crate::output::items::{Context, ItemEventOut, ItemOut, full_item, item_record};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::ItemId;
use bangdu_store::items::query;

/// An item in the caller's scope (404 otherwise), with what the caller may do with it now.
#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemOut), (status = 404, body = ErrorBody)))]
pub async fn get_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<ItemOut>> {
    let ctx = Context::load(&state).await?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(full_item(&mut reader.conn(), &ctx.view(&authed), row).await?))
}

/// The full record of an item, oldest first: every action, escalation step and attachment.
#[utoipa::path(get, path = "/api/v1/items/{id}/events", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ItemEventOut>), (status = 404, body = ErrorBody)))]
pub async fn item_events(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<Vec<ItemEventOut>>> {
    let mut reader = state.db.reader().await?;
    let item = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(item_record(&mut reader.conn(), &item).await?))
}
