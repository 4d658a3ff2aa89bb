//! A round: its targets, the draw (双随机、一公开) and re-running it from the stored inputs.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::inspections::DrawBody;
use crate::output::inspections::{RedrawOut, RoundDetailOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::RoundId;
use bangdu_store::inspections::{campaigns, targets};

/// A round with its campaign, its draw's stored inputs and every target (dropped ones too).
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = RoundDetailOut), (status = 404, body = ErrorBody)))]
pub async fn get_round(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
) -> WebResult<Json<RoundDetailOut>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(RoundDetailOut::from(&campaigns::round_detail(&mut reader.conn(), &authed.actor, id).await?)))
}

/// Draws the round's targets from live data: every red project and overdue item (重点督), a random
/// sample of green projects (随机查), of projects finished and items written off in the last
/// `months` (回头看). The seed, algorithm and every candidate are stored and answered. 409
/// `draw_too_large` when a sample asks for more than there are, `teams_formed` once teams exist.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/draw", tag = "inspections", request_body = DrawBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = RoundDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draw_round(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
    ApiJson(body): ApiJson<DrawBody>,
) -> WebResult<Json<RoundDetailOut>> {
    let params = body.params()?;
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    targets::plan(&mut tx.conn(), &authed.actor, &cal, id, &params, body.seed.as_deref(), state.today()).await?;
    let detail = campaigns::round_detail(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(Json(RoundDetailOut::from(&detail)))
}

/// Re-runs the round's draw from its stored seed, algorithm and candidates and says whether it
/// gives the stored targets (`same`).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/redraw", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = RedrawOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn redraw_round(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
) -> WebResult<Json<RedrawOut>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(targets::redraw(&mut reader.conn(), &authed.actor, id).await?.into()))
}
