//! What a round visits (双随机、一公开). The planner proposes targets from live data inside the lead
//! office's jurisdiction: every red project and every overdue item (重点督), a random sample of green
//! projects (随机查), and random samples of finished projects and of items written off in the last
//! N months (回头看). The seed, the algorithm and each pool's candidates are stored with the round,
//! so the draw can be re-run by anyone from what the round shows; `redraw` does exactly that. The
//! office may add or drop targets by hand, each with a reason.

use super::campaigns::{self, CampaignRow, round_to_manage, working_days};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items::ItemRow;
use crate::items::query::{ItemFilter, ItemSort};
use crate::paging::PageRequest;
use crate::projects::ProjectRow;
use crate::projects::query::{ProjectFilter, ProjectSort};
use crate::settings;
use crate::tables::{Items, ProjectUnits, Projects, RoundTargets, Rounds, TargetRecord, TeamSeats, Units};
use crate::time::now;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::field_error::required_text;
use bangdu_domain::inspection::draw::{ALGORITHM, draw, rank};
use bangdu_domain::inspection::round::{Basis, TargetKind};
use bangdu_domain::item::ItemState;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::{Light, Status};
use bangdu_domain::scope::Scope;
use bangdu_domain::{ItemId, ProjectId, RoundId, TargetId};
use chrono::{Months, NaiveDate};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// The planner's parameters, stored with the round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanParams {
    /// Every red project and every overdue item (重点督).
    pub key: bool,
    /// Green projects drawn at random (随机查).
    pub random: usize,
    /// Finished projects drawn for a look back (回头看).
    pub lookback_projects: usize,
    /// Items written off drawn for a look back.
    pub lookback_items: usize,
    /// How far back 回头看 reaches, in months.
    pub months: u32,
    /// Projects of this year only (all years when none).
    pub year: Option<i32>,
    /// Projects of this kind only (为民办实事, 民生微实事, 重点项目 …; all when none).
    #[serde(default)]
    pub kind: Option<String>,
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams { key: true, random: 3, lookback_projects: 2, lookback_items: 2, months: 6, year: None, kind: None }
    }
}

/// What a draw used and chose, as stored in `rounds.plan`: the parameters, the day of the live
/// data, and for each pool every candidate (keys such as `project:147`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPlan {
    pub params: PlanParams,
    pub as_of: NaiveDate,
    /// Pool (`key`, `random`, `lookback_projects`, `lookback_items`) → candidates, sorted.
    pub candidates: BTreeMap<String, Vec<String>>,
}

/// A candidate target found in live data.
#[derive(Clone, Debug)]
struct Candidate {
    key: String,
    kind: TargetKind,
    project: Option<ProjectId>,
    item: Option<ItemId>,
    unit_id: i64,
    name: String,
    domains: Vec<String>,
}

fn lead_scope(campaign: &CampaignRow) -> Scope {
    Scope { subtrees: [campaign.lead_path.clone()].into_iter().collect(), ..Scope::default() }
}

impl Candidate {
    fn of_project(p: &ProjectRow, kind_domains: &[(String, Vec<String>)], known: &[String]) -> Candidate {
        Candidate {
            key: format!("project:{}", p.id.0),
            kind: TargetKind::Project,
            project: Some(p.id),
            item: None,
            unit_id: p.lead_unit_id,
            name: p.name.clone(),
            domains: project_domains(&p.kind, kind_domains, known),
        }
    }

    fn of_item(i: &ItemRow, known: &[String]) -> Candidate {
        Candidate {
            key: format!("item:{}", i.id.0),
            kind: TargetKind::Item,
            project: None,
            item: Some(i.id),
            unit_id: i.responsible_unit_id.or(i.lead_unit_id).unwrap_or(i.owner_unit_id),
            name: format!("{} {}", i.code, i.title),
            domains: item_domains(i.tags.as_deref(), known),
        }
    }
}

