//! Lights (亮灯), computed from the plan and the reports, never typed in. `relight` recomputes the
//! stored light of some or all projects for a day (after every change and by the daily job) and
//! logs each change of colour as it was shown (`project_lights`). The light history users read and
//! the light `as_of` a past day are both read from one `Timeline` of the plan and the reports as
//! they were known each day, so the two never disagree.

use crate::db::Conn;
use crate::error::Result;
use crate::settings;
use crate::tables::{ProjectLightRecord, ProjectLights, Projects};
use bangdu_domain::ProjectId;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::project::{LightInput, LightSettings, Lit, Milestone, Percent, Period, light, missing_report};
use chrono::NaiveDate;
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

/// What a light needs besides the project: the calendar and the settings.
pub struct LightRules<'a> {
    pub cal: &'a Calendar,
    pub settings: LightSettings,
    /// The report for a month is due by this working day of the next month.
    pub report_workday: u32,
}

impl<'a> LightRules<'a> {
    pub async fn load(c: &mut Conn<'_>, cal: &'a Calendar) -> Result<LightRules<'a>> {
        let (settings, report_workday) = settings::lights(c).await?;
        Ok(LightRules { cal, settings, report_workday })
    }
}

/// The facts a light is computed from.
pub struct LightFacts<'a> {
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub milestones: &'a [Milestone],
    pub actual: Percent,
    pub completed_on: Option<NaiveDate>,
    pub last_reported: Option<Period>,
}

pub fn compute(rules: &LightRules<'_>, facts: &LightFacts<'_>, on: NaiveDate) -> Lit {
    let done = facts.completed_on.is_some_and(|d| d <= on);
    // A calendar year that is not loaded cannot say when a report fell due: no missing report.
    let missing = if done {
        None
    } else {
        missing_report(
            rules.cal,
            on,
            rules.report_workday,
            facts.planned_start,
            facts.completed_on,
            facts.last_reported,
        )
        .ok()
        .flatten()
    };
    light(
        &LightInput {
            on,
            planned_start: facts.planned_start,
            planned_end: facts.planned_end,
            milestones: facts.milestones,
            actual: facts.actual,
            completed_on: facts.completed_on,
            missing_report: missing.map(|p| p.month),
            // The latest report describes the end of its month; before any report, the plan is
            // read at the end of last month (what the first report will be measured against).
            measured_on: facts
                .last_reported
                .and_then(|p| p.last_day())
                .or_else(|| Period::of(on).previous().last_day())
                .map(|d| Ord::max(d, facts.planned_start)),
        },
        &rules.settings,
    )
}

#[derive(sqlx::FromRow)]
struct LightRow {
    id: ProjectId,
    planned_start: NaiveDate,
    planned_end: NaiveDate,
    milestones: String,
    actual_progress: i64,
    completed_on: Option<NaiveDate>,
    last_reported: Option<String>,
    light: String,
    light_reason: String,
    planned_progress: i64,
    completed_early: bool,
}

/// What a relight changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Relit {
    pub examined: u64,
    /// Rows whose light, reason or figures changed.
    pub updated: u64,
    /// Of those, the ones whose colour changed (a history row each).
    pub changed_colour: u64,
}

/// Recomputes the lights of the given projects (all when `ids` is `None`) for `on`.
pub async fn relight(
    c: &mut Conn<'_>,
    rules: &LightRules<'_>,
    ids: Option<&[ProjectId]>,
    on: NaiveDate,
) -> Result<Relit> {
    let mut relit = Relit::default();
    let mut after = ProjectId(0);
    loop {
        // In batches by id, so that a province's projects never sit in memory at once.
        let mut select = Query::select();
        select
            .columns([
                Projects::Id,
                Projects::PlannedStart,
                Projects::PlannedEnd,
                Projects::Milestones,
                Projects::ActualProgress,
                Projects::CompletedOn,
                Projects::LastReported,
                Projects::Light,
                Projects::LightReason,
                Projects::PlannedProgress,
                Projects::CompletedEarly,
            ])
            .from(Projects::Table)
            .and_where(Expr::col(Projects::Id).gt(after))
            .order_by(Projects::Id, Order::Asc)
            .limit(5_000);
        if let Some(ids) = ids {
            select.and_where(Expr::col(Projects::Id).is_in(ids.iter().copied()));
        }
        let rows: Vec<LightRow> = c.fetch_all(&select).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let mut changed: Vec<(ProjectId, Lit)> = Vec::new();
        let mut recoloured: Vec<(ProjectId, Lit)> = Vec::new();
        for row in &rows {
            relit.examined += 1;
            let milestones = super::row::parse_milestones(&row.milestones);
            let lit = compute(
                rules,
                &LightFacts {
                    planned_start: row.planned_start,
                    planned_end: row.planned_end,
                    milestones: &milestones,
                    actual: Percent(row.actual_progress),
                    completed_on: row.completed_on,
                    last_reported: row.last_reported.as_deref().and_then(Period::parse),
                },
                on,
            );
            let colour_changed = lit.light.code() != row.light;
            // Only the day moved on with nothing to show differently: nothing to write.
            if !colour_changed
                && lit.reason == row.light_reason
                && lit.planned.0 == row.planned_progress
                && lit.completed_early == row.completed_early
            {
                continue;
            }
            if colour_changed {
                recoloured.push((row.id, lit.clone()));
            }
            changed.push((row.id, lit));
        }
        relit.updated += changed.len() as u64;
        relit.changed_colour += recoloured.len() as u64;
        // A statement per few hundred projects, not one per project: the daily run over a
        // province writes most lights (the planned progress moves every day).
        for chunk in changed.chunks(WRITE_ROWS) {
            write_lights(c, chunk, on).await?;
        }
        for chunk in recoloured.chunks(WRITE_ROWS) {
            record_many(c, chunk, on).await?;
        }
    }
    Ok(relit)
}

