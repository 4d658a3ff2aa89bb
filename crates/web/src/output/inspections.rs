//! What the API answers about the pool, campaigns, rounds, targets and teams.

use bangdu_domain::inspection::round::{Basis, RoundKind, TargetKind};
use bangdu_store::inspections::campaigns::{CampaignRow, RoundDetail};
use bangdu_store::inspections::pool::{Conflict, MemberDetail, MemberRow};
use bangdu_store::inspections::targets::{Redraw, StoredPlan};
use bangdu_store::inspections::teams::{Formed, Quality, TeamView};
use bangdu_store::tables::{RoundRecord, TargetRecord};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone)]
pub struct OwnerOut {
    pub id: i64,
    pub name: String,
}

/// A pool member. `phone` is present only for the office that keeps the pool.
#[derive(Serialize, ToSchema, Clone)]
pub struct MemberOut {
    pub id: i64,
    pub name: String,
    /// 工作单位 as recorded.
    pub unit: String,
    /// The home unit when it is one of ours.
    pub unit_id: Option<i64>,
    pub region: String,
    /// GB/T 2260 name of the county-level division (晋江市), when known.
    pub region_name: Option<String>,
    pub domains: Vec<String>,
    pub can_lead: bool,
    pub office: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub username: Option<String>,
    pub active: bool,
    /// Batches (seats on visits) this year, counted from the record.
    pub load: i64,
    pub owner: OwnerOut,
    pub note: Option<String>,
    pub version: i64,
}

