//! 转办: appeals sent on as one item.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiJson;
use crate::input::appeals::TransferBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_store::appeals::transfer;
use serde::Serialize;
use utoipa::ToSchema;

/// The item the appeals became.
#[derive(Serialize, ToSchema)]
pub struct TransferOut {
    pub item_id: i64,
    pub item_code: String,
    pub appeals: usize,
}

/// Sends appeals on as one new item (source 12345 诉求, registered for the office to assign). 409
/// `appeal_already_sent` or `appeal_answered` names the appeal that cannot go.
#[utoipa::path(post, path = "/api/v1/appeals/transfer", tag = "appeals", request_body = TransferBody,
    responses((status = 201, body = TransferOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transfer_appeals(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<TransferBody>,
) -> WebResult<impl IntoResponse> {
    let count = body.appeals.len();
    let command = body.into_command()?;
    let mut tx = state.db.begin().await?;
    let item = transfer::transfer(&mut tx.conn(), &authed.actor, command).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/items/{}", item.id.0))],
        Json(TransferOut { item_id: item.id.0, item_code: item.code.clone(), appeals: count }),
    ))
}
