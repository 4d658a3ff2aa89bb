//! 吐槽大会: recorded with the issues raised, each an appeal of the meeting.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::appeals::MeetingBody;
use crate::output::appeals::{AppealMeetingDetailOut, AppealMeetingOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::MeetingId;
use bangdu_store::appeals::meetings;

/// The meetings held in the caller's area, latest first.
#[utoipa::path(get, path = "/api/v1/appeal-meetings", tag = "appeals",
    responses((status = 200, body = Vec<AppealMeetingOut>), (status = 403, body = ErrorBody)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
) -> WebResult<Json<Vec<AppealMeetingOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = meetings::list(&mut reader.conn(), &authed.actor).await?;
    Ok(Json(rows.iter().map(|(m, o)| AppealMeetingOut::new(m, *o)).collect()))
}

/// One meeting with the issues raised and where each stands.
#[utoipa::path(get, path = "/api/v1/appeal-meetings/{id}", tag = "appeals", params(("id" = i64, Path)),
    responses((status = 200, body = AppealMeetingDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<MeetingId>,
) -> WebResult<Json<AppealMeetingDetailOut>> {
    let mut reader = state.db.reader().await?;
    let (meeting, issues) = meetings::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(AppealMeetingDetailOut::new(&meeting, &issues)))
}

/// Records a meeting; each issue raised becomes an appeal (channel 吐槽大会).
#[utoipa::path(post, path = "/api/v1/appeal-meetings", tag = "appeals", request_body = MeetingBody,
    responses((status = 201, body = AppealMeetingDetailOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<MeetingBody>,
) -> WebResult<impl IntoResponse> {
    let command = body.into_command()?;
    let mut tx = state.db.begin().await?;
    let cal = bangdu_store::calendar::load(&mut tx.conn()).await?;
    let id = meetings::record(&mut tx.conn(), &authed.actor, &cal, command).await?;
    tx.commit().await?;
    let mut reader = state.db.reader().await?;
    let (meeting, issues) = meetings::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/appeal-meetings/{}", id.0))],
        Json(AppealMeetingDetailOut::new(&meeting, &issues)),
    ))
}
