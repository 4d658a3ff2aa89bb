//! Users as people send them: the list's filters, a new account, a change, role grants and
//! passwords, from the API's JSON or the pages' forms, each made into the store's command here.

use crate::auth::Authed;
use crate::error::{WebError, WebResult};
use crate::input::serde_helpers::double_option;
use crate::state::AppState;
use axum::http::StatusCode;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::{UserId, password};
use bangdu_store::grants::{self, GrantInput, GrantRequest};
use bangdu_store::units::NamedUnit;
use bangdu_store::users::{self, NewUser, UserChanges};
use bangdu_store::{Actor, Conn, Db, passwords, user_input};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// User name or name contains this text.
    pub q: Option<String>,
    pub role: Option<String>,
    /// Holds a role in this unit (id or code).
    pub unit: Option<String>,
    pub active: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// A role to grant.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct GrantIn {
    /// `admin`, `office`, `inspector`, `unit` or `leader`.
    pub role: String,
    /// The unit's code (or id).
    pub unit: String,
    /// `all`, `custom`, `unit`, `unit_and_below` or `self`; the role's default when omitted.
    pub data_scope: Option<String>,
    /// Unit codes for a `custom` scope.
    #[serde(default)]
    pub custom_units: Vec<String>,
}

impl GrantIn {
    /// The grant with its role and scope read; its units are found by the store with the others'.
    fn request(&self, field: &str) -> WebResult<GrantRequest> {
        let role = match self.role.trim() {
            "" => return Err(WebError::invalid(format!("{field}role"), "请选择角色")),
            r => Role::parse(r).ok_or_else(|| WebError::invalid(format!("{field}role"), format!("未知角色“{r}”")))?,
        };
        if self.unit.trim().is_empty() {
            return Err(WebError::invalid(format!("{field}unit"), "请填写角色所在单位"));
        }
        let data_scope = match self.data_scope.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(
                DataScope::parse(s)
                    .ok_or_else(|| WebError::invalid(format!("{field}data_scope"), format!("未知数据范围“{s}”")))?,
            ),
            None => None,
        };
        Ok(GrantRequest {
            role,
            unit: NamedUnit::named(self.unit.trim()),
            data_scope,
            custom_units: self.custom_units.iter().map(NamedUnit::named).collect(),
        })
    }
}

/// Requested grants with their units found, naming the field at fault (`roles[1].unit`).
pub async fn resolve_grants(c: &mut Conn<'_>, actor: &Actor, grants: &[GrantIn]) -> WebResult<Vec<GrantInput>> {
    let requests = grants
        .iter()
        .enumerate()
        .map(|(i, g)| Ok((format!("roles[{i}]"), g.request(&format!("roles[{i}]."))?)))
        .collect::<WebResult<Vec<_>>>()?;
    Ok(grants::resolve(c, actor, &requests).await?)
}

/// A form with one grant names its fields without the list's index: `unit`, not `roles[0].unit`.
pub fn single_grant_fields(mut e: WebError) -> WebError {
    e.field = e.field.map(|f| f.strip_prefix("roles[0].").map(str::to_string).unwrap_or(f));
    e
}

/// A new account as the API sends it (the page's form becomes one too).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    /// 3–32 letters, digits, `_`, `.`, `-`; stored lower-case.
    pub username: String,
    pub display_name: String,
    /// At least 8 characters with 3 of: upper case, lower case, digits, symbols.
    pub password: String,
    pub phone: Option<String>,
    /// Where e-mailed notices go.
    pub email: Option<String>,
    /// Ask for a new password at first sign-in (the web pages enforce it).
    #[serde(default)]
    pub must_change_password: bool,
    #[serde(default)]
    pub roles: Vec<GrantIn>,
}

