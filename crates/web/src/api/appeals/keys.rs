//! Open311 clients' API keys, issued and revoked by the administrator.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bangdu_domain::ApiKeyId;
use bangdu_store::appeals::keys;
use bangdu_store::tables::ApiKeyRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An issued key (the key itself is never answered again).
#[derive(Serialize, ToSchema)]
pub struct Open311KeyOut {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&ApiKeyRecord> for Open311KeyOut {
    fn from(k: &ApiKeyRecord) -> Self {
        Open311KeyOut {
            id: k.id.0,
            name: k.name.clone(),
            prefix: k.prefix.clone(),
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A new key with the key itself, shown this once.
#[derive(Serialize, ToSchema)]
pub struct Open311KeyIssuedOut {
    #[serde(flatten)]
    pub key: Open311KeyOut,
    pub api_key: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Open311KeyBody {
    /// The client it is for (e.g. 市民通 App).
    pub name: String,
}

/// Every key, newest first.
#[utoipa::path(get, path = "/api/v1/open311-keys", tag = "appeals",
    responses((status = 200, body = Vec<Open311KeyOut>), (status = 403, body = ErrorBody)))]
pub async fn list_keys(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<Vec<Open311KeyOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = keys::list(&mut reader.conn(), &authed.actor).await?;
    Ok(Json(rows.iter().map(Open311KeyOut::from).collect()))
}

/// Issues a key for an Open311 client; the answer holds the key, which is stored only as a digest.
#[utoipa::path(post, path = "/api/v1/open311-keys", tag = "appeals", request_body = Open311KeyBody,
    responses((status = 201, body = Open311KeyIssuedOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue_key(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<Open311KeyBody>,
) -> WebResult<(StatusCode, Json<Open311KeyIssuedOut>)> {
    let mut tx = state.db.begin().await?;
    let (record, key) = keys::issue(&mut tx.conn(), &authed.actor, &body.name).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Open311KeyIssuedOut { key: Open311KeyOut::from(&record), api_key: key })))
}

/// Revokes a key: posts with it are refused from now on.
#[utoipa::path(delete, path = "/api/v1/open311-keys/{id}", tag = "appeals", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_key(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ApiKeyId>,
) -> WebResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    keys::revoke(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
