//! 用户管理 pages: accounts, their roles, password resets, unlocking, tokens — one file per action;
//! this file holds what several of them use (choices, a user's row, running a change).

pub mod edit;
pub mod list;
pub mod new;
pub mod password;
pub mod roles;
pub mod show;
pub mod tokens;

use super::choice::Choice;
use super::errors::PageResult;
use super::{done, flash, settle, view};
use crate::auth::Authed;
use crate::error::WebResult;
use crate::state::AppState;
use bangdu_domain::UserId;
use bangdu_domain::role::{DataScope, Role};
use bangdu_store::grants::GrantView;
use bangdu_store::time;
use bangdu_store::users::{self, User};

pub use tokens::{TokenLine, token_lines};

fn role_options(selected: &str) -> Vec<Choice> {
    Role::ALL.iter().map(|r| Choice { code: r.code(), label: r.label(), selected: r.code() == selected }).collect()
}

fn scope_options(selected: &str) -> Vec<Choice> {
    let mut out = vec![Choice { code: "", label: "按角色默认", selected: selected.is_empty() }];
    out.extend(DataScope::ALL.iter().map(|s| Choice {
        code: s.code(),
        label: s.label(),
        selected: s.code() == selected,
    }));
    out
}

pub struct UserLine {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub roles: String,
    pub active: bool,
    pub locked: bool,
    pub last_sign_in: String,
}

fn roles_text(grants: &[GrantView]) -> String {
    if grants.is_empty() {
        return "—".into();
    }
    grants.iter().map(|g| format!("{}（{}）", g.role_label, g.unit.name)).collect::<Vec<_>>().join("、")
}

impl UserLine {
    fn from(u: &User) -> UserLine {
        UserLine {
            id: u.row.id,
            username: u.row.username.clone(),
            name: u.row.display_name.clone(),
            roles: roles_text(&u.grants),
            active: u.row.active,
            locked: u.is_locked(time::now()),
            last_sign_in: view::time_opt(&u.row.last_sign_in_at),
        }
    }
}

/// A user the actor may change (an administrator's, within their management scope).
async fn managed(state: &AppState, authed: &Authed, id: UserId) -> WebResult<User> {
    let mut reader = state.db.reader().await?;
    Ok(users::get_to_manage(&mut reader.conn(), &authed.actor, id).await?)
}

/// Runs a change to user `id` and comes back to their page with `code`; a refusal the
/// administrator can put right shows the user's page again with the reason.
async fn change<Fut>(state: &AppState, authed: &Authed, id: UserId, code: &str, run: Fut) -> PageResult
where
    Fut: std::future::Future<Output = WebResult<()>>,
{
    let result = run.await.map(|()| done(&format!("/users/{id}"), code));
    settle(result, |e| show::show_page(state, authed, id, flash::error(e.message))).await
}
