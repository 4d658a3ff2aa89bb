//! 帮督报告 through the API: reading a round's or a team's report, editing its suggestions while a
//! draft, issuing it (frozen), and the DOCX in the 公文 layout.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id};
use crate::input::inspections::{BriefBody, BriefIssueBody, BriefQuery};
use crate::output::inspections::BriefOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::{RoundId, TargetId};
use bangdu_store::inspections::briefs;

/// A round's report, or one team's (`target`): as issued, or as the record stands.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/report", tag = "inspections", params(("id" = i64, Path), BriefQuery),
    responses((status = 200, body = BriefOut), (status = 404, body = ErrorBody)))]
pub async fn get_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
    ApiQuery(q): ApiQuery<BriefQuery>,
) -> WebResult<Json<BriefOut>> {
    let mut reader = state.db.reader().await?;
    let b = briefs::get(&mut reader.conn(), &authed.actor, id, q.target.map(TargetId)).await?;
    Ok(Json(BriefOut::from(&b)))
}

/// Saves the suggestions (工作建议) of a draft report (the office). 409 `report_issued` once issued.
#[utoipa::path(put, path = "/api/v1/rounds/{id}/report", tag = "inspections", request_body = BriefBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = BriefOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
    ApiJson(body): ApiJson<BriefBody>,
) -> WebResult<Json<BriefOut>> {
    let target = body.target.map(TargetId);
    let mut tx = state.db.begin().await?;
    briefs::save_suggestions(&mut tx.conn(), &authed.actor, id, target, &body.suggestions).await?;
    let b = briefs::get(&mut tx.conn(), &authed.actor, id, target).await?;
    tx.commit().await?;
    Ok(Json(BriefOut::from(&b)))
}

/// Issues the report: what it says now is frozen. 409 `report_issued` when already issued,
/// `nothing_to_report` before any team is formed.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/report/issue", tag = "inspections", request_body = BriefIssueBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = BriefOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn issue_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
    ApiJson(body): ApiJson<BriefIssueBody>,
) -> WebResult<Json<BriefOut>> {
    let mut tx = state.db.begin().await?;
    let b = briefs::issue(&mut tx.conn(), &authed.actor, id, body.target.map(TargetId)).await?;
    tx.commit().await?;
    Ok(Json(BriefOut::from(&b)))
}

/// The report as a DOCX in the 公文 layout (GB/T 9704).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/report.docx", tag = "inspections", params(("id" = i64, Path), BriefQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404, body = ErrorBody)))]
pub async fn report_docx(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<RoundId>,
    ApiQuery(q): ApiQuery<BriefQuery>,
) -> WebResult<axum::response::Response> {
    let b = {
        let mut reader = state.db.reader().await?;
        briefs::get(&mut reader.conn(), &authed.actor, id, q.target.map(TargetId)).await?
    };
    crate::output::report_docx::response(&BriefOut::from(&b))
}
