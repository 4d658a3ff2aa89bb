//! Campaigns (专项行动) and their rounds. A campaign belongs to its lead office: whoever's scope
//! covers that office sees it, the office (or one above) manages it. A 帮督人员 sees the campaigns
//! and rounds in which they hold a seat.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::scope_sql;
use crate::tables::{CampaignRecord, Campaigns, PoolMembers, RoundRecord, RoundTargets, Rounds, TeamSeats, Units};
use crate::time::now;
use crate::units::{self, NamedUnit};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::field_error::{optional_text, required_text};
use bangdu_domain::inspection::round::RoundKind;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::plan::parse_date;
use bangdu_domain::scope::{Scope, UnitRef};
use bangdu_domain::{CampaignId, RoundId, UnitId};
use chrono::NaiveDate;
use sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use serde_json::json;

joined_row! {
    /// A campaign with its lead office's name and path.
    pub struct CampaignRow {
        campaign: CampaignRecord,
        lead_name: String,
        lead_path: String,
    }
}

/// Campaigns visible under `scope`: led by an office in it, or (self scope) with a round in which
/// the user holds a seat.
pub(crate) fn visible(scope: &Scope) -> Option<Condition> {
    let units = scope_sql::owned_by_unit(scope, (Campaigns::Table, Campaigns::LeadUnitId), None::<Campaigns>)?;
    let mut any = Condition::any().add(units);
    if let (true, Some(user)) = (scope.own_records, scope.user) {
        any = any.add(
            Expr::col((Campaigns::Table, Campaigns::Id)).in_subquery(
                Query::select()
                    .column((Rounds::Table, Rounds::CampaignId))
                    .from(Rounds::Table)
                    .join(
                        JoinType::InnerJoin,
                        RoundTargets::Table,
                        Expr::col((RoundTargets::Table, RoundTargets::RoundId)).equals((Rounds::Table, Rounds::Id)),
                    )
                    .join(
                        JoinType::InnerJoin,
                        TeamSeats::Table,
                        Expr::col((TeamSeats::Table, TeamSeats::TargetId))
                            .equals((RoundTargets::Table, RoundTargets::Id)),
                    )
                    .join(
                        JoinType::InnerJoin,
                        PoolMembers::Table,
                        Expr::col((PoolMembers::Table, PoolMembers::Id))
                            .equals((TeamSeats::Table, TeamSeats::MemberId)),
                    )
                    .and_where(Expr::col((PoolMembers::Table, PoolMembers::UserId)).eq(user.0))
                    .to_owned(),
            ),
        );
    }
    Some(any)
}

fn select_campaigns() -> SelectStatement {
    let lead = Alias::new("lead_unit");
    let mut select = Query::select();
    select
        .columns(Campaigns::qualified())
        .expr_as(Expr::col((lead.clone(), Units::Name)), Alias::new("lead_name"))
        .expr_as(Expr::col((lead.clone(), Units::Path)), Alias::new("lead_path"))
        .from(Campaigns::Table)
        .join_as(
            JoinType::InnerJoin,
            Units::Table,
            lead.clone(),
            Expr::col((lead, Units::Id)).equals((Campaigns::Table, Campaigns::LeadUnitId)),
        );
    select
}

pub(crate) fn scoped(scope: &Scope) -> SelectStatement {
    let mut select = select_campaigns();
    if let Some(cond) = visible(scope) {
        select.cond_where(cond);
    }
    select
}

/// Whether the actor manages what this campaign's lead office owns.
pub(crate) fn manages(actor: &Actor, campaign: &CampaignRow) -> bool {
    actor.can(Permission::ManageInspections)
        && actor
            .scope(Permission::ManageInspections)
            .covers_unit(UnitRef { id: UnitId(campaign.lead_unit_id), path: &campaign.lead_path })
}

