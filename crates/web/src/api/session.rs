//! Signing in and out, the current user, their sessions and their password.

use crate::auth::{ApiUser, cookies};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ClientInfo, Id};
use crate::input::users::change_password;
use crate::output::{GrantOut, MeOut, ScopeOut, UnitRefOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum_extra::extract::CookieJar;
use bangdu_domain::SessionId;
use bangdu_domain::UserId;
use bangdu_domain::scope::Scope;
use bangdu_store::Actor;
use bangdu_store::sessions::{self, SessionRow};
use bangdu_store::users::UserRow;
use bangdu_store::{grants, users};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignedIn {
    pub user: MeOut,
    /// Send as `X-CSRF-Token` with form-type POSTs made with the session cookie.
    pub csrf_token: String,
}

/// The user as `/api/v1/me` shows them.
pub async fn me_out(
    c: &mut bangdu_store::Conn<'_>,
    actor: &Actor,
    user: &UserRow,
    csrf_token: Option<String>,
) -> WebResult<MeOut> {
    let views = grants::for_users(c, &[user.id]).await?.remove(&user.id).unwrap_or_default();
    let mut units: BTreeMap<i64, UnitRefOut> = BTreeMap::new();
    for g in &views {
        units.entry(g.unit.id).or_insert_with(|| g.unit.clone().into());
    }
    let scope = Scope::from_grants(UserId(user.id), &actor.grants);
    Ok(MeOut {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        roles: actor.roles().into_iter().map(|r| r.code().to_string()).collect(),
        units: units.into_values().collect(),
        grants: views.into_iter().map(GrantOut::from).collect(),
        scope: ScopeOut::from(&scope),
        must_change_password: user.must_change_password,
        via: actor.via.to_string(),
        csrf_token,
    })
}

/// Sign in with user name and password; answers the user and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the `bangdu_session` cookie is set", body = SignedIn),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 423, description = "`account_locked`: after 20 failures in a row the account waits 1 minute, doubling to at most 15", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` (10 failures from this address in 15 minutes) or `sign_in_delayed` (5 in a row on this account from this address); see Retry-After", body = ErrorBody),
    ))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: axum::Extension<ClientInfo>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<SignIn>,
) -> WebResult<impl IntoResponse> {
    let signed = crate::auth::throttle::sign_in(&state, &client, &body.username, &body.password).await?;
    let mut reader = state.db.reader().await?;
    let (actor, user) = users::session_user(&mut reader.conn(), signed.user, client.ip.clone(), "session")
        .await?
        .ok_or(WebError::unauthenticated())?;
    let csrf = signed.session.csrf_token.clone();
    let me = me_out(&mut reader.conn(), &actor, &user, Some(csrf.clone())).await?;
    let secure = cookies::secure(&headers, state.config.secure_cookies, state.config.trust_proxy);
    let jar = jar.add(cookies::build(cookies::SESSION, signed.session.token, secure, None));
    Ok((jar, Json(SignedIn { user: me, csrf_token: csrf })))
}

/// Sign out: ends the current session and clears its cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)))]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiUser(authed): ApiUser,
) -> WebResult<impl IntoResponse> {
    if let Some(session) = &authed.session {
        let mut tx = state.db.begin().await?;
        sessions::end_own(&mut tx.conn(), &authed.actor, session.id, "session.sign_out").await?;
        tx.commit().await?;
    }
    let secure = cookies::secure(&headers, state.config.secure_cookies, state.config.trust_proxy);
    Ok((StatusCode::NO_CONTENT, jar.add(cookies::removal(cookies::SESSION, secure))))
}

/// The signed-in user, their roles, units and data scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = MeOut), (status = 401, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn me(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<MeOut>> {
    let mut reader = state.db.reader().await?;
    let csrf = authed.session.as_ref().map(|s| s.csrf_token.clone());
    Ok(Json(me_out(&mut reader.conn(), &authed.actor, &authed.user, csrf).await?))
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session making this request.
    pub current: bool,
}

pub fn session_out(s: SessionRow, current: Option<SessionId>) -> SessionOut {
    SessionOut {
        current: Some(s.id) == current,
        id: i64::from(s.id),
        created_at: s.created_at,
        last_seen_at: s.last_seen_at,
        expires_at: s.expires_at,
        source_ip: s.source_ip,
        user_agent: s.user_agent,
    }
}

/// The signed-in user's open sessions.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "session",
    responses((status = 200, body = Vec<SessionOut>), (status = 401, body = ErrorBody)))]
pub async fn my_sessions(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<Vec<SessionOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = sessions::list_for_user(&mut reader.conn(), UserId(authed.user.id)).await?;
    let current = authed.session.as_ref().map(|s| s.id);
    Ok(Json(rows.into_iter().map(|s| session_out(s, current)).collect()))
}

/// Ends one of the signed-in user's sessions (e.g. one left open on another computer).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "session",
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn end_my_session(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<SessionId>,
) -> WebResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    sessions::end_own(&mut tx.conn(), &authed.actor, id, "session.end").await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 8 characters with 3 of: upper case, lower case, digits, symbols.
    pub new_password: String,
    /// Your API tokens to keep; every other one is revoked (all of them when omitted).
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub keep_tokens: Vec<bangdu_domain::TokenId>,
}

/// Changes the signed-in user's password; their other sessions end and their API tokens are revoked,
/// but those listed in `keep_tokens`.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 422, description = "`invalid_field` (policy) or `wrong_password`", body = ErrorBody)))]
pub async fn change_my_password(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<PasswordChange>,
) -> WebResult<StatusCode> {
    change_password(&state, &authed, &body.current_password, &body.new_password, &body.keep_tokens).await?;
    Ok(StatusCode::NO_CONTENT)
}
