//! 停用 and 启用: a unit's buttons, each carrying the version the page showed.

use crate::auth::{Authed, PageUser};
use crate::extract::Id;
use crate::pages::done;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::UnitId;
use bangdu_store::units;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    pub version: String,
}

async fn set_active(state: &AppState, authed: &Authed, id: UnitId, active: bool, version: &str) -> PageResult {
    let mut tx = state.db.begin().await?;
    units::set_active(&mut tx.conn(), &authed.actor, id, active, version.trim().parse().ok()).await?;
    tx.commit().await?;
    Ok(done(&format!("/units/{id}"), if active { "activated" } else { "deactivated" }))
}

pub async fn deactivate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UnitId>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> PageResult {
    set_active(&state, &authed, id, false, &form.version).await
}

pub async fn activate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UnitId>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> PageResult {
    set_active(&state, &authed, id, true, &form.version).await
}
