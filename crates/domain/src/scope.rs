//! Data scope: which records a user may see, as the union of what each of their role grants allows.
//!
//! The storage layer turns a [`Scope`] into SQL once for every list and get; [`Scope::permits`] is the
//! same rule for one record in Rust, and a property test checks that both always agree.

use crate::ids::{UnitId, UserId};
use crate::permission::Permission;
use crate::role::{DataScope, Role};
use std::collections::BTreeSet;

/// One role a user holds in one unit, with its data scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub unit: UnitId,
    /// Materialised path of the grant's unit, e.g. `/1/4/9/`: ids from the root down.
    pub unit_path: String,
    pub data_scope: DataScope,
    /// The chosen units when `data_scope` is `Custom`.
    pub custom_units: Vec<UnitId>,
}

/// The records a user may see for one purpose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub user: Option<UserId>,
    /// Everything.
    pub all: bool,
    /// These units exactly.
    pub units: BTreeSet<UnitId>,
    /// Every unit whose path starts with one of these paths (the unit and all below it).
    pub subtrees: BTreeSet<String>,
    /// Records the user created or that are about the user.
    pub own_records: bool,
}

/// A unit a record belongs to, with its materialised path.
#[derive(Clone, Copy, Debug)]
pub struct UnitRef<'a> {
    pub id: UnitId,
    pub path: &'a str,
}

/// What scope checks need to know about one record.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    /// The units the record belongs to (a user belongs to the units of their grants).
    pub units: &'a [UnitRef<'a>],
    /// The user who created the record, or whom it is about.
    pub owner: Option<UserId>,
}

impl Scope {
    /// Everything, for the system itself (CLI, background jobs).
    pub fn everything() -> Scope {
        Scope { all: true, ..Scope::default() }
    }

