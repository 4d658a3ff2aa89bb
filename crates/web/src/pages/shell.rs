//! The layout around every signed-in page: a menu by role, the top bar with the user's unit and
//! roles, a breadcrumb and a flash message.

use crate::auth::Authed;
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;

pub struct MenuItem {
    pub key: &'static str,
    pub label: &'static str,
    pub href: &'static str,
    pub icon: &'static str,
    pub active: bool,
}

pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

pub struct Flash {
    /// `success`, `error`, `info` (a CSS class).
    pub kind: &'static str,
    pub text: String,
}

pub struct Shell {
    pub title: String,
    pub user_name: String,
    pub role_labels: String,
    pub unit_name: String,
    pub menu: Vec<MenuItem>,
    pub crumbs: Vec<Crumb>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub version: &'static str,
    pub must_change_password: bool,
    /// Unread notifications, for the badge in the top bar.
    pub unread: i64,
}

mod icons {
    pub const HOME: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 11 12 4l9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/></svg>"#;
    pub const ORG: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 3h6v5H9zM3 16h6v5H3zm12 0h6v5h-6zM12 8v4M6 16v-4h12v4"/></svg>"#;
    pub const USERS: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="9" cy="8" r="4"/><path d="M2 21c0-4 3-7 7-7s7 3 7 7M16 4a4 4 0 0 1 0 8M22 21c0-3-2-6-5-7"/></svg>"#;
    pub const CALENDAR: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="5" width="18" height="16" rx="1"/><path d="M3 10h18M8 3v4M16 3v4"/></svg>"#;
    pub const AUDIT: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6z"/><path d="m9 12 2 2 4-4"/></svg>"#;
    pub const SETTINGS: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="3"/><path d="M12 2v3m0 14v3M2 12h3m14 0h3M4.9 4.9 7 7m10 10 2.1 2.1M4.9 19.1 7 17m10-10 2.1-2.1"/></svg>"#;
    pub const ITEMS: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 5h11M9 12h11M9 19h11M4 5h.01M4 12h.01M4 19h.01"/></svg>"#;
    pub const BOARD: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="4" width="5" height="16" rx="1"/><rect x="10" y="4" width="5" height="10" rx="1"/><rect x="17" y="4" width="4" height="13" rx="1"/></svg>"#;
    pub const LISTS: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5M9 13h7M9 17h7"/></svg>"#;
    pub const INBOX: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 13h4l2 3h4l2-3h4"/><path d="M4 13 6 5h12l2 8v6H4z"/></svg>"#;
    pub const PROJECTS: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 21V5l8-2 8 2v16"/><path d="M9 21v-5h6v5M8 8h2m4 0h2M8 12h2m4 0h2"/></svg>"#;
    pub const APPEALS: &str =
        r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v11H9l-5 4z"/><path d="M8 9h8M8 12h5"/></svg>"#;
    pub const POOL: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="8" cy="8" r="3"/><circle cx="16" cy="8" r="3"/><path d="M2 20c0-3 3-5 6-5s6 2 6 5M12 20c0-3 2-5 4-5 3 0 6 2 6 5"/></svg>"#;
    pub const INSPECT: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h10l6 6v10H4z"/><circle cx="11" cy="13" r="3"/><path d="m13 15 3 3"/></svg>"#;
    pub const ACCOUNT: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-7 8-7s8 3 8 7"/></svg>"#;
}

