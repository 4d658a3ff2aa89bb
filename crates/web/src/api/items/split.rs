//! `POST /api/v1/items/{id}/split`: 剥笋, an item split into children for other units.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::items::SplitBody;
use crate::output::items::{Context, ItemOut, full_item};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bangdu_domain::ItemId;
use bangdu_store::items::create::split;
use bangdu_store::items::query;

/// 剥笋: splits an item into children assigned to other units. The parent can be written off only
/// when every child is.
#[utoipa::path(post, path = "/api/v1/items/{id}/split", tag = "items", params(("id" = i64, Path)), request_body = SplitBody,
    responses((status = 201, description = "The parent with its children", body = ItemOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn split_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    ApiJson(body): ApiJson<SplitBody>,
) -> WebResult<(StatusCode, Json<ItemOut>)> {
    let children = body.into_children()?;
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    split(&mut tx.conn(), &authed.actor, &ctx.cal, id, children, ctx.today).await?;
    let parent = query::get(&mut tx.conn(), &authed.actor, id).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), parent).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}
