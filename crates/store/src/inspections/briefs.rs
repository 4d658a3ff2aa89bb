//! 帮督报告: for a round or one team, what leaders read — targets visited, findings, those solved
//! on the spot, items raised and where they stand, manual overrides of the rules, and the office's
//! suggestions (工作建议), editable until the report is issued. Issuing freezes it: the report keeps
//! what it said that day, whatever happens to the items later.

use super::campaigns::{CampaignRow, manages, round_in};
use super::findings::{FindingView, of_round};
use super::teams::{TeamView, formed};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::{BriefRecord, InspectionReports, RoundRecord};
use crate::time::now;
use bangdu_domain::field_error::optional_prose;
use bangdu_domain::inspection::round::Outcome;
use bangdu_domain::permission::Permission;
use bangdu_domain::{BriefId, RoundId, TargetId};
use chrono::{DateTime, NaiveDate, Utc};
use sea_query::{Expr, ExprTrait, Query};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// One visited target in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitedTarget {
    pub name: String,
    pub kind: String,
    pub basis: String,
    pub visit_on: NaiveDate,
    /// "组长 林志强（石狮市住建局）" and so on.
    pub team: Vec<String>,
    /// Seats kept against a rule, with the office's reason.
    pub overrides: Vec<String>,
    pub findings: Vec<ReportedFinding>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportedFinding {
    pub description: String,
    pub domain: Option<String>,
    /// 当场协调解决 / 转为督导事项 / 待处理.
    pub outcome: String,
    pub solved_note: Option<String>,
    /// "JJDB-2025-000123（办理中）".
    pub item: Option<String>,
}

/// The counts a report opens with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub targets: usize,
    pub people: usize,
    pub findings: usize,
    pub solved: usize,
    pub items: usize,
    pub items_closed: usize,
    pub pending: usize,
}

/// What a report says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contents {
    pub title: String,
    pub campaign: String,
    pub lead_unit: String,
    pub round: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub counts: Counts,
    pub targets: Vec<VisitedTarget>,
    pub suggestions: String,
}

/// A report: its contents (frozen once issued) and whether the actor may still edit it.
#[derive(Clone, Debug)]
pub struct Brief {
    pub id: Option<BriefId>,
    pub round: RoundId,
    pub target: Option<TargetId>,
    pub contents: Contents,
    pub issued_at: Option<DateTime<Utc>>,
    pub can_edit: bool,
    pub version: i64,
}

async fn stored(c: &mut Conn<'_>, round: RoundId, target: Option<TargetId>) -> Result<Option<BriefRecord>> {
    let mut select = Query::select();
    select
        .columns(InspectionReports::COLUMNS.iter().copied())
        .from(InspectionReports::Table)
        .and_where(Expr::col(InspectionReports::RoundId).eq(round));
    match target {
        Some(t) => select.and_where(Expr::col(InspectionReports::TargetId).eq(t)),
        None => select.and_where(Expr::col(InspectionReports::TargetId).is_null()),
    };
    c.fetch_optional(&select).await
}

fn outcome_label(code: &str) -> String {
    Outcome::parse(code).map_or(code.to_string(), |o| o.label().to_string())
}

fn item_state_label(code: &str) -> String {
    bangdu_domain::item::ItemState::parse(code).map_or(code.to_string(), |s| s.label().to_string())
}

fn role_label(role: &str) -> &'static str {
    match role {
        "leader" => "组长",
        "office" => "督查室",
        _ => "专家",
    }
}

