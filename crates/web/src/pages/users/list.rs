//! The user list, filtered by name, role and state.

use super::{UserLine, role_options};
use crate::auth::PageUser;
use crate::input::page_request;
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::pager::Pager;
use crate::pages::shell::{Shell, shell};
use crate::pages::{flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_store::users::{self, UserFilter};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<UserLine>,
    pager: Pager,
    q: String,
    roles: Vec<Choice>,
    active: String,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    pub q: Option<String>,
    pub role: Option<String>,
    pub active: Option<String>,
    pub page: Option<String>,
    /// Rows a page: 20, 50, 100 or 200.
    pub per_page: Option<String>,
    pub done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let mut filter = UserFilter {
        q: p.q.clone(),
        active: crate::extract::parse_bool("active", &p.active)?,
        ..UserFilter::default()
    };
    filter.role = p.role.as_deref().and_then(Role::parse);
    let page = page_request(&p.page, &crate::pages::pager::size(&p.per_page, "50"))?;
    let paged = {
        let mut reader = state.db.reader().await?;
        users::list(&mut reader.conn(), &authed.actor, &filter, page).await?
    };
    let params = [
        ("q", p.q.clone().unwrap_or_default()),
        ("role", p.role.clone().unwrap_or_default()),
        ("active", p.active.clone().unwrap_or_default()),
    ];
    render(&ListPage {
        shell: shell(&state, &authed, "users", "用户管理", &[("用户管理", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        rows: paged.data.iter().map(UserLine::from).collect(),
        pager: Pager::new(&paged, "/users", &params),
        q: p.q.unwrap_or_default(),
        roles: role_options(p.role.as_deref().unwrap_or("")),
        active: p.active.unwrap_or_default(),
        can_manage: authed.actor.can(Permission::ManageUsers),
    })
}
