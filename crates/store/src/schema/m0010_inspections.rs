//! Inspections (帮督行动): the personnel pool (members, their declared conflicts and absences),
//! campaigns, rounds, the targets a round visits and the seats of the teams that visit them.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ForeignKey, ForeignKeyAction, Index, IntoIden, Table};

fn fk(
    from: (impl IntoIden + Clone, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    delete: ForeignKeyAction,
) -> sea_query::ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(delete).to_owned()
}

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    use ForeignKeyAction::{Cascade, Restrict, SetNull};
    c.schema(
        Table::create()
            .table(PoolMembers::Table)
            .col(id(PoolMembers::Id))
            .col(big(PoolMembers::OwnerUnitId))
            .col(big_null(PoolMembers::UserId))
            .col(text(PoolMembers::Name))
            .col(big_null(PoolMembers::UnitId))
            .col(text(PoolMembers::UnitName))
            .col(text(PoolMembers::Region))
            .col(text(PoolMembers::Domains))
            .col(flag(PoolMembers::CanLead, false))
            .col(flag(PoolMembers::Office, false))
            .col(text_null(PoolMembers::Phone))
            .col(flag(PoolMembers::Active, true))
            .col(text_null(PoolMembers::Note))
            .col(big(PoolMembers::Version))
            .col(big_null(PoolMembers::CreatedBy))
            .col(ts(PoolMembers::CreatedAt))
            .col(ts(PoolMembers::UpdatedAt))
            .foreign_key(&mut fk((PoolMembers::Table, PoolMembers::OwnerUnitId), (Units::Table, Units::Id), Restrict))
            .foreign_key(&mut fk((PoolMembers::Table, PoolMembers::UnitId), (Units::Table, Units::Id), SetNull))
            .foreign_key(&mut fk((PoolMembers::Table, PoolMembers::UserId), (Users::Table, Users::Id), SetNull)),
    )
    .await?;
    // The import finds a person again by name and unit within one pool: that is what makes it
    // idempotent, and what "a duplicated person" means.
    c.schema(
        Index::create()
            .name("idx_pool_members_person")
            .table(PoolMembers::Table)
            .col(PoolMembers::OwnerUnitId)
            .col(PoolMembers::Name)
            .col(PoolMembers::UnitName)
            .unique(),
    )
    .await?;
    c.schema(
        Table::create()
            .table(PoolConflicts::Table)
            .col(big(PoolConflicts::MemberId))
            .col(big_null(PoolConflicts::UnitId))
            .col(text_null(PoolConflicts::Person))
            .col(text_null(PoolConflicts::Reason))
            .col(ts(PoolConflicts::DeclaredAt))
            .foreign_key(&mut fk(
                (PoolConflicts::Table, PoolConflicts::MemberId),
                (PoolMembers::Table, PoolMembers::Id),
                Cascade,
            ))
            .foreign_key(&mut fk((PoolConflicts::Table, PoolConflicts::UnitId), (Units::Table, Units::Id), Cascade)),
    )
    .await?;
    c.schema(
        Index::create().name("idx_pool_conflicts_member").table(PoolConflicts::Table).col(PoolConflicts::MemberId),
    )
    .await?;
    c.schema(
        Table::create()
            .table(PoolAbsences::Table)
            .col(big(PoolAbsences::MemberId))
            .col(date(PoolAbsences::StartsOn))
            .col(date(PoolAbsences::EndsOn))
            .col(text_null(PoolAbsences::Reason))
            .foreign_key(&mut fk(
                (PoolAbsences::Table, PoolAbsences::MemberId),
                (PoolMembers::Table, PoolMembers::Id),
                Cascade,
            )),
    )
    .await?;
    c.schema(Index::create().name("idx_pool_absences_member").table(PoolAbsences::Table).col(PoolAbsences::MemberId))
        .await?;
    c.schema(
        Table::create()
            .table(Campaigns::Table)
            .col(id(Campaigns::Id))
            .col(text(Campaigns::Name))
            .col(text_null(Campaigns::Theme))
            .col(big(Campaigns::LeadUnitId))
            .col(date(Campaigns::StartsOn))
            .col(date(Campaigns::EndsOn))
            .col(big(Campaigns::Version))
            .col(big_null(Campaigns::CreatedBy))
            .col(ts(Campaigns::CreatedAt))
            .col(ts(Campaigns::UpdatedAt))
            .foreign_key(&mut fk((Campaigns::Table, Campaigns::LeadUnitId), (Units::Table, Units::Id), Restrict)),
    )
    .await?;
    c.schema(
        Table::create()
            .table(Rounds::Table)
            .col(id(Rounds::Id))
            .col(big(Rounds::CampaignId))
            .col(text(Rounds::Name))
            .col(text(Rounds::Kind))
            .col(date(Rounds::StartsOn))
            .col(date(Rounds::EndsOn))
            .col(big(Rounds::Specialists))
            .col(text_null(Rounds::Seed))
            .col(text_null(Rounds::Algorithm))
            .col(text_null(Rounds::Plan))
            .col(ts_null(Rounds::DrawnAt))
            .col(big_null(Rounds::DrawnBy))
            .col(text_null(Rounds::Formation))
            .col(ts_null(Rounds::FormedAt))
            .col(big(Rounds::Version))
            .col(big_null(Rounds::CreatedBy))
            .col(ts(Rounds::CreatedAt))
            .col(ts(Rounds::UpdatedAt))
            .foreign_key(&mut fk((Rounds::Table, Rounds::CampaignId), (Campaigns::Table, Campaigns::Id), Cascade)),
    )
    .await?;
    c.schema(Index::create().name("idx_rounds_campaign").table(Rounds::Table).col(Rounds::CampaignId)).await?;
    c.schema(
        Table::create()
            .table(RoundTargets::Table)
            .col(id(RoundTargets::Id))
            .col(big(RoundTargets::RoundId))
            .col(text(RoundTargets::Kind))
            .col(big_null(RoundTargets::ProjectId))
            .col(big_null(RoundTargets::ItemId))
            .col(big(RoundTargets::UnitId))
            .col(text(RoundTargets::Name))
            .col(text(RoundTargets::Region))
            .col(text(RoundTargets::Basis))
            .col(text_null(RoundTargets::Rank))
            .col(text(RoundTargets::Domains))
            .col(big(RoundTargets::Specialists))
            .col(date(RoundTargets::VisitOn))
            .col(text_null(RoundTargets::Reason))
            .col(big_null(RoundTargets::AddedBy))
            .col(ts(RoundTargets::CreatedAt))
            .col(text_null(RoundTargets::DroppedReason))
            .col(big_null(RoundTargets::DroppedBy))
            .col(ts_null(RoundTargets::DroppedAt))
            .col(text_null(RoundTargets::Explanation))
            .foreign_key(&mut fk((RoundTargets::Table, RoundTargets::RoundId), (Rounds::Table, Rounds::Id), Cascade))
            .foreign_key(&mut fk(
                (RoundTargets::Table, RoundTargets::ProjectId),
                (Projects::Table, Projects::Id),
                Restrict,
            ))
            .foreign_key(&mut fk((RoundTargets::Table, RoundTargets::ItemId), (Items::Table, Items::Id), Restrict))
            .foreign_key(&mut fk((RoundTargets::Table, RoundTargets::UnitId), (Units::Table, Units::Id), Restrict)),
    )
    .await?;
    c.schema(Index::create().name("idx_round_targets_round").table(RoundTargets::Table).col(RoundTargets::RoundId))
        .await?;
    c.schema(
        Table::create()
            .table(TeamSeats::Table)
            .col(big(TeamSeats::TargetId))
            .col(big(TeamSeats::MemberId))
            .col(text(TeamSeats::Role))
            .col(text(TeamSeats::Matched))
            .col(big(TeamSeats::LoadBefore))
            .col(big(TeamSeats::LoadAfter))
            .col(text_null(TeamSeats::Overrides))
            .col(text_null(TeamSeats::OverrideReason))
            .col(big_null(TeamSeats::AssignedBy))
            .col(ts(TeamSeats::AssignedAt))
            .primary_key(Index::create().col(TeamSeats::TargetId).col(TeamSeats::MemberId))
            .foreign_key(&mut fk(
                (TeamSeats::Table, TeamSeats::TargetId),
                (RoundTargets::Table, RoundTargets::Id),
                Cascade,
            ))
            .foreign_key(&mut fk(
                (TeamSeats::Table, TeamSeats::MemberId),
                (PoolMembers::Table, PoolMembers::Id),
                Restrict,
            )),
    )
    .await?;
    c.schema(Index::create().name("idx_team_seats_member").table(TeamSeats::Table).col(TeamSeats::MemberId)).await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    for table in [
        TeamSeats::Table.into_iden(),
        RoundTargets::Table.into_iden(),
        Rounds::Table.into_iden(),
        Campaigns::Table.into_iden(),
        PoolAbsences::Table.into_iden(),
        PoolConflicts::Table.into_iden(),
        PoolMembers::Table.into_iden(),
    ] {
        c.schema(Table::drop().table(table)).await?;
    }
    Ok(())
}
