//! Benchmark projects: a hundred thousand projects over ten years on the generated province, each
//! with milestones, its schedule version and a monthly report for every month from its start to
//! the month before the data's day (24 for a finished two-year project), written in bulk in the
//! shapes the application writes. Lights are left unlit (gray, no reason) so that the first
//! relight computes and writes every one of them — the benchmark's "recompute every light".

use super::Progress;
use crate::db::{Conn, Db};
use crate::error::{Result, StoreError};
use crate::projects::milestones_json;
use crate::tables::{
    ProjectPlanRecord, ProjectPlans, ProjectRecord, ProjectReports, ProjectUnits, Projects, ReportRecord, Units,
};
use bangdu_domain::project::{Milestone, Percent, Period, planned_progress};
use bangdu_domain::{ProjectId, ReportId};
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_query::{Expr, Func, Query};

/// What to generate.
#[derive(Clone, Debug)]
pub struct ProjectSpec {
    pub projects: u64,
    /// Years the projects are spread over, ending with the year of `today`.
    pub years: u32,
    pub today: NaiveDate,
    pub seed: u64,
}

#[derive(Clone, Debug, Default)]
pub struct ProjectSummary {
    pub projects: u64,
    pub reports: u64,
    pub lead_units: u64,
    pub first_year: i32,
}

const KINDS: [&str; 3] = ["为民办实事", "民生微实事", "重点项目"];
const WORKS: [&str; 10] = [
    "老旧小区改造",
    "口袋公园建设",
    "农贸市场提升",
    "社区长者食堂",
    "公厕新建改造",
    "道路白改黑",
    "嵌入式托育点",
    "学校扩容",
    "充电桩布设",
    "污水管网改造",
];
/// Projects per transaction, and rows per insert statement (SQLite takes at most 32,766
/// parameters a statement: 400 projects × 37 columns, 1,000 reports × 19 columns).
const BATCH: usize = 2_000;
const PROJECT_ROWS: usize = 400;
const REPORT_ROWS: usize = 1_000;

/// The lead units (departments and towns of the generated counties) with their county.
async fn lead_units(c: &mut Conn<'_>) -> Result<Vec<(i64, i64)>> {
    use sea_query::ExprTrait;
    #[derive(sqlx::FromRow)]
    struct Lead {
        id: i64,
        parent_id: i64,
    }
    let rows: Vec<Lead> = c
        .fetch_all(
            Query::select()
                .columns([Units::Id, Units::ParentId])
                .from(Units::Table)
                .and_where(Expr::col(Units::Kind).is_in(["department", "town"]))
                .and_where(Expr::col(Units::Code).like("G35%"))
                .and_where(Expr::col(Units::ParentId).is_not_null())
                .order_by(Units::Id, sea_query::Order::Asc),
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.parent_id)).collect())
}

struct Plan {
    id: i64,
    year: i32,
    kind: &'static str,
    name: String,
    lead: i64,
    owner: i64,
    start: NaiveDate,
    end: NaiveDate,
    milestones: Vec<Milestone>,
    /// (period, cumulative progress in hundredths) of each month reported.
    reports: Vec<(String, i64)>,
    completed_on: Option<NaiveDate>,
    funds: i64,
}

