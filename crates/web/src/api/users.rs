//! 用户管理: accounts and their roles.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id, parse_bool};
use crate::input::page_request;
use crate::input::users::{PasswordReset, UserCreate, UserPatch, UserQuery};
use crate::output::{ListOf, UserOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::UserId;
use bangdu_domain::role::Role;
use bangdu_store::units;
use bangdu_store::users::{self, UserFilter};

/// User accounts in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = ListOf<UserOut>), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> WebResult<Json<ListOf<UserOut>>> {
    let page = page_request(&q.page, &q.per_page)?;
    let mut reader = state.db.reader().await?;
    let mut filter = UserFilter { q: q.q.clone(), active: parse_bool("active", &q.active)?, ..UserFilter::default() };
    if let Some(role) = q.role.as_deref().filter(|r| !r.is_empty()) {
        filter.role = Some(Role::parse(role).ok_or_else(|| WebError::invalid("role", format!("未知角色“{role}”")))?);
    }
    if let Some(unit) = q.unit.as_deref().filter(|u| !u.is_empty()) {
        filter.unit = Some(units::resolve(&mut reader.conn(), &authed.actor, "unit", unit).await?.id);
    }
    let paged = users::list(&mut reader.conn(), &authed.actor, &filter, page).await?;
    Ok(Json(ListOf::from(paged, UserOut::from)))
}

/// A user in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UserId>,
) -> WebResult<Json<UserOut>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(users::get(&mut reader.conn(), &authed.actor, id).await?.into()))
}

/// Creates a user with roles (administrators; only in units and scopes within their own).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserCreate,
    responses(
        (status = 201, body = UserOut),
        (status = 403, body = ErrorBody),
        (status = 409, description = "`duplicate_username`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<UserCreate>,
) -> WebResult<impl IntoResponse> {
    let new = body.into_command(&state.db, &authed.actor).await?;
    let mut tx = state.db.begin().await?;
    let user = users::create(&mut tx.conn(), &authed.actor, new).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/users/{}", user.row.id))], Json(UserOut::from(user))))
}

/// Edits a user: name, phone, active, roles.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UserId>,
    ApiJson(body): ApiJson<UserPatch>,
) -> WebResult<Json<UserOut>> {
    let mut tx = state.db.begin().await?;
    let changes = body.into_command(&mut tx.conn(), &authed.actor).await?;
    let user = users::update(&mut tx.conn(), &authed.actor, id, changes).await?;
    tx.commit().await?;
    Ok(Json(user.into()))
}

/// Sets a new password for a user (administrators); all their sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "users", params(("id" = i64, Path)), request_body = PasswordReset,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UserId>,
    ApiJson(body): ApiJson<PasswordReset>,
) -> WebResult<StatusCode> {
    body.apply(&state.db, &authed.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lifts a sign-in lock early.
#[utoipa::path(post, path = "/api/v1/users/{id}/unlock", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody)))]
pub async fn unlock_user(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UserId>,
) -> WebResult<Json<UserOut>> {
    let mut tx = state.db.begin().await?;
    let user = users::unlock(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(Json(user.into()))
}
