//! 季度收账 / 年度清账: an office closes a quarter or a year for the projects in its unit's subtree.
//! Each project's figures at the end of the period are fixed in `project_frozen`; afterwards no
//! report for a month of that period can be submitted or replaced.

use super::lights::{self, LightRules};
use super::query::{self, ProjectFilter, ProjectSort};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
pub use crate::tables::FrozenRow;
use crate::tables::{FreezeRecord, ProjectFreezes, ProjectFrozen, ProjectReports, Units};
use crate::time::now;
use crate::units;
use bangdu_domain::FreezeId;
use bangdu_domain::field_error::optional_text;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::{Percent, Period};
use bangdu_domain::scope::Scope;
use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde_json::json;

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

/// "2025 年第一季度收账", "2025 年度清账".
pub fn label(kind: &str, year: i64, quarter: Option<i64>) -> String {
    match (kind, quarter) {
        ("quarter", Some(q)) if (1..=4).contains(&q) => format!("{year} 年第{}季度收账", QUARTERS[(q - 1) as usize]),
        _ => format!("{year} 年度清账"),
    }
}

joined_row! {
    /// A freeze with the name of the unit whose subtree it closed.
    pub struct FreezeRow {
        freeze: FreezeRecord,
        unit_name: String,
    }
}

impl FreezeRow {
    pub fn label(&self) -> String {
        label(&self.kind, self.year, self.quarter)
    }
}

fn select_freezes() -> sea_query::SelectStatement {
    let u = Alias::new("freeze_unit");
    let mut select = Query::select();
    select
        .columns(ProjectFreezes::qualified())
        .expr_as(Expr::col((u.clone(), Units::Name)), Alias::new("unit_name"))
        .from(ProjectFreezes::Table)
        .join_as(
            JoinType::InnerJoin,
            Units::Table,
            u.clone(),
            Expr::col((u, Units::Id)).equals((ProjectFreezes::Table, ProjectFreezes::UnitId)),
        )
        .order_by((ProjectFreezes::Table, ProjectFreezes::Through), Order::Desc);
    select
}

