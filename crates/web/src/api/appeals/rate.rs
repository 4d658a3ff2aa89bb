//! 好差评 entered by the office after calling the citizen back, on an appeal or a written-off item.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::appeals::RatingBody;
use crate::output::appeals::AppealDetailOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bangdu_domain::{AppealId, ItemId};
use bangdu_store::appeals::{query, ratings};

/// Records a phone-back rating of an answered appeal. A 不满意 or 非常不满意 rating of an appeal sent
/// on as an item raises 回头看 in the item's history. 409 `appeal_not_answered` before it is answered.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/ratings", tag = "appeals", request_body = RatingBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = AppealDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate_appeal(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<AppealId>,
    ApiJson(body): ApiJson<RatingBody>,
) -> WebResult<(StatusCode, Json<AppealDetailOut>)> {
    let level = body.level()?;
    let mut tx = state.db.begin().await?;
    ratings::rate_appeal(&mut tx.conn(), &authed.actor, id, level, body.comment.as_deref()).await?;
    tx.commit().await?;
    let mut reader = state.db.reader().await?;
    let detail = query::detail(&mut reader.conn(), &authed.actor, id).await?;
    Ok((StatusCode::CREATED, Json(AppealDetailOut::from(&detail))))
}

/// Records a phone-back rating of a written-off item (好差评 of its work). 409 `item_not_closed`.
#[utoipa::path(post, path = "/api/v1/items/{id}/ratings", tag = "appeals", request_body = RatingBody,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    ApiJson(body): ApiJson<RatingBody>,
) -> WebResult<StatusCode> {
    let level = body.level()?;
    let mut tx = state.db.begin().await?;
    ratings::rate_item(&mut tx.conn(), &authed.actor, id, level, body.comment.as_deref()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
