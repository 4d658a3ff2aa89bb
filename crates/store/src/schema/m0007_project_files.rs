//! Files of projects: the evidence a unit attaches to a month's report (photos, acceptance papers)
//! and to an operating check. A report's files belong to its month, not to one submission, so a
//! report replaced before it is accepted keeps them. The bytes live in the same file store as item
//! attachments, under their SHA-256.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ForeignKey, ForeignKeyAction, Index, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(ProjectFiles::Table)
            .col(id(ProjectFiles::Id))
            .col(big(ProjectFiles::ProjectId))
            .col(text_null(ProjectFiles::Period))
            .col(big_null(ProjectFiles::CheckId))
            .col(text(ProjectFiles::Filename))
            .col(text(ProjectFiles::ContentType))
            .col(big(ProjectFiles::SizeBytes))
            .col(text(ProjectFiles::Sha256))
            .col(big_null(ProjectFiles::UploadedBy))
            .col(ts(ProjectFiles::UploadedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectFiles::Table, ProjectFiles::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectFiles::Table, ProjectFiles::CheckId)
                    .to(ProjectChecks::Table, ProjectChecks::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_project_files_project")
            .table(ProjectFiles::Table)
            .col(ProjectFiles::ProjectId)
            .col(ProjectFiles::Period),
    )
    .await?;
    c.schema(
        Index::create().name("idx_project_checks_project").table(ProjectChecks::Table).col(ProjectChecks::ProjectId),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Index::drop().name("idx_project_checks_project").table(ProjectChecks::Table)).await?;
    c.schema(Table::drop().table(ProjectFiles::Table)).await?;
    Ok(())
}