/// The projects of a filter in the lead office's jurisdiction that `keep` keeps, as candidates.
async fn project_candidates(
    c: &mut Conn<'_>,
    scope: &Scope,
    filter: ProjectFilter,
    keep: impl Fn(&ProjectRow) -> bool,
    kind_domains: &[(String, Vec<String>)],
    known: &[String],
) -> Result<Vec<Candidate>> {
    let projects = crate::projects::query::all_in(c, scope, &filter, ProjectSort::Seq, 100_000).await?;
    Ok(projects.iter().filter(|p| keep(p)).map(|p| Candidate::of_project(p, kind_domains, known)).collect())
}

/// The domains a project of this kind needs by default (the setting), among the known ones.
pub fn project_domains(kind: &str, kind_domains: &[(String, Vec<String>)], known: &[String]) -> Vec<String> {
    let listed = kind_domains.iter().find(|(k, _)| k == kind).map(|(_, d)| d.clone()).unwrap_or_default();
    let mut out: Vec<String> = listed.into_iter().filter(|d| known.contains(d)).collect();
    if out.is_empty() {
        out.extend(default_domain(known));
    }
    out
}

fn default_domain(known: &[String]) -> Option<String> {
    known.iter().find(|d| d.as_str() == "项目建设").or(known.first()).cloned()
}

/// An item's domains: those of its tags that are known domains, else the default.
pub fn item_domains(tags: Option<&str>, known: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.unwrap_or("").split([',', '，', '、', ' ']).map(str::trim) {
        if known.iter().any(|k| k == tag) && !out.iter().any(|d| d == tag) {
            out.push(tag.to_string());
        }
    }
    if out.is_empty() {
        out.extend(default_domain(known));
    }
    out
}

/// The items of a filter in the lead office's jurisdiction that `keep` keeps, as candidates.
async fn item_candidates(
    c: &mut Conn<'_>,
    scope: &Scope,
    filter: ItemFilter,
    keep: impl Fn(&ItemRow) -> bool,
    known: &[String],
) -> Result<Vec<Candidate>> {
    let page = PageRequest { page: 1, per_page: 100_000 };
    let items = crate::items::query::list_in(c, scope, &filter, ItemSort::Newest, page).await?.data;
    Ok(items.iter().filter(|i| keep(i)).map(|i| Candidate::of_item(i, known)).collect())
}

/// The candidates of each pool, from live data on `today`.
async fn pools(
    c: &mut Conn<'_>,
    campaign: &CampaignRow,
    params: &PlanParams,
    today: NaiveDate,
) -> Result<BTreeMap<&'static str, Vec<Candidate>>> {
    let scope = lead_scope(campaign);
    let known = settings::inspection_domains(c).await?;
    let kind_domains = settings::kind_domains(c).await?;
    let since = today.checked_sub_months(Months::new(params.months)).unwrap_or(today);
    let base = ProjectFilter { year: params.year, kind: params.kind.clone(), ..ProjectFilter::default() };
    let mut out = BTreeMap::new();
    let all_projects = |_: &ProjectRow| true;
    if params.key {
        let red = ProjectFilter { lights: vec![Light::Red], ..base.clone() };
        let mut key = project_candidates(c, &scope, red, all_projects, &kind_domains, &known).await?;
        let overdue = ItemFilter { overdue_on: Some(today), ..ItemFilter::default() };
        key.extend(item_candidates(c, &scope, overdue, |_| true, &known).await?);
        out.insert("key", key);
    }
    let green = ProjectFilter {
        lights: vec![Light::Green],
        statuses: vec![Status::NotStarted, Status::InProgress],
        ..base.clone()
    };
    out.insert("random", project_candidates(c, &scope, green, all_projects, &kind_domains, &known).await?);
    // Finished within the window: by the completion day when known.
    let done = ProjectFilter { statuses: vec![Status::Completed, Status::Accepted, Status::InUse], ..base };
    let recent = |p: &ProjectRow| p.completed_on.is_none_or(|d| d >= since && d <= today);
    out.insert("lookback_projects", project_candidates(c, &scope, done, recent, &kind_domains, &known).await?);
    let closed = ItemFilter { states: vec![ItemState::Closed], ..ItemFilter::default() };
    let closed_lately = |i: &ItemRow| i.closed_at.is_some_and(|at| crate::time::beijing_date(&at) >= since);
    out.insert("lookback_items", item_candidates(c, &scope, closed, closed_lately, &known).await?);
    Ok(out)
}

