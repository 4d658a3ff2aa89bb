//! API tokens (`Authorization: Bearer bd_…`) for scripts and other systems.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, Id};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bangdu_domain::TokenId;
use bangdu_domain::UserId;
use bangdu_store::time::now;
use bangdu_store::tokens::{self, TokenRow};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for TokenOut {
    fn from(t: TokenRow) -> Self {
        TokenOut {
            id: i64::from(t.id),
            user_id: t.user_id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenOut {
    /// Shown only now: store it safely.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenOut,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    pub name: String,
    /// Days until it stops working (1–3650); never when omitted.
    pub expires_in_days: Option<i64>,
}

/// The signed-in user's tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "session", responses((status = 200, body = Vec<TokenOut>)))]
pub async fn list_tokens(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<Vec<TokenOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = tokens::list_own(&mut reader.conn(), &authed.actor).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Makes a token for the signed-in user; the answer is the only time it is shown.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "session", request_body = TokenCreate,
    responses((status = 201, body = NewTokenOut), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<TokenCreate>,
) -> WebResult<(StatusCode, Json<NewTokenOut>)> {
    let expires_at = match body.expires_in_days {
        Some(days) if !(1..=3650).contains(&days) => {
            return Err(WebError::invalid("expires_in_days", "有效天数应为 1–3650"));
        }
        Some(days) => Some(now() + Duration::days(days)),
        None => None,
    };
    let mut tx = state.db.begin().await?;
    let (token, row) =
        tokens::create(&mut tx.conn(), &authed.actor, UserId(authed.user.id), &body.name, expires_at).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(NewTokenOut { token, info: row.into() })))
}

/// Revokes a token: your own, or (administrators) one of a user in scope.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<TokenId>,
) -> WebResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    tokens::revoke(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's tokens (administrators).
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TokenOut>), (status = 404, body = ErrorBody)))]
pub async fn user_tokens(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UserId>,
) -> WebResult<Json<Vec<TokenOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = tokens::list_for_user(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
