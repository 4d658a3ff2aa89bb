//! Open311 接入 for the administrator: the API keys issued to clients (a key is shown once, when
//! issued, and kept only as a digest), when each was last used, and revoking one.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::pages::errors::PageResult;
use crate::pages::forms::{CsrfForm, NoFields};
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use bangdu_domain::ApiKeyId;
use bangdu_store::appeals::keys;
use bangdu_store::tables::ApiKeyRecord;
use bangdu_store::time::beijing;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "appeals/keys.html")]
struct KeysPage {
    shell: Shell,
    rows: Vec<ApiKeyRecord>,
    /// (client, key) just issued: shown this once.
    issued: Option<(String, String)>,
    name: String,
    base: String,
}

impl KeysPage {
    fn at(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        beijing(t, "%Y-%m-%d %H:%M")
    }
}

async fn keys_page(
    state: &AppState,
    authed: &Authed,
    issued: Option<(String, String)>,
    name: String,
    flash: Option<Flash>,
) -> PageResult {
    let (rows, base) = {
        let mut reader = state.db.reader().await?;
        let rows = keys::list(&mut reader.conn(), &authed.actor).await?;
        (rows, crate::pages::public::board::public_base(&mut reader.conn(), state).await?)
    };
    render(&KeysPage {
        shell: shell(
            state,
            authed,
            "appeals",
            "Open311 接入",
            &[("群众诉求", Some("/appeals")), ("Open311 接入", None)],
        )
        .await
        .flash(flash),
        rows,
        issued,
        name,
        base,
    })
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    keys_page(&state, &authed, None, String::new(), flash::from_code(d.done.as_deref())).await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct IssueForm {
    pub name: String,
}

/// Issues a key and shows it on the answer itself (never through a redirect or a log).
pub async fn issue(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<IssueForm>,
) -> PageResult {
    let result: Result<_, WebError> = async {
        let mut tx = state.db.begin().await?;
        let (record, key) = keys::issue(&mut tx.conn(), &authed.actor, &form.name).await?;
        tx.commit().await?;
        Ok((record.name, key))
    }
    .await;
    match result {
        Ok(issued) => keys_page(&state, &authed, Some(issued), String::new(), None).await,
        Err(e) if crate::pages::refused(&e) => {
            keys_page(&state, &authed, None, form.name, flash::error(e.message)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ApiKeyId>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let result: Result<Response, WebError> = async {
        let mut tx = state.db.begin().await?;
        keys::revoke(&mut tx.conn(), &authed.actor, id).await?;
        tx.commit().await?;
        Ok(done("/appeals/keys", "key_revoked"))
    }
    .await;
    settle(result, |e| keys_page(&state, &authed, None, String::new(), flash::error(e.message))).await
}
