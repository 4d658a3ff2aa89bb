//! Forming a round's teams "1+1+N" from the pool, storing the seats with each team's explanation,
//! and the office's changes by hand (a change that breaks a hard constraint needs a reason, which
//! the record and the report keep). The pool of a round is the members kept by its lead office, by
//! the offices above it and by those below it. Re-forming with the same seed and data gives the
//! same teams, and the answer is read back from what was stored, so it is the same byte for byte.

use super::campaigns::{CampaignRow, round_in, round_to_manage};
use super::load::busy_and_load;
use super::pool::{absences_of, conflicts_of, split_domains};
use super::targets::{answerable_units, new_seed, people_of, targets_of};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::settings;
use crate::tables::{
    MemberRecord, PoolMembers, RoundRecord, RoundTargets, Rounds, SeatRecord, TargetRecord, TeamSeats, Units,
};
use crate::time::now;
use bangdu_domain::inspection::draw::ALGORITHM;
use bangdu_domain::inspection::eligibility::{Member, Refusal, Rules, Target, UnitPath, refusals};
use bangdu_domain::inspection::exact::form_best;
use bangdu_domain::inspection::teams::{Candidate, Need, Role};
use bangdu_domain::permission::Permission;
use bangdu_domain::{MemberId, RoundId, TargetId};
use chrono::Datelike;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

/// Why a candidate was left out, as stored and answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub member_id: MemberId,
    pub name: String,
    pub reasons: Vec<Reason>,
}

/// A seat no eligible member could fill: the constraints that removed those who would have fitted,
/// with how many each removed, and what would unblock it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedSeat {
    pub seat: String,
    pub refused_by: Vec<(String, usize)>,
    pub hint: String,
}

/// A team's explanation, stored on its target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub uncovered: Vec<String>,
    pub removed: Vec<Removed>,
    pub blocked: Vec<BlockedSeat>,
}

/// The quality of a round's formation, stored on the round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quality {
    pub solver: String,
    pub max_load: u32,
    pub max_load_lower_bound: u32,
    pub load_squares: u64,
    pub teams: usize,
    pub seats: usize,
    pub rules: String,
}

/// One seat with its member's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeatView {
    pub member_id: MemberId,
    pub name: String,
    pub unit_name: String,
    pub role: String,
    pub home_region: String,
    pub domains: Vec<String>,
    pub matched: Vec<String>,
    pub load_before: i64,
    pub load_after: i64,
    pub overrides: Vec<String>,
    pub override_reason: Option<String>,
}

/// A target with its team.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamView {
    pub target: TargetRecord,
    pub members: Vec<SeatView>,
    pub explanation: Explanation,
}

/// A round's teams, as formed and stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Formed {
    pub round: RoundId,
    pub seed: Option<String>,
    pub algorithm: Option<String>,
    pub quality: Option<Quality>,
    pub teams: Vec<TeamView>,
}

fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// The members a round may draw on: active, kept by the lead office, an office above it or below it.
async fn pool_for(c: &mut Conn<'_>, campaign: &CampaignRow) -> Result<Vec<(MemberRecord, Option<String>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        member: MemberRecord,
        owner_path: String,
        home_path: Option<String>,
    }
    let owner = sea_query::Alias::new("owner_unit");
    let home = sea_query::Alias::new("home_unit");
    let rows: Vec<Row> = c
        .fetch_all(
            Query::select()
                .columns(PoolMembers::qualified())
                .expr_as(Expr::col((owner.clone(), Units::Path)), sea_query::Alias::new("owner_path"))
                .expr_as(Expr::col((home.clone(), Units::Path)), sea_query::Alias::new("home_path"))
                .from(PoolMembers::Table)
                .join_as(
                    sea_query::JoinType::InnerJoin,
                    Units::Table,
                    owner.clone(),
                    Expr::col((owner, Units::Id)).equals((PoolMembers::Table, PoolMembers::OwnerUnitId)),
                )
                .join_as(
                    sea_query::JoinType::LeftJoin,
                    Units::Table,
                    home.clone(),
                    Expr::col((home, Units::Id)).equals((PoolMembers::Table, PoolMembers::UnitId)),
                )
                .and_where(Expr::col((PoolMembers::Table, PoolMembers::Active)).eq(true))
                .order_by((PoolMembers::Table, PoolMembers::Id), Order::Asc),
        )
        .await?;
    let lead = campaign.lead_path.as_str();
    Ok(rows
        .into_iter()
        .filter(|r| lead.starts_with(r.owner_path.as_str()) || r.owner_path.starts_with(lead))
        .map(|r| (r.member, r.home_path))
        .collect())
}