/// Rows per bulk statement. Measured on SQLite (100,000 lights): 100 rows a statement 1.7–1.8 s,
/// 250 1.9 s, 500 2.7 s, 2,000 6.7 s — long statements cost more per row than they save.
const WRITE_ROWS: usize = 100;

/// Stores the computed lights of many projects in one statement: an `UPDATE … FROM` a list of
/// values (SQLite ≥ 3.33 and PostgreSQL read the same text but for the placeholders).
async fn write_lights(c: &mut Conn<'_>, rows: &[(ProjectId, Lit)], on: NaiveDate) -> Result<()> {
    let postgres = c.backend() == crate::db::Backend::Postgres;
    let mut n = 0;
    let mut next = || {
        n += 1;
        // Numbered, as the day is bound first but written last.
        if postgres { format!("${n}") } else { format!("?{n}") }
    };
    let lit_on = next();
    let values: Vec<String> =
        rows.iter().map(|_| format!("({}, {}, {}, {}, {})", next(), next(), next(), next(), next())).collect();
    let sql = format!(
        "WITH v(id, light, reason, planned, early) AS (VALUES {}) \
         UPDATE projects SET light = v.light, light_reason = v.reason, planned_progress = v.planned, \
         completed_early = v.early, lit_on = {lit_on} FROM v WHERE projects.id = v.id",
        values.join(", ")
    );
    macro_rules! bind_all {
        ($c:expr) => {{
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(on);
            for (id, lit) in rows {
                q = q
                    .bind(id.0)
                    .bind(lit.light.code())
                    .bind(lit.reason.as_str())
                    .bind(lit.planned.0)
                    .bind(lit.completed_early);
            }
            q.execute(&mut **$c).await?;
        }};
    }
    match c {
        Conn::Sqlite(c) => bind_all!(c),
        Conn::Postgres(c) => bind_all!(c),
    }
    Ok(())
}

/// Adds (or replaces) the history rows of these projects for `on`, in one statement.
pub(crate) async fn record_many(c: &mut Conn<'_>, rows: &[(ProjectId, Lit)], on: NaiveDate) -> Result<()> {
    let mut insert = Query::insert();
    insert.into_table(ProjectLights::Table).columns(ProjectLights::COLUMNS.iter().copied());
    for (project, lit) in rows {
        let row = ProjectLightRecord {
            project_id: *project,
            on_date: on,
            light: lit.light.code().into(),
            reason: lit.reason.clone(),
            planned: lit.planned.0,
            actual: lit.actual.0,
        };
        insert.values_panic(row.values(ProjectLights::COLUMNS));
    }
    c.execute(
        insert.on_conflict(
            OnConflict::columns([ProjectLights::ProjectId, ProjectLights::OnDate])
                .update_columns([
                    ProjectLights::Light,
                    ProjectLights::Reason,
                    ProjectLights::Planned,
                    ProjectLights::Actual,
                ])
                .to_owned(),
        ),
    )
    .await?;
    Ok(())
}

pub use super::light_timeline::{LightChange, Timeline};

/// The light history: each change of colour from the project's first day up to `today`.
pub async fn history(
    c: &mut Conn<'_>,
    rules: &LightRules<'_>,
    project: &super::ProjectRow,
    today: NaiveDate,
) -> Result<Vec<LightChange>> {
    Ok(Timeline::load(c, project).await?.changes(rules, today))
}

/// The light on `on` against the plan in force that day, given the progress and last report.
pub async fn with_figures(
    c: &mut Conn<'_>,
    rules: &LightRules<'_>,
    project: &super::ProjectRow,
    on: NaiveDate,
    actual: Percent,
    last_reported: Option<Period>,
) -> Result<Lit> {
    Ok(Timeline::load_plans(c, project).await?.with_figures(rules, on, actual, last_reported))
}

/// The light of a project on a past (or present) day: the same reading as the history's.
pub async fn as_of(
    c: &mut Conn<'_>,
    rules: &LightRules<'_>,
    project: &super::ProjectRow,
    on: NaiveDate,
) -> Result<Lit> {
    Ok(Timeline::load(c, project).await?.on(rules, on))
}

const DAILY_JOB: &str = "project_lights";

/// The daily relight of every project, claimed by one node a day (like the escalation run): the
/// planned progress moves every day, and a missing report turns a light yellow on its due day.
/// Returns `None` when another node (or an earlier round) has done today's.
pub async fn daily(db: &crate::Db, today: NaiveDate, node: &str) -> Result<Option<Relit>> {
    use crate::items::escalate::{claim, claimed};
    let key = today.to_string();
    if claimed(&mut db.reader().await?.conn(), DAILY_JOB, &key).await? || !claim(db, DAILY_JOB, &key, node).await? {
        return Ok(None);
    }
    let cal = crate::calendar::load(&mut db.reader().await?.conn()).await?;
    let mut tx = db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let relit = relight(&mut tx.conn(), &rules, None, today).await?;
    tx.commit().await?;
    Ok(Some(relit))
}
