//! 系统设置 page (administrators).

use super::errors::{PageError, PageResult};
use super::forms::CsrfForm;
use super::shell::{Shell, shell};
use super::{Done, done, flash, render};
use crate::auth::PageUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::permission::Permission;
use bangdu_store::settings;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    shell: Shell,
    algorithm: String,
}

fn require(authed: &crate::auth::Authed) -> Result<(), PageError> {
    super::require(authed, Permission::ManageSettings)
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    require(&authed)?;
    let algorithm = {
        let mut reader = state.db.reader().await?;
        settings::hash_algorithm(&mut reader.conn()).await?.code().to_string()
    };
    render(&SettingsPage {
        shell: shell(&state, &authed, "settings", "系统设置", &[("系统设置", None)])
            .await
            .flash(flash::from_code(d.done.as_deref())),
        algorithm,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub hash_algorithm: String,
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> PageResult {
    require(&authed)?;
    let mut tx = state.db.begin().await?;
    settings::set(
        &mut tx.conn(),
        &authed.actor,
        settings::HASH_ALGORITHM,
        serde_json::Value::String(form.hash_algorithm),
    )
    .await?;
    tx.commit().await?;
    Ok(done("/settings", "saved"))
}
