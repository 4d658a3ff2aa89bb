//! Teams "1+1+N": forming a round's teams, reading them, and seats changed by hand.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id, Ids};
use crate::input::inspections::SeatBody;
use crate::output::inspections::TeamsOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::{MemberId, RoundId, TargetId};
use bangdu_store::inspections::{targets, teams};

/// The round's teams as formed: per target its `members` (`member_id`, `role`, `home_region`,
/// `domains`, `load_before`/`load_after`) and its `explanation`.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/teams", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = TeamsOut), (status = 404, body = ErrorBody)))]
pub async fn get_teams(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
) -> WebResult<Json<TeamsOut>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(TeamsOut::from(&teams::teams(&mut reader.conn(), &authed.actor, id).await?)))
}

/// Forms (or re-forms) every team of the round: one leader, one member of the office and N
/// specialists covering the target's domains, keeping 本地回避, the responsible units, declared
/// conflicts, absences, one team a day and the load cap; load spread, ties broken by the round's
/// seed. The same seed and data give the same answer, byte for byte. Seats set by hand are replaced.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/teams", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = TeamsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn form_teams(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
) -> WebResult<Json<TeamsOut>> {
    let mut tx = state.db.begin().await?;
    let formed = teams::form_teams(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(Json(TeamsOut::from(&formed)))
}

/// Puts a member on a target's team by hand. A seat that breaks a hard constraint answers 409 with
/// the constraint's code (`unavailable`, `local_avoidance`, `responsible_unit`, `declared_conflict`,
/// `already_serving`, `load_cap`) unless `override_reason` is given; the seat keeps the reason.
#[utoipa::path(post, path = "/api/v1/targets/{id}/seats", tag = "inspections", request_body = SeatBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = TeamsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_seat(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<TargetId>,
    ApiJson(body): ApiJson<SeatBody>,
) -> WebResult<Json<TeamsOut>> {
    let mut tx = state.db.begin().await?;
    let round = targets::round_of(&mut tx.conn(), id).await?;
    let role = body.role.as_deref().unwrap_or("specialist");
    teams::assign(
        &mut tx.conn(),
        &authed.actor,
        round,
        id,
        MemberId(body.member_id),
        role,
        body.override_reason.as_deref(),
    )
    .await?;
    let formed = teams::teams(&mut tx.conn(), &authed.actor, round).await?;
    tx.commit().await?;
    Ok(Json(TeamsOut::from(&formed)))
}

/// Takes a member off a target's team.
#[utoipa::path(delete, path = "/api/v1/targets/{id}/seats/{member_id}", tag = "inspections",
    params(("id" = i64, Path), ("member_id" = i64, Path)),
    responses((status = 200, body = TeamsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_seat(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Ids(id, member): Ids<TargetId, MemberId>,
) -> WebResult<Json<TeamsOut>> {
    let mut tx = state.db.begin().await?;
    let round = targets::round_of(&mut tx.conn(), id).await?;
    teams::unassign(&mut tx.conn(), &authed.actor, round, id, member).await?;
    let formed = teams::teams(&mut tx.conn(), &authed.actor, round).await?;
    tx.commit().await?;
    Ok(Json(TeamsOut::from(&formed)))
}
