//! 季度收账 / 年度清账: the freezes and making one.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiJson;
use crate::output::projects::FreezeOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_store::projects::freeze;
use bangdu_store::projects::lights::LightRules;

use serde::Deserialize;
use utoipa::ToSchema;

/// The freezes made by units the caller can see, newest period first.
#[utoipa::path(get, path = "/api/v1/projects/freezes", tag = "projects",
    responses((status = 200, body = Vec<FreezeOut>), (status = 401, body = ErrorBody)))]
pub async fn list_freezes(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<Vec<FreezeOut>>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(freeze::list(&mut reader.conn(), &authed.actor).await?.into_iter().map(FreezeOut::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeBody {
    /// The office unit (code) whose projects are closed.
    pub unit: String,
    pub year: i32,
    /// 1–4 for 季度收账; omit for 年度清账.
    pub quarter: Option<u32>,
    pub note: Option<String>,
}

/// 季度收账 / 年度清账: fixes each project's figures at the end of the period; reports for its
/// months can no longer be submitted or replaced.
#[utoipa::path(post, path = "/api/v1/projects/freezes", tag = "projects", request_body = FreezeBody,
    responses((status = 201, body = FreezeOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_freeze(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<FreezeBody>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = freeze::freeze(
        &mut tx.conn(),
        &authed.actor,
        &rules,
        &body.unit,
        body.year,
        body.quarter,
        body.note.as_deref(),
        state.today(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(FreezeOut::from(row))))
}