/// The contents as the record stands now.
async fn compose(
    c: &mut Conn<'_>,
    round: &RoundRecord,
    campaign: &CampaignRow,
    target: Option<TargetId>,
    suggestions: &str,
) -> Result<Contents> {
    let teams: Vec<TeamView> =
        formed(c, round.id).await?.teams.into_iter().filter(|t| target.is_none_or(|id| t.target.id == id)).collect();
    let findings: Vec<FindingView> = of_round(c, round.id, target).await?;
    let mut counts = Counts { targets: teams.len(), ..Counts::default() };
    let mut people = std::collections::BTreeSet::new();
    let mut visited = Vec::new();
    for team in &teams {
        let t = &team.target;
        people.extend(team.members.iter().map(|m| m.member_id));
        let mine: Vec<&FindingView> = findings.iter().filter(|f| f.finding.target_id == t.id).collect();
        let mut reported = Vec::new();
        for f in mine {
            counts.findings += 1;
            match f.finding.outcome.as_str() {
                "solved" => counts.solved += 1,
                "item" => {
                    counts.items += 1;
                    if f.item_state.as_deref() == Some("closed") {
                        counts.items_closed += 1;
                    }
                }
                _ => counts.pending += 1,
            }
            reported.push(ReportedFinding {
                description: f.finding.description.clone(),
                domain: f.finding.domain.clone(),
                outcome: outcome_label(&f.finding.outcome),
                solved_note: f.finding.solved_note.clone(),
                item: f.item_code.as_ref().map(|code| {
                    format!("{code}（{}）", f.item_state.as_deref().map(item_state_label).unwrap_or_default())
                }),
            });
        }
        visited.push(VisitedTarget {
            name: t.name.clone(),
            kind: bangdu_domain::inspection::round::TargetKind::parse(&t.kind)
                .map_or(t.kind.clone(), |k| k.label().into()),
            basis: bangdu_domain::inspection::round::Basis::parse(&t.basis)
                .map_or(t.basis.clone(), |b| b.label().into()),
            visit_on: t.visit_on,
            team: team
                .members
                .iter()
                .map(|m| format!("{} {}（{}）", role_label(&m.role), m.name, m.unit_name))
                .collect(),
            overrides: team
                .members
                .iter()
                .filter(|m| !m.overrides.is_empty())
                .map(|m| format!("{}：{}", m.name, m.override_reason.clone().unwrap_or_default()))
                .collect(),
            findings: reported,
        });
    }
    counts.people = people.len();
    let kind = bangdu_domain::inspection::round::RoundKind::parse(&round.kind)
        .map_or(round.kind.clone(), |k| k.label().into());
    let title = match (target, visited.first()) {
        (Some(_), Some(v)) => format!("关于{}的帮督报告", v.name),
        _ => format!("{}{}帮督报告", campaign.name, round.name),
    };
    Ok(Contents {
        title,
        campaign: campaign.name.clone(),
        lead_unit: campaign.lead_name.clone(),
        round: round.name.clone(),
        kind,
        starts_on: round.starts_on,
        ends_on: round.ends_on,
        counts,
        targets: visited,
        suggestions: suggestions.to_string(),
    })
}

/// A round's report (or one team's): as issued, or as the record stands with the draft suggestions.
pub async fn get(c: &mut Conn<'_>, actor: &Actor, round_id: RoundId, target: Option<TargetId>) -> Result<Brief> {
    let scope = actor.require(Permission::ViewInspections)?;
    let (round, campaign) = round_in(c, &scope, round_id).await?;
    if let Some(t) = target {
        super::targets::one_target(c, round_id, t).await?;
    }
    let saved = stored(c, round_id, target).await?;
    let can_manage = manages(actor, &campaign);
    if let Some(b) = &saved
        && let (Some(at), Some(snapshot)) = (b.issued_at, &b.snapshot)
    {
        let contents: Contents =
            serde_json::from_str(snapshot).map_err(|e| StoreError::Internal(format!("report snapshot: {e}")))?;
        return Ok(Brief {
            id: Some(b.id),
            round: round_id,
            target,
            contents,
            issued_at: Some(at),
            can_edit: false,
            version: b.version,
        });
    }
    let suggestions = saved.as_ref().map(|b| b.suggestions.clone()).unwrap_or_default();
    let contents = compose(c, &round, &campaign, target, &suggestions).await?;
    Ok(Brief {
        id: saved.as_ref().map(|b| b.id),
        round: round_id,
        target,
        contents,
        issued_at: None,
        can_edit: can_manage,
        version: saved.map_or(0, |b| b.version),
    })
}

