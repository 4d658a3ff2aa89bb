//! Users as people send them: the list's filters, role grants, passwords.

use crate::auth::Authed;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::http::StatusCode;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::{UserId, password};
use bangdu_store::Conn;
use bangdu_store::grants;
use bangdu_store::grants::GrantInput;
use bangdu_store::passwords;
use bangdu_store::users::{self};
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

/// Resolves requested grants, naming the field at fault (`roles[1].unit`).
pub async fn resolve_grants(c: &mut Conn<'_>, authed: &Authed, grants: &[GrantIn]) -> WebResult<Vec<GrantInput>> {
    let mut out = Vec::new();
    for (i, g) in grants.iter().enumerate() {
        let role = Role::parse(&g.role)
            .ok_or_else(|| WebError::invalid(format!("roles[{i}].role"), format!("未知角色“{}”", g.role)))?;
        let unit = grants::resolve_unit(c, &authed.actor, &format!("roles[{i}].unit"), &g.unit).await?.unit_id();
        let data_scope = match g.data_scope.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(
                DataScope::parse(s)
                    .ok_or_else(|| WebError::invalid(format!("roles[{i}].data_scope"), format!("未知数据范围“{s}”")))?,
            ),
            None => None,
        };
        let mut custom_units = Vec::new();
        for code in &g.custom_units {
            custom_units.push(
                grants::resolve_unit(c, &authed.actor, &format!("roles[{i}].custom_units"), code).await?.unit_id(),
            );
        }
        out.push(GrantInput { role, unit, data_scope, custom_units });
    }
    Ok(out)
}

pub async fn hash_password(password: String) -> WebResult<String> {
    Ok(tokio::task::spawn_blocking(move || passwords::hash(&password)).await.map_err(|_| WebError::internal())??)
}

/// Shared by the API and the account page.
pub async fn change_password(state: &AppState, authed: &Authed, current: &str, new: &str) -> WebResult<()> {
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
    users::set_password(&mut tx.conn(), &authed.actor, id, hash, false, authed.session.as_ref().map(|s| s.id)).await?;
    tx.commit().await?;
    Ok(())
}
