//! Photos sent with an appeal. The public form takes one with the appeal it sends; the photo is
//! shown to those who see the appeal and to the holder of its tracking link. It never leaves
//! through Open311 (a photo of a street may show faces and number plates), so `media_url` stays
//! what an Open311 client itself sent.

use super::create::Received;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::files::{FileStore, Upload, store_upload};
use crate::tables::{AppealPhotoRecord, AppealPhotos};
use crate::time::now;
use bangdu_domain::permission::Permission;
use bangdu_domain::{AppealId, AppealPhotoId};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;

/// The photos of an appeal the caller has already read in scope, oldest first.
pub(crate) async fn of_appeal(c: &mut Conn<'_>, appeal: AppealId) -> Result<Vec<AppealPhotoRecord>> {
    c.fetch_all(
        Query::select()
            .columns(AppealPhotos::COLUMNS.iter().copied())
            .from(AppealPhotos::Table)
            .and_where(Expr::col(AppealPhotos::AppealId).eq(appeal))
            .order_by(AppealPhotos::Id, Order::Asc),
    )
    .await
}

/// Keeps a photo sent with an appeal just received (in the same transaction): only an image, within
/// the attachment size setting, its type read from the bytes.
pub async fn attach(
    c: &mut Conn<'_>,
    files: &dyn FileStore,
    actor: &Actor,
    received: &Received,
    filename: &str,
    bytes: &[u8],
) -> Result<AppealPhotoRecord> {
    actor.require(Permission::PublicAppeals)?;
    if !crate::files::sniff(bytes).is_some_and(|t| t.starts_with("image/")) {
        return Err(StoreError::invalid("photo", "只能上传照片（JPG、PNG、WebP 等图片）"));
    }
    let Upload { name, content_type, sha256, size } = store_upload(c, files, filename, bytes).await?;
    let record = AppealPhotoRecord {
        id: AppealPhotoId(0),
        appeal_id: received.appeal.id,
        filename: name,
        content_type: content_type.into(),
        size_bytes: size,
        sha256: sha256.clone(),
        uploaded_at: now(),
    };
    let row: AppealPhotoRecord = c.fetch_one(record.insert().returning_all()).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("appeal.photo", "appeal", received.appeal.id)
            .change(json!({"photo": row.id, "sha256": sha256, "size": size, "type": content_type})),
    )
    .await?;
    Ok(row)
}

async fn one(c: &mut Conn<'_>, appeal: AppealId, photo: AppealPhotoId) -> Result<AppealPhotoRecord> {
    c.fetch_optional(
        Query::select()
            .columns(AppealPhotos::COLUMNS.iter().copied())
            .from(AppealPhotos::Table)
            .and_where(Expr::col(AppealPhotos::AppealId).eq(appeal))
            .and_where(Expr::col(AppealPhotos::Id).eq(photo)),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// A photo of an appeal the actor can see (otherwise not found).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, appeal: AppealId, photo: AppealPhotoId) -> Result<AppealPhotoRecord> {
    super::query::get(c, actor, appeal).await?;
    one(c, appeal, photo).await
}

/// The photos of the appeal a tracking link opens.
pub async fn tracked(c: &mut Conn<'_>, actor: &Actor, token: &str) -> Result<Vec<AppealPhotoRecord>> {
    let appeal = super::public::by_token(c, actor, token).await?;
    of_appeal(c, appeal.id).await
}

/// One photo of the appeal a tracking link opens.
pub async fn get_tracked(
    c: &mut Conn<'_>,
    actor: &Actor,
    token: &str,
    photo: AppealPhotoId,
) -> Result<AppealPhotoRecord> {
    let appeal = super::public::by_token(c, actor, token).await?;
    one(c, appeal.id, photo).await
}
