//! A unit: its facts, the units below it, its people and its history.

use super::UnitLine;
use crate::auth::PageUser;
use crate::extract::Id;
use crate::pages::errors::PageResult;
use crate::pages::shell::{Shell, shell};
use crate::pages::{Done, flash, render, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::UnitId;
use bangdu_domain::permission::Permission;
use bangdu_store::audit;
use bangdu_store::paging::PageRequest;
use bangdu_store::units::{self, Unit, UnitFilter};
use bangdu_store::users::{self, UserFilter};

pub struct UserLine {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub roles: String,
}

pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage {
    shell: Shell,
    unit: Unit,
    kind: String,
    region: String,
    created: String,
    updated: String,
    children: Vec<UnitLine>,
    people: Vec<UserLine>,
    history: Vec<HistoryLine>,
    can_manage: bool,
    can_see_people: bool,
    can_webhooks: bool,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UnitId>,
    Query(d): Query<Done>,
) -> PageResult {
    let mut reader = state.db.reader().await?;
    let unit = units::get(&mut reader.conn(), &authed.actor, id).await?;
    let children =
        units::all(&mut reader.conn(), &authed.actor, &UnitFilter { parent: Some(id), ..Default::default() }).await?;
    let can_see_people = authed.actor.can(Permission::ViewUsers);
    let mut people = Vec::new();
    if can_see_people {
        let list = users::list(
            &mut reader.conn(),
            &authed.actor,
            &UserFilter { unit: Some(i64::from(id)), ..Default::default() },
            PageRequest::new(Some(1), Some(100)),
        )
        .await?;
        people = list
            .data
            .into_iter()
            .map(|u| UserLine {
                id: u.row.id,
                roles: u
                    .grants
                    .iter()
                    .filter(|g| g.unit.id == id.0)
                    .map(|g| g.role_label)
                    .collect::<Vec<_>>()
                    .join("、"),
                name: u.row.display_name,
                username: u.row.username,
            })
            .collect();
    }
    let mut history = Vec::new();
    if authed.actor.can(Permission::ViewAudit) {
        history = audit::for_object(&mut reader.conn(), &authed.actor, "unit", &id.to_string(), 50)
            .await?
            .into_iter()
            .rev()
            .map(|e| HistoryLine {
                at: view::time(&e.at),
                actor: crate::pages::audit::actor_label(&e.actor_name, e.actor_id.is_some()),
                action: crate::pages::audit::action_label(&e.action),
                detail: crate::pages::audit::change_summary(&e.change),
            })
            .collect();
    }
    drop(reader);
    let title = unit.name.clone();
    render(&ShowPage {
        shell: shell(&state, &authed, "units", title.clone(), &[("组织机构", Some("/units")), (&title, None)])
            .await
            .flash(flash::from_code(d.done.as_deref())),
        kind: unit.kind_label().to_string(),
        region: view::or_dash(&unit.region),
        created: view::time(&unit.created_at),
        updated: view::time(&unit.updated_at),
        children: children.iter().map(|u| UnitLine::from(u, unit.depth + 1)).collect(),
        people,
        history,
        can_webhooks: authed.actor.can(Permission::ManageUnits) || authed.actor.can(Permission::ManageItems),
        can_manage: authed.actor.can(Permission::ManageUnits),
        can_see_people,
        unit,
    })
}
