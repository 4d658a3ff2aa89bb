//! A user: roles (with the forms to change them), tokens, password and lock, history.

use super::{TokenLine, role_options, scope_options, token_lines};
use crate::auth::{Authed, PageUser};
use crate::extract::Id;
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{Done, flash, render, require, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::UserId;
use bangdu_domain::permission::Permission;
use bangdu_store::units::Picking;
use bangdu_store::users::{self, User};
use bangdu_store::{audit, time, tokens};

pub struct GrantLine {
    pub id: i64,
    pub role: String,
    pub unit: String,
    pub unit_id: i64,
    pub scope: String,
    pub custom: String,
}

pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct ShowPage {
    shell: Shell,
    user: User,
    grants: Vec<GrantLine>,
    tokens: Vec<TokenLine>,
    history: Vec<HistoryLine>,
    locked: bool,
    locked_until: String,
    last_sign_in: String,
    created: String,
    phone: String,
    email: String,
    can_manage: bool,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    choices: Vec<UnitChoice>,
}

/// A user's page, with the reason a change was refused when there is one.
pub(super) async fn show_page(state: &AppState, authed: &Authed, id: UserId, flash: Option<Flash>) -> PageResult {
    let mut reader = state.db.reader().await?;
    let user = users::get(&mut reader.conn(), &authed.actor, id).await?;
    let can_manage = users::get_to_manage(&mut reader.conn(), &authed.actor, id).await.is_ok();
    let token_rows =
        if can_manage { tokens::list_for_user(&mut reader.conn(), &authed.actor, id).await? } else { vec![] };
    let history = if authed.actor.can(Permission::ViewAudit) {
        audit::for_object(&mut reader.conn(), &authed.actor, "user", &id.to_string(), 50)
            .await?
            .into_iter()
            .rev()
            .map(|e| HistoryLine {
                at: view::time(&e.at),
                actor: crate::pages::audit::actor_label(&e.actor_name, e.actor_id.is_some()),
                action: crate::pages::audit::action_label(&e.action),
                result: crate::pages::audit::result_label(&e.result).to_string(),
            })
            .collect()
    } else {
        vec![]
    };
    drop(reader);
    let now = time::now();
    let title = user.row.display_name.clone();
    render(&ShowPage {
        shell: shell(state, authed, "users", title.clone(), &[("用户管理", Some("/users")), (&title, None)])
            .await
            .flash(flash),
        grants: user
            .grants
            .iter()
            .map(|g| GrantLine {
                id: g.id,
                role: g.role_label.to_string(),
                unit: g.unit.name.clone(),
                unit_id: g.unit.id,
                scope: g.data_scope_label.to_string(),
                custom: g.custom_units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、"),
            })
            .collect(),
        tokens: token_lines(token_rows),
        history,
        locked: user.is_locked(now),
        locked_until: view::time_opt(&user.row.locked_until),
        last_sign_in: view::time_opt(&user.row.last_sign_in_at),
        created: view::time(&user.row.created_at),
        phone: view::or_dash(&user.row.phone),
        email: view::or_dash(&user.row.email),
        can_manage,
        roles: role_options("unit"),
        scopes: scope_options(""),
        choices: if can_manage { choices(state, authed, Picking::Grant).await? } else { vec![] },
        user,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    Query(d): Query<Done>,
) -> PageResult {
    // The user pages are for those who see users; everyone sees their own account at /account.
    require(&authed, Permission::ViewUsers)?;
    show_page(&state, &authed, id, flash::from_code(d.done.as_deref())).await
}