/// Every campaign the actor may see, newest first.
pub async fn list(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<CampaignRow>> {
    let mut select = scoped(&actor.require(Permission::ViewInspections)?);
    select
        .order_by((Campaigns::Table, Campaigns::StartsOn), Order::Desc)
        .order_by((Campaigns::Table, Campaigns::Id), Order::Desc);
    c.fetch_all(&select).await
}

pub(crate) async fn get_in(c: &mut Conn<'_>, scope: &Scope, id: CampaignId) -> Result<CampaignRow> {
    c.fetch_optional(scoped(scope).and_where(Expr::col((Campaigns::Table, Campaigns::Id)).eq(id)))
        .await?
        .ok_or(StoreError::NotFound)
}

/// A campaign with its rounds.
#[derive(Clone, Debug)]
pub struct CampaignDetail {
    pub campaign: CampaignRow,
    pub rounds: Vec<RoundRecord>,
    pub can_manage: bool,
}

pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: CampaignId) -> Result<CampaignDetail> {
    let scope = actor.require(Permission::ViewInspections)?;
    let campaign = get_in(c, &scope, id).await?;
    let rounds = rounds_of(c, id).await?;
    let can_manage = manages(actor, &campaign);
    Ok(CampaignDetail { campaign, rounds, can_manage })
}

pub(crate) async fn rounds_of(c: &mut Conn<'_>, id: CampaignId) -> Result<Vec<RoundRecord>> {
    c.fetch_all(
        Query::select()
            .columns(Rounds::COLUMNS.iter().copied())
            .from(Rounds::Table)
            .and_where(Expr::col(Rounds::CampaignId).eq(id))
            .order_by(Rounds::StartsOn, Order::Asc)
            .order_by(Rounds::Id, Order::Asc),
    )
    .await
}

/// A campaign as typed.
#[derive(Clone, Debug, Default)]
pub struct CampaignInput {
    pub name: String,
    pub theme: String,
    /// The lead office (code or name); the actor's office unit when blank.
    pub lead_unit: String,
    pub starts_on: String,
    pub ends_on: String,
}

fn period(starts: &str, ends: &str) -> Result<(NaiveDate, NaiveDate)> {
    let from = parse_date("starts_on", starts).map_err(StoreError::Invalid)?;
    let to = parse_date("ends_on", ends).map_err(StoreError::Invalid)?;
    if to < from {
        return Err(StoreError::invalid("ends_on", "结束日期不能早于开始日期"));
    }
    Ok((from, to))
}

