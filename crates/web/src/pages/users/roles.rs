//! Giving a user a role (replacing the one they hold in that unit) and taking one away.

use super::{change, managed};
use crate::auth::{Authed, PageUser};
use crate::error::WebResult;
use crate::extract::{Id, Ids};
use crate::input::fields::split_list;
use crate::input::users::{GrantIn, resolve_grants, single_grant_fields};
use crate::pages::errors::PageResult;
use crate::pages::forms::{CsrfForm, NoFields};
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::{GrantId, UnitId, UserId};
use bangdu_store::grants::{GrantInput, GrantView};
use bangdu_store::users::{self, User, UserChanges};
use serde::Deserialize;

/// A grant the user holds, as it would be given again.
fn grant_input(g: &GrantView) -> Option<GrantInput> {
    Some(GrantInput {
        role: Role::parse(&g.role)?,
        unit: UnitId(g.unit.id),
        data_scope: DataScope::parse(&g.data_scope),
        custom_units: g.custom_units.iter().map(|u| UnitId(u.id)).collect(),
    })
}

fn current_grants(user: &User) -> Vec<GrantInput> {
    user.grants.iter().filter_map(grant_input).collect()
}

async fn set_grants(state: &AppState, authed: &Authed, id: UserId, grants: Vec<GrantInput>) -> WebResult<()> {
    let mut tx = state.db.begin().await?;
    users::update(&mut tx.conn(), &authed.actor, id, UserChanges { grants: Some(grants), ..UserChanges::default() })
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub data_scope: String,
    /// Unit codes for a custom scope, separated by commas or spaces.
    #[serde(default)]
    pub custom_units: String,
}

impl RoleForm {
    fn to_grant(&self) -> GrantIn {
        GrantIn {
            role: self.role.clone(),
            unit: self.unit.clone(),
            data_scope: Some(self.data_scope.clone()),
            custom_units: split_list(&self.custom_units),
        }
    }
}

pub async fn add_role(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> PageResult {
    change(&state, &authed, id, "roles", async {
        let user = managed(&state, &authed, id).await?;
        let grant = {
            let mut reader = state.db.reader().await?;
            resolve_grants(&mut reader.conn(), &authed.actor, &[form.to_grant()])
                .await
                .map_err(single_grant_fields)?
                .remove(0)
        };
        let mut grants = current_grants(&user);
        grants.retain(|g| !(g.role == grant.role && g.unit == grant.unit));
        grants.push(grant);
        set_grants(&state, &authed, id, grants).await
    })
    .await
}

pub async fn remove_role(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, grant): Ids<UserId, GrantId>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> PageResult {
    change(&state, &authed, id, "roles", async {
        let user = managed(&state, &authed, id).await?;
        let keep: Vec<GrantInput> = user.grants.iter().filter(|g| g.id != grant.0).filter_map(grant_input).collect();
        set_grants(&state, &authed, id, keep).await
    })
    .await
}
