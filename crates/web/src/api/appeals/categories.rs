//! Appeal categories (诉求分类), which Open311 serves as services; the administrator edits them.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id};
use crate::input::appeals::CategoryBody;
use crate::output::appeals::AppealCategoryOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bangdu_domain::CategoryId;
use bangdu_store::appeals::categories;
use serde::Deserialize;
use utoipa::IntoParams;

/// Every category, the inactive ones too.
#[utoipa::path(get, path = "/api/v1/appeal-categories", tag = "appeals",
    responses((status = 200, body = Vec<AppealCategoryOut>)))]
pub async fn list_categories(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
) -> WebResult<Json<Vec<AppealCategoryOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = categories::list(&mut reader.conn(), &authed.actor, true).await?;
    Ok(Json(rows.iter().map(AppealCategoryOut::from).collect()))
}

/// Adds a category. 422 names the field (a service code in use, attribute definitions that do not read).
#[utoipa::path(post, path = "/api/v1/appeal-categories", tag = "appeals", request_body = CategoryBody,
    responses((status = 201, body = AppealCategoryOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<CategoryBody>,
) -> WebResult<(StatusCode, Json<AppealCategoryOut>)> {
    let mut tx = state.db.begin().await?;
    let saved = categories::save(&mut tx.conn(), &authed.actor, None, body.into()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(AppealCategoryOut::from(&saved))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CategoryVersion {
    /// The version read.
    pub version: i64,
}

/// Changes a category against the version read (`?version=`).
#[utoipa::path(put, path = "/api/v1/appeal-categories/{id}", tag = "appeals", request_body = CategoryBody,
    params(("id" = i64, Path), CategoryVersion),
    responses((status = 200, body = AppealCategoryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_category(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<CategoryId>,
    ApiQuery(v): ApiQuery<CategoryVersion>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> WebResult<Json<AppealCategoryOut>> {
    let mut tx = state.db.begin().await?;
    let saved = categories::save(&mut tx.conn(), &authed.actor, Some((id, v.version)), body.into()).await?;
    tx.commit().await?;
    Ok(Json(AppealCategoryOut::from(&saved)))
}