pub async fn create(c: &mut Conn<'_>, actor: &Actor, input: &CampaignInput) -> Result<CampaignRow> {
    let manage = actor.require(Permission::ManageInspections)?;
    let name = required_text("name", "行动名称", &input.name, 100).map_err(StoreError::Invalid)?;
    let theme = optional_text("theme", "主题", &input.theme, 500).map_err(StoreError::Invalid)?;
    let (starts_on, ends_on) = period(&input.starts_on, &input.ends_on)?;
    let lead = match input.lead_unit.trim() {
        "" => super::pool::owner_unit(c, actor, &manage, "")
            .await
            .map_err(|_| StoreError::invalid("lead_unit", "请指定牵头单位"))?,
        text => units::find_refs(c, &manage, &[("lead_unit".to_string(), NamedUnit::named(text))]).await?.remove(0),
    };
    let at = now();
    let record = CampaignRecord {
        id: CampaignId(0),
        name,
        theme,
        lead_unit_id: lead.id,
        starts_on,
        ends_on,
        version: 1,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
    };
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: CampaignId,
    }
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(Campaigns::Id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.campaign_create", "campaign", inserted.id)
            .change(json!({"payload": {"name": record.name, "theme": record.theme, "lead_unit": lead.code,
                "starts_on": starts_on, "ends_on": ends_on}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    get_in(c, &Scope::everything(), inserted.id).await
}

/// A round as typed.
#[derive(Clone, Debug, Default)]
pub struct RoundInput {
    pub name: String,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    /// N of 1+1+N (2 when blank).
    pub specialists: String,
}

/// The working days of a round's dates; none is an error.
pub fn working_days(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>> {
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        if cal.is_workday(day).map_err(|e| StoreError::invalid("starts_on", e.to_string()))? {
            days.push(day);
        }
        day = day.succ_opt().ok_or_else(|| StoreError::invalid("ends_on", "日期无效"))?;
    }
    if days.is_empty() {
        return Err(StoreError::conflict("no_working_day", format!("{from} 至 {to} 没有工作日，请调整本轮日期")));
    }
    Ok(days)
}

pub async fn create_round(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    campaign_id: CampaignId,
    input: &RoundInput,
) -> Result<RoundRecord> {
    let scope = actor.require(Permission::ViewInspections)?;
    let campaign = get_in(c, &scope, campaign_id).await?;
    if !manages(actor, &campaign) {
        return Err(StoreError::Forbidden);
    }
    let name = required_text("name", "批次名称", &input.name, 100).map_err(StoreError::Invalid)?;
    let kind = RoundKind::parse(&input.kind).ok_or_else(|| {
        let kinds: Vec<&str> = RoundKind::ALL.iter().map(|k| k.label()).collect();
        StoreError::invalid("kind", format!("帮督方式应为：{}", kinds.join("、")))
    })?;
    let (starts_on, ends_on) = period(&input.starts_on, &input.ends_on)?;
    if starts_on < campaign.starts_on || ends_on > campaign.ends_on {
        return Err(StoreError::invalid(
            "starts_on",
            format!("批次日期应在行动期间（{} 至 {}）内", campaign.starts_on, campaign.ends_on),
        ));
    }
    if (ends_on - starts_on).num_days() > 366 {
        return Err(StoreError::invalid("ends_on", "一个批次不能超过一年"));
    }
    working_days(cal, starts_on, ends_on)?;
    let specialists = match input.specialists.trim() {
        "" => 2,
        text => text
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=10).contains(n))
            .ok_or_else(|| StoreError::invalid("specialists", "专家人数应为 0–10 的整数"))?,
    };
    let at = now();
    let record = RoundRecord {
        id: RoundId(0),
        campaign_id,
        name,
        kind: kind.code().into(),
        starts_on,
        ends_on,
        specialists,
        seed: None,
        algorithm: None,
        plan: None,
        drawn_at: None,
        drawn_by: None,
        formation: None,
        formed_at: None,
        version: 1,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
    };
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: RoundId,
    }
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(Rounds::Id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.round_create", "round", inserted.id)
            .change(json!({"payload": {"campaign": campaign_id, "name": record.name, "kind": record.kind,
                "starts_on": starts_on, "ends_on": ends_on, "specialists": specialists}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    Ok(RoundRecord { id: inserted.id, ..record })
}

/// A round the actor may see, with its campaign.
pub(crate) async fn round_in(c: &mut Conn<'_>, scope: &Scope, id: RoundId) -> Result<(RoundRecord, CampaignRow)> {
    let round: RoundRecord = c
        .fetch_optional(
            Query::select()
                .columns(Rounds::COLUMNS.iter().copied())
                .from(Rounds::Table)
                .and_where(Expr::col(Rounds::Id).eq(id)),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let campaign = get_in(c, scope, round.campaign_id).await?;
    Ok((round, campaign))
}

/// A round the actor may manage.
pub(crate) async fn round_to_manage(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: RoundId,
) -> Result<(RoundRecord, CampaignRow)> {
    let scope = actor.require(Permission::ViewInspections)?;
    let (round, campaign) = round_in(c, &scope, id).await?;
    if !manages(actor, &campaign) {
        return Err(StoreError::Forbidden);
    }
    Ok((round, campaign))
}

/// A round with its campaign and every target (dropped ones too, with their reasons).
#[derive(Clone, Debug)]
pub struct RoundDetail {
    pub round: RoundRecord,
    pub campaign: CampaignRow,
    pub targets: Vec<crate::tables::TargetRecord>,
    pub can_manage: bool,
}

pub async fn round_detail(c: &mut Conn<'_>, actor: &Actor, id: RoundId) -> Result<RoundDetail> {
    let scope = actor.require(Permission::ViewInspections)?;
    let (round, campaign) = round_in(c, &scope, id).await?;
    let targets = super::targets::targets_of(c, id).await?;
    let can_manage = manages(actor, &campaign);
    Ok(RoundDetail { round, campaign, targets, can_manage })
}
