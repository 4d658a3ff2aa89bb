//! Turns a [`Scope`] into a SQL condition — the one place where "which records may this user see"
//! becomes a query. It must agree with `Scope::permits`; the property tests in `tests/` check that.

use crate::tables::{RoleGrants, Units};
use bangdu_domain::scope::Scope;
use sea_query::{Alias, Condition, Expr, ExprTrait, IntoColumnRef, JoinType, Query};

/// Nothing matches.
fn never() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

/// The unit part of a scope, for a unit whose id and path are the given columns.
pub(crate) fn unit_condition(
    scope: &Scope,
    unit_id: impl IntoColumnRef + Clone,
    unit_path: impl IntoColumnRef + Clone,
) -> Condition {
    let mut any = Condition::any();
    if !scope.units.is_empty() {
        any = any.add(Expr::col(unit_id).is_in(scope.units.iter().map(|u| u.0)));
    }
    for root in &scope.subtrees {
        // Paths hold only digits and slashes, so the prefix needs no LIKE escaping.
        any = any.add(Expr::col(unit_path.clone()).like(format!("{root}%")));
    }
    any
}

/// Records that belong to one unit (`unit_id`, joined to `units` as `unit_alias` for its path) and
/// may have an owner user (`owner`).
pub fn owned_by_unit(
    scope: &Scope,
    unit_id_col: impl IntoColumnRef + Clone,
    owner_col: Option<impl IntoColumnRef>,
) -> Option<Condition> {
    if scope.all {
        return None;
    }
    if scope.is_empty() {
        return Some(never());
    }
    let alias = Alias::new("scope_unit");
    let units = unit_condition(scope, (alias.clone(), Units::Id), (alias.clone(), Units::Path));
    let mut any = Condition::any();
    if !units.is_empty() {
        any = any.add(
            Expr::col(unit_id_col).in_subquery(
                Query::select()
                    .column((alias.clone(), Units::Id))
                    .from_as(Units::Table, alias)
                    .cond_where(units)
                    .to_owned(),
            ),
        );
    }
    if let (true, Some(user), Some(owner)) = (scope.own_records, scope.user, owner_col) {
        any = any.add(Expr::col(owner).eq(user.0));
    }
    Some(if any.is_empty() { never() } else { any })
}

/// For the `units` table itself: a unit is visible when it is in scope, or (self scope) when the
/// user created it.
pub fn units_visible(scope: &Scope) -> Option<Condition> {
    if scope.all {
        return None;
    }
    if scope.is_empty() {
        return Some(never());
    }
    let mut any = unit_condition(scope, (Units::Table, Units::Id), (Units::Table, Units::Path));
    if let (true, Some(user)) = (scope.own_records, scope.user) {
        any = any.add(Expr::col((Units::Table, Units::CreatedBy)).eq(user.0));
    }
    Some(if any.is_empty() { never() } else { any })
}

/// For the `users` table: a user is visible when one of their grants is in a unit in scope, or
/// (self scope) when it is the acting user.
pub fn users_visible(scope: &Scope, user_id_col: impl IntoColumnRef + Clone) -> Option<Condition> {
    if scope.all {
        return None;
    }
    if scope.is_empty() {
        return Some(never());
    }
    let alias = Alias::new("scope_unit");
    let units = unit_condition(scope, (alias.clone(), Units::Id), (alias.clone(), Units::Path));
    let mut any = Condition::any();
    if !units.is_empty() {
        any = any.add(
            Expr::col(user_id_col.clone()).in_subquery(
                Query::select()
                    .column((RoleGrants::Table, RoleGrants::UserId))
                    .from(RoleGrants::Table)
                    .join_as(
                        JoinType::InnerJoin,
                        Units::Table,
                        alias.clone(),
                        Expr::col((alias.clone(), Units::Id)).equals((RoleGrants::Table, RoleGrants::UnitId)),
                    )
                    .cond_where(units)
                    .to_owned(),
            ),
        );
    }
    if let (true, Some(user)) = (scope.own_records, scope.user) {
        any = any.add(Expr::col(user_id_col).eq(user.0));
    }
    Some(if any.is_empty() { never() } else { any })
}

/// The ids of the units whose subtrees a scope covers (the last id of each subtree path).
pub fn subtree_roots(scope: &Scope) -> Vec<i64> {
    scope.subtrees.iter().filter_map(|path| path.trim_end_matches('/').rsplit('/').next()?.parse().ok()).collect()
}

/// For items: an item is visible when one of its units (owner, responsible, lead, co-operating)
/// is in scope, or (self scope) when the user registered it. Read from `item_access`: a unit
/// exactly in scope must be linked to the item itself (`direct`); a subtree root sees every item
/// linked anywhere below it. Written as `EXISTS` on the item's own rows, so checking one item is a
/// primary-key lookup.
pub fn items_visible(scope: &Scope) -> Option<Condition> {
    use crate::tables::{ItemAccess, Items};
    if scope.all {
        return None;
    }
    if scope.is_empty() {
        return Some(never());
    }
    let access = Alias::new("scope_access");
    let rows = |units: Vec<i64>, direct: bool| {
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from_as(ItemAccess::Table, access.clone())
            .and_where(Expr::col((access.clone(), ItemAccess::ItemId)).equals((Items::Table, Items::Id)))
            .and_where(Expr::col((access.clone(), ItemAccess::UnitId)).is_in(units));
        if direct {
            select.and_where(Expr::col((access.clone(), ItemAccess::Direct)).eq(true));
        }
        Expr::exists(select)
    };
    let mut any = Condition::any();
    if !scope.units.is_empty() {
        any = any.add(rows(scope.units.iter().map(|u| u.0).collect(), true));
    }
    let roots = subtree_roots(scope);
    if !roots.is_empty() {
        any = any.add(rows(roots, false));
    }
    if let (true, Some(user)) = (scope.own_records, scope.user) {
        any = any.add(Expr::col((Items::Table, Items::CreatedBy)).eq(user.0));
    }
    Some(if any.is_empty() { never() } else { any })
}

/// For appeals: an appeal is visible when the office whose area it lies in (`owner_unit_id`) or the
/// unit that handles it (`handling_unit_id`) is in scope.
pub fn appeals_visible(scope: &Scope) -> Option<Condition> {
    use crate::tables::Appeals;
    let owner = owned_by_unit(scope, (Appeals::Table, Appeals::OwnerUnitId), None::<Appeals>)?;
    let handling = owned_by_unit(scope, (Appeals::Table, Appeals::HandlingUnitId), None::<Appeals>)?;
    Some(Condition::any().add(owner).add(handling))
}