fn plan(rng: &mut StdRng, spec: &ProjectSpec, first_year: i32, leads: &[(i64, i64)], index: u64) -> Plan {
    let year = first_year + (index % u64::from(spec.years)) as i32;
    let (lead, owner) = leads[(index as usize / spec.years as usize) % leads.len()];
    // Two-year projects ending in their year, starting in January or February of the year before.
    let start = NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or(spec.today) + Duration::days(rng.random_range(0..45));
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(spec.today) - Duration::days(rng.random_range(0..60));
    let span = (end - start).num_days();
    let milestones = vec![
        Milestone {
            name: "完成前期手续".into(), date: start + Duration::days(span / 4), progress: Percent(1_500)
        },
        Milestone { name: "主体开工".into(), date: start + Duration::days(span / 2), progress: Percent(4_500) },
        Milestone { name: "主体完工".into(), date: start + Duration::days(span * 7 / 8), progress: Percent(9_000) },
    ];
    // A pace around the plan: most keep up, some lag far enough to turn yellow or red.
    let pace: f64 = rng.random_range(0.6..1.2);
    let mut reports = Vec::with_capacity(24);
    let mut completed_on = None;
    let mut period = Period::of(start);
    let last = Period::of(spec.today).previous();
    while period <= last && reports.len() < 24 {
        let month_end = period.last_day().unwrap_or(end);
        let planned = planned_progress(start, end, &milestones, month_end).0 as f64;
        let progress = ((planned * pace).round() as i64).clamp(0, 10_000);
        reports.push((period.code(), progress));
        if progress == 10_000 {
            completed_on = Some(month_end.min(spec.today));
            break;
        }
        period = period.next();
    }
    Plan {
        id: index as i64 + 1,
        year,
        kind: KINDS[(index % 3) as usize],
        name: format!("{}（生成）{:06}", WORKS[(index % 10) as usize], index + 1),
        lead,
        owner,
        start,
        end,
        milestones,
        reports,
        completed_on,
        funds: rng.random_range(50..5_000) * 1_000_000,
    }
}

/// Generates the projects into a database that holds the generated organisation and no projects.
pub async fn run(db: &Db, spec: &ProjectSpec, progress: &mut dyn Progress) -> Result<ProjectSummary> {
    let leads = {
        let mut reader = db.reader().await?;
        let mut c = reader.conn();
        let existing: crate::paging::CountRow = c
            .fetch_one(
                Query::select()
                    .expr_as(Func::count(Expr::col(Projects::Id)), sea_query::Alias::new("n"))
                    .from(Projects::Table),
            )
            .await?;
        if existing.n > 0 {
            return Err(StoreError::invalid(
                "database",
                format!("数据库里已有 {} 个项目；请在没有项目的数据库上生成", existing.n),
            ));
        }
        lead_units(&mut c).await?
    };
    if leads.is_empty() {
        return Err(StoreError::invalid(
            "database",
            "没有生成的单位；请先运行 bangdu generate items（--count 0 只生成组织）",
        ));
    }
    let first_year = spec.today.year() - spec.years.max(1) as i32 + 1;
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let mut summary = ProjectSummary { lead_units: leads.len() as u64, first_year, ..Default::default() };
    progress.stage("projects", spec.projects);
    let mut done = 0u64;
    while done < spec.projects {
        let n = (BATCH as u64).min(spec.projects - done);
        let plans: Vec<Plan> = (done..done + n).map(|i| plan(&mut rng, spec, first_year, &leads, i)).collect();
        let mut tx = db.begin().await?;
        summary.reports += write(&mut tx.conn(), &plans, spec.today).await?;
        tx.commit().await?;
        summary.projects += n;
        done += n;
        progress.advance(n);
    }
    let mut tx = db.begin().await?;
    for table in ["projects", "project_reports"] {
        tx.conn().move_sequence_past_max(table).await?;
    }
    tx.conn().raw("ANALYZE").await?;
    tx.commit().await?;
    Ok(summary)
}

