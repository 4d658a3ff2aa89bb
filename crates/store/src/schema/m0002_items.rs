//! Supervision items, their units, attachments, the in-app inbox, unit webhooks and the delivery
//! outbox, scheduled job claims, and users' e-mail addresses.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ColumnDef, ForeignKey, ForeignKeyAction, Index, IntoIden, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Table::alter().table(Users::Table).add_column(ColumnDef::new(Users::Email).text().null())).await?;

    c.schema(
        Table::create()
            .table(Items::Table)
            .col(id(Items::Id))
            .col(text(Items::Code).unique_key())
            .col(text(Items::Title))
            .col(text_null(Items::Description))
            .col(text(Items::Source))
            .col(text_null(Items::SourceLink))
            .col(text_null(Items::Tags))
            .col(text_null(Items::RelatedProjects))
            .col(text(Items::Priority))
            .col(big_null(Items::ParentId))
            .col(big(Items::OwnerUnitId))
            .col(big_null(Items::ResponsibleUnitId))
            .col(big_null(Items::LeadUnitId))
            .col(text_null(Items::ResponsiblePerson))
            .col(text_null(Items::Measures))
            .col(text_null(Items::CompletionStandard))
            .col(text(Items::State))
            .col(big(Items::Version))
            .col(date_null(Items::AssignedOn))
            .col(date_null(Items::Deadline))
            .col(big_null(Items::DeadlineWorkdays))
            .col(date_null(Items::PausedSince))
            .col(big(Items::PausedWorkdays))
            .col(date_null(Items::ExtDeadline))
            .col(text_null(Items::ExtReason))
            .col(big_null(Items::ExtRequestedBy))
            .col(big(Items::Escalation))
            .col(date_null(Items::EscalatedOn))
            .col(big(Items::ReopenCount))
            .col(text_null(Items::CloseMeasures))
            .col(text_null(Items::CloseResult))
            .col(big_null(Items::CloseRequestedBy))
            .col(ts_null(Items::CloseRequestedAt))
            .col(ts_null(Items::ClosedAt))
            .col(big_null(Items::ClosedBy))
            .col(ts_null(Items::ConfirmedAt))
            .col(big_null(Items::CreatedBy))
            .col(ts(Items::CreatedAt))
            .col(ts(Items::UpdatedAt))
            .foreign_key(ForeignKey::create().from(Items::Table, Items::ParentId).to(Items::Table, Items::Id))
            .foreign_key(ForeignKey::create().from(Items::Table, Items::OwnerUnitId).to(Units::Table, Units::Id))
            .foreign_key(ForeignKey::create().from(Items::Table, Items::ResponsibleUnitId).to(Units::Table, Units::Id))
            .foreign_key(ForeignKey::create().from(Items::Table, Items::LeadUnitId).to(Units::Table, Units::Id)),
    )
    .await?;
    for (name, columns) in [
        ("idx_items_state_deadline", vec![Items::State, Items::Deadline]),
        ("idx_items_deadline", vec![Items::Deadline]),
        ("idx_items_responsible", vec![Items::ResponsibleUnitId, Items::State]),
        ("idx_items_parent", vec![Items::ParentId]),
        ("idx_items_created_by", vec![Items::CreatedBy]),
        ("idx_items_updated", vec![Items::UpdatedAt]),
    ] {
        let mut index = Index::create();
        index.name(name).table(Items::Table);
        for column in columns {
            index.col(column);
        }
        c.schema(&index).await?;
    }

    c.schema(
        Table::create()
            .table(ItemUnits::Table)
            .col(big(ItemUnits::ItemId))
            .col(big(ItemUnits::UnitId))
            .col(text(ItemUnits::Role))
            .primary_key(Index::create().col(ItemUnits::ItemId).col(ItemUnits::UnitId).col(ItemUnits::Role))
            .foreign_key(
                ForeignKey::create()
                    .from(ItemUnits::Table, ItemUnits::ItemId)
                    .to(Items::Table, Items::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(ForeignKey::create().from(ItemUnits::Table, ItemUnits::UnitId).to(Units::Table, Units::Id)),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_item_units_unit")
            .table(ItemUnits::Table)
            .col(ItemUnits::UnitId)
            .col(ItemUnits::ItemId),
    )
    .await?;

    c.schema(
        Table::create()
            .table(ItemCounters::Table)
            .col(big(ItemCounters::Year).primary_key())
            .col(big(ItemCounters::Last)),
    )
    .await?;

    c.schema(
        Table::create()
            .table(Attachments::Table)
            .col(id(Attachments::Id))
            .col(big(Attachments::ItemId))
            .col(text_null(Attachments::Action))
            .col(big_null(Attachments::AuditSeq))
            .col(text(Attachments::Filename))
            .col(text(Attachments::ContentType))
            .col(big(Attachments::SizeBytes))
            .col(text(Attachments::Sha256))
            .col(big_null(Attachments::UploadedBy))
            .col(ts(Attachments::UploadedAt))
            .foreign_key(
                ForeignKey::create().from(Attachments::Table, Attachments::ItemId).to(Items::Table, Items::Id),
            ),
    )
    .await?;
    c.schema(Index::create().name("idx_attachments_item").table(Attachments::Table).col(Attachments::ItemId)).await?;

    c.schema(
        Table::create()
            .table(Notifications::Table)
            .col(id(Notifications::Id))
            .col(big(Notifications::UserId))
            .col(text(Notifications::Kind))
            .col(text(Notifications::Title))
            .col(text_null(Notifications::Body))
            .col(big_null(Notifications::ItemId))
            .col(ts(Notifications::CreatedAt))
            .col(ts_null(Notifications::ReadAt))
            .foreign_key(
                ForeignKey::create()
                    .from(Notifications::Table, Notifications::UserId)
                    .to(Users::Table, Users::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_notifications_user")
            .table(Notifications::Table)
            .col(Notifications::UserId)
            .col(Notifications::ReadAt),
    )
    .await?;

    c.schema(
        Table::create()
            .table(UnitWebhooks::Table)
            .col(id(UnitWebhooks::Id))
            .col(big(UnitWebhooks::UnitId))
            .col(text(UnitWebhooks::Url))
            .col(text(UnitWebhooks::Secret))
            .col(flag(UnitWebhooks::Active, true))
            .col(big_null(UnitWebhooks::CreatedBy))
            .col(ts(UnitWebhooks::CreatedAt))
            .foreign_key(
                ForeignKey::create().from(UnitWebhooks::Table, UnitWebhooks::UnitId).to(Units::Table, Units::Id),
            ),
    )
    .await?;

    c.schema(
        Table::create()
            .table(Deliveries::Table)
            .col(id(Deliveries::Id))
            .col(text(Deliveries::Channel))
            .col(text(Deliveries::Target))
            .col(big_null(Deliveries::WebhookId))
            .col(text_null(Deliveries::Subject))
            .col(text(Deliveries::Payload))
            .col(text(Deliveries::Status))
            .col(big(Deliveries::Attempts))
            .col(ts(Deliveries::NextAttemptAt))
            .col(big_null(Deliveries::LastStatus))
            .col(text_null(Deliveries::LastError))
            .col(ts(Deliveries::CreatedAt))
            .col(ts_null(Deliveries::DeliveredAt)),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_deliveries_due")
            .table(Deliveries::Table)
            .col(Deliveries::Status)
            .col(Deliveries::NextAttemptAt),
    )
    .await?;
    c.schema(Index::create().name("idx_deliveries_webhook").table(Deliveries::Table).col(Deliveries::WebhookId))
        .await?;

    c.schema(
        Table::create()
            .table(JobRuns::Table)
            .col(text(JobRuns::Job))
            .col(text(JobRuns::RunKey))
            .col(text(JobRuns::Node))
            .col(ts(JobRuns::StartedAt))
            .col(ts_null(JobRuns::FinishedAt))
            .col(text_null(JobRuns::Summary))
            .primary_key(Index::create().col(JobRuns::Job).col(JobRuns::RunKey)),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    for table in [
        JobRuns::Table.into_iden(),
        Deliveries::Table.into_iden(),
        UnitWebhooks::Table.into_iden(),
        Notifications::Table.into_iden(),
        Attachments::Table.into_iden(),
        ItemCounters::Table.into_iden(),
        ItemUnits::Table.into_iden(),
        Items::Table.into_iden(),
    ] {
        c.schema(Table::drop().table(table)).await?;
    }
    c.schema(Table::alter().table(Users::Table).drop_column(Users::Email)).await?;
    Ok(())
}
