//! An administrator's buttons for someone's sign-in: a new password, and lifting a lock.

use super::change;
use crate::auth::PageUser;
use crate::extract::Id;
use crate::input::users::PasswordReset;
use crate::pages::errors::PageResult;
use crate::pages::forms::{CsrfForm, NoFields};
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::UserId;
use bangdu_store::users;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub must_change_password: Option<String>,
}

pub async fn reset_password(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> PageResult {
    let reset =
        PasswordReset { password: form.password, must_change_password: Some(form.must_change_password.is_some()) };
    change(&state, &authed, id, "reset", reset.apply(&state.db, &authed.actor, id)).await
}

pub async fn unlock(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(_f): CsrfForm<NoFields>,
) -> PageResult {
    change(&state, &authed, id, "unlocked", async {
        let mut tx = state.db.begin().await?;
        users::unlock(&mut tx.conn(), &authed.actor, id).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
