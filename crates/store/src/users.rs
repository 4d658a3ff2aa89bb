//! User accounts and their role grants (a user may hold several roles in several units).

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::grants::{self, GrantInput, GrantView};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
use crate::scope_sql;
use crate::secrets::Secret;
use crate::sessions;
pub use crate::tables::UserRow;
use crate::tables::{RoleGrants, Users};
use crate::text_match;
use crate::time::now;
use bangdu_domain::UserId;
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_domain::scope::Scope;
use chrono::{DateTime, Utc};
use sea_query::{Alias, Cond, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use serde::Serialize;
use serde_json::json;

/// A user with their grants.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    #[serde(flatten)]
    pub row: UserRow,
    pub grants: Vec<GrantView>,
}

impl User {
    pub fn id(&self) -> UserId {
        UserId(self.row.id)
    }

    pub fn is_locked(&self, at: DateTime<Utc>) -> bool {
        self.row.locked_until.is_some_and(|until| until > at)
    }

    fn snapshot(&self) -> serde_json::Value {
        json!({
            "username": self.row.username, "display_name": self.row.display_name,
            "phone": self.row.phone.as_ref().map(|_| "***"), "email": self.row.email.as_ref().map(|_| "***"),
            "active": self.row.active,
            "grants": self.grants.iter().map(GrantView::summary).collect::<Vec<_>>(),
        })
    }
}

fn select_users() -> SelectStatement {
    Query::select().columns(Users::qualified()).from(Users::Table).to_owned()
}

fn scoped(scope: &Scope) -> SelectStatement {
    let mut select = select_users();
    if let Some(cond) = scope_sql::users_visible(scope, (Users::Table, Users::Id)) {
        select.cond_where(cond);
    }
    select
}

async fn with_grants(c: &mut Conn<'_>, rows: Vec<UserRow>) -> Result<Vec<User>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_user = grants::for_users(c, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let grants = by_user.remove(&row.id).unwrap_or_default();
            User { row, grants }
        })
        .collect())
}

/// The users a person may see: those in their ViewUsers scope, and themself.
fn view_scope(actor: &Actor) -> Scope {
    let mut scope = actor.scope(Permission::ViewUsers);
    if let Some(me) = actor.user_id {
        scope.user = Some(me);
        scope.own_records = true;
    }
    scope
}

/// A user by id, if the actor may see them (themself included).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: UserId) -> Result<User> {
    get_in(c, &view_scope(actor), id).await
}

/// A user the actor may change (an administrator's, within their management scope).
pub async fn get_to_manage(c: &mut Conn<'_>, actor: &Actor, id: UserId) -> Result<User> {
    get_in(c, &actor.require(Permission::ManageUsers)?, id).await
}

pub(crate) async fn get_in(c: &mut Conn<'_>, scope: &Scope, id: UserId) -> Result<User> {
    let row: UserRow = c.fetch_one(scoped(scope).and_where(Expr::col((Users::Table, Users::Id)).eq(id.0))).await?;
    with_grants(c, vec![row]).await?.pop().ok_or(StoreError::NotFound)
}

/// A user by name, if the actor may see them.
pub async fn get_by_username(c: &mut Conn<'_>, actor: &Actor, username: &str) -> Result<User> {
    let name = username.trim().to_lowercase();
    let row: UserRow =
        c.fetch_one(scoped(&view_scope(actor)).and_where(Expr::col((Users::Table, Users::Username)).eq(name))).await?;
    with_grants(c, vec![row]).await?.pop().ok_or(StoreError::NotFound)
}

#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    /// User name or display name contains this.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub unit: Option<i64>,
    pub active: Option<bool>,
}

