//! 系统设置 (administrators).

use crate::auth::{ApiUser, Authed};
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::settings;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SettingOut {
    pub key: String,
    pub label: String,
    pub help: String,
    /// The setting's value: a string, number, boolean or list, as the setting is.
    pub value: serde_json::Value,
    pub default: serde_json::Value,
    /// Never shown back: the value reads `******` once set; sending `******` keeps it.
    pub secret: bool,
    /// The allowed values, when the setting is one of a few.
    pub choices: Vec<String>,
}

async fn current(state: &AppState, authed: &Authed) -> WebResult<Vec<SettingOut>> {
    let mut reader = state.db.reader().await?;
    Ok(settings::all(&mut reader.conn(), &authed.actor)
        .await?
        .into_iter()
        .map(|s| SettingOut {
            key: s.key.into(),
            label: s.label.into(),
            help: s.help.into(),
            value: s.value,
            default: s.default,
            secret: s.secret,
            choices: s.choices.iter().map(|(code, _)| code.to_string()).collect(),
        })
        .collect())
}

/// Every setting with its value.
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = Vec<SettingOut>), (status = 403, body = ErrorBody)))]
pub async fn get_settings(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<Vec<SettingOut>>> {
    Ok(Json(current(&state, &authed).await?))
}

/// Changes settings: `{"audit.hash_algorithm":"sm3"}`. All or none are applied.
#[utoipa::path(patch, path = "/api/v1/settings", tag = "settings",
    request_body(content = Object, description = "setting key → new value"),
    responses((status = 200, body = Vec<SettingOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_settings(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<BTreeMap<String, serde_json::Value>>,
) -> WebResult<Json<Vec<SettingOut>>> {
    let mut tx = state.db.begin().await?;
    settings::change(&mut tx.conn(), &authed.actor, body.into_iter().collect()).await?;
    tx.commit().await?;
    state.settings_changed();
    Ok(Json(current(&state, &authed).await?))
}