async fn upsert(c: &mut Conn<'_>, round: RoundId, target: Option<TargetId>, suggestions: &str) -> Result<BriefRecord> {
    match stored(c, round, target).await? {
        Some(b) => {
            c.execute(
                Query::update()
                    .table(InspectionReports::Table)
                    .values([
                        (InspectionReports::Suggestions, Expr::val(suggestions)),
                        (InspectionReports::Version, Expr::col(InspectionReports::Version).add(1)),
                        (InspectionReports::UpdatedAt, Expr::val(now())),
                    ])
                    .and_where(Expr::col(InspectionReports::Id).eq(b.id)),
            )
            .await?;
        }
        None => {
            let record = BriefRecord {
                id: BriefId(0),
                round_id: round,
                target_id: target,
                suggestions: suggestions.to_string(),
                issued_at: None,
                issued_by: None,
                snapshot: None,
                version: 1,
                updated_at: now(),
            };
            c.execute(&record.insert()).await?;
        }
    }
    stored(c, round, target).await?.ok_or(StoreError::NotFound)
}

async fn to_edit(
    c: &mut Conn<'_>,
    actor: &Actor,
    round_id: RoundId,
    target: Option<TargetId>,
) -> Result<(RoundRecord, CampaignRow)> {
    let scope = actor.require(Permission::ViewInspections)?;
    let (round, campaign) = round_in(c, &scope, round_id).await?;
    if !manages(actor, &campaign) {
        return Err(StoreError::Forbidden);
    }
    if let Some(t) = target {
        super::targets::one_target(c, round_id, t).await?;
    }
    if stored(c, round_id, target).await?.is_some_and(|b| b.issued_at.is_some()) {
        return Err(StoreError::conflict("report_issued", "报告已印发，不能再修改"));
    }
    Ok((round, campaign))
}

/// Saves the suggestions (工作建议) of a draft report.
pub async fn save_suggestions(
    c: &mut Conn<'_>,
    actor: &Actor,
    round_id: RoundId,
    target: Option<TargetId>,
    suggestions: &str,
) -> Result<()> {
    to_edit(c, actor, round_id, target).await?;
    let text =
        optional_prose("suggestions", "工作建议", suggestions, 5000).map_err(StoreError::Invalid)?.unwrap_or_default();
    let b = upsert(c, round_id, target, &text).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.report_edit", "round", round_id)
            .change(json!({"payload": {"report": b.id, "target": target, "suggestions": text}})),
    )
    .await?;
    Ok(())
}

/// Issues a report: what it says now is frozen.
pub async fn issue(c: &mut Conn<'_>, actor: &Actor, round_id: RoundId, target: Option<TargetId>) -> Result<Brief> {
    let (round, campaign) = to_edit(c, actor, round_id, target).await?;
    let suggestions = stored(c, round_id, target).await?.map(|b| b.suggestions).unwrap_or_default();
    let contents = compose(c, &round, &campaign, target, &suggestions).await?;
    if contents.targets.is_empty() {
        return Err(StoreError::conflict("nothing_to_report", "还没有组队的督查对象，无可报告"));
    }
    let b = upsert(c, round_id, target, &suggestions).await?;
    let snapshot = serde_json::to_string(&contents).map_err(|e| StoreError::Internal(e.to_string()))?;
    c.execute(
        Query::update()
            .table(InspectionReports::Table)
            .values([
                (InspectionReports::IssuedAt, Expr::val(now())),
                (InspectionReports::IssuedBy, Expr::val(actor.user_id.map(|u| u.0))),
                (InspectionReports::Snapshot, Expr::val(snapshot)),
            ])
            .and_where(Expr::col(InspectionReports::Id).eq(b.id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.report_issue", "round", round_id)
            .change(json!({"payload": {"report": b.id, "target": target, "counts": contents.counts}})),
    )
    .await?;
    get(c, actor, round_id, target).await
}
