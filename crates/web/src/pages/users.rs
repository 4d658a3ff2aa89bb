//! 用户管理 pages: accounts, their roles, password resets, unlocking, tokens.

use super::errors::PageResult;
use super::flash;
use super::forms::CsrfForm;
use super::pager::Pager;
use super::shell::{Shell, shell};
use super::units::{UnitChoice, choices};
use super::{Done, done, render, require, view};
use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::extract::Ids;
use crate::input::page_request;
use crate::input::users::hash_password;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::permission::Permission;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::{GrantId, TokenId};
use bangdu_domain::{UnitId, UserId, password};
use bangdu_store::grants::{GrantInput, GrantView};
use bangdu_store::units::Picking;
use bangdu_store::users::{self, NewUser, User, UserChanges, UserFilter};
use bangdu_store::{audit, time, tokens, user_input};
use serde::Deserialize;

use super::choice::Choice;

fn role_options(selected: &str) -> Vec<Choice> {
    Role::ALL.iter().map(|r| Choice { code: r.code(), label: r.label(), selected: r.code() == selected }).collect()
}

fn scope_options(selected: &str) -> Vec<Choice> {
    let mut out = vec![Choice { code: "", label: "按角色默认", selected: selected.is_empty() }];
    out.extend(DataScope::ALL.iter().map(|s| Choice {
        code: s.code(),
        label: s.label(),
        selected: s.code() == selected,
    }));
    out
}

pub struct UserLine {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub roles: String,
    pub active: bool,
    pub locked: bool,
    pub last_sign_in: String,
}

fn roles_text(grants: &[GrantView]) -> String {
    if grants.is_empty() {
        return "—".into();
    }
    grants.iter().map(|g| format!("{}（{}）", g.role_label, g.unit.name)).collect::<Vec<_>>().join("、")
}