/// Everything team formation needs about a round, read from the record.
pub(crate) struct Inputs {
    pub targets: Vec<TargetRecord>,
    pub members: Vec<MemberRecord>,
    pub candidates: Vec<Candidate>,
    pub needs: Vec<Need>,
    pub rules: Rules,
    pub unit_names: HashMap<i64, String>,
}

pub(crate) async fn inputs(c: &mut Conn<'_>, round: RoundRecord, campaign: CampaignRow) -> Result<Inputs> {
    let targets: Vec<TargetRecord> =
        targets_of(c, round.id).await?.into_iter().filter(|t| t.dropped_at.is_none()).collect();
    let pool = pool_for(c, &campaign).await?;
    let ids: Vec<MemberId> = pool.iter().map(|(m, _)| m.id).collect();
    let year = round.starts_on.year();
    let mut busy = busy_and_load(c, &ids, year, round.id).await?;
    let mut conflicts = conflicts_of(c, &ids).await?;
    let mut absences = absences_of(c, &ids).await?;
    let rules = settings::inspection_rules(c).await?;
    let mut unit_names: HashMap<i64, String> = HashMap::new();
    let candidates: Vec<Candidate> = pool
        .iter()
        .map(|(m, home_path)| {
            let (days, load) = busy.remove(&m.id).unwrap_or_default();
            let declared = conflicts.remove(&m.id).unwrap_or_default();
            Candidate {
                member: Member {
                    id: m.id.0,
                    home_region: m.region.clone(),
                    home_unit: home_path.as_deref().map(|p| UnitPath(path_ids(p))),
                    conflicts: declared.iter().filter_map(|d| d.unit_id).collect(),
                    conflict_people: declared.iter().filter_map(|d| d.person.clone()).collect(),
                    away: absences
                        .remove(&m.id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|a| (a.starts_on, a.ends_on))
                        .collect(),
                    busy: days,
                    load,
                },
                domains: split_domains(&m.domains),
                can_lead: m.can_lead,
                office: m.office,
            }
        })
        .collect();
    let mut needs = Vec::new();
    for t in &targets {
        let unit_ids = answerable_units(c, t).await?;
        #[derive(sqlx::FromRow)]
        struct U {
            id: i64,
            name: String,
            path: String,
        }
        let units: Vec<U> = c
            .fetch_all(
                Query::select()
                    .columns([Units::Id, Units::Name, Units::Path])
                    .from(Units::Table)
                    .and_where(Expr::col(Units::Id).is_in(unit_ids)),
            )
            .await?;
        for u in &units {
            unit_names.insert(u.id, u.name.clone());
        }
        needs.push(Need {
            key: format!("target:{}", t.id.0),
            target: Target {
                region: t.region.clone(),
                units: units.iter().map(|u| UnitPath(path_ids(&u.path))).collect(),
                people: people_of(c, t).await?,
                day: t.visit_on,
            },
            domains: split_domains(&t.domains),
            specialists: usize::try_from(t.specialists).unwrap_or(0),
        });
    }
    // Names of units members declared conflicts with, for the explanations.
    let members: Vec<MemberRecord> = pool.into_iter().map(|(m, _)| m).collect();
    Ok(Inputs { targets, members, candidates, needs, rules, unit_names })
}

fn describe(r: &Refusal, unit_names: &HashMap<i64, String>) -> Reason {
    let named = |unit: &i64| unit_names.get(unit).map(|n| format!("（{n}）")).unwrap_or_default();
    let text = match r {
        Refusal::ResponsibleUnit { unit } | Refusal::DeclaredConflict { unit } => {
            format!("{}{}", r.describe(), named(unit))
        }
        _ => r.describe(),
    };
    Reason { code: r.code().to_string(), text }
}

