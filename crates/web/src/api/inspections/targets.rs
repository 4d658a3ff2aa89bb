//! Targets by hand: adding one with a reason, changing what its team must cover or the day, and
//! dropping one with a reason (it keeps its row).

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::inspections::{DropBody, TargetBody, TargetEditBody};
use crate::output::inspections::{RoundDetailOut, TargetOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::{RoundId, TargetId};
use bangdu_store::inspections::{campaigns, targets};

/// Adds a project, item or unit to the round by hand, with the reason. 409 `target_exists` when it
/// is already there.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/targets", tag = "inspections", request_body = TargetBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = TargetOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_target(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
    ApiJson(body): ApiJson<TargetBody>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let t = targets::add(&mut tx.conn(), &authed.actor, &cal, id, &body.kind, body.id, &body.reason).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(TargetOut::from(&t))))
}

/// Changes a target's domains, number of specialists or visit day (a working day within the round).
#[utoipa::path(put, path = "/api/v1/targets/{id}", tag = "inspections", request_body = TargetEditBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = TargetOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_target(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<TargetId>,
    ApiJson(body): ApiJson<TargetEditBody>,
) -> WebResult<Json<TargetOut>> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let round = targets::round_of(&mut tx.conn(), id).await?;
    let t = targets::edit_target(&mut tx.conn(), &authed.actor, &cal, round, id, &body.into()).await?;
    tx.commit().await?;
    Ok(Json(TargetOut::from(&t)))
}

/// Drops a target with the reason; its team's seats go. Answers the round.
#[utoipa::path(post, path = "/api/v1/targets/{id}/drop", tag = "inspections", request_body = DropBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = RoundDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn drop_target(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<TargetId>,
    ApiJson(body): ApiJson<DropBody>,
) -> WebResult<Json<RoundDetailOut>> {
    let mut tx = state.db.begin().await?;
    let round = targets::round_of(&mut tx.conn(), id).await?;
    targets::drop_target(&mut tx.conn(), &authed.actor, round, id, &body.reason).await?;
    let detail = campaigns::round_detail(&mut tx.conn(), &authed.actor, round).await?;
    tx.commit().await?;
    Ok(Json(RoundDetailOut::from(&detail)))
}
