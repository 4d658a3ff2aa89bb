//! What teams find on site (帮督发现) with their photos, and the 帮督报告 of rounds and teams.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ForeignKey, ForeignKeyAction, Index, IntoIden, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(Findings::Table)
            .col(id(Findings::Id))
            .col(big(Findings::RoundId))
            .col(big(Findings::TargetId))
            .col(text(Findings::ClientKey))
            .col(text(Findings::Description))
            .col(text_null(Findings::Domain))
            .col(text(Findings::Outcome))
            .col(text_null(Findings::SolvedNote))
            .col(big_null(Findings::ItemId))
            .col(big_null(Findings::LatE6))
            .col(big_null(Findings::LonE6))
            .col(big_null(Findings::ReportedBy))
            .col(ts(Findings::ReportedAt))
            .col(big_null(Findings::DecidedBy))
            .col(ts_null(Findings::DecidedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(Findings::Table, Findings::TargetId)
                    .to(RoundTargets::Table, RoundTargets::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Findings::Table, Findings::ItemId)
                    .to(Items::Table, Items::Id)
                    .on_delete(ForeignKeyAction::Restrict),
            ),
    )
    .await?;
    // A finding sent twice from a phone is stored once.
    c.schema(Index::create().name("idx_findings_client_key").table(Findings::Table).col(Findings::ClientKey).unique())
        .await?;
    c.schema(Index::create().name("idx_findings_round").table(Findings::Table).col(Findings::RoundId)).await?;
    c.schema(
        Table::create()
            .table(FindingPhotos::Table)
            .col(id(FindingPhotos::Id))
            .col(big(FindingPhotos::FindingId))
            .col(text(FindingPhotos::Filename))
            .col(text(FindingPhotos::ContentType))
            .col(big(FindingPhotos::SizeBytes))
            .col(text(FindingPhotos::Sha256))
            .col(ts(FindingPhotos::UploadedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(FindingPhotos::Table, FindingPhotos::FindingId)
                    .to(Findings::Table, Findings::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Table::create()
            .table(InspectionReports::Table)
            .col(id(InspectionReports::Id))
            .col(big(InspectionReports::RoundId))
            .col(big_null(InspectionReports::TargetId))
            .col(text(InspectionReports::Suggestions))
            .col(ts_null(InspectionReports::IssuedAt))
            .col(big_null(InspectionReports::IssuedBy))
            .col(text_null(InspectionReports::Snapshot))
            .col(big(InspectionReports::Version))
            .col(ts(InspectionReports::UpdatedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(InspectionReports::Table, InspectionReports::RoundId)
                    .to(Rounds::Table, Rounds::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_inspection_reports_round")
            .table(InspectionReports::Table)
            .col(InspectionReports::RoundId),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    for table in [InspectionReports::Table.into_iden(), FindingPhotos::Table.into_iden(), Findings::Table.into_iden()] {
        c.schema(Table::drop().table(table)).await?;
    }
    Ok(())
}
