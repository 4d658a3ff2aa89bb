//! 个人中心: one's own roles, password, open sessions and API tokens.

use super::errors::PageResult;
use super::flash;
use super::forms::CsrfForm;
use super::shell::{Flash, Shell, shell};
use super::users::{TokenLine, token_lines};
use super::{Done, done, render, view};
use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::users::change_password as change_own_password;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::UserId;
use bangdu_domain::{SessionId, TokenId};
use bangdu_store::time::now;
use bangdu_store::{grants, sessions, tokens};
use chrono::Duration;
use serde::Deserialize;

pub struct SessionLine {
    pub id: i64,
    pub started: String,
    pub last_seen: String,
    pub ip: String,
    pub agent: String,
    pub current: bool,
}

pub struct GrantLine {
    pub role: String,
    pub unit: String,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    shell: Shell,
    username: String,
    grants: Vec<GrantLine>,
    sessions: Vec<SessionLine>,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
}

async fn account_page(
    state: &AppState,
    authed: &Authed,
    flash: Option<Flash>,
    new_token: Option<String>,
) -> PageResult {
    let user = UserId(authed.user.id);
    let mut reader = state.db.reader().await?;
    let grant_views = grants::for_users(&mut reader.conn(), &[user.0]).await?.remove(&user.0).unwrap_or_default();
    let current = authed.session.as_ref().map(|s| s.id);
    let session_rows = sessions::list_for_user(&mut reader.conn(), user).await?;
    let token_rows = tokens::list_own(&mut reader.conn(), &authed.actor).await?;
    drop(reader);
    render(&AccountPage {
        shell: shell(state, authed, "account", "个人中心", &[("个人中心", None)]).await.flash(flash),
        username: authed.user.username.clone(),
        grants: grant_views
            .into_iter()
            .map(|g| GrantLine { role: g.role_label.into(), unit: g.unit.name, scope: g.data_scope_label.into() })
            .collect(),
        sessions: session_rows
            .into_iter()
            .map(|s| SessionLine {
                current: Some(s.id) == current,
                id: i64::from(s.id),
                started: view::time(&s.created_at),
                last_seen: view::time(&s.last_seen_at),
                ip: view::or_dash(&s.source_ip),
                agent: s.user_agent.map(|a| a.chars().take(60).collect()).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        tokens: token_lines(token_rows),
        new_token,
    })
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    account_page(&state, &authed, flash::from_code(d.done.as_deref()), None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
    /// Ticked: keep my API tokens (scripts keep working); else every one is revoked with the change.
    #[serde(default)]
    pub keep_tokens: Option<String>,
}

pub async fn change_password(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> PageResult {
    let result = if form.new_password != form.confirm_password {
        Err(WebError::invalid("confirm_password", "两次输入的新密码不一致"))
    } else {
        match keep_tokens(&state, &authed, form.keep_tokens.is_some()).await {
            Ok(keep) => change_own_password(&state, &authed, &form.current_password, &form.new_password, &keep).await,
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(()) => Ok(done("/account", "password")),
        Err(e) if e.status.is_client_error() => account_page(&state, &authed, flash::error(e.message), None).await,
        Err(e) => Err(e),
    }
}

pub async fn end_session(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<SessionId>,
    CsrfForm(_f): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    let mut tx = state.db.begin().await?;
    sessions::end_own(&mut tx.conn(), &authed.actor, id, "session.end").await?;
    tx.commit().await?;
    if authed.session.as_ref().is_some_and(|s| s.id == id) {
        return Ok(axum::response::IntoResponse::into_response(axum::response::Redirect::to("/login")));
    }
    Ok(done("/account", "ended"))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub days: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> PageResult {
    let expires = match form.days.trim() {
        "" | "0" => None,
        d => match d.parse::<i64>() {
            Ok(days) if (1..=3650).contains(&days) => Some(now() + Duration::days(days)),
            _ => return account_page(&state, &authed, flash::error("有效天数应为 1–3650"), None).await,
        },
    };
    let mut tx = state.db.begin().await?;
    match tokens::create(&mut tx.conn(), &authed.actor, UserId(authed.user.id), &form.name, expires).await {
        Ok((token, _)) => {
            tx.commit().await?;
            let notice = Flash {
                kind: "success", text: "令牌已生成。它只显示这一次，请立即复制保存。".into()
            };
            account_page(&state, &authed, Some(notice), Some(token)).await
        }
        Err(e) => {
            let e = WebError::from(e);
            if e.status.is_client_error() {
                account_page(&state, &authed, flash::error(e.message), None).await
            } else {
                Err(e)
            }
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<TokenId>,
    CsrfForm(_f): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    let mut tx = state.db.begin().await?;
    tokens::revoke(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(done("/account", "revoked"))
}

/// The caller's live tokens when they chose to keep them, else none.
async fn keep_tokens(state: &AppState, authed: &Authed, keep: bool) -> Result<Vec<bangdu_domain::TokenId>, WebError> {
    if !keep {
        return Ok(Vec::new());
    }
    let mut reader = state.db.reader().await?;
    Ok(bangdu_store::tokens::live_of(&mut reader.conn(), UserId(authed.user.id)).await?)
}
