//! Pool members: the list with its filters, one member, adding and changing one, taking one out of
//! the pool, declaring a conflict of interest and recording days away. Phone numbers are answered
//! only to the office that keeps the pool.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id};
use crate::input::inspections::{AbsenceBody, ActiveBody, ConflictBody, MemberBody, MemberQuery, MemberVersion};
use crate::input::page_request;
use crate::output::ListOf;
use crate::output::inspections::{MemberDetailOut, MemberOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::MemberId;
use bangdu_store::inspections::pool;
use chrono::Datelike;

/// Members of the pools the caller may see, by name.
#[utoipa::path(get, path = "/api/v1/pool/members", tag = "inspections", params(MemberQuery),
    responses((status = 200, body = ListOf<MemberOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_members(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<MemberQuery>,
) -> WebResult<Json<ListOf<MemberOut>>> {
    let page = page_request(&q.page, &q.per_page)?;
    let filter = q.filter()?;
    let mut reader = state.db.reader().await?;
    let paged = pool::list(&mut reader.conn(), &authed.actor, &filter, page, state.today().year()).await?;
    Ok(Json(ListOf::from(paged, |m| MemberOut::from(&m))))
}

/// One member, with their declared conflicts and absences.
#[utoipa::path(get, path = "/api/v1/pool/members/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = MemberDetailOut), (status = 404, body = ErrorBody)))]
pub async fn get_member(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<MemberId>,
) -> WebResult<Json<MemberDetailOut>> {
    let mut reader = state.db.reader().await?;
    let detail = pool::get(&mut reader.conn(), &authed.actor, id, state.today().year()).await?;
    Ok(Json(MemberDetailOut::from(&detail)))
}

async fn answer(state: &AppState, authed: &crate::auth::Authed, id: MemberId) -> WebResult<MemberDetailOut> {
    let mut reader = state.db.reader().await?;
    Ok(MemberDetailOut::from(&pool::get(&mut reader.conn(), &authed.actor, id, state.today().year()).await?))
}

/// Adds a member to a pool. 409 `duplicate_member` when the pool already has that name at that unit;
/// 422 names the field (an unknown region code or domain).
#[utoipa::path(post, path = "/api/v1/pool/members", tag = "inspections", request_body = MemberBody,
    responses((status = 201, body = MemberDetailOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_member(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<MemberBody>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let row = pool::create(&mut tx.conn(), &authed.actor, &body.into()).await?;
    tx.commit().await?;
    let out = answer(&state, &authed, row.id).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/pool/members/{}", out.member.id))], Json(out)))
}

/// Changes a member (the whole record), against the version read (`?version=`).
#[utoipa::path(put, path = "/api/v1/pool/members/{id}", tag = "inspections", request_body = MemberBody,
    params(("id" = i64, Path), MemberVersion),
    responses((status = 200, body = MemberDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_member(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<MemberId>,
    ApiQuery(v): ApiQuery<MemberVersion>,
    ApiJson(body): ApiJson<MemberBody>,
) -> WebResult<Json<MemberDetailOut>> {
    let mut tx = state.db.begin().await?;
    pool::update(&mut tx.conn(), &authed.actor, id, v.version, &body.into()).await?;
    tx.commit().await?;
    Ok(Json(answer(&state, &authed, id).await?))
}

/// Takes a member out of the pool (`active: false`) or brings them back. Seats held stay recorded.
#[utoipa::path(post, path = "/api/v1/pool/members/{id}/active", tag = "inspections", request_body = ActiveBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = MemberDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_member_active(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(body): ApiJson<ActiveBody>,
) -> WebResult<Json<MemberDetailOut>> {
    let mut tx = state.db.begin().await?;
    pool::set_active(&mut tx.conn(), &authed.actor, id, body.active, body.reason.as_deref()).await?;
    tx.commit().await?;
    Ok(Json(answer(&state, &authed, id).await?))
}

/// Records a declared conflict of interest with a unit (and everything below it) or a person.
#[utoipa::path(post, path = "/api/v1/pool/members/{id}/conflicts", tag = "inspections", request_body = ConflictBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = MemberDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare_conflict(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(body): ApiJson<ConflictBody>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    pool::declare_conflict(
        &mut tx.conn(),
        &authed.actor,
        id,
        body.unit.as_deref(),
        body.person.as_deref(),
        body.reason.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(answer(&state, &authed, id).await?)))
}

/// Records days a member cannot serve (leave, training, other duties).
#[utoipa::path(post, path = "/api/v1/pool/members/{id}/absences", tag = "inspections", request_body = AbsenceBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = MemberDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_absence(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(body): ApiJson<AbsenceBody>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    pool::add_absence(
        &mut tx.conn(),
        &authed.actor,
        id,
        &body.starts_on,
        body.ends_on.as_deref().unwrap_or(""),
        body.reason.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(answer(&state, &authed, id).await?)))
}
