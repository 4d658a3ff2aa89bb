//! `POST /api/v1/items`: registering an item (立项).

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiJson;
use crate::input::items::ItemCreate;
use crate::output::items::{Context, ItemOut, full_item};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_store::items::create::create;

/// Registers an item (立项): state `registered`, or `draft` with `"draft":true`.
#[utoipa::path(post, path = "/api/v1/items", tag = "items", request_body = ItemCreate,
    responses((status = 201, body = ItemOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<ItemCreate>,
) -> WebResult<impl IntoResponse> {
    let new = body.into_command()?;
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let row = create(&mut tx.conn(), &authed.actor, new).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), row).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/items/{}", out.id))], Json(out)))
}