/// Forms (or re-forms) every team of a round and stores them; answers them as stored.
pub async fn form_teams(c: &mut Conn<'_>, actor: &Actor, round_id: RoundId) -> Result<Formed> {
    let (mut round, campaign) = round_to_manage(c, actor, round_id).await?;
    if round.seed.is_none() {
        // Targets added by hand only: the tie-break still needs a seed, kept like a draw's.
        let seed = new_seed()?;
        c.execute(
            Query::update()
                .table(Rounds::Table)
                .values([(Rounds::Seed, Expr::val(seed.clone())), (Rounds::Algorithm, Expr::val(ALGORITHM))])
                .and_where(Expr::col(Rounds::Id).eq(round_id)),
        )
        .await?;
        round.seed = Some(seed);
        round.algorithm = Some(ALGORITHM.into());
    }
    let seed = round.seed.clone().unwrap_or_default();
    let input = inputs(c, round, campaign).await?;
    if input.targets.is_empty() {
        return Err(StoreError::conflict("no_targets", "本轮还没有督查对象，请先抽取或添加"));
    }
    // Exact where the round is small enough, the heuristic otherwise (see `exact`).
    let (formation, solver) = form_best(&input.candidates, &input.needs, &input.rules, &seed);
    let names: HashMap<i64, &str> = input.members.iter().map(|m| (m.id.0, m.name.as_str())).collect();
    let at = now();
    let target_ids: Vec<TargetId> = input.targets.iter().map(|t| t.id).collect();
    c.execute(Query::delete().from_table(TeamSeats::Table).and_where(Expr::col(TeamSeats::TargetId).is_in(target_ids)))
        .await?;
    let mut seats = 0;
    for (t, team) in input.targets.iter().zip(&formation.teams) {
        debug_assert_eq!(team.key, format!("target:{}", t.id.0));
        for s in &team.seats {
            let record = SeatRecord {
                target_id: t.id,
                member_id: MemberId(s.member),
                role: s.role.code().into(),
                matched: s.matched.join("、"),
                load_before: i64::from(s.load_before),
                load_after: i64::from(s.load_after),
                overrides: None,
                override_reason: None,
                assigned_by: actor.user_id.map(|u| u.0),
                assigned_at: at,
            };
            c.execute(&record.insert()).await?;
            seats += 1;
        }
        let explanation = Explanation {
            uncovered: team.uncovered.clone(),
            removed: team
                .removed
                .iter()
                .map(|(id, why)| Removed {
                    member_id: MemberId(*id),
                    name: names.get(id).copied().unwrap_or_default().to_string(),
                    reasons: why.iter().map(|r| describe(r, &input.unit_names)).collect(),
                })
                .collect(),
            blocked: team
                .blocked
                .iter()
                .map(|b| BlockedSeat {
                    seat: b.seat.clone(),
                    refused_by: b.refused_by.iter().map(|(k, v)| ((*k).to_string(), *v)).collect(),
                    hint: b.hint(),
                })
                .collect(),
        };
        let text = serde_json::to_string(&explanation).map_err(|e| StoreError::Internal(e.to_string()))?;
        c.execute(
            Query::update()
                .table(RoundTargets::Table)
                .value(RoundTargets::Explanation, text)
                .and_where(Expr::col(RoundTargets::Id).eq(t.id)),
        )
        .await?;
    }
    let quality = Quality {
        solver: solver.code().into(),
        max_load: formation.max_load,
        max_load_lower_bound: formation.max_load_lower_bound,
        load_squares: formation.load_squares,
        teams: formation.teams.len(),
        seats,
        rules: format!("本地回避：{}；每年上限 {} 批次", input.rules.avoidance.label(), input.rules.load_cap),
    };
    let quality_text = serde_json::to_string(&quality).map_err(|e| StoreError::Internal(e.to_string()))?;
    c.execute(
        Query::update()
            .table(Rounds::Table)
            .values([
                (Rounds::Formation, Expr::val(quality_text)),
                (Rounds::FormedAt, Expr::val(at)),
                (Rounds::Version, Expr::col(Rounds::Version).add(1)),
                (Rounds::UpdatedAt, Expr::val(at)),
            ])
            .and_where(Expr::col(Rounds::Id).eq(round_id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.teams_form", "round", round_id)
            .change(
                json!({"payload": {"seed": seed, "teams": quality.teams, "seats": seats, "max_load": quality.max_load,
                "max_load_lower_bound": quality.max_load_lower_bound, "solver": quality.solver}}),
            )
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    formed(c, round_id).await
}

/// A round's teams as stored (the actor was checked by the caller).
pub(crate) async fn formed(c: &mut Conn<'_>, round_id: RoundId) -> Result<Formed> {
    let round: RoundRecord = c
        .fetch_one(
            Query::select()
                .columns(Rounds::COLUMNS.iter().copied())
                .from(Rounds::Table)
                .and_where(Expr::col(Rounds::Id).eq(round_id)),
        )
        .await?;
    let targets: Vec<TargetRecord> =
        targets_of(c, round_id).await?.into_iter().filter(|t| t.dropped_at.is_none()).collect();
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        seat: SeatRecord,
        name: String,
        unit_name: String,
        region: String,
        domains: String,
    }
    let ids: Vec<TargetId> = targets.iter().map(|t| t.id).collect();
    let rows: Vec<Row> = c
        .fetch_all(
            Query::select()
                .columns(TeamSeats::qualified())
                .columns([
                    (PoolMembers::Table, PoolMembers::Name),
                    (PoolMembers::Table, PoolMembers::UnitName),
                    (PoolMembers::Table, PoolMembers::Region),
                    (PoolMembers::Table, PoolMembers::Domains),
                ])
                .from(TeamSeats::Table)
                .join(
                    sea_query::JoinType::InnerJoin,
                    PoolMembers::Table,
                    Expr::col((PoolMembers::Table, PoolMembers::Id)).equals((TeamSeats::Table, TeamSeats::MemberId)),
                )
                .and_where(Expr::col((TeamSeats::Table, TeamSeats::TargetId)).is_in(ids)),
        )
        .await?;
    let mut by_target: HashMap<TargetId, Vec<SeatView>> = HashMap::new();
    for r in rows {
        by_target.entry(r.seat.target_id).or_default().push(SeatView {
            member_id: r.seat.member_id,
            name: r.name,
            unit_name: r.unit_name,
            role: r.seat.role,
            home_region: r.region,
            domains: split_domains(&r.domains),
            matched: split_domains(&r.seat.matched),
            load_before: r.seat.load_before,
            load_after: r.seat.load_after,
            overrides: r
                .seat
                .overrides
                .as_deref()
                .map(|o| o.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            override_reason: r.seat.override_reason,
        });
    }
    let role_order = |r: &str| match r {
        "leader" => 0,
        "office" => 1,
        _ => 2,
    };
    let teams = targets
        .into_iter()
        .map(|t| {
            let mut members = by_target.remove(&t.id).unwrap_or_default();
            members.sort_by_key(|s| (role_order(&s.role), s.member_id));
            let explanation = t.explanation.as_deref().and_then(|e| serde_json::from_str(e).ok()).unwrap_or_default();
            TeamView { target: t, members, explanation }
        })
        .collect();
    let quality = round.formation.as_deref().and_then(|q| serde_json::from_str(q).ok());
    Ok(Formed { round: round_id, seed: round.seed, algorithm: round.algorithm, quality, teams })
}

/// A round's teams for an actor who may see the round.
pub async fn teams(c: &mut Conn<'_>, actor: &Actor, round_id: RoundId) -> Result<Formed> {
    let scope = actor.require(Permission::ViewInspections)?;
    round_in(c, &scope, round_id).await?;
    formed(c, round_id).await
}

/// Puts a member on a target's team by hand. A hard constraint it breaks refuses it (the code is the
/// constraint's) unless `override_reason` is given, which the seat keeps.
pub async fn assign(
    c: &mut Conn<'_>,
    actor: &Actor,
    round_id: RoundId,
    target_id: TargetId,
    member_id: MemberId,
    role: &str,
    override_reason: Option<&str>,
) -> Result<()> {
    let (round, campaign) = round_to_manage(c, actor, round_id).await?;
    let role = match role.trim() {
        "leader" | "组长" => Role::Leader,
        "office" | "督查室" => Role::Office,
        "specialist" | "专家" | "" => Role::Specialist,
        other => return Err(StoreError::invalid("role", format!("角色“{other}”应为 leader、office 或 specialist"))),
    };
    let input = inputs(c, round, campaign).await?;
    let index = input.targets.iter().position(|t| t.id == target_id).ok_or(StoreError::NotFound)?;
    let candidate = input
        .candidates
        .iter()
        .find(|cand| cand.member.id == member_id.0)
        .ok_or_else(|| StoreError::invalid("member_id", "该人员不在本行动可用的人员库中，或已停用"))?;
    let target = &input.targets[index];
    let need = &input.needs[index];
    #[derive(sqlx::FromRow)]
    struct Existing {
        member_id: MemberId,
    }
    let on_team: Vec<Existing> = c
        .fetch_all(
            Query::select()
                .column(TeamSeats::MemberId)
                .from(TeamSeats::Table)
                .and_where(Expr::col(TeamSeats::TargetId).eq(target_id)),
        )
        .await?;
    if on_team.iter().any(|e| e.member_id == member_id) {
        return Err(StoreError::conflict("already_on_team", "该人员已在本组"));
    }
    if role == Role::Leader && !candidate.can_lead {
        return Err(StoreError::invalid("role", "该人员不能担任组长"));
    }
    if role == Role::Office && !candidate.office {
        return Err(StoreError::invalid("role", "该人员不是督查室成员"));
    }
    let why = refusals(&candidate.member, &need.target, &input.rules);
    let reason = bangdu_domain::field_error::optional_text(
        "override_reason",
        "突破约束的理由",
        override_reason.unwrap_or(""),
        500,
    )
    .map_err(StoreError::Invalid)?;
    if let (Some(first), None) = (why.first(), &reason) {
        let texts: Vec<String> = why.iter().map(|r| describe(r, &input.unit_names).text).collect();
        return Err(StoreError::conflict(
            first.code(),
            format!(
                "{}：{}。如确需安排，请填写突破约束的理由",
                candidate_name(&input.members, member_id),
                texts.join("；")
            ),
        ));
    }
    let load = i64::from(candidate.member.load);
    let record = SeatRecord {
        target_id,
        member_id,
        role: role.code().into(),
        matched: need.domains.iter().filter(|d| candidate.domains.contains(d)).cloned().collect::<Vec<_>>().join("、"),
        load_before: load,
        load_after: load + 1,
        overrides: (!why.is_empty()).then(|| why.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")),
        override_reason: if why.is_empty() { None } else { reason.clone() },
        assigned_by: actor.user_id.map(|u| u.0),
        assigned_at: now(),
    };
    c.execute(&record.insert()).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.seat_assign", "round", round_id)
            .change(json!({"payload": {"target": target.id, "member": member_id, "role": role.code(),
                "overrides": record.overrides, "override_reason": record.override_reason}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    Ok(())
}

fn candidate_name(members: &[MemberRecord], id: MemberId) -> String {
    members.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default()
}

/// Takes a member off a target's team.
pub async fn unassign(
    c: &mut Conn<'_>,
    actor: &Actor,
    round_id: RoundId,
    target_id: TargetId,
    member_id: MemberId,
) -> Result<()> {
    round_to_manage(c, actor, round_id).await?;
    super::targets::one_target(c, round_id, target_id).await?;
    let n = c
        .execute(
            Query::delete()
                .from_table(TeamSeats::Table)
                .and_where(Expr::col(TeamSeats::TargetId).eq(target_id))
                .and_where(Expr::col(TeamSeats::MemberId).eq(member_id)),
        )
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.seat_remove", "round", round_id)
            .change(json!({"payload": {"target": target_id, "member": member_id}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    Ok(())
}

/// The live targets of a round, in order (for the command line and the demo).
pub async fn formed_for(c: &mut Conn<'_>, round: RoundId) -> Result<Vec<TargetId>> {
    Ok(targets_of(c, round).await?.into_iter().filter(|t| t.dropped_at.is_none()).map(|t| t.id).collect())
}

/// The pool member whose account is `username`, if any.
pub async fn member_of_user(c: &mut Conn<'_>, username: &str) -> Result<Option<MemberId>> {
    #[derive(sqlx::FromRow)]
    struct M {
        id: MemberId,
    }
    let found: Option<M> = c
        .fetch_optional(
            Query::select()
                .column((PoolMembers::Table, PoolMembers::Id))
                .from(PoolMembers::Table)
                .join(
                    sea_query::JoinType::InnerJoin,
                    crate::tables::Users::Table,
                    Expr::col((crate::tables::Users::Table, crate::tables::Users::Id))
                        .equals((PoolMembers::Table, PoolMembers::UserId)),
                )
                .and_where(Expr::col((crate::tables::Users::Table, crate::tables::Users::Username)).eq(username))
                .limit(1),
        )
        .await?;
    Ok(found.map(|m| m.id))
}