impl UserLine {
    fn from(u: &User) -> UserLine {
        UserLine {
            id: u.row.id,
            username: u.row.username.clone(),
            name: u.row.display_name.clone(),
            roles: roles_text(&u.grants),
            active: u.row.active,
            locked: u.is_locked(time::now()),
            last_sign_in: view::time_opt(&u.row.last_sign_in_at),
        }
    }
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<UserLine>,
    pager: Pager,
    q: String,
    roles: Vec<Choice>,
    active: String,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    pub q: Option<String>,
    pub role: Option<String>,
    pub active: Option<String>,
    pub page: Option<String>,
    pub done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    require(&authed, Permission::ViewUsers)?;
    let mut filter = UserFilter {
        q: p.q.clone(),
        active: crate::extract::parse_bool("active", &p.active)?,
        ..UserFilter::default()
    };
    filter.role = p.role.as_deref().and_then(Role::parse);
    let page = page_request(&p.page, &Some("50".into()))?;
    let paged = {
        let mut reader = state.db.reader().await?;
        users::list(&mut reader.conn(), &authed.actor, &filter, page).await?
    };
    let params = [
        ("q", p.q.clone().unwrap_or_default()),
        ("role", p.role.clone().unwrap_or_default()),
        ("active", p.active.clone().unwrap_or_default()),
    ];
    render(&ListPage {
        shell: shell(&state, &authed, "users", "用户管理", &[("用户管理", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        rows: paged.data.iter().map(UserLine::from).collect(),
        pager: Pager::new(&paged, "/users", &params),
        q: p.q.unwrap_or_default(),
        roles: role_options(p.role.as_deref().unwrap_or("")),
        active: p.active.unwrap_or_default(),
        can_manage: authed.actor.can(Permission::ManageUsers),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct NewUserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub must_change_password: Option<String>,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub data_scope: String,
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct NewPage {
    shell: Shell,
    form: NewUserForm,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    choices: Vec<UnitChoice>,
    error_field: String,
}

async fn new_page(state: &AppState, authed: &Authed, form: NewUserForm, error: Option<&WebError>) -> PageResult {
    let shell = shell(state, authed, "users", "新建用户", &[("用户管理", Some("/users")), ("新建用户", None)])
        .await
        .flash(error.and_then(|e| flash::error(e.message.clone())));
    render(&NewPage {
        shell,
        roles: role_options(&form.role),
        scopes: scope_options(&form.data_scope),
        choices: choices(state, authed, Picking::Grant).await?,
        error_field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
        form,
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    require(&authed, Permission::ManageUsers)?;
    let form = NewUserForm { must_change_password: Some("on".into()), role: "unit".into(), ..NewUserForm::default() };
    new_page(&state, &authed, form, None).await
}

async fn grant_from_form(
    state: &AppState,
    authed: &Authed,
    role: &str,
    unit: &str,
    scope: &str,
) -> Result<GrantInput, WebError> {
    let role = Role::parse(role).ok_or_else(|| WebError::invalid("role", "请选择角色"))?;
    if unit.trim().is_empty() {
        return Err(WebError::invalid("unit", "请填写角色所在单位"));
    }
    let mut reader = state.db.reader().await?;
    let unit = bangdu_store::grants::resolve_unit(&mut reader.conn(), &authed.actor, "unit", unit).await?;
    let data_scope = match scope.trim() {
        "" => None,
        s => Some(DataScope::parse(s).ok_or_else(|| WebError::invalid("data_scope", "未知数据范围"))?),
    };
    Ok(GrantInput { role, unit: UnitId(unit.id), data_scope, custom_units: vec![] })
}

async fn try_create(state: &AppState, authed: &Authed, form: &NewUserForm) -> Result<User, WebError> {
    let username = user_input::username(&form.username)?;
    let display_name = user_input::display_name(&form.display_name)?;
    let phone = user_input::phone(&form.phone)?;
    password::check_policy(&form.password, &username)?;
    let mut grants = Vec::new();
    if !form.unit.trim().is_empty() {
        grants.push(grant_from_form(state, authed, &form.role, &form.unit, &form.data_scope).await?);
    }
    let password_hash = hash_password(form.password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let user = users::create(
        &mut tx.conn(),
        &authed.actor,
        NewUser {
            username,
            display_name,
            phone,
            password_hash,
            must_change_password: form.must_change_password.is_some(),
            grants,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<NewUserForm>,
) -> PageResult {
    require(&authed, Permission::ManageUsers)?;
    match try_create(&state, &authed, &form).await {
        Ok(user) => Ok(done(&format!("/users/{}", user.row.id), "created")),
        Err(e) if e.status.is_client_error() => {
            let form = NewUserForm { password: String::new(), ..form };
            new_page(&state, &authed, form, Some(&e)).await
        }
        Err(e) => Err(e),
    }
}

pub struct GrantLine {
    pub id: i64,
    pub role: String,
    pub unit: String,
    pub unit_id: i64,
    pub scope: String,
    pub custom: String,
}

pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub state: String,
    pub active: bool,
}

pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct ShowPage {
    shell: Shell,
    user: User,
    grants: Vec<GrantLine>,
    tokens: Vec<TokenLine>,
    history: Vec<HistoryLine>,
    locked: bool,
    locked_until: String,
    last_sign_in: String,
    created: String,
    phone: String,
    can_manage: bool,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    choices: Vec<UnitChoice>,
}

pub fn token_lines(rows: Vec<tokens::TokenRow>) -> Vec<TokenLine> {
    let now = time::now();
    rows.into_iter()
        .map(|t| TokenLine {
            active: t.is_valid(now),
            state: if t.revoked_at.is_some() {
                "已吊销".into()
            } else if t.is_valid(now) {
                match &t.expires_at {
                    Some(e) => format!("有效至 {}", view::time(e)),
                    None => "长期有效".into(),
                }
            } else {
                "已过期".into()
            },
            id: i64::from(t.id),
            name: t.name,
            prefix: format!("{}…", t.prefix),
            created: view::time(&t.created_at),
            last_used: view::time_opt(&t.last_used_at),
        })
        .collect()
}

async fn show_page(state: &AppState, authed: &Authed, id: UserId, flash: Option<super::shell::Flash>) -> PageResult {
    let mut reader = state.db.reader().await?;
    let user = users::get(&mut reader.conn(), &authed.actor, id).await?;
    let can_manage = authed.actor.can(Permission::ManageUsers)
        && users::get_to_manage(&mut reader.conn(), &authed.actor, id).await.is_ok();
    let token_rows = if can_manage { tokens::list_for_user(&mut reader.conn(), id).await? } else { vec![] };
    let history = if authed.actor.can(Permission::ViewAudit) {
        audit::for_object(&mut reader.conn(), "user", &id.to_string(), 50)
            .await?
            .into_iter()
            .rev()
            .map(|e| HistoryLine {
                at: view::time(&e.at),
                actor: e.actor_name,
                action: super::audit::action_label(&e.action).to_string(),
                result: super::audit::result_label(&e.result).to_string(),
            })
            .collect()
    } else {
        vec![]
    };
    drop(reader);
    let now = time::now();
    let title = user.row.display_name.clone();
    render(&ShowPage {
        shell: shell(state, authed, "users", title.clone(), &[("用户管理", Some("/users")), (&title, None)])
            .await
            .flash(flash),
        grants: user
            .grants
            .iter()
            .map(|g| GrantLine {
                id: g.id,
                role: g.role_label.to_string(),
                unit: g.unit.name.clone(),
                unit_id: g.unit.id,
                scope: g.data_scope_label.to_string(),
                custom: g.custom_units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、"),
            })
            .collect(),
        tokens: token_lines(token_rows),
        history,
        locked: user.is_locked(now),
        locked_until: view::time_opt(&user.row.locked_until),
        last_sign_in: view::time_opt(&user.row.last_sign_in_at),
        created: view::time(&user.row.created_at),
        phone: view::or_dash(&user.row.phone),
        can_manage,
        roles: role_options("unit"),
        scopes: scope_options(""),
        choices: if can_manage { choices(state, authed, Picking::Grant).await? } else { vec![] },
        user,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    Query(d): Query<Done>,
) -> PageResult {
    require(&authed, Permission::ViewUsers)?;
    show_page(&state, &authed, id, flash::from_code(d.done.as_deref())).await
}

/// Runs a change to user `id`; a client error shows the user's page again with the message.
async fn change<F, Fut>(state: &AppState, authed: &Authed, id: UserId, code: &str, f: F) -> PageResult
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), WebError>>,
{
    require(authed, Permission::ManageUsers)?;
    match f().await {
        Ok(()) => Ok(done(&format!("/users/{id}"), code)),
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            show_page(state, authed, id, flash::error(e.message)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: String,
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> PageResult {
    change(&state, &authed, id, "saved", || async {
        let changes = UserChanges {
            display_name: Some(user_input::display_name(&form.display_name)?),
            phone: Some(user_input::phone(&form.phone)?),
            active: Some(form.active.is_some()),
            version: form.version.trim().parse().ok(),
            ..UserChanges::default()
        };
        let mut tx = state.db.begin().await?;
        users::update(&mut tx.conn(), &authed.actor, id, changes).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

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

async fn set_grants(state: &AppState, authed: &Authed, id: UserId, grants: Vec<GrantInput>) -> Result<(), WebError> {
    let mut tx = state.db.begin().await?;
    users::update(&mut tx.conn(), &authed.actor, id, UserChanges { grants: Some(grants), ..UserChanges::default() })
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn load_managed(state: &AppState, authed: &Authed, id: UserId) -> Result<User, WebError> {
    let mut reader = state.db.reader().await?;
    Ok(users::get_to_manage(&mut reader.conn(), &authed.actor, id).await?)
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

pub async fn add_role(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> PageResult {
    change(&state, &authed, id, "roles", || async {
        let user = load_managed(&state, &authed, id).await?;
        let mut grant = grant_from_form(&state, &authed, &form.role, &form.unit, &form.data_scope).await?;
        let mut reader = state.db.reader().await?;
        for code in form.custom_units.split([',', '，', ' ', '、']).filter(|c| !c.trim().is_empty()) {
            let unit =
                bangdu_store::grants::resolve_unit(&mut reader.conn(), &authed.actor, "custom_units", code).await?;
            grant.custom_units.push(UnitId(unit.id));
        }
        drop(reader);
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
    CsrfForm(_form): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    change(&state, &authed, id, "roles", || async {
        let user = load_managed(&state, &authed, id).await?;
        let keep: Vec<GrantInput> = user.grants.iter().filter(|g| g.id != grant.0).filter_map(grant_input).collect();
        set_grants(&state, &authed, id, keep).await
    })
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub must_change_password: Option<String>,
}

pub async fn reset_password(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> PageResult {
    change(&state, &authed, id, "reset", || async {
        let user = load_managed(&state, &authed, id).await?;
        password::check_policy(&form.password, &user.row.username)?;
        let hash = hash_password(form.password.clone()).await?;
        let mut tx = state.db.begin().await?;
        users::set_password(&mut tx.conn(), &authed.actor, id, hash, form.must_change_password.is_some(), None).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

pub async fn unlock(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UserId>,
    CsrfForm(_f): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    change(&state, &authed, id, "unlocked", || async {
        let mut tx = state.db.begin().await?;
        users::unlock(&mut tx.conn(), &authed.actor, id).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, token): Ids<UserId, TokenId>,
    CsrfForm(_f): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    change(&state, &authed, id, "revoked", || async {
        let mut tx = state.db.begin().await?;
        tokens::revoke(&mut tx.conn(), &authed.actor, token).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
