//! Projects (为民办实事 / 民生微实事 / 重点项目) in storage: registering and editing them, monthly
//! reports and their checking, lights and their history, the quoted figures, freezes (季度收账 /
//! 年度清账), and importing the published tables.

pub mod checks;
pub mod create;
pub mod feedback;
pub mod files;
pub mod freeze;
pub mod import;
pub mod input;
mod light_timeline;
pub mod lights;
pub mod query;
pub mod reports;
mod row;
pub mod stats;
pub mod supervise;

pub use row::{ProjectRow, StoredMilestone, milestones_json, parse_milestones};

use crate::tables::{ProjectUnits, Projects, Units};
use bangdu_domain::permission::Permission;
use bangdu_domain::scope::Scope;
use sea_query::{Alias, Condition, Expr, ExprTrait, Query};

use crate::actor::Actor;

/// The scope in which the actor sees projects; `Forbidden` for an account with no role at all.
pub(crate) fn view_scope(actor: &Actor) -> crate::Result<Scope> {
    actor.require(Permission::ViewProjects)
}

/// A project is visible when one of its units (owner, lead, co-operating, manager) is in scope, or
/// (self scope) when the user registered it.
pub(crate) fn visible(scope: &Scope) -> Option<Condition> {
    if scope.all {
        return None;
    }
    let never = || Condition::all().add(Expr::cust("1 = 0"));
    if scope.is_empty() {
        return Some(never());
    }
    let (pu, su) = (Alias::new("scope_pu"), Alias::new("scope_su"));
    let units = crate::scope_sql::unit_condition(scope, (pu.clone(), ProjectUnits::UnitId), (su.clone(), Units::Path));
    let mut any = Condition::any();
    if !units.is_empty() {
        any = any.add(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from_as(ProjectUnits::Table, pu.clone())
                .join_as(
                    sea_query::JoinType::InnerJoin,
                    Units::Table,
                    su.clone(),
                    Expr::col((su.clone(), Units::Id)).equals((pu.clone(), ProjectUnits::UnitId)),
                )
                .and_where(Expr::col((pu, ProjectUnits::ProjectId)).equals((Projects::Table, Projects::Id)))
                .cond_where(units)
                .to_owned(),
        ));
    }
    if let (true, Some(user)) = (scope.own_records, scope.user) {
        any = any.add(Expr::col((Projects::Table, Projects::CreatedBy)).eq(user.0));
    }
    Some(if any.is_empty() { never() } else { any })
}

/// May the actor manage this project (edit it, check its reports)? An office whose scope covers it.
pub fn can_manage(actor: &Actor, project: &ProjectRow, unit_paths: &[(i64, String)]) -> bool {
    linked_in_scope(actor, Permission::ManageProjects, project, unit_paths)
}

/// May the actor report on this project? Its lead unit's liaison, or an office that manages it.
pub fn can_report(actor: &Actor, project: &ProjectRow, unit_paths: &[(i64, String)]) -> bool {
    actor.is_system()
        || actor.grants.iter().any(|g| g.role == bangdu_domain::role::Role::Unit && g.unit.0 == project.lead_unit_id)
        || can_manage(actor, project, unit_paths)
}

fn linked_in_scope(actor: &Actor, permission: Permission, project: &ProjectRow, unit_paths: &[(i64, String)]) -> bool {
    if actor.is_system() {
        return true;
    }
    if !actor.can(permission) {
        return false;
    }
    let scope = actor.scope(permission);
    let refs: Vec<bangdu_domain::scope::UnitRef<'_>> = unit_paths
        .iter()
        .map(|(id, path)| bangdu_domain::scope::UnitRef { id: bangdu_domain::UnitId(*id), path })
        .collect();
    scope.permits(&bangdu_domain::scope::RecordRef {
        units: &refs,
        owner: project.created_by.map(bangdu_domain::UserId),
    })
}
