//! A user's name, phone, e-mail and whether the account is active.

use super::change;
use crate::auth::PageUser;
use crate::extract::Id;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::UserId;
use bangdu_store::user_input;
use bangdu_store::users::{self, UserChanges};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: String,
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> PageResult {
    change(&state, &authed, id, "saved", async {
        let changes = UserChanges {
            display_name: Some(user_input::display_name(&form.display_name)?),
            phone: Some(user_input::phone(&form.phone)?),
            email: Some(user_input::email(&form.email)?),
            active: Some(form.active.is_some()),
            version: form.version.trim().parse().ok(),
            ..UserChanges::default()
        };
        let mut tx = state.db.begin().await?;
        users::update(&mut tx.conn(), &authed.actor, id, changes).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
