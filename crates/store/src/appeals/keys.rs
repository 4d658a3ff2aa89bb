//! Open311 API keys: issued by the administrator, one per client; the key is shown once and only
//! its digest is kept; a revoked key is refused from then on.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::secrets::{Secret, random_token, token_digest};
use crate::tables::{ApiKeyRecord, Open311Keys};
use crate::time::now;
use bangdu_domain::ApiKeyId;
use bangdu_domain::field_error::required_text;
use bangdu_domain::permission::Permission;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;

/// Every key, newest first.
pub async fn list(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<ApiKeyRecord>> {
    actor.require(Permission::ManageSettings)?;
    c.fetch_all(
        Query::select()
            .columns(Open311Keys::COLUMNS.iter().copied())
            .from(Open311Keys::Table)
            .order_by(Open311Keys::CreatedAt, Order::Desc),
    )
    .await
}

/// Issues a key for a client; the key itself is in the answer and nowhere else.
pub async fn issue(c: &mut Conn<'_>, actor: &Actor, name: &str) -> Result<(ApiKeyRecord, String)> {
    actor.require(Permission::ManageSettings)?;
    let name = required_text("name", "客户端名称", name, 100)?;
    let key = format!("o311_{}", random_token()?);
    let record = ApiKeyRecord {
        id: ApiKeyId(0),
        name,
        key_hash: Secret(token_digest(&key)),
        prefix: key.chars().take(10).collect(),
        created_by: actor.user_id.map(|u| u.0),
        created_at: now(),
        last_used_at: None,
        revoked_at: None,
    };
    let saved: ApiKeyRecord = c.fetch_one(record.insert().returning_all()).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("open311_key.create", "open311_key", saved.id)
            .change(json!({"name": saved.name, "prefix": saved.prefix}))
            .acting_as(actor, Permission::ManageSettings),
    )
    .await?;
    Ok((saved, key))
}

/// Revokes a key.
pub async fn revoke(c: &mut Conn<'_>, actor: &Actor, id: ApiKeyId) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let n = c
        .execute(
            Query::update()
                .table(Open311Keys::Table)
                .value(Open311Keys::RevokedAt, now())
                .and_where(Expr::col(Open311Keys::Id).eq(id))
                .and_where(Expr::col(Open311Keys::RevokedAt).is_null()),
        )
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("open311_key.revoke", "open311_key", id).acting_as(actor, Permission::ManageSettings),
    )
    .await?;
    Ok(())
}

/// The client a key belongs to, when it is valid; marks it used.
pub async fn check(c: &mut Conn<'_>, key: &str) -> Result<Option<ApiKeyRecord>> {
    let key = key.trim();
    if key.is_empty() || key.len() > 200 {
        return Ok(None);
    }
    let found: Option<ApiKeyRecord> = c
        .fetch_optional(
            Query::select()
                .columns(Open311Keys::COLUMNS.iter().copied())
                .from(Open311Keys::Table)
                .and_where(Expr::col(Open311Keys::KeyHash).eq(token_digest(key)))
                .and_where(Expr::col(Open311Keys::RevokedAt).is_null()),
        )
        .await?;
    if let Some(found) = &found {
        c.execute(
            Query::update()
                .table(Open311Keys::Table)
                .value(Open311Keys::LastUsedAt, now())
                .and_where(Expr::col(Open311Keys::Id).eq(found.id)),
        )
        .await?;
    }
    Ok(found)
}
