//! The foundation: units, users and role grants, sessions and API tokens, the audit chain,
//! settings and the working-day calendar.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use bangdu_domain::audit_chain::GENESIS_HASH;
use sea_query::{ForeignKey, ForeignKeyAction, Index, IntoIden, Query, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(Units::Table)
            .col(id(Units::Id))
            .col(text(Units::Code).unique_key())
            .col(text(Units::Name))
            .col(text(Units::Kind))
            .col(big_null(Units::ParentId))
            .col(text_null(Units::Region))
            .col(text(Units::Path))
            .col(big(Units::Depth))
            .col(big(Units::SortOrder))
            .col(flag(Units::Active, true))
            .col(big_null(Units::CreatedBy))
            .col(ts(Units::CreatedAt))
            .col(ts(Units::UpdatedAt))
            .col(big(Units::Version))
            .foreign_key(ForeignKey::create().from(Units::Table, Units::ParentId).to(Units::Table, Units::Id)),
    )
    .await?;
    c.schema(Index::create().name("idx_units_path").table(Units::Table).col(Units::Path)).await?;
    c.schema(Index::create().name("idx_units_parent").table(Units::Table).col(Units::ParentId)).await?;
    c.schema(Index::create().name("idx_units_name").table(Units::Table).col(Units::Name)).await?;

    c.schema(
        Table::create()
            .table(Users::Table)
            .col(id(Users::Id))
            .col(text(Users::Username).unique_key())
            .col(text(Users::DisplayName))
            .col(text_null(Users::Phone))
            .col(text(Users::PasswordHash))
            .col(ts(Users::PasswordChangedAt))
            .col(flag(Users::MustChangePassword, false))
            .col(big(Users::FailedSignIns))
            .col(ts_null(Users::LockedUntil))
            .col(flag(Users::Active, true))
            .col(ts_null(Users::LastSignInAt))
            .col(big_null(Users::CreatedBy))
            .col(ts(Users::CreatedAt))
            .col(ts(Users::UpdatedAt))
            .col(big(Users::Version)),
    )
    .await?;

    c.schema(
        Table::create()
            .table(RoleGrants::Table)
            .col(id(RoleGrants::Id))
            .col(big(RoleGrants::UserId))
            .col(text(RoleGrants::Role))
            .col(big(RoleGrants::UnitId))
            .col(text(RoleGrants::DataScope))
            .col(ts(RoleGrants::CreatedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(RoleGrants::Table, RoleGrants::UserId)
                    .to(Users::Table, Users::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(ForeignKey::create().from(RoleGrants::Table, RoleGrants::UnitId).to(Units::Table, Units::Id)),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_role_grants_unique")
            .table(RoleGrants::Table)
            .col(RoleGrants::UserId)
            .col(RoleGrants::Role)
            .col(RoleGrants::UnitId)
            .unique(),
    )
    .await?;
    c.schema(Index::create().name("idx_role_grants_unit").table(RoleGrants::Table).col(RoleGrants::UnitId)).await?;

    c.schema(
        Table::create()
            .table(GrantUnits::Table)
            .col(big(GrantUnits::GrantId))
            .col(big(GrantUnits::UnitId))
            .primary_key(Index::create().col(GrantUnits::GrantId).col(GrantUnits::UnitId))
            .foreign_key(
                ForeignKey::create()
                    .from(GrantUnits::Table, GrantUnits::GrantId)
                    .to(RoleGrants::Table, RoleGrants::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(ForeignKey::create().from(GrantUnits::Table, GrantUnits::UnitId).to(Units::Table, Units::Id)),
    )
    .await?;

    c.schema(
        Table::create()
            .table(Sessions::Table)
            .col(id(Sessions::Id))
            .col(text(Sessions::TokenHash).unique_key())
            .col(big(Sessions::UserId))
            .col(text(Sessions::CsrfToken))
            .col(ts(Sessions::CreatedAt))
            .col(ts(Sessions::LastSeenAt))
            .col(ts(Sessions::ExpiresAt))
            .col(text_null(Sessions::SourceIp))
            .col(text_null(Sessions::UserAgent))
            .foreign_key(
                ForeignKey::create()
                    .from(Sessions::Table, Sessions::UserId)
                    .to(Users::Table, Users::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(Index::create().name("idx_sessions_user").table(Sessions::Table).col(Sessions::UserId)).await?;

    c.schema(
        Table::create()
            .table(ApiTokens::Table)
            .col(id(ApiTokens::Id))
            .col(big(ApiTokens::UserId))
            .col(text(ApiTokens::Name))
            .col(text(ApiTokens::TokenHash).unique_key())
            .col(text(ApiTokens::Prefix))
            .col(ts(ApiTokens::CreatedAt))
            .col(ts_null(ApiTokens::LastUsedAt))
            .col(ts_null(ApiTokens::ExpiresAt))
            .col(ts_null(ApiTokens::RevokedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(ApiTokens::Table, ApiTokens::UserId)
                    .to(Users::Table, Users::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(Index::create().name("idx_api_tokens_user").table(ApiTokens::Table).col(ApiTokens::UserId)).await?;

    c.schema(
        Table::create()
            .table(AuditEvents::Table)
            .col(big(AuditEvents::Seq).primary_key())
            .col(ts(AuditEvents::At))
            .col(big_null(AuditEvents::ActorId))
            .col(text(AuditEvents::ActorName))
            .col(text_null(AuditEvents::ActorRole))
            .col(text_null(AuditEvents::SourceIp))
            .col(text(AuditEvents::Action))
            .col(text(AuditEvents::ObjectType))
            .col(text_null(AuditEvents::ObjectId))
            // TEXT, not JSONB: the hash covers the exact bytes, which JSONB would re-order.
            .col(text(AuditEvents::Change))
            .col(text(AuditEvents::Result))
            .col(text(AuditEvents::Algorithm))
            .col(text(AuditEvents::PrevHash))
            .col(text(AuditEvents::Hash)),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_audit_object")
            .table(AuditEvents::Table)
            .col(AuditEvents::ObjectType)
            .col(AuditEvents::ObjectId),
    )
    .await?;
    c.schema(Index::create().name("idx_audit_actor").table(AuditEvents::Table).col(AuditEvents::ActorId)).await?;
    c.schema(Index::create().name("idx_audit_at").table(AuditEvents::Table).col(AuditEvents::At)).await?;

    c.schema(
        Table::create()
            .table(AuditHead::Table)
            .col(big(AuditHead::Id).primary_key())
            .col(big(AuditHead::Seq))
            .col(text(AuditHead::Hash))
            .col(big(AuditHead::BaseSeq))
            .col(text(AuditHead::BaseHash)),
    )
    .await?;
    c.execute(
        Query::insert()
            .into_table(AuditHead::Table)
            .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash, AuditHead::BaseSeq, AuditHead::BaseHash])
            .values_panic([1i64.into(), 0i64.into(), GENESIS_HASH.into(), 0i64.into(), GENESIS_HASH.into()]),
    )
    .await?;

    c.schema(
        Table::create()
            .table(Settings::Table)
            .col(text_pk(Settings::Key))
            .col(text(Settings::Value))
            .col(ts(Settings::UpdatedAt))
            .col(big_null(Settings::UpdatedBy)),
    )
    .await?;

    c.schema(
        Table::create()
            .table(CalendarYears::Table)
            .col(big(CalendarYears::Year).primary_key())
            .col(text(CalendarYears::Note))
            .col(ts(CalendarYears::LoadedAt))
            .col(big_null(CalendarYears::LoadedBy)),
    )
    .await?;
    c.schema(
        Table::create()
            .table(CalendarDays::Table)
            .col(big(CalendarDays::Year))
            .col(date(CalendarDays::Date))
            .col(text(CalendarDays::Kind))
            .col(text(CalendarDays::Name))
            .primary_key(Index::create().col(CalendarDays::Year).col(CalendarDays::Date))
            .foreign_key(
                ForeignKey::create()
                    .from(CalendarDays::Table, CalendarDays::Year)
                    .to(CalendarYears::Table, CalendarYears::Year)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    for table in [
        CalendarDays::Table.into_iden(),
        CalendarYears::Table.into_iden(),
        Settings::Table.into_iden(),
        AuditHead::Table.into_iden(),
        AuditEvents::Table.into_iden(),
        ApiTokens::Table.into_iden(),
        Sessions::Table.into_iden(),
        GrantUnits::Table.into_iden(),
        RoleGrants::Table.into_iden(),
        Users::Table.into_iden(),
        Units::Table.into_iden(),
    ] {
        c.schema(Table::drop().table(table)).await?;
    }
    Ok(())
}
