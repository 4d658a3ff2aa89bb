//! Supervision items (督导事项) in storage: creating and splitting, reading within scope, taking
//! lifecycle actions, the escalation job, attachments.

pub mod act;
pub mod attachments;
pub mod batch;
pub mod create;
pub mod escalate;
pub mod notify;
pub mod query;
pub mod recount;
mod row;

pub use row::{ItemRow, UnitLink};

use bangdu_domain::item::{ActorFacts, ItemFacts, ItemState};
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_domain::scope::{RecordRef, Scope, UnitRef};
use bangdu_domain::{UnitId, UserId};

use crate::actor::Actor;

/// The units of an item with their paths, as scope checks need them.
#[derive(Clone, Debug)]
pub struct ItemUnitsOf {
    pub links: Vec<UnitLink>,
}

impl ItemUnitsOf {
    pub fn refs(&self) -> Vec<UnitRef<'_>> {
        self.links.iter().map(|l| UnitRef { id: UnitId(l.unit_id), path: &l.path }).collect()
    }
}

/// In which capacities `actor` may act on this item (see the lifecycle's `ActorFacts`). An office
/// *sees* an item through any of its units, but *owns* it only through the unit that registered
/// it: its jurisdiction (the office's unit and below, or its data scope) must cover that unit.
pub fn actor_facts(actor: &Actor, item: &ItemRow, units: &ItemUnitsOf) -> ActorFacts {
    let refs = units.refs();
    let record = RecordRef { units: &refs, owner: item.created_by.map(UserId) };
    let owner_refs: Vec<UnitRef<'_>> = units
        .links
        .iter()
        .filter(|l| l.role == "owner")
        .map(|l| UnitRef { id: UnitId(l.unit_id), path: &l.path })
        .collect();
    let registered = RecordRef { units: &owner_refs, owner: item.created_by.map(UserId) };
    let office_scope = || {
        let grants: Vec<_> = actor.grants.iter().filter(|g| g.role == Role::Office).cloned().collect();
        actor.user_id.filter(|_| !grants.is_empty()).map(|u| Scope::from_grants(u, &grants))
    };
    let in_scope_as = |role: Role| {
        let grants: Vec<_> = actor.grants.iter().filter(|g| g.role == role).cloned().collect();
        !grants.is_empty() && actor.user_id.is_some_and(|u| Scope::from_grants(u, &grants).permits(&record))
    };
    ActorFacts {
        user: actor.user_id,
        owner: actor.is_system() || office_scope().is_some_and(|scope| scope.permits(&registered)),
        office: actor.is_system() || in_scope_as(Role::Office),
        unit: item
            .responsible_unit_id
            .is_some_and(|unit| actor.grants.iter().any(|g| g.role == Role::Unit && g.unit == UnitId(unit))),
        inspector: in_scope_as(Role::Inspector),
    }
}

pub fn item_facts(item: &ItemRow) -> ItemFacts {
    ItemFacts {
        state: item.state(),
        paused: item.paused_since.is_some(),
        extension_pending: item.ext_deadline.is_some(),
        close_requested_by: item.close_requested_by.map(UserId),
    }
}

/// The scope in which the actor sees items (every role sees items in its data scope).
pub(crate) fn view_scope(actor: &Actor) -> Scope {
    actor.scope(Permission::ViewItems)
}

pub fn is_open(state: ItemState) -> bool {
    state.is_open()
}
