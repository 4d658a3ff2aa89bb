//! 帮督发现 through the API: recording one (exactly once per `client_key`), the round's list, and
//! the two ways a finding ends — solved on the spot, or raised as an item by the office.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::inspections::{FindingBody, SolvedBody};
use crate::output::inspections::FindingOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::{FindingId, RoundId, TargetId};
use bangdu_store::inspections::findings;

async fn answer(
    state: &AppState,
    authed: &crate::auth::Authed,
    round: RoundId,
    id: FindingId,
) -> WebResult<FindingOut> {
    let mut reader = state.db.reader().await?;
    let all = findings::list(&mut reader.conn(), &authed.actor, round).await?;
    let found = all.iter().find(|f| f.finding.id == id).ok_or_else(crate::error::WebError::not_found)?;
    Ok(FindingOut::from(found))
}

/// Records what a team found at a target (a member of its team, or the office). 201 when stored;
/// 200 with the stored finding when the same `client_key` was sent before.
#[utoipa::path(post, path = "/api/v1/targets/{id}/findings", tag = "inspections", request_body = FindingBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = FindingOut), (status = 200, body = FindingOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_finding(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<TargetId>,
    ApiJson(body): ApiJson<FindingBody>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let (f, created) = findings::record(&mut tx.conn(), &*state.files, &authed.actor, id, &body.into(), &[]).await?;
    tx.commit().await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(answer(&state, &authed, f.round_id, f.id).await?)))
}

/// The findings of a round, oldest first, with their photos and the items they became.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/findings", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FindingOut>), (status = 404, body = ErrorBody)))]
pub async fn list_findings(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
) -> WebResult<Json<Vec<FindingOut>>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(findings::list(&mut reader.conn(), &authed.actor, id).await?.iter().map(FindingOut::from).collect()))
}

/// Marks a pending finding 当场协调解决, with what was done. 409 `finding_decided` once decided.
#[utoipa::path(post, path = "/api/v1/findings/{id}/solved", tag = "inspections", request_body = SolvedBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = FindingOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn solve_finding(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<FindingId>,
    ApiJson(body): ApiJson<SolvedBody>,
) -> WebResult<Json<FindingOut>> {
    let mut tx = state.db.begin().await?;
    let f = findings::mark_solved(&mut tx.conn(), &authed.actor, id, &body.solved_note).await?;
    tx.commit().await?;
    Ok(Json(answer(&state, &authed, f.round_id, f.id).await?))
}

/// Raises a pending finding as a supervision item (the office): source 帮督发现, the target's unit
/// proposed as responsible; the item then follows the normal lifecycle (交办 … 销号).
#[utoipa::path(post, path = "/api/v1/findings/{id}/item", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = FindingOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn raise_finding_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<FindingId>,
) -> WebResult<Json<FindingOut>> {
    let mut tx = state.db.begin().await?;
    let f = findings::raise_item(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(Json(answer(&state, &authed, f.round_id, f.id).await?))
}
