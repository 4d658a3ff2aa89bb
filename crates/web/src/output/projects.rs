//! Projects as the API answers them. Percentages are numbers (30.67), money is text in 元 with two
//! decimals ("4056.50") so that no client rounds it.

use crate::auth::Authed;
use crate::error::WebResult;
use crate::output::UnitRefOut;
use crate::state::AppState;
use axum::response::IntoResponse;
use bangdu_domain::FileId;
use bangdu_domain::ProjectId;
use bangdu_domain::project::Figures;
use bangdu_domain::project::money::yuan;
use bangdu_domain::project::{Light, Status};
use bangdu_store::Conn;
use bangdu_store::projects::ProjectRow;
use bangdu_store::projects::checks::{self, CheckRow};
use bangdu_store::projects::files;
use bangdu_store::projects::files::ProjectFileRow;
use bangdu_store::projects::freeze::{FreezeRow, FrozenRow};
use bangdu_store::projects::lights::LightChange;
use bangdu_store::projects::query::ProjectUnit;
use bangdu_store::projects::query::{self};
use bangdu_store::projects::reports::ReportRow;
use bangdu_store::projects::reports::{self};
use bangdu_store::projects::stats::{Slice, Stats};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub fn percent(p: i64) -> f64 {
    p as f64 / 100.0
}

pub fn money(fen: i64) -> String {
    yuan(fen).to_string()
}

