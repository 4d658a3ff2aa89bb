//! Attachments of items (progress photos, write-off evidence). The file is checked and stored by
//! `files` (as a project's files are); this table keeps who uploaded what, when, and which action
//! it was used for.

use super::actor_facts;
use super::query;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::files::{FileStore, Upload, store_upload};
pub use crate::tables::AttachmentRow;
use crate::tables::Attachments;
use crate::time::now;
use bangdu_domain::{AttachmentId, ItemId};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;

/// The attachments of an item the caller has read.
pub async fn list(c: &mut Conn<'_>, item: &super::ItemRow) -> Result<Vec<AttachmentRow>> {
    list_of(c, item.id).await
}

pub(crate) async fn list_of(c: &mut Conn<'_>, item: ItemId) -> Result<Vec<AttachmentRow>> {
    c.fetch_all(
        Query::select()
            .columns(Attachments::COLUMNS.iter().copied())
            .from(Attachments::Table)
            .and_where(Expr::col(Attachments::ItemId).eq(item))
            .order_by(Attachments::Id, Order::Asc),
    )
    .await
}

/// An attachment whose item the actor can see (otherwise not found).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: AttachmentId) -> Result<AttachmentRow> {
    let row: AttachmentRow = c
        .fetch_one(
            Query::select()
                .columns(Attachments::COLUMNS.iter().copied())
                .from(Attachments::Table)
                .and_where(Expr::col(Attachments::Id).eq(id)),
        )
        .await?;
    query::get(c, actor, row.item_id).await?;
    Ok(row)
}

/// Stores an upload for an item. The uploader must be able to act on the item.
pub async fn add(
    c: &mut Conn<'_>,
    files: &dyn FileStore,
    actor: &Actor,
    item_id: ItemId,
    filename: &str,
    bytes: &[u8],
) -> Result<AttachmentRow> {
    let item = query::get(c, actor, item_id).await?;
    let units = query::links_of(c, item_id).await?;
    let facts = actor_facts(actor, &item, &units);
    if !(facts.office || facts.unit || facts.inspector) {
        return Err(StoreError::Forbidden);
    }
    let Upload { name, content_type, sha256, size } = store_upload(c, files, filename, bytes).await?;
    let file = AttachmentRow {
        id: AttachmentId(0),
        item_id,
        action: None,
        audit_seq: None,
        filename: name.clone(),
        content_type: content_type.into(),
        size_bytes: size,
        sha256: sha256.clone(),
        uploaded_by: actor.user_id.map(|u| u.0),
        uploaded_at: now(),
    };
    let row: AttachmentRow =
        c.fetch_one(file.insert().returning(Query::returning().columns(Attachments::COLUMNS.iter().copied()))).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("item.attach", "item", item_id)
            .change(json!({"payload": {"attachment": row.id, "filename": name, "sha256": sha256, "size": size}})),
    )
    .await?;
    Ok(row)
}
