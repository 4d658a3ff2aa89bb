//! System settings (系统设置): a small key–value table with a registry of the keys that exist,
//! their defaults and their validation. Each change is an audit event.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::Settings;
use crate::time::now;
use bangdu_domain::audit_chain::HashAlgorithm;
use bangdu_domain::permission::Permission;
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde::Serialize;
use serde_json::{Value, json};

/// One known setting.
pub struct SettingDef {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub default: fn() -> Value,
    /// Checks a new value; the error is a Chinese sentence.
    pub validate: fn(&Value) -> std::result::Result<(), String>,
}

pub const HASH_ALGORITHM: &str = "audit.hash_algorithm";

pub static SETTINGS: &[SettingDef] = &[SettingDef {
    key: HASH_ALGORITHM,
    label: "审计哈希算法",
    help: "新审计事件使用的哈希算法：sha256（默认）或 sm3（国密）。已有事件按各自记录的算法校验。",
    default: || json!("sha256"),
    validate: |v| match v.as_str().and_then(HashAlgorithm::parse) {
        Some(_) => Ok(()),
        None => Err("应为 sha256 或 sm3".into()),
    },
}];

pub fn definition(key: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|s| s.key == key)
}

#[derive(sqlx::FromRow)]
struct ValueRow {
    value: String,
}

/// The stored value of a setting, or its default.
pub async fn get(c: &mut Conn<'_>, key: &str) -> Result<Value> {
    let def = definition(key).ok_or_else(|| StoreError::Internal(format!("unknown setting {key}")))?;
    let row: Option<ValueRow> = c
        .fetch_optional(
            Query::select().column(Settings::Value).from(Settings::Table).and_where(Expr::col(Settings::Key).eq(key)),
        )
        .await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.value).ok()).unwrap_or_else(def.default))
}

pub async fn hash_algorithm(c: &mut Conn<'_>) -> Result<HashAlgorithm> {
    let value = get(c, HASH_ALGORITHM).await?;
    Ok(value.as_str().and_then(HashAlgorithm::parse).unwrap_or(HashAlgorithm::Sha256))
}

#[derive(Clone, Debug, Serialize)]
pub struct SettingView {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub value: Value,
    pub default: Value,
}

pub async fn all(c: &mut Conn<'_>) -> Result<Vec<SettingView>> {
    let mut out = Vec::new();
    for def in SETTINGS {
        out.push(SettingView {
            key: def.key,
            label: def.label,
            help: def.help,
            value: get(c, def.key).await?,
            default: (def.default)(),
        });
    }
    Ok(out)
}

/// Changes a setting (administrators only).
pub async fn set(c: &mut Conn<'_>, actor: &Actor, key: &str, value: Value) -> Result<()> {
    if !actor.can(Permission::ManageSettings) {
        return Err(StoreError::Forbidden);
    }
    let def = definition(key).ok_or_else(|| StoreError::invalid(key, "没有这个设置项"))?;
    (def.validate)(&value).map_err(|message| StoreError::invalid(key, message))?;
    let before = get(c, key).await?;
    c.execute(
        Query::insert()
            .into_table(Settings::Table)
            .columns([Settings::Key, Settings::Value, Settings::UpdatedAt, Settings::UpdatedBy])
            .values_panic([key.into(), value.to_string().into(), now().into(), actor.user_id.map(|u| u.0).into()])
            .on_conflict(
                OnConflict::column(Settings::Key)
                    .update_columns([Settings::Value, Settings::UpdatedAt, Settings::UpdatedBy])
                    .to_owned(),
            ),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("setting.update", "setting", key)
            .change(json!({"before": before, "after": value}))
            .acting_as(actor, Permission::ManageSettings),
    )
    .await?;
    Ok(())
}
