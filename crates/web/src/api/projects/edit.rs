//! Registering a project and changing it.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id};
use crate::input::project_json::ProjectBody;
use crate::output::projects::ProjectOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_store::projects::create;
use bangdu_store::projects::lights::LightRules;
use bangdu_store::projects::query::{self};

use serde::Deserialize;
use utoipa::IntoParams;

/// Registers a project. Its light is computed at once.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectBody,
    responses((status = 201, body = ProjectOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<ProjectBody>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = create::create(&mut tx.conn(), &authed.actor, &rules, &body.into(), state.today()).await?;
    let units = query::units_of_one(&mut tx.conn(), &row).await?;
    tx.commit().await?;
    let out = ProjectOut::new(row, &units);
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/projects/{}", out.id))], Json(out)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The project's version you read; a stale one answers 409 `version_conflict`.
    pub version: i64,
}

/// Changes a project (the whole record). A changed schedule takes effect from today; past lights stay.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", request_body = ProjectBody,
    params(("id" = i64, Path), VersionQuery),
    responses((status = 200, body = ProjectOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_project(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiQuery(v): ApiQuery<VersionQuery>,
    ApiJson(body): ApiJson<ProjectBody>,
) -> WebResult<Json<ProjectOut>> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = create::update(&mut tx.conn(), &authed.actor, &rules, id, v.version, &body.into(), state.today()).await?;
    let units = query::units_of_one(&mut tx.conn(), &row).await?;
    tx.commit().await?;
    Ok(Json(ProjectOut::new(row, &units)))
}