/// The users in the actor's ViewUsers scope, one page.
pub async fn list(c: &mut Conn<'_>, actor: &Actor, filter: &UserFilter, page: PageRequest) -> Result<Paged<User>> {
    let mut select = scoped(&actor.require(Permission::ViewUsers)?);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select.cond_where(
            Cond::any()
                .add(text_match::contains((Users::Table, Users::Username), q))
                .add(text_match::contains((Users::Table, Users::DisplayName), q)),
        );
    }
    if filter.role.is_some() || filter.unit.is_some() {
        let mut grants = Query::select();
        grants.column(RoleGrants::UserId).from(RoleGrants::Table);
        if let Some(role) = filter.role {
            grants.and_where(Expr::col(RoleGrants::Role).eq(role.code()));
        }
        if let Some(unit) = filter.unit {
            grants.and_where(Expr::col(RoleGrants::UnitId).eq(unit));
        }
        select.and_where(Expr::col((Users::Table, Users::Id)).in_subquery(grants.to_owned()));
    }
    if let Some(active) = filter.active {
        select.and_where(Expr::col((Users::Table, Users::Active)).eq(active));
    }
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    select.order_by((Users::Table, Users::Username), Order::Asc).limit(page.per_page).offset(page.offset());
    let rows: Vec<UserRow> = c.fetch_all(&select).await?;
    Ok(Paged { data: with_grants(c, rows).await?, total: total.n, page: page.page, per_page: page.per_page })
}

/// What sign-in needs to know, read without scope (nobody is signed in yet).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
}

pub async fn credentials(c: &mut Conn<'_>, username: &str) -> Result<Option<Credentials>> {
    c.fetch_optional(
        Query::select()
            .columns([Users::Id, Users::Username, Users::PasswordHash, Users::Active, Users::LockedUntil])
            .from(Users::Table)
            .and_where(Expr::col(Users::Username).eq(username.trim().to_lowercase())),
    )
    .await
}

pub async fn credentials_by_id(c: &mut Conn<'_>, id: UserId) -> Result<Credentials> {
    c.fetch_one(
        Query::select()
            .columns([Users::Id, Users::Username, Users::PasswordHash, Users::Active, Users::LockedUntil])
            .from(Users::Table)
            .and_where(Expr::col(Users::Id).eq(id.0)),
    )
    .await
}

/// A new account; the password is already hashed (see `passwords::hash`).
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    /// Where e-mailed notices go (none: no e-mail).
    pub email: Option<String>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub grants: Vec<GrantInput>,
}

pub async fn create(c: &mut Conn<'_>, actor: &Actor, new: NewUser) -> Result<User> {
    actor.require(Permission::ManageUsers)?;
    if credentials(c, &new.username).await?.is_some() {
        return Err(StoreError::conflict("duplicate_username", format!("用户名“{}”已存在", new.username)));
    }
    let at = now();
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: i64,
    }
    let record = UserRow {
        id: 0,
        username: new.username.clone(),
        display_name: new.display_name.clone(),
        phone: new.phone.clone(),
        email: new.email.clone(),
        password_hash: Secret(new.password_hash.clone()),
        password_changed_at: at,
        must_change_password: new.must_change_password,
        failed_sign_ins: 0,
        locked_until: None,
        active: true,
        last_sign_in_at: None,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
        version: 1,
    };
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(Users::Id)).await?;
    grants::replace(c, actor, UserId(inserted.id), &new.grants).await?;
    let user = get_in(c, &Scope::everything(), UserId(inserted.id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("user.create", "user", user.row.id)
            .change(json!({"after": user.snapshot()}))
            .acting_as(actor, Permission::ManageUsers),
    )
    .await?;
    Ok(user)
}

#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub active: Option<bool>,
    pub must_change_password: Option<bool>,
    /// Replaces all grants when given.
    pub grants: Option<Vec<GrantInput>>,
    pub version: Option<i64>,
}

