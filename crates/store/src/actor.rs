//! Who is acting: a signed-in user with their role grants, or the system itself (CLI, jobs).
//! Every storage function that reads or writes data takes an `Actor`, so scope and audit are
//! never optional.

use bangdu_domain::UserId;
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_domain::scope::{Grant, Scope};
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
pub struct Actor {
    /// `None` for the system.
    pub user_id: Option<UserId>,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// Where the request came from, for the audit log.
    pub source_ip: Option<String>,
    /// How the actor authenticated: `session`, `token`, `cli` or `system`.
    pub via: &'static str,
}

impl Actor {
    /// The system acting on its own (migrations, background jobs) or an operator at the command
    /// line, who has the machine and therefore everything.
    pub fn system(via: &'static str) -> Actor {
        Actor {
            user_id: None,
            username: via.to_string(),
            display_name: "系统".into(),
            grants: Vec::new(),
            source_ip: None,
            via,
        }
    }

    pub fn is_system(&self) -> bool {
        self.user_id.is_none()
    }

    pub fn roles(&self) -> BTreeSet<Role> {
        self.grants.iter().map(|g| g.role).collect()
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.is_system() || self.grants.iter().any(|g| permission.granted_to(g.role))
    }

    /// The records this actor may touch for one purpose.
    pub fn scope(&self, permission: Permission) -> Scope {
        match self.user_id {
            None => Scope::everything(),
            Some(user) => Scope::for_permission(user, &self.grants, permission),
        }
    }

    /// All the actor's roles (`office,leader`), for events not tied to one permission (signing in).
    pub fn role_codes(&self) -> Option<String> {
        if self.is_system() {
            return Some(self.via.to_string());
        }
        let roles: Vec<&str> = self.roles().into_iter().map(|r| r.code()).collect();
        (!roles.is_empty()).then(|| roles.join(","))
    }

    /// The roles under which the actor may do this, as the audit log records them.
    pub fn acting_roles(&self, permission: Permission) -> Option<String> {
        if self.is_system() {
            return Some(self.via.to_string());
        }
        let roles: BTreeSet<&str> =
            self.grants.iter().filter(|g| permission.granted_to(g.role)).map(|g| g.role.code()).collect();
        (!roles.is_empty()).then(|| roles.into_iter().collect::<Vec<_>>().join(","))
    }
}
