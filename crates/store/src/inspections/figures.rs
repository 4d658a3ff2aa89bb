//! The figures the seeds quote — members in the pool, 人次 drawn, departments and batches, problems
//! solved on the spot — counted by queries over the campaigns the actor may see, each with the
//! records it counts.

use super::campaigns::visible;
use crate::actor::Actor;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::{Campaigns, Findings, PoolMembers, RoundTargets, Rounds, TeamSeats};
use bangdu_domain::permission::Permission;
use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use serde::Serialize;

/// One seat on a visit, as the figures count it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SeatLine {
    pub round_id: i64,
    pub round_name: String,
    pub campaign_name: String,
    pub target_name: String,
    pub visit_on: NaiveDate,
    pub member_id: i64,
    pub member_name: String,
    pub unit_name: String,
    pub role: String,
}

/// A finding, as the figures count it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FindingLine {
    pub round_id: i64,
    pub round_name: String,
    pub target_name: String,
    pub description: String,
    pub outcome: String,
    pub solved_note: Option<String>,
    pub item_id: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Active members of the pools the actor sees.
    pub members: usize,
    pub campaigns: usize,
    pub rounds: usize,
    /// 人次: seats on visits (targets not dropped).
    pub seats: usize,
    /// Different people drawn.
    pub people: usize,
    /// Different home units (部门) those people come from.
    pub departments: usize,
    /// 批次: teams sent (targets with a team).
    pub batches: usize,
    pub findings: usize,
    /// 现场协调解决.
    pub solved: usize,
    /// Raised as items.
    pub items: usize,
}

fn seats_select() -> SelectStatement {
    let mut s = Query::select();
    s.expr_as(Expr::col((Rounds::Table, Rounds::Id)), Alias::new("round_id"))
        .expr_as(Expr::col((Rounds::Table, Rounds::Name)), Alias::new("round_name"))
        .expr_as(Expr::col((Campaigns::Table, Campaigns::Name)), Alias::new("campaign_name"))
        .expr_as(Expr::col((RoundTargets::Table, RoundTargets::Name)), Alias::new("target_name"))
        .column((RoundTargets::Table, RoundTargets::VisitOn))
        .expr_as(Expr::col((PoolMembers::Table, PoolMembers::Id)), Alias::new("member_id"))
        .expr_as(Expr::col((PoolMembers::Table, PoolMembers::Name)), Alias::new("member_name"))
        .column((PoolMembers::Table, PoolMembers::UnitName))
        .column((TeamSeats::Table, TeamSeats::Role))
        .from(TeamSeats::Table)
        .join(
            JoinType::InnerJoin,
            RoundTargets::Table,
            Expr::col((RoundTargets::Table, RoundTargets::Id)).equals((TeamSeats::Table, TeamSeats::TargetId)),
        )
        .join(
            JoinType::InnerJoin,
            Rounds::Table,
            Expr::col((Rounds::Table, Rounds::Id)).equals((RoundTargets::Table, RoundTargets::RoundId)),
        )
        .join(
            JoinType::InnerJoin,
            Campaigns::Table,
            Expr::col((Campaigns::Table, Campaigns::Id)).equals((Rounds::Table, Rounds::CampaignId)),
        )
        .join(
            JoinType::InnerJoin,
            PoolMembers::Table,
            Expr::col((PoolMembers::Table, PoolMembers::Id)).equals((TeamSeats::Table, TeamSeats::MemberId)),
        )
        .and_where(Expr::col((RoundTargets::Table, RoundTargets::DroppedAt)).is_null())
        .order_by((RoundTargets::Table, RoundTargets::VisitOn), Order::Asc)
        .order_by((RoundTargets::Table, RoundTargets::Id), Order::Asc);
    s
}

/// Every seat in the campaigns the actor may see.
pub async fn seats(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<SeatLine>> {
    let scope = actor.require(Permission::ViewInspections)?;
    let mut select = seats_select();
    if let Some(cond) = visible(&scope) {
        select.cond_where(cond);
    }
    c.fetch_all(&select).await
}

/// Every finding in the campaigns the actor may see (`outcome` one of pending, solved, item).
pub async fn findings(c: &mut Conn<'_>, actor: &Actor, outcome: Option<&str>) -> Result<Vec<FindingLine>> {
    let scope = actor.require(Permission::ViewInspections)?;
    let mut select = Query::select();
    select
        .expr_as(Expr::col((Rounds::Table, Rounds::Id)), Alias::new("round_id"))
        .expr_as(Expr::col((Rounds::Table, Rounds::Name)), Alias::new("round_name"))
        .expr_as(Expr::col((RoundTargets::Table, RoundTargets::Name)), Alias::new("target_name"))
        .columns([
            (Findings::Table, Findings::Description),
            (Findings::Table, Findings::Outcome),
            (Findings::Table, Findings::SolvedNote),
        ])
        .expr_as(Expr::col((Findings::Table, Findings::ItemId)), Alias::new("item_id"))
        .from(Findings::Table)
        .join(
            JoinType::InnerJoin,
            RoundTargets::Table,
            Expr::col((RoundTargets::Table, RoundTargets::Id)).equals((Findings::Table, Findings::TargetId)),
        )
        .join(
            JoinType::InnerJoin,
            Rounds::Table,
            Expr::col((Rounds::Table, Rounds::Id)).equals((Findings::Table, Findings::RoundId)),
        )
        .join(
            JoinType::InnerJoin,
            Campaigns::Table,
            Expr::col((Campaigns::Table, Campaigns::Id)).equals((Rounds::Table, Rounds::CampaignId)),
        )
        .order_by((Findings::Table, Findings::Id), Order::Asc);
    if let Some(o) = outcome {
        select.and_where(Expr::col((Findings::Table, Findings::Outcome)).eq(o));
    }
    if let Some(cond) = visible(&scope) {
        select.cond_where(cond);
    }
    c.fetch_all(&select).await
}

/// The figures, each counted from the records `seats` and `findings` list.
pub async fn figures(c: &mut Conn<'_>, actor: &Actor) -> Result<Figures> {
    let seats = seats(c, actor).await?;
    let found = findings(c, actor, None).await?;
    let campaigns = super::campaigns::list(c, actor).await?;
    let mut rounds = 0;
    for campaign in &campaigns {
        rounds += super::campaigns::rounds_of(c, campaign.id).await?.len();
    }
    let members = if actor.can(Permission::ViewPool) {
        super::pool::all(c, actor, &super::pool::MemberFilter::default(), chrono::Datelike::year(&crate::time::today()))
            .await?
            .len()
    } else {
        0
    };
    let distinct =
        |f: &dyn Fn(&SeatLine) -> String| seats.iter().map(f).collect::<std::collections::BTreeSet<_>>().len();
    Ok(Figures {
        members,
        campaigns: campaigns.len(),
        rounds,
        seats: seats.len(),
        people: distinct(&|s| s.member_id.to_string()),
        departments: distinct(&|s| s.unit_name.clone()),
        batches: distinct(&|s| format!("{}:{}:{}", s.round_id, s.target_name, s.visit_on)),
        findings: found.len(),
        solved: found.iter().filter(|f| f.outcome == "solved").count(),
        items: found.iter().filter(|f| f.outcome == "item").count(),
    })
}