fn menu_for(authed: &Authed, active: &str) -> Vec<MenuItem> {
    let actor = &authed.actor;
    let mut items = vec![("home", "首页", "/", icons::HOME)];
    if actor.can(Permission::ViewProjects) {
        items.push(("projects", "项目", "/projects", icons::PROJECTS));
    }
    if actor.can(Permission::ViewItems) {
        items.push(("items", "督导事项", "/items", icons::ITEMS));
        items.push(("board", "挂图作战", "/items/board", icons::BOARD));
        items.push(("lists", "三张清单", "/lists", icons::LISTS));
    }
    if actor.can(Permission::ViewInspections) {
        items.push(("inspections", "帮督行动", "/inspections", icons::INSPECT));
        if actor.has_role(Role::Inspector) {
            items.push(("visits", "现场督查", "/visits", icons::INSPECT));
        }
    }
    if actor.can(Permission::ViewAppeals) {
        items.push(("appeals", "群众诉求", "/appeals", icons::APPEALS));
    }
    if actor.can(Permission::ViewPool) {
        items.push(("pool", "人员库", "/pool", icons::POOL));
    }
    items.push(("inbox", "消息", "/inbox", icons::INBOX));
    if actor.can(Permission::ViewUnits) {
        items.push(("units", "组织机构", "/units", icons::ORG));
    }
    if actor.can(Permission::ViewUsers) {
        items.push(("users", "用户管理", "/users", icons::USERS));
    }
    items.push(("calendar", "工作日历", "/calendar", icons::CALENDAR));
    if actor.can(Permission::ViewAudit) {
        items.push(("audit", "审计日志", "/audit", icons::AUDIT));
    }
    if actor.can(Permission::ManageSettings) {
        items.push(("settings", "系统设置", "/settings", icons::SETTINGS));
    }
    items.push(("account", "个人中心", "/account", icons::ACCOUNT));
    items
        .into_iter()
        .map(|(key, label, href, icon)| MenuItem { key, label, href, icon, active: key == active })
        .collect()
}

impl Shell {
    /// `active` is the menu key; `crumbs` are (label, link) after 首页.
    pub fn new(authed: &Authed, active: &str, title: impl Into<String>, crumbs: &[(&str, Option<&str>)]) -> Shell {
        let roles = authed.actor.roles();
        let role_labels = if roles.is_empty() {
            "未分配角色".to_string()
        } else {
            roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
        };
        let mut all_crumbs = vec![Crumb { label: "首页".into(), href: Some("/".into()) }];
        all_crumbs
            .extend(crumbs.iter().map(|(label, href)| Crumb { label: (*label).into(), href: href.map(Into::into) }));
        Shell {
            title: title.into(),
            user_name: authed.user.display_name.clone(),
            role_labels,
            unit_name: String::new(),
            menu: menu_for(authed, active),
            crumbs: all_crumbs,
            csrf: authed.session.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default(),
            flash: None,
            version: crate::assets::VERSION,
            must_change_password: authed.user.must_change_password,
            unread: 0,
        }
    }

    pub fn with_unit(mut self, unit_name: String) -> Shell {
        self.unit_name = unit_name;
        self
    }

    pub fn flash(mut self, flash: Option<Flash>) -> Shell {
        self.flash = flash;
        self
    }

    pub fn is_admin(authed: &Authed) -> bool {
        authed.actor.has_role(Role::Admin)
    }
}

/// The shell for a page, with the user's first unit in the top bar.
pub async fn shell(
    state: &crate::state::AppState,
    authed: &Authed,
    active: &str,
    title: impl Into<String>,
    crumbs: &[(&str, Option<&str>)],
) -> Shell {
    let (unit, unread) = match state.db.reader().await {
        Ok(mut reader) => {
            let unit = bangdu_store::grants::for_users(&mut reader.conn(), &[authed.user.id])
                .await
                .ok()
                .and_then(|mut by_user| by_user.remove(&authed.user.id))
                .and_then(|grants| grants.into_iter().next())
                .map(|g| g.unit.name)
                .unwrap_or_default();
            let unread = bangdu_store::inbox::unread_total(&mut reader.conn(), bangdu_domain::UserId(authed.user.id))
                .await
                .unwrap_or(0);
            (unit, unread)
        }
        Err(_) => (String::new(), 0),
    };
    let mut shell = Shell::new(authed, active, title, crumbs).with_unit(unit);
    shell.unread = unread;
    shell
}
