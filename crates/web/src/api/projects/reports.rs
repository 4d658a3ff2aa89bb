//! Monthly reports: listing, submitting and checking them.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Ids;
use crate::extract::{ApiJson, Id};
use crate::input::project_json::ReportBody;
use crate::output::projects::ReportOut;
use crate::output::projects::report_outs;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_domain::ReportId;
use bangdu_domain::project::ReportVerdict;
use bangdu_store::projects::lights::LightRules;
use bangdu_store::projects::query::{self};
use bangdu_store::projects::reports;

use serde::Deserialize;
use utoipa::ToSchema;

/// The monthly reports of a project, newest month first, each with the freeze that fixed it.
#[utoipa::path(get, path = "/api/v1/projects/{id}/reports", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReportOut>), (status = 404, body = ErrorBody)))]
pub async fn list_reports(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<Vec<ReportOut>>> {
    let mut reader = state.db.reader().await?;
    let project = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(report_outs(&mut reader.conn(), &project).await?))
}

/// Submits (or, until it is accepted, replaces) the report for a month: the lead unit's liaison or
/// the office. Progress lower than last month's needs `progress_reason`.
#[utoipa::path(post, path = "/api/v1/projects/{id}/reports", tag = "projects", request_body = ReportBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = ReportOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiJson(body): ApiJson<ReportBody>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = reports::submit(&mut tx.conn(), &authed.actor, &rules, id, &body.into(), state.today()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(ReportOut::new(row, None))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    /// `true` accepts; `false` returns it to the unit (then `note` is required).
    pub accept: bool,
    pub note: Option<String>,
}

/// The API says `accept: true/false`; the store takes the verdict by name.
fn verdict(accept: bool) -> ReportVerdict {
    if accept { ReportVerdict::Accept } else { ReportVerdict::Return }
}

/// The office checks a report (审核): accept it, or return it with what to fix.
#[utoipa::path(post, path = "/api/v1/projects/{id}/reports/{report_id}/check", tag = "projects", request_body = CheckBody,
    params(("id" = i64, Path), ("report_id" = i64, Path)),
    responses((status = 200, body = ReportOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn check_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Ids(id, report_id): Ids<ProjectId, ReportId>,
    ApiJson(body): ApiJson<CheckBody>,
) -> WebResult<Json<ReportOut>> {
    let mut tx = state.db.begin().await?;
    let row = reports::check(&mut tx.conn(), &authed.actor, id, report_id, verdict(body.accept), body.note.as_deref())
        .await?;
    tx.commit().await?;
    Ok(Json(ReportOut::new(row, None)))
}
