//! Who is acting: a signed-in person with their role grants, the system itself, or the public.
//! Every storage function that reads or writes data takes an `Actor` and derives what it may see
//! from the permission the operation needs (`Actor::scope`, used only inside this crate), so scope
//! and audit are never optional and callers never choose a scope.
//!
//! Only two kinds of actor see more than a signed-in person, and both are named where they are
//! made, so a reviewer can list every such place (`Actor::system(`, `Actor::public(`):
//! - the system — background jobs, the demo, migrations and the command line's admin commands,
//!   run by whoever has the machine;
//! - the public — anybody on the pages without sign-in: it sees what those pages show (every
//!   project's public facts and the units they name) and may rate and like, nothing else.

use bangdu_domain::UserId;
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_domain::scope::{Grant, Scope};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    /// A signed-in person (or one trying to sign in), limited by their grants.
    Person,
    /// The system acting on its own, or an operator at the command line: everything.
    System,
    /// Anybody on the public pages.
    Public,
}

/// What the public may do: read projects (the public pages show every project's public facts) and
/// units (the public table is filtered by unit, and every board names its units).
const PUBLIC: &[Permission] = &[Permission::ViewProjects, Permission::ViewUnits, Permission::PublicAppeals];

#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: ActorKind,
    /// The person's account; `None` for the system, the public and an unknown name signing in.
    pub user_id: Option<UserId>,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// Where the request came from, for the audit log.
    pub source_ip: Option<String>,
    /// How the actor authenticated: `session`, `token`, `cli`, `public` or what the system runs.
    pub via: &'static str,
}

impl Actor {
    /// The system acting on its own (migrations, background jobs, the demo) or an operator at the
    /// command line, who has the machine and therefore everything.
    pub fn system(via: &'static str) -> Actor {
        Actor {
            kind: ActorKind::System,
            user_id: None,
            username: via.to_string(),
            display_name: "系统".into(),
            grants: Vec::new(),
            source_ip: None,
            via,
        }
    }

    /// Anybody on the public pages, without signing in.
    pub fn public() -> Actor {
        Actor {
            kind: ActorKind::Public,
            user_id: None,
            username: "public".into(),
            display_name: "公众".into(),
            grants: Vec::new(),
            source_ip: None,
            via: "public",
        }
    }

    /// A signed-in person with their grants.
    pub fn person(
        user: UserId,
        username: String,
        display_name: String,
        grants: Vec<Grant>,
        via: &'static str,
    ) -> Actor {
        Actor { kind: ActorKind::Person, user_id: Some(user), username, display_name, grants, source_ip: None, via }
    }

    pub fn is_system(&self) -> bool {
        self.kind == ActorKind::System
    }

    pub fn roles(&self) -> BTreeSet<Role> {
        self.grants.iter().map(|g| g.role).collect()
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the actor holds the permission at all (pages use it to decide what to offer; the
    /// store checks it again, with the records, for every operation).
    pub fn can(&self, permission: Permission) -> bool {
        match self.kind {
            ActorKind::System => true,
            ActorKind::Public => PUBLIC.contains(&permission),
            ActorKind::Person => self.grants.iter().any(|g| permission.granted_to(g.role)),
        }
    }

    /// The records this actor may touch for one purpose. Only storage derives scopes.
    pub(crate) fn scope(&self, permission: Permission) -> Scope {
        match (self.kind, self.user_id) {
            (ActorKind::System, _) => Scope::everything(),
            (ActorKind::Public, _) if PUBLIC.contains(&permission) => Scope::everything(),
            (ActorKind::Person, Some(user)) => Scope::for_permission(user, &self.grants, permission),
            _ => Scope::default(),
        }
    }

    /// The records this actor may touch for one purpose, or `Forbidden` when it may not do that at
    /// all. Every operation that needs a permission starts here, so the check is made once, in the
    /// store, whichever page, API route or command calls it.
    pub(crate) fn require(&self, permission: Permission) -> crate::Result<Scope> {
        if !self.can(permission) {
            return Err(crate::StoreError::Forbidden);
        }
        Ok(self.scope(permission))
    }

    /// All the actor's roles (`office,leader`), for events not tied to one permission (signing in).
    pub fn role_codes(&self) -> Option<String> {
        if self.kind != ActorKind::Person {
            return Some(self.via.to_string());
        }
        let roles: Vec<&str> = self.roles().into_iter().map(|r| r.code()).collect();
        (!roles.is_empty()).then(|| roles.join(","))
    }

    /// The roles under which the actor may do this, as the audit log records them.
    pub fn acting_roles(&self, permission: Permission) -> Option<String> {
        if self.kind != ActorKind::Person {
            return Some(self.via.to_string());
        }
        let roles: BTreeSet<&str> =
            self.grants.iter().filter(|g| permission.granted_to(g.role)).map(|g| g.role.code()).collect();
        (!roles.is_empty()).then(|| roles.into_iter().collect::<Vec<_>>().join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_reads_projects_and_units_and_nothing_else() {
        let public = Actor::public();
        assert!(public.can(Permission::ViewProjects));
        assert!(public.scope(Permission::ViewProjects).all);
        assert!(public.scope(Permission::ViewUnits).all);
        for other in [
            Permission::ViewItems,
            Permission::ViewUsers,
            Permission::ManageProjects,
            Permission::ReportProjects,
            Permission::ManageUnits,
            Permission::ViewAudit,
        ] {
            assert!(!public.can(other), "{other:?}");
            assert!(public.scope(other).is_empty(), "{other:?}");
        }
        assert!(!public.is_system());
        assert_eq!(public.acting_roles(Permission::ViewProjects).as_deref(), Some("public"));
    }

    #[test]
    fn a_person_without_grants_sees_nothing() {
        let nobody = Actor::person(UserId(7), "x".into(), "X".into(), vec![], "session");
        assert!(!nobody.can(Permission::ViewItems));
        assert!(nobody.scope(Permission::ViewItems).is_empty());
        assert!(Actor::system("cli").scope(Permission::ManageUsers).all);
    }
}