impl From<&MemberRow> for MemberOut {
    fn from(m: &MemberRow) -> Self {
        MemberOut {
            id: m.id.0,
            name: m.name.clone(),
            unit: m.unit_name.clone(),
            unit_id: m.unit_id,
            region: m.region.clone(),
            region_name: m.region_name().map(str::to_string),
            domains: m.domain_list(),
            can_lead: m.can_lead,
            office: m.office,
            phone: m.phone_shown().map(str::to_string),
            username: m.username.clone(),
            active: m.active,
            load: m.load,
            owner: OwnerOut { id: m.owner_unit_id, name: m.owner_name.clone() },
            note: m.note.clone(),
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ConflictOut {
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub person: Option<String>,
    pub reason: Option<String>,
}

impl From<&Conflict> for ConflictOut {
    fn from(c: &Conflict) -> Self {
        ConflictOut {
            unit_id: c.unit_id,
            unit_name: c.unit_name.clone(),
            person: c.person.clone(),
            reason: c.reason.clone(),
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AbsenceOut {
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct MemberDetailOut {
    #[serde(flatten)]
    pub member: MemberOut,
    pub conflicts: Vec<ConflictOut>,
    pub absences: Vec<AbsenceOut>,
}

impl From<&MemberDetail> for MemberDetailOut {
    fn from(d: &MemberDetail) -> Self {
        MemberDetailOut {
            member: MemberOut::from(&d.row),
            conflicts: d.conflicts.iter().map(ConflictOut::from).collect(),
            absences: d
                .absences
                .iter()
                .map(|a| AbsenceOut { starts_on: a.starts_on, ends_on: a.ends_on, reason: a.reason.clone() })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct PoolImportOut {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct CampaignOut {
    pub id: i64,
    pub name: String,
    pub theme: Option<String>,
    pub lead_unit: OwnerOut,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl From<&CampaignRow> for CampaignOut {
    fn from(c: &CampaignRow) -> Self {
        CampaignOut {
            id: c.id.0,
            name: c.name.clone(),
            theme: c.theme.clone(),
            lead_unit: OwnerOut { id: c.lead_unit_id, name: c.lead_name.clone() },
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            created_at: c.created_at,
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct CampaignDetailOut {
    #[serde(flatten)]
    pub campaign: CampaignOut,
    pub rounds: Vec<RoundOut>,
}

/// The draw's stored inputs: anyone can re-run it from these (`bangdu inspect redraw`).
#[derive(Serialize, ToSchema, Clone)]
pub struct DrawOut {
    pub seed: String,
    /// `sha256-rank-v1`: rank = SHA-256 of `seed:key`, smallest first.
    pub algorithm: String,
    #[schema(value_type = String, format = Date)]
    pub as_of: NaiveDate,
    pub key: bool,
    pub random: usize,
    pub lookback_projects: usize,
    pub lookback_items: usize,
    pub months: u32,
    pub year: Option<i32>,
    /// Projects of this kind only.
    pub kind: Option<String>,
    /// Every candidate of each pool (`key`, `random`, `lookback_projects`, `lookback_items`).
    pub candidates: BTreeMap<String, Vec<String>>,
    pub drawn_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct QualityOut {
    /// `greedy` (a heuristic; compare `max_load` with its lower bound) or `exact`.
    pub solver: String,
    pub max_load: u32,
    /// No formation filling the same seats has a lower maximum load.
    pub max_load_lower_bound: u32,
    pub load_squares: u64,
    pub teams: usize,
    pub seats: usize,
    pub rules: String,
}

impl From<&Quality> for QualityOut {
    fn from(q: &Quality) -> Self {
        QualityOut {
            solver: q.solver.clone(),
            max_load: q.max_load,
            max_load_lower_bound: q.max_load_lower_bound,
            load_squares: q.load_squares,
            teams: q.teams,
            seats: q.seats,
            rules: q.rules.clone(),
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct RoundOut {
    pub id: i64,
    pub campaign_id: i64,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    pub specialists: i64,
    pub draw: Option<DrawOut>,
    pub formed_at: Option<DateTime<Utc>>,
    pub quality: Option<QualityOut>,
    pub version: i64,
}

impl From<&RoundRecord> for RoundOut {
    fn from(r: &RoundRecord) -> Self {
        let plan: Option<StoredPlan> = r.plan.as_deref().and_then(|p| serde_json::from_str(p).ok());
        let draw = match (&r.seed, &r.algorithm, plan) {
            (Some(seed), Some(algorithm), Some(plan)) => Some(DrawOut {
                seed: seed.clone(),
                algorithm: algorithm.clone(),
                as_of: plan.as_of,
                key: plan.params.key,
                random: plan.params.random,
                lookback_projects: plan.params.lookback_projects,
                lookback_items: plan.params.lookback_items,
                months: plan.params.months,
                year: plan.params.year,
                kind: plan.params.kind.clone(),
                candidates: plan.candidates,
                drawn_at: r.drawn_at,
            }),
            _ => None,
        };
        let quality: Option<Quality> = r.formation.as_deref().and_then(|q| serde_json::from_str(q).ok());
        RoundOut {
            id: r.id.0,
            campaign_id: r.campaign_id.0,
            name: r.name.clone(),
            kind: r.kind.clone(),
            kind_label: RoundKind::parse(&r.kind).map_or(r.kind.clone(), |k| k.label().to_string()),
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            specialists: r.specialists,
            draw,
            formed_at: r.formed_at,
            quality: quality.as_ref().map(QualityOut::from),
            version: r.version,
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TargetOut {
    pub id: i64,
    /// `project`, `item` or `unit`.
    pub kind: String,
    pub kind_label: String,
    pub project_id: Option<i64>,
    pub item_id: Option<i64>,
    /// The unit answerable for it.
    pub unit_id: i64,
    pub name: String,
    pub region: String,
    /// `key` 重点督, `random` 随机查, `lookback` 回头看, `manual` 人工添加.
    pub basis: String,
    pub basis_label: String,
    /// Its SHA-256 rank in the draw.
    pub rank: Option<String>,
    pub domains: Vec<String>,
    pub specialists: i64,
    #[schema(value_type = String, format = Date)]
    pub visit_on: NaiveDate,
    /// Why it was added by hand.
    pub reason: Option<String>,
    /// Why it was dropped (a dropped target keeps its row).
    pub dropped_reason: Option<String>,
    pub dropped_at: Option<DateTime<Utc>>,
}

impl From<&TargetRecord> for TargetOut {
    fn from(t: &TargetRecord) -> Self {
        TargetOut {
            id: t.id.0,
            kind: t.kind.clone(),
            kind_label: TargetKind::parse(&t.kind).map_or(t.kind.clone(), |k| k.label().to_string()),
            project_id: t.project_id.map(|p| p.0),
            item_id: t.item_id.map(|i| i.0),
            unit_id: t.unit_id,
            name: t.name.clone(),
            region: t.region.clone(),
            basis: t.basis.clone(),
            basis_label: Basis::parse(&t.basis).map_or(t.basis.clone(), |b| b.label().to_string()),
            rank: t.rank.clone(),
            domains: bangdu_store::inspections::pool::split_domains(&t.domains),
            specialists: t.specialists,
            visit_on: t.visit_on,
            reason: t.reason.clone(),
            dropped_reason: t.dropped_reason.clone(),
            dropped_at: t.dropped_at,
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct RoundDetailOut {
    #[serde(flatten)]
    pub round: RoundOut,
    pub campaign: CampaignOut,
    pub targets: Vec<TargetOut>,
}

impl From<&RoundDetail> for RoundDetailOut {
    fn from(d: &RoundDetail) -> Self {
        RoundDetailOut {
            round: RoundOut::from(&d.round),
            campaign: CampaignOut::from(&d.campaign),
            targets: d.targets.iter().map(TargetOut::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct SeatOut {
    pub member_id: i64,
    pub name: String,
    pub unit: String,
    /// `leader`, `office` or `specialist`.
    pub role: String,
    pub home_region: String,
    /// The member's domains.
    pub domains: Vec<String>,
    /// The target's domains this member brings.
    pub matched: Vec<String>,
    pub load_before: i64,
    pub load_after: i64,
    /// Hard constraints the office overrode for this seat, with the reason.
    pub overrides: Vec<String>,
    pub override_reason: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ReasonOut {
    /// `local_avoidance`, `responsible_unit`, `declared_conflict`, `unavailable`, `already_serving`, `load_cap`.
    pub code: String,
    pub text: String,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct RemovedOut {
    pub member_id: i64,
    pub name: String,
    pub reasons: Vec<ReasonOut>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct BlockedOut {
    /// `leader`, `office` or `domain:<name>`.
    pub seat: String,
    /// For each constraint, how many members who would have fitted it removed.
    pub refused_by: BTreeMap<String, usize>,
    /// What would unblock it.
    pub hint: String,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ExplanationOut {
    /// Needed domains no specialist covers.
    pub uncovered: Vec<String>,
    /// Every member who would have fitted a seat but was removed, with every reason.
    pub removed: Vec<RemovedOut>,
    pub blocked: Vec<BlockedOut>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TeamOut {
    pub target: TargetOut,
    pub members: Vec<SeatOut>,
    pub explanation: ExplanationOut,
}

impl From<&TeamView> for TeamOut {
    fn from(t: &TeamView) -> Self {
        TeamOut {
            target: TargetOut::from(&t.target),
            members: t
                .members
                .iter()
                .map(|s| SeatOut {
                    member_id: s.member_id.0,
                    name: s.name.clone(),
                    unit: s.unit_name.clone(),
                    role: s.role.clone(),
                    home_region: s.home_region.clone(),
                    domains: s.domains.clone(),
                    matched: s.matched.clone(),
                    load_before: s.load_before,
                    load_after: s.load_after,
                    overrides: s.overrides.clone(),
                    override_reason: s.override_reason.clone(),
                })
                .collect(),
            explanation: ExplanationOut {
                uncovered: t.explanation.uncovered.clone(),
                removed: t
                    .explanation
                    .removed
                    .iter()
                    .map(|r| RemovedOut {
                        member_id: r.member_id.0,
                        name: r.name.clone(),
                        reasons: r
                            .reasons
                            .iter()
                            .map(|x| ReasonOut { code: x.code.clone(), text: x.text.clone() })
                            .collect(),
                    })
                    .collect(),
                blocked: t
                    .explanation
                    .blocked
                    .iter()
                    .map(|b| BlockedOut {
                        seat: b.seat.clone(),
                        refused_by: b.refused_by.iter().cloned().collect(),
                        hint: b.hint.clone(),
                    })
                    .collect(),
            },
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TeamsOut {
    pub round: i64,
    pub seed: Option<String>,
    pub algorithm: Option<String>,
    pub quality: Option<QualityOut>,
    pub teams: Vec<TeamOut>,
}

impl From<&Formed> for TeamsOut {
    fn from(f: &Formed) -> Self {
        TeamsOut {
            round: f.round.0,
            seed: f.seed.clone(),
            algorithm: f.algorithm.clone(),
            quality: f.quality.as_ref().map(QualityOut::from),
            teams: f.teams.iter().map(TeamOut::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct RedrawOut {
    pub round: i64,
    pub seed: String,
    pub algorithm: String,
    /// The drawn targets as stored (not those added by hand), sorted.
    pub stored: Vec<String>,
    /// What the draw gives again from the stored inputs, sorted.
    pub again: Vec<String>,
    pub same: bool,
}

impl From<Redraw> for RedrawOut {
    fn from(r: Redraw) -> Self {
        RedrawOut {
            round: r.round.0,
            seed: r.seed,
            algorithm: r.algorithm,
            stored: r.stored,
            again: r.again,
            same: r.same,
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct PhotoOut {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Where the page shows it (signed in).
    pub url: String,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct FindingOut {
    pub id: i64,
    pub round_id: i64,
    pub target_id: i64,
    pub client_key: String,
    pub description: String,
    pub domain: Option<String>,
    /// `pending`, `solved` (当场协调解决) or `item` (转为督导事项).
    pub outcome: String,
    pub outcome_label: String,
    pub solved_note: Option<String>,
    pub item_id: Option<i64>,
    pub item_code: Option<String>,
    pub item_state: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub reported_by: Option<String>,
    pub reported_at: DateTime<Utc>,
    pub photos: Vec<PhotoOut>,
}

impl From<&bangdu_store::inspections::findings::FindingView> for FindingOut {
    fn from(v: &bangdu_store::inspections::findings::FindingView) -> Self {
        let f = &v.finding;
        FindingOut {
            id: f.id.0,
            round_id: f.round_id.0,
            target_id: f.target_id.0,
            client_key: f.client_key.clone(),
            description: f.description.clone(),
            domain: f.domain.clone(),
            outcome: f.outcome.clone(),
            outcome_label: bangdu_domain::inspection::round::Outcome::parse(&f.outcome)
                .map_or(f.outcome.clone(), |o| o.label().to_string()),
            solved_note: f.solved_note.clone(),
            item_id: f.item_id.map(|i| i.0),
            item_code: v.item_code.clone(),
            item_state: v.item_state.clone(),
            lat: f.lat_e6.map(|v| v as f64 / 1_000_000.0),
            lon: f.lon_e6.map(|v| v as f64 / 1_000_000.0),
            reported_by: v.reported_by_name.clone(),
            reported_at: f.reported_at,
            photos: v
                .photos
                .iter()
                .map(|p| PhotoOut {
                    id: p.id.0,
                    filename: p.filename.clone(),
                    content_type: p.content_type.clone(),
                    size_bytes: p.size_bytes,
                    url: format!("/findings/photos/{}", p.id.0),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ReportedFindingOut {
    pub description: String,
    pub domain: Option<String>,
    pub outcome: String,
    pub solved_note: Option<String>,
    pub item: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct VisitedOut {
    pub name: String,
    pub kind: String,
    pub basis: String,
    #[schema(value_type = String, format = Date)]
    pub visit_on: NaiveDate,
    pub team: Vec<String>,
    pub overrides: Vec<String>,
    pub findings: Vec<ReportedFindingOut>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct BriefCountsOut {
    /// Targets visited.
    pub targets: usize,
    /// Distinct people on the teams.
    pub people: usize,
    pub findings: usize,
    /// 当场协调解决.
    pub solved: usize,
    /// Raised as items, and of those written off.
    pub items: usize,
    pub items_closed: usize,
    pub pending: usize,
}

/// A 帮督报告, as issued (frozen) or as the record stands with the draft suggestions.
#[derive(Serialize, ToSchema, Clone)]
pub struct BriefOut {
    pub round: i64,
    pub target: Option<i64>,
    pub title: String,
    pub campaign: String,
    pub lead_unit: String,
    pub round_name: String,
    pub kind: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    pub counts: BriefCountsOut,
    pub targets: Vec<VisitedOut>,
    pub suggestions: String,
    pub issued_at: Option<DateTime<Utc>>,
    pub can_edit: bool,
}

impl From<&bangdu_store::inspections::briefs::Brief> for BriefOut {
    fn from(b: &bangdu_store::inspections::briefs::Brief) -> Self {
        let c = &b.contents;
        BriefOut {
            round: b.round.0,
            target: b.target.map(|t| t.0),
            title: c.title.clone(),
            campaign: c.campaign.clone(),
            lead_unit: c.lead_unit.clone(),
            round_name: c.round.clone(),
            kind: c.kind.clone(),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            counts: BriefCountsOut {
                targets: c.counts.targets,
                people: c.counts.people,
                findings: c.counts.findings,
                solved: c.counts.solved,
                items: c.counts.items,
                items_closed: c.counts.items_closed,
                pending: c.counts.pending,
            },
            targets: c
                .targets
                .iter()
                .map(|t| VisitedOut {
                    name: t.name.clone(),
                    kind: t.kind.clone(),
                    basis: t.basis.clone(),
                    visit_on: t.visit_on,
                    team: t.team.clone(),
                    overrides: t.overrides.clone(),
                    findings: t
                        .findings
                        .iter()
                        .map(|f| ReportedFindingOut {
                            description: f.description.clone(),
                            domain: f.domain.clone(),
                            outcome: f.outcome.clone(),
                            solved_note: f.solved_note.clone(),
                            item: f.item.clone(),
                        })
                        .collect(),
                })
                .collect(),
            suggestions: c.suggestions.clone(),
            issued_at: b.issued_at,
            can_edit: b.can_edit,
        }
    }
}