    /// The union of the given grants' scopes.
    pub fn from_grants<'a>(user: UserId, grants: impl IntoIterator<Item = &'a Grant>) -> Scope {
        let mut scope = Scope { user: Some(user), ..Scope::default() };
        for grant in grants {
            match grant.data_scope {
                DataScope::All => scope.all = true,
                DataScope::Custom => scope.units.extend(grant.custom_units.iter().copied()),
                DataScope::Unit => {
                    scope.units.insert(grant.unit);
                }
                DataScope::UnitAndBelow => {
                    scope.subtrees.insert(grant.unit_path.clone());
                }
                DataScope::SelfOnly => scope.own_records = true,
            }
        }
        scope.simplify();
        scope
    }

    /// The scope for one function: only grants whose role has the permission count
    /// ("narrowed per function", DESIGN §1).
    pub fn for_permission(user: UserId, grants: &[Grant], permission: Permission) -> Scope {
        Scope::from_grants(user, grants.iter().filter(|g| permission.granted_to(g.role)))
    }

    /// True when no record at all can be seen.
    pub fn is_empty(&self) -> bool {
        !self.all && self.units.is_empty() && self.subtrees.is_empty() && !self.own_records
    }

    /// Whether this scope lets its user see the record.
    pub fn permits(&self, record: &RecordRef<'_>) -> bool {
        if self.all {
            return true;
        }
        let unit_visible = record.units.iter().any(|unit| {
            self.units.contains(&unit.id) || self.subtrees.iter().any(|root| unit.path.starts_with(root.as_str()))
        });
        let own = self.own_records && record.owner.is_some() && record.owner == self.user;
        unit_visible || own
    }

    /// Whether a unit itself (as the place a new record is put, or a unit being edited) is in scope.
    pub fn covers_unit(&self, unit: UnitRef<'_>) -> bool {
        self.permits(&RecordRef { units: &[unit], owner: None })
    }

    /// Drops subtrees inside other subtrees, and everything when `all` is set, so the SQL stays short.
    fn simplify(&mut self) {
        if self.all {
            self.units.clear();
            self.subtrees.clear();
            self.own_records = false;
            return;
        }
        let roots: Vec<String> = self.subtrees.iter().cloned().collect();
        self.subtrees.retain(|path| !roots.iter().any(|other| other != path && path.starts_with(other.as_str())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, unit: i64, path: &str, scope: DataScope) -> Grant {
        Grant { role, unit: UnitId(unit), unit_path: path.into(), data_scope: scope, custom_units: vec![] }
    }

    fn rec<'a>(units: &'a [UnitRef<'a>], owner: Option<i64>) -> RecordRef<'a> {
        RecordRef { units, owner: owner.map(UserId) }
    }

    #[test]
    fn unit_and_below_sees_descendants_not_siblings() {
        let scope = Scope::from_grants(UserId(1), &[grant(Role::Office, 2, "/1/2/", DataScope::UnitAndBelow)]);
        assert!(scope.permits(&rec(&[UnitRef { id: UnitId(2), path: "/1/2/" }], None)));
        assert!(scope.permits(&rec(&[UnitRef { id: UnitId(5), path: "/1/2/5/" }], None)));
        assert!(!scope.permits(&rec(&[UnitRef { id: UnitId(3), path: "/1/3/" }], None)));
        assert!(!scope.permits(&rec(&[UnitRef { id: UnitId(1), path: "/1/" }], None)));
        // "/1/2/" must not match "/1/22/": paths end with a slash for exactly this reason.
        assert!(!scope.permits(&rec(&[UnitRef { id: UnitId(22), path: "/1/22/" }], None)));
    }

    #[test]
    fn own_unit_and_self_and_custom() {
        let mut custom = grant(Role::Leader, 9, "/9/", DataScope::Custom);
        custom.custom_units = vec![UnitId(7)];
        let scope = Scope::from_grants(
            UserId(4),
            &[
                grant(Role::Unit, 3, "/1/3/", DataScope::Unit),
                grant(Role::Inspector, 3, "/1/3/", DataScope::SelfOnly),
                custom,
            ],
        );
        assert!(scope.permits(&rec(&[UnitRef { id: UnitId(3), path: "/1/3/" }], None)));
        assert!(!scope.permits(&rec(&[UnitRef { id: UnitId(8), path: "/1/3/8/" }], None)));
        assert!(scope.permits(&rec(&[UnitRef { id: UnitId(7), path: "/7/" }], None)));
        assert!(!scope.permits(&rec(&[UnitRef { id: UnitId(9), path: "/9/" }], None)));
        assert!(scope.permits(&rec(&[], Some(4))));
        assert!(!scope.permits(&rec(&[], Some(5))));
    }

    #[test]
    fn union_over_several_units_and_all_wins() {
        let scope = Scope::from_grants(
            UserId(1),
            &[grant(Role::Office, 2, "/1/2/", DataScope::UnitAndBelow), grant(Role::Admin, 1, "/1/", DataScope::All)],
        );
        assert!(scope.all);
        assert!(scope.permits(&rec(&[UnitRef { id: UnitId(99), path: "/99/" }], None)));
    }

    #[test]
    fn nested_subtrees_collapse() {
        let scope = Scope::from_grants(
            UserId(1),
            &[
                grant(Role::Office, 2, "/1/2/", DataScope::UnitAndBelow),
                grant(Role::Leader, 1, "/1/", DataScope::UnitAndBelow),
            ],
        );
        assert_eq!(scope.subtrees.into_iter().collect::<Vec<_>>(), vec!["/1/".to_string()]);
    }

    #[test]
    fn permission_narrows_the_grants_that_count() {
        let grants = [grant(Role::Admin, 2, "/1/2/", DataScope::All), grant(Role::Unit, 3, "/1/3/", DataScope::Unit)];
        let manage = Scope::for_permission(UserId(1), &grants, Permission::ManageUnits);
        assert!(manage.all);
        let only_unit = [grant(Role::Unit, 3, "/1/3/", DataScope::Unit)];
        assert!(Scope::for_permission(UserId(1), &only_unit, Permission::ManageUnits).is_empty());
        assert!(!Scope::for_permission(UserId(1), &only_unit, Permission::ViewUnits).is_empty());
    }

    #[test]
    fn no_grants_means_nothing() {
        let scope = Scope::from_grants(UserId(1), &[]);
        assert!(scope.is_empty());
        assert!(!scope.permits(&rec(&[UnitRef { id: UnitId(1), path: "/1/" }], Some(1))));
    }
}