pub async fn update(c: &mut Conn<'_>, actor: &Actor, id: UserId, changes: UserChanges) -> Result<User> {
    let scope = actor.require(Permission::ManageUsers)?;
    let before = get_in(c, &scope, id).await?;
    if changes.version.is_some_and(|v| v != before.row.version) {
        return Err(StoreError::VersionConflict);
    }
    let mut update = Query::update();
    update.table(Users::Table);
    let mut changed = false;
    if let Some(name) = changes.display_name.filter(|n| *n != before.row.display_name) {
        update.value(Users::DisplayName, name);
        changed = true;
    }
    if let Some(phone) = changes.phone.filter(|p| *p != before.row.phone) {
        update.value(Users::Phone, phone);
        changed = true;
    }
    if let Some(email) = changes.email.filter(|e| *e != before.row.email) {
        update.value(Users::Email, email);
        changed = true;
    }
    if let Some(flag) = changes.must_change_password.filter(|f| *f != before.row.must_change_password) {
        update.value(Users::MustChangePassword, flag);
        changed = true;
    }
    let deactivating = changes.active == Some(false) && before.row.active;
    if let Some(active) = changes.active.filter(|a| *a != before.row.active) {
        update.value(Users::Active, active);
        changed = true;
    }
    let mut regranted = false;
    if let Some(new_grants) = &changes.grants
        && grants::differ(&before.grants, new_grants)
    {
        grants::replace(c, actor, id, new_grants).await?;
        changed = true;
        regranted = true;
    }
    if !changed {
        return Ok(before);
    }
    update
        .value(Users::UpdatedAt, now())
        .value(Users::Version, Expr::col(Users::Version).add(1))
        .and_where(Expr::col(Users::Id).eq(id.0))
        .and_where(Expr::col(Users::Version).eq(before.row.version));
    if c.execute(&update).await? == 0 {
        return Err(StoreError::VersionConflict);
    }
    // Only taking a role away or switching an account off can leave no administrator; a new phone
    // or e-mail address must save even where none was made yet (a fresh installation).
    if deactivating || regranted {
        ensure_an_administrator_remains(c).await?;
    }
    if deactivating {
        sessions::end_all_for_user(c, id).await?;
    }
    let after = get_in(c, &Scope::everything(), id).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("user.update", "user", id.0)
            .change(json!({"before": before.snapshot(), "after": after.snapshot()}))
            .acting_as(actor, Permission::ManageUsers),
    )
    .await?;
    Ok(after)
}

/// There must always be an active user who administers everything, or nobody could fix the
/// organisation or the accounts any more.
async fn ensure_an_administrator_remains(c: &mut Conn<'_>) -> Result<()> {
    let row: CountRow = c
        .fetch_one(
            Query::select()
                .expr_as(Func::count(Expr::col((Users::Table, Users::Id))), Alias::new("n"))
                .from(Users::Table)
                .inner_join(
                    RoleGrants::Table,
                    Expr::col((RoleGrants::Table, RoleGrants::UserId)).equals((Users::Table, Users::Id)),
                )
                .and_where(Expr::col((Users::Table, Users::Active)).eq(true))
                .and_where(Expr::col((RoleGrants::Table, RoleGrants::Role)).eq(Role::Admin.code()))
                .and_where(Expr::col((RoleGrants::Table, RoleGrants::DataScope)).eq("all")),
        )
        .await?;
    if row.n == 0 {
        return Err(StoreError::conflict("last_admin", "必须至少保留一个启用的、管理全部数据的系统管理员"));
    }
    Ok(())
}

/// Sets a new password hash. By an administrator (`reset`) it also ends every session and revokes
/// every API token of the user, and may require a change at next sign-in; by the user themself it
/// ends their other sessions and revokes their tokens but those in `keep_tokens`. A password that
/// may have leaked must not leave a way in behind it.
pub async fn set_password(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: UserId,
    password_hash: String,
    must_change: bool,
    keep_session: Option<bangdu_domain::SessionId>,
    keep_tokens: &[bangdu_domain::TokenId],
) -> Result<()> {
    let own = actor.user_id == Some(id);
    if !own {
        let scope = actor.require(Permission::ManageUsers)?;
        get_in(c, &scope, id).await?;
    }
    let at = now();
    c.execute(
        Query::update()
            .table(Users::Table)
            .values([
                (Users::PasswordHash, password_hash.into()),
                (Users::PasswordChangedAt, at.into()),
                (Users::MustChangePassword, must_change.into()),
                (Users::FailedSignIns, 0i64.into()),
                (Users::UpdatedAt, at.into()),
            ])
            .value(Users::Version, Expr::col(Users::Version).add(1))
            .and_where(Expr::col(Users::Id).eq(id.0)),
    )
    .await?;
    sessions::end_all_for_user_except(c, id, keep_session).await?;
    let revoked = crate::tokens::revoke_all_except(c, id, if own { keep_tokens } else { &[] }).await?;
    let action = if own { "user.change_password" } else { "user.reset_password" };
    let mut event = AuditEvent::new(action, "user", id.0)
        .change(json!({"must_change_password": must_change, "tokens_revoked": revoked}));
    if !own {
        event = event.acting_as(actor, Permission::ManageUsers);
    }
    audit::append(c, actor, event).await?;
    Ok(())
}