impl UserCreate {
    /// The store's command: each field checked, the roles' units found, the password hashed (off
    /// the async threads, with no connection held meanwhile).
    pub async fn into_command(self, db: &Db, actor: &Actor) -> WebResult<NewUser> {
        let username = user_input::username(&self.username)?;
        let display_name = user_input::display_name(&self.display_name)?;
        let phone = user_input::phone(self.phone.as_deref().unwrap_or(""))?;
        let email = user_input::email(self.email.as_deref().unwrap_or(""))?;
        password::check_policy(&self.password, &username)?;
        let grants = {
            let mut reader = db.reader().await?;
            resolve_grants(&mut reader.conn(), actor, &self.roles).await?
        };
        let password_hash = hash_password(self.password).await?;
        Ok(NewUser {
            username,
            display_name,
            phone,
            email,
            password_hash,
            must_change_password: self.must_change_password,
            grants,
        })
    }
}

/// A change to an account as the API sends it; what is absent stays.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// Where e-mailed notices go; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// `false` deactivates the account and ends its sessions.
    pub active: Option<bool>,
    pub must_change_password: Option<bool>,
    /// Replaces all roles when given.
    pub roles: Option<Vec<GrantIn>>,
    pub version: Option<i64>,
}

impl UserPatch {
    pub async fn into_command(self, c: &mut Conn<'_>, actor: &Actor) -> WebResult<UserChanges> {
        let grants = match &self.roles {
            Some(roles) => Some(resolve_grants(c, actor, roles).await?),
            None => None,
        };
        Ok(UserChanges {
            display_name: self.display_name.as_deref().map(user_input::display_name).transpose()?,
            phone: match self.phone {
                Some(Some(p)) => Some(user_input::phone(&p)?),
                Some(None) => Some(None),
                None => None,
            },
            email: match self.email {
                Some(Some(e)) => Some(user_input::email(&e)?),
                Some(None) => Some(None),
                None => None,
            },
            active: self.active,
            must_change_password: self.must_change_password,
            grants,
            version: self.version,
        })
    }
}

/// A new password an administrator sets for someone.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub password: String,
    /// Ask for a new password at next sign-in (default true).
    pub must_change_password: Option<bool>,
}

impl PasswordReset {
    /// Sets it: the account must be one the actor manages, the password must pass the policy
    /// against that account's name; all its sessions end.
    pub async fn apply(self, db: &Db, actor: &Actor, id: UserId) -> WebResult<()> {
        let target = {
            let mut reader = db.reader().await?;
            users::get_to_manage(&mut reader.conn(), actor, id).await?
        };
        password::check_policy(&self.password, &target.row.username)?;
        let hash = hash_password(self.password).await?;
        let mut tx = db.begin().await?;
        users::set_password(&mut tx.conn(), actor, id, hash, self.must_change_password.unwrap_or(true), None, &[])
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub async fn hash_password(password: String) -> WebResult<String> {
    Ok(tokio::task::spawn_blocking(move || passwords::hash(&password)).await.map_err(|_| WebError::internal())??)
}

/// Shared by the API and the account page.
/// Shared by the API and the account page: `keep_tokens` are the caller's API tokens that survive
/// (every other one is revoked).
pub async fn change_password(
    state: &AppState,
    authed: &Authed,
    current: &str,
    new: &str,
    keep_tokens: &[bangdu_domain::TokenId],
) -> WebResult<()> {
    let id = UserId(authed.user.id);
    let stored = {
        let mut reader = state.db.reader().await?;
        users::credentials_by_id(&mut reader.conn(), id).await?.password_hash
    };
    let (current_owned, new_owned) = (current.to_string(), new.to_string());
    let ok = tokio::task::spawn_blocking(move || passwords::verify(&current_owned, &stored))
        .await
        .map_err(|_| WebError::internal())?;
    if !ok {
        return Err(WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_password", "当前密码不正确"));
    }
    password::check_policy(new, &authed.user.username)?;
    if current == new {
        return Err(WebError::invalid("new_password", "新密码不能与当前密码相同"));
    }
    let hash =
        tokio::task::spawn_blocking(move || passwords::hash(&new_owned)).await.map_err(|_| WebError::internal())??;
    let mut tx = state.db.begin().await?;
    users::set_password(
        &mut tx.conn(),
        &authed.actor,
        id,
        hash,
        false,
        authed.session.as_ref().map(|s| s.id),
        keep_tokens,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
