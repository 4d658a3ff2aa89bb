//! 运行使用情况: the operating checks of a finished project, recording one, and turning one that
//! found a problem into a supervision item.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Ids;
use crate::extract::{ApiJson, Id};
use crate::input::project_json::OperatingCheckBody;
use crate::output::projects::CheckOut;
use crate::output::projects::check_outs;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::CheckId;
use bangdu_domain::ProjectId;
use bangdu_store::projects::checks;
use bangdu_store::projects::query;

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
#[utoipa::path(post, path = "/api/v1/projects/{id}/checks", tag = "projects", request_body = OperatingCheckBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = CheckOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_check(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiJson(body): ApiJson<OperatingCheckBody>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let row = checks::record(&mut tx.conn(), &authed.actor, id, &body.into(), state.today()).await?;
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