/// Lifts a sign-in lock before its 30 minutes are over.
pub async fn unlock(c: &mut Conn<'_>, actor: &Actor, id: UserId) -> Result<User> {
    let scope = actor.require(Permission::ManageUsers)?;
    get_in(c, &scope, id).await?;
    c.execute(
        Query::update()
            .table(Users::Table)
            .values([(Users::LockedUntil, Option::<DateTime<Utc>>::None.into()), (Users::FailedSignIns, 0i64.into())])
            .and_where(Expr::col(Users::Id).eq(id.0)),
    )
    .await?;
    audit::append(c, actor, AuditEvent::new("user.unlock", "user", id.0).acting_as(actor, Permission::ManageUsers))
        .await?;
    get_in(c, &Scope::everything(), id).await
}

/// Counts a failed sign-in; returns the lock's end when this failure locks the account.
pub async fn register_failure(
    c: &mut Conn<'_>,
    id: UserId,
    max_failures: i64,
    lock_for: fn(i64) -> chrono::Duration,
) -> Result<Option<DateTime<Utc>>> {
    #[derive(sqlx::FromRow)]
    struct Failed {
        failed_sign_ins: i64,
    }
    let row: Failed = c
        .fetch_one(
            Query::update()
                .table(Users::Table)
                .value(Users::FailedSignIns, Expr::col(Users::FailedSignIns).add(1))
                .and_where(Expr::col(Users::Id).eq(id.0))
                .returning_col(Users::FailedSignIns),
        )
        .await?;
    if row.failed_sign_ins < max_failures {
        return Ok(None);
    }
    // The count stays: each further failure waits longer (`lock_for` grows with it).
    let until = now() + lock_for(row.failed_sign_ins);
    c.execute(
        Query::update()
            .table(Users::Table)
            .values([(Users::LockedUntil, until.into())])
            .and_where(Expr::col(Users::Id).eq(id.0)),
    )
    .await?;
    Ok(Some(until))
}

pub async fn register_success(c: &mut Conn<'_>, id: UserId) -> Result<()> {
    c.execute(
        Query::update()
            .table(Users::Table)
            .values([
                (Users::FailedSignIns, 0i64.into()),
                (Users::LockedUntil, Option::<DateTime<Utc>>::None.into()),
                (Users::LastSignInAt, now().into()),
            ])
            .and_where(Expr::col(Users::Id).eq(id.0)),
    )
    .await?;
    Ok(())
}

/// The acting user with their grants (the CLI acts as a named user this way).
pub async fn load_actor(c: &mut Conn<'_>, id: UserId, source_ip: Option<String>, via: &'static str) -> Result<Actor> {
    session_user(c, id, source_ip, via).await?.map(|(actor, _)| actor).ok_or(StoreError::NotFound)
}

/// The user a session or token belongs to, as the web layer needs it: `None` when the account has
/// been deactivated since.
pub async fn session_user(
    c: &mut Conn<'_>,
    id: UserId,
    source_ip: Option<String>,
    via: &'static str,
) -> Result<Option<(Actor, UserRow)>> {
    let row: Option<UserRow> =
        c.fetch_optional(select_users().and_where(Expr::col((Users::Table, Users::Id)).eq(id.0))).await?;
    let Some(row) = row.filter(|r| r.active) else { return Ok(None) };
    let grants = grants::domain_grants(c, id).await?;
    let mut actor = Actor::person(id, row.username.clone(), row.display_name.clone(), grants, via);
    actor.source_ip = source_ip;
    Ok(Some((actor, row)))
}

/// Display names of these users (for showing who acted in a record; usernames stay in the audit).
pub async fn display_names(c: &mut Conn<'_>, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
    #[derive(sqlx::FromRow)]
    struct Name {
        id: i64,
        display_name: String,
    }
    let mut names = std::collections::HashMap::new();
    let mut ids: Vec<i64> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(900) {
        let rows: Vec<Name> = c
            .fetch_all(
                Query::select()
                    .columns([Users::Id, Users::DisplayName])
                    .from(Users::Table)
                    .and_where(Expr::col(Users::Id).is_in(chunk.iter().copied())),
            )
            .await?;
        names.extend(rows.into_iter().map(|n| (n.id, n.display_name)));
    }
    Ok(names)
}
