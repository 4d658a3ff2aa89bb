//! 用户管理: accounts and their roles.

use crate::api::units::require;
use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id, parse_bool};
use crate::input::page_request;
use crate::input::serde_helpers::double_option;
use crate::input::users::GrantIn;
use crate::input::users::UserQuery;
use crate::input::users::hash_password;
use crate::input::users::resolve_grants;
use crate::output::{ListOf, UserOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_domain::{UserId, password};
use bangdu_store::units;
use bangdu_store::user_input;
use bangdu_store::users::{self, NewUser, UserChanges, UserFilter};
use serde::Deserialize;
use utoipa::ToSchema;

/// User accounts in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = ListOf<UserOut>), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> WebResult<Json<ListOf<UserOut>>> {
    require(&authed, Permission::ViewUsers)?;
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    /// 3–32 letters, digits, `_`, `.`, `-`; stored lower-case.
    pub username: String,
    pub display_name: String,
    /// At least 8 characters with 3 of: upper case, lower case, digits, symbols.
    pub password: String,
    pub phone: Option<String>,
    /// Ask for a new password at first sign-in (the web pages enforce it).
    #[serde(default)]
    pub must_change_password: bool,
    #[serde(default)]
    pub roles: Vec<GrantIn>,
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
    require(&authed, Permission::ManageUsers)?;
    let username = user_input::username(&body.username)?;
    let display_name = user_input::display_name(&body.display_name)?;
    let phone = user_input::phone(body.phone.as_deref().unwrap_or(""))?;
    password::check_policy(&body.password, &username)?;
    let grants = {
        let mut reader = state.db.reader().await?;
        resolve_grants(&mut reader.conn(), &authed, &body.roles).await?
    };
    let password_hash = hash_password(body.password).await?;
    let mut tx = state.db.begin().await?;
    let user = users::create(
        &mut tx.conn(),
        &authed.actor,
        NewUser {
            username,
            display_name,
            phone,
            password_hash,
            must_change_password: body.must_change_password,
            grants,
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/users/{}", user.row.id))], Json(UserOut::from(user))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// `false` deactivates the account and ends its sessions.
    pub active: Option<bool>,
    pub must_change_password: Option<bool>,
    /// Replaces all roles when given.
    pub roles: Option<Vec<GrantIn>>,
    pub version: Option<i64>,
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
    require(&authed, Permission::ManageUsers)?;
    let mut tx = state.db.begin().await?;
    let grants = match &body.roles {
        Some(roles) => Some(resolve_grants(&mut tx.conn(), &authed, roles).await?),
        None => None,
    };
    let changes = UserChanges {
        display_name: body.display_name.as_deref().map(user_input::display_name).transpose()?,
        phone: match body.phone {
            Some(Some(p)) => Some(user_input::phone(&p)?),
            Some(None) => Some(None),
            None => None,
        },
        active: body.active,
        must_change_password: body.must_change_password,
        grants,
        version: body.version,
    };
    let user = users::update(&mut tx.conn(), &authed.actor, id, changes).await?;
    tx.commit().await?;
    Ok(Json(user.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub password: String,
    /// Ask for a new password at next sign-in (default true).
    pub must_change_password: Option<bool>,
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
    require(&authed, Permission::ManageUsers)?;
    let target = {
        let mut reader = state.db.reader().await?;
        users::get_to_manage(&mut reader.conn(), &authed.actor, id).await?
    };
    password::check_policy(&body.password, &target.row.username)?;
    let hash = hash_password(body.password).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx.conn(), &authed.actor, id, hash, body.must_change_password.unwrap_or(true), None)
        .await?;
    tx.commit().await?;
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
    require(&authed, Permission::ManageUsers)?;
    let mut tx = state.db.begin().await?;
    let user = users::unlock(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(Json(user.into()))
}