async fn write(c: &mut Conn<'_>, plans: &[Plan], today: NaiveDate) -> Result<u64> {
    let at = crate::time::now();
    for chunk in plans.chunks(PROJECT_ROWS) {
        let mut insert = Query::insert();
        insert.into_table(Projects::Table).columns(Projects::COLUMNS.iter().copied());
        for p in chunk {
            let (last, actual) = p.reports.last().map_or((None, 0), |(k, v)| (Some(k.clone()), *v));
            let status = match (p.completed_on, actual) {
                (Some(_), _) => "completed",
                (None, 0) => "not_started",
                _ => "in_progress",
            };
            // Lights are left gray: `bench --only relight` lights them all.
            let record = ProjectRecord {
                id: ProjectId(p.id),
                year: i64::from(p.year),
                level: "county".into(),
                kind: p.kind.into(),
                series: None,
                seq: None,
                name: p.name.clone(),
                owner_unit_id: p.owner,
                lead_unit_id: p.lead,
                manager_unit_id: None,
                responsible_person: None,
                address: Some("（生成）".into()),
                lat_e6: None,
                lon_e6: None,
                target_text: Some(format!("{}，年内完成", p.name)),
                indicator_value: None,
                indicator_unit: None,
                funds_planned: p.funds,
                funds_allocated: p.funds / 10 * 8,
                funds_spent: p.funds * actual / 10_000 / 10 * 7,
                planned_start: p.start,
                planned_end: p.end,
                milestones: milestones_json(&p.milestones),
                status: status.into(),
                completed_on: p.completed_on,
                actual_progress: actual,
                indicator_achieved: None,
                last_reported: last,
                light: "gray".into(),
                light_reason: String::new(),
                planned_progress: 0,
                completed_early: false,
                lit_on: p.start,
                version: 1,
                created_by: None,
                created_at: at,
                updated_at: at,
            };
            insert.values_panic(record.values(Projects::COLUMNS));
        }
        c.execute(&insert).await?;

        let mut links = Query::insert();
        links.into_table(ProjectUnits::Table).columns([
            ProjectUnits::ProjectId,
            ProjectUnits::UnitId,
            ProjectUnits::Role,
        ]);
        let mut plans_insert = Query::insert();
        plans_insert.into_table(ProjectPlans::Table).columns(ProjectPlans::COLUMNS.iter().copied());
        for p in chunk {
            links.values_panic([p.id.into(), p.owner.into(), "owner".into()]);
            links.values_panic([p.id.into(), p.lead.into(), "lead".into()]);
            let plan = ProjectPlanRecord {
                project_id: ProjectId(p.id),
                valid_from: p.start,
                planned_start: p.start,
                planned_end: p.end,
                milestones: milestones_json(&p.milestones),
            };
            plans_insert.values_panic(plan.values(ProjectPlans::COLUMNS));
        }
        c.execute(&links).await?;
        c.execute(&plans_insert).await?;
    }
    let reports: Vec<(i64, &String, i64)> =
        plans.iter().flat_map(|p| p.reports.iter().map(move |(k, v)| (p.id, k, *v))).collect();
    for chunk in reports.chunks(REPORT_ROWS) {
        let columns = ProjectReports::insert_columns();
        let mut insert = Query::insert();
        insert.into_table(ProjectReports::Table).columns(columns.clone());
        for (id, period, progress) in chunk {
            let on = Period::parse(period).and_then(|p| p.next().first_day()).unwrap_or(today);
            let report = ReportRecord {
                id: ReportId(0),
                project_id: ProjectId(*id),
                period: (*period).clone(),
                progress: *progress,
                progress_reason: None,
                indicator_achieved: None,
                funds_allocated: None,
                funds_spent: None,
                narrative: Some("按计划推进（生成）".into()),
                problems: None,
                status: None,
                completed_on: None,
                submitted_by: None,
                submitted_on: on,
                submitted_at: at,
                superseded_on: None,
                check_state: "accepted".into(),
                check_note: None,
                checked_by: None,
                checked_at: None,
            };
            insert.values_panic(report.values(&columns));
        }
        c.execute(&insert).await?;
    }
    Ok(reports.len() as u64)
}

/// For the import benchmark: a generated county (its code) and the names of the units under it,
/// which an imported table names as lead units.
pub async fn import_fixture(c: &mut Conn<'_>) -> Result<(String, Vec<String>)> {
    use sea_query::ExprTrait;
    #[derive(sqlx::FromRow)]
    struct Named {
        code: String,
        name: String,
    }
    let leads = lead_units(c).await?;
    let (_, county) = *leads.first().ok_or_else(|| StoreError::invalid("database", "没有生成的单位"))?;
    let county_row: Named = c
        .fetch_one(
            Query::select()
                .columns([Units::Code, Units::Name])
                .from(Units::Table)
                .and_where(Expr::col(Units::Id).eq(county)),
        )
        .await?;
    let children: Vec<Named> = c
        .fetch_all(
            Query::select()
                .columns([Units::Code, Units::Name])
                .from(Units::Table)
                .and_where(Expr::col(Units::ParentId).eq(county))
                .order_by(Units::Id, sea_query::Order::Asc),
        )
        .await?;
    Ok((county_row.code, children.into_iter().map(|u| u.name).collect()))
}
