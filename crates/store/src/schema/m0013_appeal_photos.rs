//! Photos sent with appeals from the public form (the bytes are in the file store), and units found
//! by their region (Open311's jurisdiction_id is looked up on every `GET requests` that names one).

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ForeignKey, ForeignKeyAction, Index, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(AppealPhotos::Table)
            .col(id(AppealPhotos::Id))
            .col(big(AppealPhotos::AppealId))
            .col(text(AppealPhotos::Filename))
            .col(text(AppealPhotos::ContentType))
            .col(big(AppealPhotos::SizeBytes))
            .col(text(AppealPhotos::Sha256))
            .col(ts(AppealPhotos::UploadedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(AppealPhotos::Table, AppealPhotos::AppealId)
                    .to(Appeals::Table, Appeals::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(Index::create().name("idx_appeal_photos_appeal").table(AppealPhotos::Table).col(AppealPhotos::AppealId))
        .await?;
    c.schema(Index::create().name("idx_units_region").table(Units::Table).col(Units::Region)).await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Index::drop().name("idx_units_region").table(Units::Table)).await?;
    c.schema(Table::drop().table(AppealPhotos::Table)).await?;
    Ok(())
}
