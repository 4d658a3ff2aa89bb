//! Changing settings: each change checked against its definition and recorded as an audit event
//! (the audit log reads its own hash setting from the module above, so this half stands apart).

use super::{MASK, definition, get};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::Settings;
use crate::time::now;
use bangdu_domain::permission::Permission;
use sea_query::{OnConflict, Query};
use serde_json::{Value, json};

/// Changes several settings, all or none (the caller's transaction): the settings form and the
/// API's PATCH. Refused as a whole to whoever may not manage settings, even when nothing changes.
pub async fn change(c: &mut Conn<'_>, actor: &Actor, changes: Vec<(String, Value)>) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    for (key, value) in changes {
        set(c, actor, &key, value).await?;
    }
    Ok(())
}

/// Changes a setting (administrators only).
pub async fn set(c: &mut Conn<'_>, actor: &Actor, key: &str, value: Value) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let def = definition(key).ok_or_else(|| StoreError::invalid(key, "没有这个设置项"))?;
    (def.validate)(&value).map_err(|message| StoreError::invalid(key, message))?;
    if def.secret && value.as_str() == Some(MASK) {
        return Ok(());
    }
    let before = get(c, key).await?;
    if before == value {
        return Ok(());
    }
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
            .change(if def.secret { json!({"changed": true}) } else { json!({"before": before, "after": value}) })
            .acting_as(actor, Permission::ManageSettings),
    )
    .await?;
    Ok(())
}