#[derive(Serialize, ToSchema)]
pub struct MilestoneOut {
    pub name: String,
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub progress: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectOut {
    pub id: i64,
    pub year: i64,
    pub level: String,
    pub level_label: String,
    pub kind: String,
    pub series: Option<String>,
    pub seq: Option<i64>,
    pub name: String,
    pub lead_unit: UnitRefOut,
    pub owner_unit: UnitRefOut,
    pub cooperating_units: Vec<UnitRefOut>,
    pub manager_unit: Option<UnitRefOut>,
    pub responsible_person: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub target: Option<String>,
    pub indicator_value: Option<String>,
    pub indicator_unit: Option<String>,
    pub indicator_achieved: Option<String>,
    /// 元, two decimals.
    pub funds_planned: String,
    pub funds_allocated: String,
    pub funds_spent: String,
    #[schema(value_type = String, format = Date)]
    pub planned_start: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub planned_end: NaiveDate,
    pub milestones: Vec<MilestoneOut>,
    pub status: String,
    pub status_label: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_on: Option<NaiveDate>,
    pub completed_early: bool,
    /// `green`, `yellow`, `red`, `blue`, `gray`.
    pub light: String,
    pub light_label: String,
    pub light_reason: String,
    /// Percent the plan expects on `as_of` (today by default).
    pub planned_progress: f64,
    /// Percent reported.
    pub actual_progress: f64,
    /// The latest month reported, "YYYY-MM".
    pub last_reported: Option<String>,
    /// The day the light is for.
    #[schema(value_type = String, format = Date)]
    pub as_of: NaiveDate,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl ProjectOut {
    pub fn new(p: ProjectRow, units: &[ProjectUnit]) -> ProjectOut {
        let unit = |u: &ProjectUnit| UnitRefOut { id: u.unit_id, code: u.code.clone(), name: u.name.clone() };
        let (lat, lon) = p.location().map_or((None, None), |(a, b)| (Some(a), Some(b)));
        ProjectOut {
            id: i64::from(p.id),
            year: p.year,
            level_label: p.level().label().into(),
            level: p.level.clone(),
            kind: p.kind.clone(),
            series: p.series.clone(),
            seq: p.seq,
            lead_unit: UnitRefOut { id: p.lead_unit_id, code: p.lead_code.clone(), name: p.lead_name.clone() },
            owner_unit: UnitRefOut { id: p.owner_unit_id, code: p.owner_code.clone(), name: p.owner_name.clone() },
            cooperating_units: units.iter().filter(|u| u.role == "cooperating").map(unit).collect(),
            manager_unit: units.iter().find(|u| u.role == "manager").map(unit),
            responsible_person: p.responsible_person.clone(),
            address: p.address.clone(),
            lat,
            lon,
            target: p.target_text.clone(),
            indicator_value: p.indicator_value.clone(),
            indicator_unit: p.indicator_unit.clone(),
            indicator_achieved: p.indicator_achieved.clone(),
            funds_planned: money(p.funds_planned),
            funds_allocated: money(p.funds_allocated),
            funds_spent: money(p.funds_spent),
            planned_start: p.planned_start,
            planned_end: p.planned_end,
            milestones: bangdu_store::projects::parse_milestones(&p.milestones)
                .into_iter()
                .map(|m| MilestoneOut { name: m.name, date: m.date, progress: percent(m.progress.0) })
                .collect(),
            status_label: Status::parse(&p.status).map_or("", |s| s.label()).into(),
            status: p.status.clone(),
            completed_on: p.completed_on,
            completed_early: p.completed_early,
            light_label: Light::parse(&p.light).map_or("", |l| l.label()).into(),
            light: p.light.clone(),
            light_reason: p.light_reason.clone(),
            planned_progress: percent(p.planned_progress),
            actual_progress: percent(p.actual_progress),
            last_reported: p.last_reported.clone(),
            as_of: p.lit_on,
            version: p.version,
            updated_at: p.updated_at,
            name: p.name.clone(),
        }
    }

    /// Replaces the light with the one of another day.
    pub fn at(mut self, on: NaiveDate, lit: &bangdu_domain::project::Lit) -> ProjectOut {
        self.as_of = on;
        self.light = lit.light.code().into();
        self.light_label = lit.light.label().into();
        self.light_reason = lit.reason.clone();
        self.planned_progress = percent(lit.planned.0);
        self.actual_progress = percent(lit.actual.0);
        self.completed_early = lit.completed_early;
        self
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub id: i64,
    pub period: String,
    pub progress: f64,
    pub progress_reason: Option<String>,
    pub indicator_achieved: Option<String>,
    pub funds_allocated: Option<String>,
    pub funds_spent: Option<String>,
    pub narrative: Option<String>,
    pub problems: Option<String>,
    pub status: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_on: Option<NaiveDate>,
    pub submitted_by: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub submitted_on: NaiveDate,
    /// `submitted` (待审核), `accepted` (已审核), `returned` (已退回).
    pub check_state: String,
    pub check_note: Option<String>,
    /// The freeze that fixed this month's figures, e.g. "2025 年第一季度收账".
    pub frozen_by: Option<String>,
    /// Evidence attached to this month (photos, acceptance papers).
    pub files: Vec<crate::output::projects::ProjectFileOut>,
}

impl ReportOut {
    pub fn new(r: ReportRow, frozen_by: Option<String>) -> ReportOut {
        ReportOut {
            id: i64::from(r.id),
            period: r.period.clone(),
            progress: percent(r.progress),
            progress_reason: r.progress_reason.clone(),
            indicator_achieved: r.indicator_achieved.clone(),
            funds_allocated: r.funds_allocated.map(money),
            funds_spent: r.funds_spent.map(money),
            narrative: r.narrative.clone(),
            problems: r.problems.clone(),
            status: r.status.clone(),
            completed_on: r.completed_on,
            submitted_by: r.submitter_name.clone(),
            submitted_on: r.submitted_on,
            check_state: r.check_state.clone(),
            check_note: r.check_note.clone(),
            frozen_by,
            files: vec![],
        }
    }

    pub fn with_files(mut self, files: Vec<crate::output::projects::ProjectFileOut>) -> ReportOut {
        self.files = files;
        self
    }
}

#[derive(Serialize, ToSchema)]
pub struct LightChangeOut {
    #[schema(value_type = String, format = Date)]
    pub on: NaiveDate,
    pub light: String,
    pub reason: String,
    pub planned_progress: f64,
    pub actual_progress: f64,
}

impl From<LightChange> for LightChangeOut {
    fn from(c: LightChange) -> Self {
        LightChangeOut {
            on: c.on_date,
            light: c.light,
            reason: c.reason,
            planned_progress: percent(c.planned),
            actual_progress: percent(c.actual),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FiguresOut {
    pub total: u64,
    /// 已完成 (blue).
    pub completed: u64,
    /// 提前完工.
    pub completed_early: u64,
    /// 超时序 (red).
    pub over_schedule: u64,
    /// 按时序推进: total − completed early − over schedule, as the articles count.
    pub on_schedule: u64,
    /// Count per light: `green`, `yellow`, `red`, `blue`, `gray` (every key present).
    pub by_light: BTreeMap<String, u64>,
    /// 元, two decimals.
    pub funds_planned: String,
    pub funds_allocated: String,
    /// "4.06 亿元".
    pub funds_allocated_text: String,
    /// Allocated against planned, percent with two decimals ("84.50"); null when nothing is planned.
    pub allocated_percent: Option<String>,
}

impl From<&Figures> for FiguresOut {
    fn from(f: &Figures) -> Self {
        FiguresOut {
            total: f.total,
            completed: f.completed,
            completed_early: f.completed_early,
            over_schedule: f.over_schedule,
            on_schedule: f.on_schedule,
            by_light: Light::ALL
                .iter()
                .map(|l| (l.code().to_string(), f.by_light.get(l).copied().unwrap_or(0)))
                .collect(),
            funds_planned: format!("{:.2}", f.funds_planned),
            funds_allocated: format!("{:.2}", f.funds_allocated),
            funds_allocated_text: bangdu_domain::project::yuan_text(f.funds_allocated),
            allocated_percent: f.allocated_percent.map(|p| format!("{p:.2}")),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SliceOut {
    /// The series, or the lead unit's code.
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: FiguresOut,
}

impl From<&Slice> for SliceOut {
    fn from(s: &Slice) -> Self {
        SliceOut { key: s.key.clone(), name: s.name.clone(), figures: (&s.figures).into() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StatsOut {
    #[serde(flatten)]
    pub figures: FiguresOut,
    pub by_series: Vec<SliceOut>,
    pub by_unit: Vec<SliceOut>,
    /// The sentence the articles print, e.g. "共 117 个项目，82 个已完成……".
    pub summary: String,
}

/// "共 40 个项目：17 个提前完工，4 个超时序，其余 19 个按时序推进；已完成 25 个；资金已下达 4.06 亿元，
/// 完成年度计划的 84.50%。" The first clause splits the total as the articles do (the three numbers add
/// up to it); the completed count stands apart, so that nobody reads the split as one of it.
pub fn summary(f: &Figures) -> String {
    let mut text = format!(
        "共 {} 个项目：{} 个提前完工，{} 个超时序，其余 {} 个按时序推进；已完成 {} 个",
        f.total, f.completed_early, f.over_schedule, f.on_schedule, f.completed
    );
    if let Some(p) = f.allocated_percent {
        text +=
            &format!("；资金已下达 {}，完成年度计划的 {p:.2}%", bangdu_domain::project::yuan_text(f.funds_allocated));
    }
    text + "。"
}

impl From<&Stats> for StatsOut {
    fn from(s: &Stats) -> Self {
        StatsOut {
            figures: (&s.figures).into(),
            by_series: s.by_series.iter().map(SliceOut::from).collect(),
            by_unit: s.by_unit.iter().map(SliceOut::from).collect(),
            summary: summary(&s.figures),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FreezeOut {
    pub id: i64,
    /// "2025 年第一季度收账".
    pub label: String,
    /// `quarter` or `year`.
    pub kind: String,
    pub year: i64,
    pub quarter: Option<i64>,
    pub through: String,
    pub unit: String,
    pub projects: i64,
    pub note: Option<String>,
    pub frozen_at: DateTime<Utc>,
}

impl From<FreezeRow> for FreezeOut {
    fn from(f: FreezeRow) -> Self {
        FreezeOut {
            label: f.label(),
            id: i64::from(f.id),
            kind: f.kind.clone(),
            year: f.year,
            quarter: f.quarter,
            through: f.through.clone(),
            unit: f.unit_name.clone(),
            projects: f.projects,
            note: f.note.clone(),
            frozen_at: f.frozen_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FrozenOut {
    pub freeze: String,
    pub through: String,
    pub progress: f64,
    pub indicator_achieved: Option<String>,
    pub funds_allocated: String,
    pub funds_spent: String,
    pub light: String,
    pub reason: String,
}

impl FrozenOut {
    pub fn new(f: &FreezeRow, v: FrozenRow) -> FrozenOut {
        FrozenOut {
            freeze: f.label(),
            through: f.through.clone(),
            progress: percent(v.progress),
            indicator_achieved: v.indicator_achieved,
            funds_allocated: money(v.funds_allocated),
            funds_spent: money(v.funds_spent),
            light: v.light,
            reason: v.reason,
        }
    }
}

/// Projects with their units, for a page of rows.
pub async fn outs(c: &mut Conn<'_>, rows: Vec<ProjectRow>) -> WebResult<Vec<ProjectOut>> {
    let mut units = query::units_of(c, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let u = units.remove(&r.id).unwrap_or_default();
            ProjectOut::new(r, &u)
        })
        .collect())
}

/// The reports of a project, each with its freeze and the files attached to its month.
pub async fn report_outs(c: &mut Conn<'_>, project: &ProjectRow) -> WebResult<Vec<ReportOut>> {
    let rows = reports::list(c, project).await?;
    let all_files = bangdu_store::projects::files::list(c, project).await?;
    let mut out = Vec::new();
    for r in rows {
        let frozen = reports::frozen_for(c, project, &r.period).await?;
        let mine: Vec<ProjectFileOut> = all_files
            .iter()
            .filter(|f| f.period.as_deref() == Some(r.period.as_str()))
            .cloned()
            .map(Into::into)
            .collect();
        out.push(ReportOut::new(r, frozen).with_files(mine));
    }
    Ok(out)
}

#[derive(Serialize, ToSchema, Clone)]
pub struct CheckOut {
    pub id: i64,
    #[schema(value_type = String, format = Date)]
    pub checked_on: NaiveDate,
    /// `true`: in use as intended; `false`: a problem was found.
    pub normal: bool,
    pub notes: Option<String>,
    /// The supervision item the problem became, if it did.
    pub item: Option<CheckItemOut>,
    pub checked_by: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Photos and papers attached to this check.
    pub files: Vec<ProjectFileOut>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct CheckItemOut {
    pub id: i64,
    pub code: String,
}

impl CheckOut {
    pub fn new(r: CheckRow, files: Vec<ProjectFileOut>) -> CheckOut {
        CheckOut {
            id: i64::from(r.id),
            checked_on: r.checked_on,
            normal: r.normal,
            notes: r.notes.clone(),
            item: r.item_id.zip(r.item_code.clone()).map(|(id, code)| CheckItemOut { id: i64::from(id), code }),
            checked_by: r.checked_by_name.clone(),
            created_at: r.created_at,
            files,
        }
    }
}

/// The checks of a project with their files, newest first.
pub async fn check_outs(c: &mut Conn<'_>, project: &ProjectRow) -> WebResult<Vec<CheckOut>> {
    let all_files = files::list(c, project).await?;
    Ok(checks::list(c, project)
        .await?
        .into_iter()
        .map(|r| {
            let mine = all_files.iter().filter(|f| f.check_id == Some(r.id)).cloned().map(Into::into).collect();
            CheckOut::new(r, mine)
        })
        .collect())
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ProjectFileOut {
    pub id: i64,
    /// The month's report it is evidence for, "YYYY-MM".
    pub period: Option<String>,
    /// The operating check it is evidence for.
    pub check: Option<i64>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTime<Utc>,
    /// Where to download it (API); the pages use `/projects/{id}/files/{file}`.
    pub url: String,
}

impl From<ProjectFileRow> for ProjectFileOut {
    fn from(f: ProjectFileRow) -> Self {
        ProjectFileOut {
            url: format!("/api/v1/projects/{}/files/{}", f.project_id, f.id),
            id: i64::from(f.id),
            period: f.period,
            check: f.check_id.map(i64::from),
            filename: f.filename,
            content_type: f.content_type,
            size: f.size_bytes,
            sha256: f.sha256,
            uploaded_by: f.uploaded_by,
            uploaded_at: f.uploaded_at,
        }
    }
}

pub async fn file_response(
    state: &AppState,
    authed: &Authed,
    project: ProjectId,
    file: FileId,
) -> WebResult<impl IntoResponse + use<>> {
    let row = {
        let mut reader = state.db.reader().await?;
        files::get(&mut reader.conn(), &authed.actor, project, file).await?
    };
    crate::output::download::stored_file(state, row.sha256, row.content_type, &row.filename).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The complaint's figures (87 done, 4 early, 36 over schedule), of 150: the first clause adds up
    /// as read — 4 + 36 + 110 = 150 — and the 87 is not followed by a split it does not contain.
    #[test]
    fn the_summary_adds_up_as_read() {
        let f = Figures {
            total: 150,
            completed: 87,
            completed_early: 4,
            over_schedule: 36,
            on_schedule: 110,
            ..Figures::default()
        };
        assert_eq!(summary(&f), "共 150 个项目：4 个提前完工，36 个超时序，其余 110 个按时序推进；已完成 87 个。");
    }
}
