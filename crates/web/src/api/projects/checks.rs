//! 运行使用情况: the operating checks of a finished project, recording one, and turning one that
//! found a problem into a supervision item.

use super::files::ProjectFileOut;
use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Ids;
use crate::extract::{ApiJson, Id};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::CheckId;
use bangdu_domain::ProjectId;
use bangdu_store::Conn;
use bangdu_store::projects::checks::{self, CheckInput, CheckRow};
use bangdu_store::projects::{ProjectRow, files, query};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone)]
pub struct CheckOut {
    pub id: i64,
    #[schema(value_type = String, format = Date)]
    pub checked_on: NaiveDate,
    /// `true`: in use as intended; `false`: a problem was found.
    pub normal: bool,
    pub notes: Option<String>,
    /// The supervision item the problem became, if it did.
    pub item: Option<CheckItemOut>,
    pub checked_by: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Photos and papers attached to this check.
    pub files: Vec<ProjectFileOut>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct CheckItemOut {
    pub id: i64,
    pub code: String,
}

impl CheckOut {
    pub fn new(r: CheckRow, files: Vec<ProjectFileOut>) -> CheckOut {
        CheckOut {
            id: i64::from(r.id),
            checked_on: r.checked_on,
            normal: r.normal,
            notes: r.notes.clone(),
            item: r.item_id.zip(r.item_code.clone()).map(|(id, code)| CheckItemOut { id: i64::from(id), code }),
            checked_by: r.checked_by_name.clone(),
            created_at: r.created_at,
            files,
        }
    }
}

/// The checks of a project with their files, newest first.
pub async fn check_outs(c: &mut Conn<'_>, project: &ProjectRow) -> WebResult<Vec<CheckOut>> {
    let all_files = files::list(c, project).await?;
    Ok(checks::list(c, project)
        .await?
        .into_iter()
        .map(|r| {
            let mine = all_files.iter().filter(|f| f.check_id == Some(r.id)).cloned().map(Into::into).collect();
            CheckOut::new(r, mine)
        })
        .collect())
}

/// The operating checks of a project, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/checks", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CheckOut>), (status = 404, body = ErrorBody)))]
pub async fn list_checks(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<Vec<CheckOut>>> {
    let mut reader = state.db.reader().await?;
    let project = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(check_outs(&mut reader.conn(), &project).await?))
}

/// Records an operating check of a finished project (the management unit, the lead unit or the
/// office). A problem found by the office becomes a supervision item at once (source 运行检查);
/// 409 `project_not_completed` before the project is finished.
#[utoipa::path(post, path = "/api/v1/projects/{id}/checks", tag = "projects", request_body = CheckInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = CheckOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_check(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiJson(body): ApiJson<CheckInput>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let row = checks::record(&mut tx.conn(), &authed.actor, id, &body, state.today()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CheckOut::new(row, vec![]))))
}

/// Turns a check that found a problem into a supervision item (the office). 409 `check_normal` for
/// a check without a problem, 409 `check_item_exists` when it already became one.
#[utoipa::path(post, path = "/api/v1/projects/{id}/checks/{check_id}/item", tag = "projects",
    params(("id" = i64, Path), ("check_id" = i64, Path)),
    responses((status = 201, body = CheckOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn raise_check_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Ids(id, check): Ids<ProjectId, CheckId>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let row = checks::raise_item(&mut tx.conn(), &authed.actor, id, check).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CheckOut::new(row, vec![]))))
}
