//! A user's API tokens as their page lists them, and revoking one.

use super::{change, managed};
use crate::auth::PageUser;
use crate::extract::Ids;
use crate::pages::errors::PageResult;
use crate::pages::forms::{CsrfForm, NoFields};
use crate::pages::view;
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::{TokenId, UserId};
use bangdu_store::{time, tokens};

pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub state: String,
    pub active: bool,
}

pub fn token_lines(rows: Vec<tokens::TokenRow>) -> Vec<TokenLine> {
    let now = time::now();
    rows.into_iter()
        .map(|t| TokenLine {
            active: t.is_valid(now),
            state: if t.revoked_at.is_some() {
                "已吊销".into()
            } else if t.is_valid(now) {
                match &t.expires_at {
                    Some(e) => format!("有效至 {}", view::time(e)),
                    None => "长期有效".into(),
                }
            } else {
                "已过期".into()
            },
            id: i64::from(t.id),
            name: t.name,
            prefix: format!("{}…", t.prefix),
            created: view::time(&t.created_at),
            last_used: view::time_opt(&t.last_used_at),
        })
        .collect()
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, token): Ids<UserId, TokenId>,
    CsrfForm(_f): CsrfForm<NoFields>,
) -> PageResult {
    change(&state, &authed, id, "revoked", async {
        // The page is the user's: their administrator revokes it (a person's own tokens are
        // revoked from their account page).
        managed(&state, &authed, id).await?;
        let mut tx = state.db.begin().await?;
        tokens::revoke(&mut tx.conn(), &authed.actor, token).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