/// The freezes made by units the actor can see.
pub async fn list(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<FreezeRow>> {
    let mut select = select_freezes();
    if let Some(cond) = crate::scope_sql::owned_by_unit(
        &actor.require(Permission::ViewProjects)?,
        (ProjectFreezes::Table, ProjectFreezes::UnitId),
        None::<ProjectFreezes>,
    ) {
        select.cond_where(cond);
    }
    c.fetch_all(&select).await
}

/// The frozen figures of one project, with the freeze each belongs to.
pub async fn of_project(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Vec<(FreezeRow, FrozenRow)>> {
    let project = project.id;
    let rows: Vec<FrozenRow> = c
        .fetch_all(
            Query::select()
                .columns(ProjectFrozen::COLUMNS.iter().copied())
                .from(ProjectFrozen::Table)
                .and_where(Expr::col(ProjectFrozen::ProjectId).eq(project)),
        )
        .await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut select = select_freezes();
    select.and_where(Expr::col((ProjectFreezes::Table, ProjectFreezes::Id)).is_in(rows.iter().map(|r| r.freeze_id)));
    let freezes: Vec<FreezeRow> = c.fetch_all(&select).await?;
    let mut out: Vec<(FreezeRow, FrozenRow)> =
        rows.into_iter().filter_map(|r| freezes.iter().find(|f| f.id == r.freeze_id).map(|f| (f.clone(), r))).collect();
    out.sort_by(|a, b| b.0.through.cmp(&a.0.through));
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct Figures {
    progress: i64,
    indicator_achieved: Option<String>,
    funds_allocated: Option<i64>,
    funds_spent: Option<i64>,
}

/// Closes a quarter (`quarter` 1–4) or a year (`quarter` none) for the projects of `year` owned
/// inside the jurisdiction of the office unit `unit_code`: registered by it or a unit below it.
/// A project the city registered stays the city's to close, even when a county unit leads it.
#[allow(clippy::too_many_arguments)]
pub async fn freeze(
    c: &mut Conn<'_>,
    actor: &Actor,
    rules: &LightRules<'_>,
    unit_code: &str,
    year: i32,
    quarter: Option<u32>,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<FreezeRow> {
    actor.require(Permission::ManageProjects)?;
    let unit =
        units::get_by_code_in(c, &actor.scope(Permission::ManageProjects), unit_code).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("unit", format!("单位“{unit_code}”不在您的管理范围内")),
            other => other,
        })?;
    if !(2000..=2100).contains(&year) {
        return Err(StoreError::invalid("year", "年度应为 2000–2100"));
    }
    let (kind, through) = match quarter {
        Some(q @ 1..=4) => ("quarter", Period { year, month: q * 3 }),
        Some(_) => return Err(StoreError::invalid("quarter", "季度应为 1–4")),
        None => ("year", Period { year, month: 12 }),
    };
    let end = through.last_day().ok_or_else(|| StoreError::invalid("year", "年度无效"))?;
    if end >= today {
        return Err(StoreError::invalid(
            if quarter.is_some() { "quarter" } else { "year" },
            format!("{} 尚未结束，不能收账", label(kind, i64::from(year), quarter.map(i64::from))),
        ));
    }
    let note = optional_text("note", "说明", note.unwrap_or(""), 500)?;
    let exists: Option<crate::paging::CountRow> = c
        .fetch_optional(
            Query::select()
                .expr_as(Expr::col(ProjectFreezes::Id), Alias::new("n"))
                .from(ProjectFreezes::Table)
                .and_where(Expr::col(ProjectFreezes::UnitId).eq(unit.id))
                .and_where(Expr::col(ProjectFreezes::Through).eq(through.code())),
        )
        .await?;
    if exists.is_some() {
        return Err(StoreError::conflict(
            "already_frozen",
            format!("{}（{}）已完成，不能重复", label(kind, i64::from(year), quarter.map(i64::from)), unit.name),
        ));
    }
    let filter = ProjectFilter { year: Some(year), owned_under: Some(unit.path.clone()), ..ProjectFilter::default() };
    let projects = query::all_in(c, &Scope::everything(), &filter, ProjectSort::Seq, u64::MAX >> 1).await?;
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: FreezeId,
    }
    let record = FreezeRecord {
        id: FreezeId(0),
        kind: kind.into(),
        year: i64::from(year),
        quarter: quarter.map(i64::from),
        through: through.code(),
        unit_id: unit.id,
        note: note.clone(),
        projects: projects.len() as i64,
        frozen_by: actor.user_id.map(|u| u.0),
        frozen_at: now(),
    };
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(ProjectFreezes::Id)).await?;
    for project in &projects {
        // The figures of the latest report up to the period's last month, as they stand now.
        let figures: Option<Figures> = c
            .fetch_optional(
                Query::select()
                    .columns([
                        ProjectReports::Progress,
                        ProjectReports::IndicatorAchieved,
                        ProjectReports::FundsAllocated,
                        ProjectReports::FundsSpent,
                    ])
                    .from(ProjectReports::Table)
                    .and_where(Expr::col(ProjectReports::ProjectId).eq(project.id))
                    .and_where(Expr::col(ProjectReports::SupersededOn).is_null())
                    .and_where(Expr::col(ProjectReports::Period).lte(through.code()))
                    .order_by(ProjectReports::Period, Order::Desc)
                    .limit(1),
            )
            .await?;
        let (progress, indicator, allocated, spent) = match &figures {
            Some(f) => (
                f.progress,
                f.indicator_achieved.clone(),
                f.funds_allocated.unwrap_or(project.funds_allocated),
                f.funds_spent.unwrap_or(project.funds_spent),
            ),
            None => (0, None, project.funds_allocated, project.funds_spent),
        };
        // The light at the period's end, with the period's reports as they stand (they come in
        // during the following month).
        let reported = figures.as_ref().map(|_| through);
        let lit = lights::with_figures(c, rules, project, end, Percent(progress), reported).await?;
        let frozen = FrozenRow {
            freeze_id: inserted.id,
            project_id: project.id,
            progress,
            indicator_achieved: indicator,
            funds_allocated: allocated,
            funds_spent: spent,
            light: lit.light.code().into(),
            reason: lit.reason.clone(),
        };
        c.execute(&frozen.insert()).await?;
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("project.freeze", "unit", unit.id)
            .change(json!({"payload": {"kind": kind, "year": year, "quarter": quarter, "through": through.code(),
                "projects": projects.len(), "note": note}}))
            .acting_as(actor, Permission::ManageProjects),
    )
    .await?;
    let mut select = select_freezes();
    select.and_where(Expr::col((ProjectFreezes::Table, ProjectFreezes::Id)).eq(inserted.id));
    c.fetch_one(&select).await
}
