//! What each role may do. Scope (which records) is separate: see [`crate::scope`].

use crate::role::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See units in scope (everyone needs the organisation to make sense of their work).
    ViewUnits,
    /// Create, edit, move, deactivate and import units.
    ManageUnits,
    /// See user accounts in scope.
    ViewUsers,
    /// Create users, change their roles, reset passwords, unlock accounts, revoke tokens.
    ManageUsers,
    /// Load holiday years into the working-day calendar.
    ManageCalendar,
    /// Change system settings (e.g. the audit hash algorithm).
    ManageSettings,
    /// Read and verify the audit log.
    ViewAudit,
    /// See supervision items in scope.
    ViewItems,
    /// Register items (立项): the supervision office, and leaders whose instructions (批示) become items.
    CreateItems,
    /// Decompose items into children for other units (剥笋), manage webhooks of units in scope.
    ManageItems,
    /// See projects (为民办实事 etc.) in scope.
    ViewProjects,
    /// Register, edit and import projects, check monthly reports, freeze periods (季度收账/年度清账).
    ManageProjects,
    /// Submit the monthly report (月度记账) of a project the unit leads.
    ReportProjects,
    /// See the personnel pool (人员库) kept by offices in scope; phone numbers need `ManagePool`.
    ViewPool,
    /// Add, edit and import pool members, their conflicts and absences.
    ManagePool,
    /// See campaigns, rounds, targets and teams in scope (帮督人员 see the rounds they serve on).
    ViewInspections,
    /// Create campaigns and rounds, draw targets, form teams, override with a reason.
    ManageInspections,
    /// See citizens' appeals in scope: an office those of its area, a unit those it handles.
    ViewAppeals,
    /// Import 12345 exports, send appeals on as items (转办), enter phone-back ratings, record
    /// 吐槽大会 meetings.
    ManageAppeals,
    /// See a caller's name and phone in clear (personal data): the office and the handling unit,
    /// who call the citizen back.
    ViewCallers,
    /// Submit an appeal and follow appeals as the public sees them (Open311's requests, a tracking
    /// link): the content, place, category, state and answer, never who appealed.
    PublicAppeals,
}

impl Permission {
    pub fn granted_to(self, role: Role) -> bool {
        match self {
            Permission::ViewUnits | Permission::ViewItems | Permission::ViewProjects => true,
            Permission::ManageProjects | Permission::ManagePool | Permission::ManageInspections => role == Role::Office,
            Permission::PublicAppeals => true,
            Permission::ViewAppeals => matches!(role, Role::Admin | Role::Office | Role::Leader | Role::Unit),
            Permission::ManageAppeals => role == Role::Office,
            Permission::ViewCallers => matches!(role, Role::Office | Role::Unit),
            Permission::ViewPool => matches!(role, Role::Admin | Role::Office | Role::Leader),
            Permission::ViewInspections => matches!(role, Role::Admin | Role::Office | Role::Leader | Role::Inspector),
            Permission::ReportProjects => matches!(role, Role::Office | Role::Unit),
            Permission::CreateItems => matches!(role, Role::Office | Role::Leader),
            Permission::ManageItems => role == Role::Office,
            Permission::ViewUsers => matches!(role, Role::Admin | Role::Office | Role::Leader),
            Permission::ManageUnits
            | Permission::ManageUsers
            | Permission::ManageCalendar
            | Permission::ManageSettings
            | Permission::ViewAudit => role == Role::Admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_manages() {
        for role in Role::ALL {
            assert_eq!(Permission::ManageUnits.granted_to(role), role == Role::Admin);
            assert_eq!(Permission::ManageUsers.granted_to(role), role == Role::Admin);
            assert_eq!(Permission::ViewAudit.granted_to(role), role == Role::Admin);
            assert!(Permission::ViewUnits.granted_to(role));
        }
        assert!(Permission::ViewUsers.granted_to(Role::Office));
        assert!(!Permission::ViewUsers.granted_to(Role::Unit));
    }
}
