//! Role grants: which role a user holds in which unit, with which data scope.
//!
//! Granting is guarded against privilege escalation: an administrator can only grant roles in units
//! within their own management scope, and never a wider data scope than they hold.

use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::{GrantUnits, RoleGrants, Units};
use crate::time::now;
use crate::units::{self, NamedUnit};
use bangdu_domain::permission::Permission;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::scope::{Grant, Scope};
use bangdu_domain::{UnitId, UserId};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// A grant as asked for (by a form, the API or the CLI), units already resolved to ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantInput {
    pub role: Role,
    pub unit: UnitId,
    /// `None` takes the role's default scope.
    pub data_scope: Option<DataScope>,
    pub custom_units: Vec<UnitId>,
}

impl GrantInput {
    pub fn effective_scope(&self) -> DataScope {
        self.data_scope.unwrap_or(self.role.default_scope())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnitBrief {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A grant as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantView {
    pub id: i64,
    pub role: String,
    pub role_label: &'static str,
    pub unit: UnitBrief,
    #[serde(skip)]
    pub unit_path: String,
    pub data_scope: String,
    pub data_scope_label: &'static str,
    pub custom_units: Vec<UnitBrief>,
}

impl GrantView {
    pub fn summary(&self) -> String {
        format!("{}@{}({})", self.role, self.unit.code, self.data_scope)
    }
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: i64,
    user_id: i64,
    role: String,
    unit_id: i64,
    data_scope: String,
    unit_code: String,
    unit_name: String,
    unit_path: String,
}

#[derive(sqlx::FromRow)]
struct GrantUnitRow {
    grant_id: i64,
    id: i64,
    code: String,
    name: String,
}

/// The grants of several users, by user id.
pub async fn for_users(c: &mut Conn<'_>, user_ids: &[i64]) -> Result<HashMap<i64, Vec<GrantView>>> {
    let mut out: HashMap<i64, Vec<GrantView>> = HashMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<GrantRow> = c
        .fetch_all(
            Query::select()
                .columns([
                    (RoleGrants::Table, RoleGrants::Id),
                    (RoleGrants::Table, RoleGrants::UserId),
                    (RoleGrants::Table, RoleGrants::Role),
                    (RoleGrants::Table, RoleGrants::UnitId),
                    (RoleGrants::Table, RoleGrants::DataScope),
                ])
                .expr_as(Expr::col((Units::Table, Units::Code)), sea_query::Alias::new("unit_code"))
                .expr_as(Expr::col((Units::Table, Units::Name)), sea_query::Alias::new("unit_name"))
                .expr_as(Expr::col((Units::Table, Units::Path)), sea_query::Alias::new("unit_path"))
                .from(RoleGrants::Table)
                .inner_join(
                    Units::Table,
                    Expr::col((Units::Table, Units::Id)).equals((RoleGrants::Table, RoleGrants::UnitId)),
                )
                .and_where(Expr::col((RoleGrants::Table, RoleGrants::UserId)).is_in(user_ids.iter().copied()))
                .order_by((RoleGrants::Table, RoleGrants::Id), Order::Asc),
        )
        .await?;
    let grant_ids: Vec<i64> = rows.iter().filter(|r| r.data_scope == DataScope::Custom.code()).map(|r| r.id).collect();
    let mut custom: HashMap<i64, Vec<UnitBrief>> = HashMap::new();
    if !grant_ids.is_empty() {
        let units: Vec<GrantUnitRow> = c
            .fetch_all(
                Query::select()
                    .column((GrantUnits::Table, GrantUnits::GrantId))
                    .columns([(Units::Table, Units::Id), (Units::Table, Units::Code), (Units::Table, Units::Name)])
                    .from(GrantUnits::Table)
                    .inner_join(
                        Units::Table,
                        Expr::col((Units::Table, Units::Id)).equals((GrantUnits::Table, GrantUnits::UnitId)),
                    )
                    .and_where(Expr::col((GrantUnits::Table, GrantUnits::GrantId)).is_in(grant_ids))
                    .order_by((Units::Table, Units::Path), Order::Asc),
            )
            .await?;
        for u in units {
            custom.entry(u.grant_id).or_default().push(UnitBrief { id: u.id, code: u.code, name: u.name });
        }
    }
    for row in rows {
        let role = Role::parse(&row.role);
        let scope = DataScope::parse(&row.data_scope);
        out.entry(row.user_id).or_default().push(GrantView {
            id: row.id,
            role_label: role.map_or("未知角色", Role::label),
            role: row.role,
            unit: UnitBrief { id: row.unit_id, code: row.unit_code, name: row.unit_name },
            unit_path: row.unit_path,
            data_scope_label: scope.map_or("未知范围", DataScope::label),
            data_scope: row.data_scope,
            custom_units: custom.remove(&row.id).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// A user's grants as the domain's scope rules need them.
pub async fn domain_grants(c: &mut Conn<'_>, user: UserId) -> Result<Vec<Grant>> {
    let views = for_users(c, &[user.0]).await?.remove(&user.0).unwrap_or_default();
    Ok(views
        .into_iter()
        .filter_map(|g| {
            Some(Grant {
                role: Role::parse(&g.role)?,
                unit: UnitId(g.unit.id),
                unit_path: g.unit_path,
                data_scope: DataScope::parse(&g.data_scope)?,
                custom_units: g.custom_units.iter().map(|u| UnitId(u.id)).collect(),
            })
        })
        .collect())
}

/// True when the requested grants are not the ones the user has.
pub fn differ(existing: &[GrantView], wanted: &[GrantInput]) -> bool {
    let have: BTreeSet<(String, i64, String, Vec<i64>)> = existing
        .iter()
        .map(|g| (g.role.clone(), g.unit.id, g.data_scope.clone(), g.custom_units.iter().map(|u| u.id).collect()))
        .collect();
    let want: BTreeSet<(String, i64, String, Vec<i64>)> = wanted
        .iter()
        .map(|g| {
            let mut custom: Vec<i64> = g.custom_units.iter().map(|u| u.0).collect();
            custom.sort_unstable();
            custom.dedup();
            (g.role.code().to_string(), g.unit.0, g.effective_scope().code().to_string(), custom)
        })
        .collect();
    have != want
}

fn invalid(message: impl Into<String>) -> StoreError {
    StoreError::invalid("roles", message)
}

/// A grant as a person asks for it: its units named as typed (a code, or an id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRequest {
    pub role: Role,
    pub unit: NamedUnit,
    pub data_scope: Option<DataScope>,
    pub custom_units: Vec<NamedUnit>,
}

/// The grants asked for, each under the name of its field (`roles[1]`, or `` for a form with one
/// grant), with every unit they name found among those the actor manages, in one query; a unit
/// that is not there fails `{field}.unit` or `{field}.custom_units`.
pub async fn resolve(c: &mut Conn<'_>, actor: &Actor, requests: &[(String, GrantRequest)]) -> Result<Vec<GrantInput>> {
    let scope = actor.require(Permission::ManageUsers)?;
    let field =
        |prefix: &str, name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
    let mut refs = Vec::new();
    for (prefix, request) in requests {
        refs.push((field(prefix, "unit"), request.unit.clone()));
        refs.extend(request.custom_units.iter().map(|u| (field(prefix, "custom_units"), u.clone())));
    }
    let mut found = units::find_refs(c, &scope, &refs).await?.into_iter();
    let mut out = Vec::new();
    for (_, request) in requests {
        let unit = found.next().map(|u| u.unit_id()).ok_or_else(|| StoreError::Internal("grant unit".into()))?;
        let custom_units = found.by_ref().take(request.custom_units.len()).map(|u| u.unit_id()).collect();
        out.push(GrantInput { role: request.role, unit, data_scope: request.data_scope, custom_units });
    }
    Ok(out)
}

/// Replaces a user's grants; every unit named must lie in the actor's management scope.
pub async fn replace(c: &mut Conn<'_>, actor: &Actor, user: UserId, wanted: &[GrantInput]) -> Result<()> {
    let actor_scope = &actor.scope(Permission::ManageUsers);
    let everything = Scope::everything();
    let mut seen = BTreeSet::new();
    for grant in wanted {
        if !seen.insert((grant.role, grant.unit)) {
            return Err(invalid(format!("重复授予“{}”角色", grant.role.label())));
        }
        let unit = units::get_in(c, &everything, grant.unit).await.map_err(|_| invalid("授权单位不存在"))?;
        if !actor_scope.covers_unit(unit.as_ref()) {
            return Err(invalid(format!("单位“{}”不在您的管理范围内", unit.name)));
        }
        if !unit.active {
            return Err(invalid(format!("单位“{}”已停用", unit.name)));
        }
        match grant.effective_scope() {
            DataScope::All if !actor_scope.all => {
                return Err(invalid("只有管理全部数据的管理员才能授予“全部数据”范围"));
            }
            DataScope::Custom => {
                if grant.custom_units.is_empty() {
                    return Err(invalid("“指定单位”范围须至少选择一个单位"));
                }
                for id in &grant.custom_units {
                    let chosen = units::get_in(c, &everything, *id).await.map_err(|_| invalid("指定的单位不存在"))?;
                    if !actor_scope.covers_unit(chosen.as_ref()) {
                        return Err(invalid(format!("单位“{}”不在您的管理范围内", chosen.name)));
                    }
                }
            }
            _ => {}
        }
    }
    c.execute(Query::delete().from_table(RoleGrants::Table).and_where(Expr::col(RoleGrants::UserId).eq(user.0)))
        .await?;
    let at = now();
    for grant in wanted {
        #[derive(sqlx::FromRow)]
        struct Inserted {
            id: i64,
        }
        let scope = grant.effective_scope();
        let inserted: Inserted = c
            .fetch_one(
                Query::insert()
                    .into_table(RoleGrants::Table)
                    .columns([
                        RoleGrants::UserId,
                        RoleGrants::Role,
                        RoleGrants::UnitId,
                        RoleGrants::DataScope,
                        RoleGrants::CreatedAt,
                    ])
                    .values_panic([
                        user.0.into(),
                        grant.role.code().into(),
                        grant.unit.0.into(),
                        scope.code().into(),
                        at.into(),
                    ])
                    .returning_col(RoleGrants::Id),
            )
            .await?;
        if scope == DataScope::Custom {
            let unique: BTreeSet<i64> = grant.custom_units.iter().map(|u| u.0).collect();
            for unit in unique {
                c.execute(
                    Query::insert()
                        .into_table(GrantUnits::Table)
                        .columns([GrantUnits::GrantId, GrantUnits::UnitId])
                        .values_panic([inserted.id.into(), unit.into()]),
                )
                .await?;
            }
        }
    }
    Ok(())
}
