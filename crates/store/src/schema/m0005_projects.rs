//! Projects with their units, schedule versions, monthly reports, light history, freezes (季度收账
//! / 年度清账) and operating checks; items may point at the project they came from.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ColumnDef, ForeignKey, ForeignKeyAction, Index, IntoIden, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(Projects::Table)
            .col(id(Projects::Id))
            .col(big(Projects::Year))
            .col(text(Projects::Level))
            .col(text(Projects::Kind))
            .col(text_null(Projects::Series))
            .col(big_null(Projects::Seq))
            .col(text(Projects::Name))
            .col(big(Projects::OwnerUnitId))
            .col(big(Projects::LeadUnitId))
            .col(big_null(Projects::ManagerUnitId))
            .col(text_null(Projects::ResponsiblePerson))
            .col(text_null(Projects::Address))
            .col(big_null(Projects::LatE6))
            .col(big_null(Projects::LonE6))
            .col(text_null(Projects::TargetText))
            .col(text_null(Projects::IndicatorValue))
            .col(text_null(Projects::IndicatorUnit))
            .col(big(Projects::FundsPlanned))
            .col(big(Projects::FundsAllocated))
            .col(big(Projects::FundsSpent))
            .col(date(Projects::PlannedStart))
            .col(date(Projects::PlannedEnd))
            .col(text(Projects::Milestones))
            .col(text(Projects::Status))
            .col(date_null(Projects::CompletedOn))
            .col(big(Projects::ActualProgress))
            .col(text_null(Projects::IndicatorAchieved))
            .col(text_null(Projects::LastReported))
            .col(text(Projects::Light))
            .col(text(Projects::LightReason))
            .col(big(Projects::PlannedProgress))
            .col(flag(Projects::CompletedEarly, false))
            .col(date(Projects::LitOn))
            .col(big(Projects::Version))
            .col(big_null(Projects::CreatedBy))
            .col(ts(Projects::CreatedAt))
            .col(ts(Projects::UpdatedAt))
            .foreign_key(ForeignKey::create().from(Projects::Table, Projects::OwnerUnitId).to(Units::Table, Units::Id))
            .foreign_key(ForeignKey::create().from(Projects::Table, Projects::LeadUnitId).to(Units::Table, Units::Id))
            .foreign_key(
                ForeignKey::create().from(Projects::Table, Projects::ManagerUnitId).to(Units::Table, Units::Id),
            ),
    )
    .await?;
    for (name, columns) in [
        ("idx_projects_year_kind", vec![Projects::Year, Projects::Kind, Projects::Seq]),
        ("idx_projects_lead", vec![Projects::LeadUnitId, Projects::Year]),
        ("idx_projects_year_light", vec![Projects::Year, Projects::Light]),
        ("idx_projects_name", vec![Projects::Year, Projects::LeadUnitId, Projects::Name]),
    ] {
        let mut index = Index::create();
        index.name(name).table(Projects::Table);
        for column in columns {
            index.col(column);
        }
        c.schema(&index).await?;
    }

    c.schema(
        Table::create()
            .table(ProjectUnits::Table)
            .col(big(ProjectUnits::ProjectId))
            .col(big(ProjectUnits::UnitId))
            .col(text(ProjectUnits::Role))
            .primary_key(Index::create().col(ProjectUnits::ProjectId).col(ProjectUnits::UnitId).col(ProjectUnits::Role))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectUnits::Table, ProjectUnits::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create().from(ProjectUnits::Table, ProjectUnits::UnitId).to(Units::Table, Units::Id),
            ),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_project_units_unit")
            .table(ProjectUnits::Table)
            .col(ProjectUnits::UnitId)
            .col(ProjectUnits::ProjectId),
    )
    .await?;

    c.schema(
        Table::create()
            .table(ProjectPlans::Table)
            .col(big(ProjectPlans::ProjectId))
            .col(date(ProjectPlans::ValidFrom))
            .col(date(ProjectPlans::PlannedStart))
            .col(date(ProjectPlans::PlannedEnd))
            .col(text(ProjectPlans::Milestones))
            .primary_key(Index::create().col(ProjectPlans::ProjectId).col(ProjectPlans::ValidFrom))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectPlans::Table, ProjectPlans::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;

    c.schema(
        Table::create()
            .table(ProjectReports::Table)
            .col(id(ProjectReports::Id))
            .col(big(ProjectReports::ProjectId))
            .col(text(ProjectReports::Period))
            .col(big(ProjectReports::Progress))
            .col(text_null(ProjectReports::ProgressReason))
            .col(text_null(ProjectReports::IndicatorAchieved))
            .col(big_null(ProjectReports::FundsAllocated))
            .col(big_null(ProjectReports::FundsSpent))
            .col(text_null(ProjectReports::Narrative))
            .col(text_null(ProjectReports::Problems))
            .col(text_null(ProjectReports::Status))
            .col(date_null(ProjectReports::CompletedOn))
            .col(big_null(ProjectReports::SubmittedBy))
            .col(date(ProjectReports::SubmittedOn))
            .col(ts(ProjectReports::SubmittedAt))
            .col(date_null(ProjectReports::SupersededOn))
            .col(text(ProjectReports::CheckState))
            .col(text_null(ProjectReports::CheckNote))
            .col(big_null(ProjectReports::CheckedBy))
            .col(ts_null(ProjectReports::CheckedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectReports::Table, ProjectReports::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_project_reports_period")
            .table(ProjectReports::Table)
            .col(ProjectReports::ProjectId)
            .col(ProjectReports::Period),
    )
    .await?;
    c.schema(
        Index::create().name("idx_project_reports_check").table(ProjectReports::Table).col(ProjectReports::CheckState),
    )
    .await?;

    c.schema(
        Table::create()
            .table(ProjectLights::Table)
            .col(big(ProjectLights::ProjectId))
            .col(date(ProjectLights::OnDate))
            .col(text(ProjectLights::Light))
            .col(text(ProjectLights::Reason))
            .col(big(ProjectLights::Planned))
            .col(big(ProjectLights::Actual))
            .primary_key(Index::create().col(ProjectLights::ProjectId).col(ProjectLights::OnDate))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectLights::Table, ProjectLights::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;

    c.schema(
        Table::create()
            .table(ProjectFreezes::Table)
            .col(id(ProjectFreezes::Id))
            .col(text(ProjectFreezes::Kind))
            .col(big(ProjectFreezes::Year))
            .col(big_null(ProjectFreezes::Quarter))
            .col(text(ProjectFreezes::Through))
            .col(big(ProjectFreezes::UnitId))
            .col(text_null(ProjectFreezes::Note))
            .col(big(ProjectFreezes::Projects))
            .col(big_null(ProjectFreezes::FrozenBy))
            .col(ts(ProjectFreezes::FrozenAt))
            .foreign_key(
                ForeignKey::create().from(ProjectFreezes::Table, ProjectFreezes::UnitId).to(Units::Table, Units::Id),
            ),
    )
    .await?;
    c.schema(
        Table::create()
            .table(ProjectFrozen::Table)
            .col(big(ProjectFrozen::FreezeId))
            .col(big(ProjectFrozen::ProjectId))
            .col(big(ProjectFrozen::Progress))
            .col(text_null(ProjectFrozen::IndicatorAchieved))
            .col(big(ProjectFrozen::FundsAllocated))
            .col(big(ProjectFrozen::FundsSpent))
            .col(text(ProjectFrozen::Light))
            .col(text(ProjectFrozen::Reason))
            .primary_key(Index::create().col(ProjectFrozen::FreezeId).col(ProjectFrozen::ProjectId))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectFrozen::Table, ProjectFrozen::FreezeId)
                    .to(ProjectFreezes::Table, ProjectFreezes::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectFrozen::Table, ProjectFrozen::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create().name("idx_project_frozen_project").table(ProjectFrozen::Table).col(ProjectFrozen::ProjectId),
    )
    .await?;

    c.schema(
        Table::create()
            .table(ProjectChecks::Table)
            .col(id(ProjectChecks::Id))
            .col(big(ProjectChecks::ProjectId))
            .col(date(ProjectChecks::CheckedOn))
            .col(flag(ProjectChecks::Normal, true))
            .col(text_null(ProjectChecks::Notes))
            .col(big_null(ProjectChecks::ItemId))
            .col(big_null(ProjectChecks::CheckedBy))
            .col(ts(ProjectChecks::CreatedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectChecks::Table, ProjectChecks::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;

    c.schema(Table::alter().table(Items::Table).add_column(ColumnDef::new(Items::ProjectId).big_integer().null()))
        .await?;
    c.schema(Index::create().name("idx_items_project").table(Items::Table).col(Items::ProjectId)).await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Index::drop().name("idx_items_project").table(Items::Table)).await?;
    c.schema(Table::alter().table(Items::Table).drop_column(Items::ProjectId)).await?;
    for table in [
        ProjectChecks::Table.into_iden(),
        ProjectFrozen::Table.into_iden(),
        ProjectFreezes::Table.into_iden(),
        ProjectLights::Table.into_iden(),
        ProjectReports::Table.into_iden(),
        ProjectPlans::Table.into_iden(),
        ProjectUnits::Table.into_iden(),
        Projects::Table.into_iden(),
    ] {
        c.schema(Table::drop().table(table)).await?;
    }
    Ok(())
}