/// The targets a stored plan draws: (pool, key) in order — every key candidate, then each sample.
pub fn drawn_keys(seed: &str, plan: &StoredPlan) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (pool, wanted) in [
        ("key", usize::MAX),
        ("random", plan.params.random),
        ("lookback_projects", plan.params.lookback_projects),
        ("lookback_items", plan.params.lookback_items),
    ] {
        let Some(candidates) = plan.candidates.get(pool) else { continue };
        for key in draw(seed, candidates.iter().map(String::as_str), wanted) {
            out.push((pool.to_string(), key.to_string()));
        }
    }
    out
}

fn basis_of(pool: &str) -> Basis {
    match pool {
        "key" => Basis::Key,
        "random" => Basis::Random,
        _ => Basis::Lookback,
    }
}

/// A fresh seed when none is typed: twelve random digits.
pub fn new_seed() -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(format!("random seed: {e}")))?;
    Ok(format!("{:012}", u64::from_le_bytes(bytes) % 1_000_000_000_000))
}

/// Draws a round's targets. Refused once teams are formed (drop targets by hand instead); a draw
/// replaces the earlier draw's targets but keeps those added by hand.
pub async fn plan(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    round_id: RoundId,
    params: &PlanParams,
    seed: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<TargetRecord>> {
    let (round, campaign) = round_to_manage(c, actor, round_id).await?;
    if round.formed_at.is_some() {
        return Err(StoreError::conflict("teams_formed", "本轮已组队，不能重新抽取；如需调整请逐个添加或移除对象"));
    }
    if params.months == 0 || params.months > 60 {
        return Err(StoreError::invalid("months", "回头看范围应为 1–60 个月"));
    }
    let seed = match seed.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => required_text("seed", "随机种子", s, 64).map_err(StoreError::Invalid)?,
        None => new_seed()?,
    };
    let days = working_days(cal, round.starts_on, round.ends_on)?;
    let found = pools(c, &campaign, params, today).await?;
    for (pool, wanted, label) in [
        ("random", params.random, "随机查的在建项目"),
        ("lookback_projects", params.lookback_projects, "回头看的已完成项目"),
        ("lookback_items", params.lookback_items, "回头看的已销号事项"),
    ] {
        let have = found.get(pool).map_or(0, Vec::len);
        if wanted > have {
            return Err(StoreError::conflict(
                "draw_too_large",
                format!("要抽取 {wanted} 个{label}，但符合条件的只有 {have} 个"),
            ));
        }
    }
    let mut candidates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_key: HashMap<String, Candidate> = HashMap::new();
    for (pool, list) in &found {
        let mut keys: Vec<String> = list.iter().map(|c| c.key.clone()).collect();
        keys.sort();
        keys.dedup();
        candidates.insert((*pool).to_string(), keys);
        for candidate in list {
            by_key.entry(candidate.key.clone()).or_insert_with(|| candidate.clone());
        }
    }
    let stored = StoredPlan { params: params.clone(), as_of: today, candidates };
    let chosen = drawn_keys(&seed, &stored);
    // The earlier draw's targets go; those added by hand stay.
    c.execute(
        Query::delete()
            .from_table(RoundTargets::Table)
            .and_where(Expr::col(RoundTargets::RoundId).eq(round_id))
            .and_where(Expr::col(RoundTargets::Basis).ne(Basis::Manual.code())),
    )
    .await?;
    let kept = targets_of(c, round_id).await?;
    let at = now();
    let mut seen: Vec<String> = kept.iter().map(target_key).collect();
    let mut n = kept.len();
    for (pool, key) in &chosen {
        if seen.contains(key) {
            continue; // in two pools (a red project finished?) or already added by hand
        }
        seen.push(key.clone());
        let Some(candidate) = by_key.get(key) else { continue };
        let record = TargetRecord {
            id: TargetId(0),
            round_id,
            kind: candidate.kind.code().into(),
            project_id: candidate.project,
            item_id: candidate.item,
            unit_id: candidate.unit_id,
            name: candidate.name.chars().take(200).collect(),
            region: region_of(c, candidate.unit_id).await?,
            basis: basis_of(pool).code().into(),
            rank: Some(rank(&seed, key)),
            domains: candidate.domains.join("、"),
            specialists: round.specialists,
            visit_on: days[n % days.len()],
            reason: None,
            added_by: actor.user_id.map(|u| u.0),
            created_at: at,
            dropped_reason: None,
            dropped_by: None,
            dropped_at: None,
            explanation: None,
        };
        c.execute(&record.insert()).await?;
        n += 1;
    }
    let plan_json = serde_json::to_string(&stored).map_err(|e| StoreError::Internal(e.to_string()))?;
    c.execute(
        Query::update()
            .table(Rounds::Table)
            .values([
                (Rounds::Seed, Expr::val(seed.clone())),
                (Rounds::Algorithm, Expr::val(ALGORITHM)),
                (Rounds::Plan, Expr::val(plan_json)),
                (Rounds::DrawnAt, Expr::val(at)),
                (Rounds::DrawnBy, Expr::val(actor.user_id.map(|u| u.0))),
                (Rounds::Version, Expr::col(Rounds::Version).add(1)),
                (Rounds::UpdatedAt, Expr::val(at)),
            ])
            .and_where(Expr::col(Rounds::Id).eq(round_id)),
    )
    .await?;
    let counts: BTreeMap<&str, usize> = stored.candidates.iter().map(|(k, v)| (k.as_str(), v.len())).collect();
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.draw", "round", round_id)
            .change(json!({"payload": {"seed": seed, "algorithm": ALGORITHM, "params": params, "as_of": today,
                "candidates": counts, "drawn": chosen.iter().map(|(_, k)| k).collect::<Vec<_>>()}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    targets_of(c, round_id).await
}

/// `project:147`, `item:9`, `unit:4`.
pub fn target_key(t: &TargetRecord) -> String {
    match (t.project_id, t.item_id) {
        (Some(p), _) => format!("project:{}", p.0),
        (None, Some(i)) => format!("item:{}", i.0),
        _ => format!("unit:{}", t.unit_id),
    }
}

/// The region of a unit: its own code, or the nearest unit above it that has one.
pub(crate) async fn region_of(c: &mut Conn<'_>, unit_id: i64) -> Result<String> {
    #[derive(sqlx::FromRow)]
    struct U {
        path: String,
        region: Option<String>,
    }
    let unit: U = c
        .fetch_optional(
            Query::select()
                .columns([Units::Path, Units::Region])
                .from(Units::Table)
                .and_where(Expr::col(Units::Id).eq(unit_id)),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    if let Some(r) = unit.region.filter(|r| !r.is_empty()) {
        return Ok(r);
    }
    let ids: Vec<i64> = unit.path.split('/').filter_map(|s| s.parse().ok()).collect();
    let above: Vec<U> = c
        .fetch_all(
            Query::select()
                .columns([Units::Path, Units::Region])
                .from(Units::Table)
                .and_where(Expr::col(Units::Id).is_in(ids)),
        )
        .await?;
    let nearest =
        above.into_iter().filter(|u| u.region.as_deref().is_some_and(|r| !r.is_empty())).max_by_key(|u| u.path.len());
    Ok(nearest.and_then(|u| u.region).unwrap_or_default())
}

/// Every target of a round (dropped ones too), in the order they were added.
pub(crate) async fn targets_of(c: &mut Conn<'_>, round_id: RoundId) -> Result<Vec<TargetRecord>> {
    c.fetch_all(
        Query::select()
            .columns(RoundTargets::COLUMNS.iter().copied())
            .from(RoundTargets::Table)
            .and_where(Expr::col(RoundTargets::RoundId).eq(round_id))
            .order_by(RoundTargets::Id, Order::Asc),
    )
    .await
}

/// What re-running a round's draw gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Redraw {
    pub round: RoundId,
    pub seed: String,
    pub algorithm: String,
    /// The drawn targets as stored (not those added by hand), and as the draw gives them again.
    pub stored: Vec<String>,
    pub again: Vec<String>,
    pub same: bool,
}

/// Re-runs a round's draw from its stored seed, algorithm and candidates, and compares.
pub async fn redraw(c: &mut Conn<'_>, actor: &Actor, round_id: RoundId) -> Result<Redraw> {
    let scope = actor.require(Permission::ViewInspections)?;
    let (round, _) = campaigns::round_in(c, &scope, round_id).await?;
    let (Some(seed), Some(algorithm), Some(plan)) = (round.seed.clone(), round.algorithm.clone(), round.plan.clone())
    else {
        return Err(StoreError::conflict("not_drawn", "本轮尚未抽取"));
    };
    if algorithm != ALGORITHM {
        return Err(StoreError::conflict("unknown_algorithm", format!("不认识的抽取算法“{algorithm}”")));
    }
    let plan: StoredPlan =
        serde_json::from_str(&plan).map_err(|e| StoreError::Internal(format!("stored plan: {e}")))?;
    let mut stored: Vec<String> =
        targets_of(c, round_id).await?.iter().filter(|t| t.basis != Basis::Manual.code()).map(target_key).collect();
    let mut again: Vec<String> = drawn_keys(&seed, &plan).into_iter().map(|(_, k)| k).collect();
    again.dedup();
    let mut seen = Vec::new();
    again.retain(|k| {
        if seen.contains(k) {
            false
        } else {
            seen.push(k.clone());
            true
        }
    });
    stored.sort();
    let mut again_sorted = again.clone();
    again_sorted.sort();
    let same = stored == again_sorted;
    Ok(Redraw { round: round_id, seed, algorithm, stored, again: again_sorted, same })
}

/// Adds a target by hand, with the reason.
pub async fn add(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    round_id: RoundId,
    kind: &str,
    id: i64,
    reason: &str,
) -> Result<TargetRecord> {
    let (round, campaign) = round_to_manage(c, actor, round_id).await?;
    let kind =
        TargetKind::parse(kind).ok_or_else(|| StoreError::invalid("kind", "对象类型应为 project、item 或 unit"))?;
    let reason = required_text("reason", "添加理由", reason, 500).map_err(StoreError::Invalid)?;
    let scope = lead_scope(&campaign);
    let known = settings::inspection_domains(c).await?;
    let candidate = match kind {
        TargetKind::Project => {
            let project = crate::projects::query::get_in(c, &scope, ProjectId(id))
                .await
                .map_err(|_| StoreError::invalid("id", "项目不存在或不在本行动牵头单位的范围内"))?;
            Candidate::of_project(&project, &settings::kind_domains(c).await?, &known)
        }
        TargetKind::Item => {
            let item = crate::items::query::get_in(c, &scope, ItemId(id))
                .await
                .map_err(|_| StoreError::invalid("id", "事项不存在或不在本行动牵头单位的范围内"))?;
            Candidate::of_item(&item, &known)
        }
        TargetKind::Unit => {
            let unit = crate::units::get_in(c, &scope, bangdu_domain::UnitId(id))
                .await
                .map_err(|_| StoreError::invalid("id", "单位不存在或不在本行动牵头单位的范围内"))?;
            Candidate {
                key: format!("unit:{id}"),
                kind,
                project: None,
                item: None,
                unit_id: unit.id,
                name: unit.name.clone(),
                domains: default_domain(&known).into_iter().collect(),
            }
        }
    };
    let existing = targets_of(c, round_id).await?;
    if existing.iter().any(|t| t.dropped_at.is_none() && target_key(t) == candidate.key) {
        return Err(StoreError::conflict("target_exists", "该对象已在本轮中"));
    }
    let days = working_days(cal, round.starts_on, round.ends_on)?;
    let live = existing.iter().filter(|t| t.dropped_at.is_none()).count();
    let record = TargetRecord {
        id: TargetId(0),
        round_id,
        kind: kind.code().into(),
        project_id: candidate.project,
        item_id: candidate.item,
        unit_id: candidate.unit_id,
        name: candidate.name.chars().take(200).collect(),
        region: region_of(c, candidate.unit_id).await?,
        basis: Basis::Manual.code().into(),
        rank: None,
        domains: candidate.domains.join("、"),
        specialists: round.specialists,
        visit_on: days[live % days.len()],
        reason: Some(reason.clone()),
        added_by: actor.user_id.map(|u| u.0),
        created_at: now(),
        dropped_reason: None,
        dropped_by: None,
        dropped_at: None,
        explanation: None,
    };
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: TargetId,
    }
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(RoundTargets::Id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.target_add", "round", round_id)
            .change(json!({"payload": {"target": inserted.id, "key": candidate.key, "reason": reason}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    Ok(TargetRecord { id: inserted.id, ..record })
}

/// Drops a target, with the reason; its team's seats go (they no longer count as load).
pub async fn drop_target(
    c: &mut Conn<'_>,
    actor: &Actor,
    round_id: RoundId,
    target: TargetId,
    reason: &str,
) -> Result<()> {
    round_to_manage(c, actor, round_id).await?;
    let reason = required_text("reason", "移除理由", reason, 500).map_err(StoreError::Invalid)?;
    let t = one_target(c, round_id, target).await?;
    if t.dropped_at.is_some() {
        return Err(StoreError::conflict("target_dropped", "该对象已移除"));
    }
    c.execute(Query::delete().from_table(TeamSeats::Table).and_where(Expr::col(TeamSeats::TargetId).eq(target)))
        .await?;
    c.execute(
        Query::update()
            .table(RoundTargets::Table)
            .values([
                (RoundTargets::DroppedReason, Expr::val(reason.clone())),
                (RoundTargets::DroppedBy, Expr::val(actor.user_id.map(|u| u.0))),
                (RoundTargets::DroppedAt, Expr::val(now())),
            ])
            .and_where(Expr::col(RoundTargets::Id).eq(target)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.target_drop", "round", round_id)
            .change(json!({"payload": {"target": target, "key": target_key(&t), "reason": reason}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    Ok(())
}

pub(crate) async fn one_target(c: &mut Conn<'_>, round_id: RoundId, target: TargetId) -> Result<TargetRecord> {
    c.fetch_optional(
        Query::select()
            .columns(RoundTargets::COLUMNS.iter().copied())
            .from(RoundTargets::Table)
            .and_where(Expr::col(RoundTargets::Id).eq(target))
            .and_where(Expr::col(RoundTargets::RoundId).eq(round_id)),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// A target's changes as typed: blank keeps what it has.
#[derive(Clone, Debug, Default)]
pub struct TargetChanges {
    /// Domains separated by 、.
    pub domains: String,
    pub specialists: String,
    pub visit_on: String,
}

/// Changes what a target's team must cover, how many specialists it takes and the day of the visit.
pub async fn edit_target(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    round_id: RoundId,
    target: TargetId,
    changes: &TargetChanges,
) -> Result<TargetRecord> {
    let (round, _) = round_to_manage(c, actor, round_id).await?;
    let before = one_target(c, round_id, target).await?;
    let known = settings::inspection_domains(c).await?;
    let domains = match changes.domains.trim() {
        "" => super::pool::split_domains(&before.domains),
        text => bangdu_domain::inspection::pool::domains("domains", text, &known).map_err(StoreError::Invalid)?,
    };
    let specialists = match changes.specialists.trim() {
        "" => before.specialists,
        text => text
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=10).contains(n))
            .ok_or_else(|| StoreError::invalid("specialists", "专家人数应为 0–10 的整数"))?,
    };
    let visit_on = match changes.visit_on.trim() {
        "" => before.visit_on,
        text => bangdu_domain::project::plan::parse_date("visit_on", text).map_err(StoreError::Invalid)?,
    };
    if visit_on < round.starts_on || visit_on > round.ends_on {
        return Err(StoreError::invalid(
            "visit_on",
            format!("督查日期应在本轮日期（{} 至 {}）内", round.starts_on, round.ends_on),
        ));
    }
    if !cal.is_workday(visit_on).map_err(|e| StoreError::invalid("visit_on", e.to_string()))? {
        return Err(StoreError::invalid("visit_on", format!("{visit_on} 不是工作日")));
    }
    c.execute(
        Query::update()
            .table(RoundTargets::Table)
            .values([
                (RoundTargets::Domains, Expr::val(domains.join("、"))),
                (RoundTargets::Specialists, Expr::val(specialists)),
                (RoundTargets::VisitOn, Expr::val(visit_on)),
            ])
            .and_where(Expr::col(RoundTargets::Id).eq(target)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.target_edit", "round", round_id)
            .change(json!({"before": {"domains": before.domains, "specialists": before.specialists, "visit_on": before.visit_on},
                "after": {"target": target, "domains": domains.join("、"), "specialists": specialists, "visit_on": visit_on}}))
            .acting_as(actor, Permission::ManageInspections),
    )
    .await?;
    one_target(c, round_id, target).await
}

/// The units answerable for each target (for 回避 of the responsible unit): a project's lead,
/// co-operating and managing units, an item's responsible and lead units, or the unit itself.
pub(crate) async fn answerable_units(c: &mut Conn<'_>, t: &TargetRecord) -> Result<Vec<i64>> {
    let mut out = vec![t.unit_id];
    if let Some(project) = t.project_id {
        #[derive(sqlx::FromRow)]
        struct L {
            unit_id: i64,
            role: String,
        }
        let links: Vec<L> = c
            .fetch_all(
                Query::select()
                    .columns([ProjectUnits::UnitId, ProjectUnits::Role])
                    .from(ProjectUnits::Table)
                    .and_where(Expr::col(ProjectUnits::ProjectId).eq(project)),
            )
            .await?;
        out.extend(links.into_iter().filter(|l| l.role != "owner").map(|l| l.unit_id));
    }
    if let Some(item) = t.item_id {
        #[derive(sqlx::FromRow)]
        struct I {
            responsible_unit_id: Option<i64>,
            lead_unit_id: Option<i64>,
        }
        let row: Option<I> = c
            .fetch_optional(
                Query::select()
                    .columns([Items::ResponsibleUnitId, Items::LeadUnitId])
                    .from(Items::Table)
                    .and_where(Expr::col(Items::Id).eq(item)),
            )
            .await?;
        if let Some(i) = row {
            out.extend(i.responsible_unit_id);
            out.extend(i.lead_unit_id);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The people in charge of a target (for conflicts declared with people).
pub(crate) async fn people_of(c: &mut Conn<'_>, t: &TargetRecord) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct P {
        responsible_person: Option<String>,
    }
    let row: Option<P> = match (t.project_id, t.item_id) {
        (Some(p), _) => {
            c.fetch_optional(
                Query::select()
                    .column(Projects::ResponsiblePerson)
                    .from(Projects::Table)
                    .and_where(Expr::col(Projects::Id).eq(p)),
            )
            .await?
        }
        (None, Some(i)) => {
            c.fetch_optional(
                Query::select()
                    .column(Items::ResponsiblePerson)
                    .from(Items::Table)
                    .and_where(Expr::col(Items::Id).eq(i)),
            )
            .await?
        }
        _ => None,
    };
    Ok(row
        .and_then(|r| r.responsible_person)
        .into_iter()
        .flat_map(|p| p.split(['、', ',', '，']).map(|s| s.trim().to_string()).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect())
}

/// The round a target belongs to (whether the actor may see it is the caller's next check).
pub async fn round_of(c: &mut Conn<'_>, target: TargetId) -> Result<RoundId> {
    #[derive(sqlx::FromRow)]
    struct OfRound {
        round_id: RoundId,
    }
    let r: Option<OfRound> = c
        .fetch_optional(
            Query::select()
                .column(RoundTargets::RoundId)
                .from(RoundTargets::Table)
                .and_where(Expr::col(RoundTargets::Id).eq(target)),
        )
        .await?;
    r.map(|r| r.round_id).ok_or(StoreError::NotFound)
}
