//! The figures the articles quote, counted in SQL (one `GROUP BY` per breakdown) so that a
//! province's year answers at once: totals by light, completed, completed early, over schedule,
//! on schedule, funds allocated against plan — overall, by series and by lead unit.

use super::query::{ProjectFilter, apply_filter};
use crate::actor::Actor;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::{Projects, Units};
use bangdu_domain::project::{FigureGroup, Figures, Light, figures_of_groups, money};
use bangdu_domain::scope::Scope;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct GroupRow {
    series: Option<String>,
    code: Option<String>,
    name: Option<String>,
    light: String,
    completed_early: bool,
    n: i64,
    planned: i64,
    allocated: i64,
}

/// Figures for one slice (a series, a lead unit).
#[derive(Clone, Debug)]
pub struct Slice {
    pub key: String,
    pub name: String,
    pub figures: Figures,
}

#[derive(Clone, Debug)]
pub struct Stats {
    pub figures: Figures,
    pub by_series: Vec<Slice>,
    pub by_unit: Vec<Slice>,
}

/// The projects counted and summed by light and early completion; with `by_series_and_unit`,
/// also by series and lead unit, so that one pass over the year gives the overall figures and
/// both breakdowns.
fn grouped(scope: &Scope, filter: &ProjectFilter, by_series_and_unit: bool) -> SelectStatement {
    let lead = Alias::new("lead_unit");
    let mut select = Query::select();
    select
        .from(Projects::Table)
        .join_as(
            JoinType::InnerJoin,
            Units::Table,
            lead.clone(),
            Expr::col((lead.clone(), Units::Id)).equals((Projects::Table, Projects::LeadUnitId)),
        )
        .expr_as(Expr::col((Projects::Table, Projects::Light)), Alias::new("light"))
        .expr_as(Expr::col((Projects::Table, Projects::CompletedEarly)), Alias::new("completed_early"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(projects.funds_planned), 0) AS BIGINT)"), Alias::new("planned"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(projects.funds_allocated), 0) AS BIGINT)"), Alias::new("allocated"))
        .group_by_col((Projects::Table, Projects::Light))
        .group_by_col((Projects::Table, Projects::CompletedEarly));
    if by_series_and_unit {
        select
            .expr_as(Expr::col((Projects::Table, Projects::Series)), Alias::new("series"))
            .expr_as(Expr::col((lead.clone(), Units::Code)), Alias::new("code"))
            .expr_as(Expr::col((lead.clone(), Units::Name)), Alias::new("name"))
            .group_by_col((Projects::Table, Projects::Series))
            .group_by_col((lead.clone(), Units::Code))
            .group_by_col((lead, Units::Name));
    } else {
        for column in ["series", "code", "name"] {
            select.expr_as(Expr::val(Option::<String>::None), Alias::new(column));
        }
    }
    if let Some(cond) = super::visible(scope) {
        select.cond_where(cond);
    }
    apply_filter(&mut select, filter);
    select
}

fn group(row: &GroupRow) -> FigureGroup {
    FigureGroup {
        light: Light::parse(&row.light).unwrap_or(Light::Gray),
        completed_early: row.completed_early,
        count: u64::try_from(row.n).unwrap_or(0),
        funds_planned: money::yuan(row.planned),
        funds_allocated: money::yuan(row.allocated),
    }
}

/// The rows gathered into slices by `key_name` (key, shown name), largest first.
fn slices(rows: &[GroupRow], key_name: impl Fn(&GroupRow) -> (String, String)) -> Vec<Slice> {
    let mut by_key: BTreeMap<String, (String, Vec<FigureGroup>)> = BTreeMap::new();
    for row in rows {
        let (key, name) = key_name(row);
        by_key.entry(key).or_insert_with(|| (name, Vec::new())).1.push(group(row));
    }
    let mut out: Vec<Slice> = by_key
        .into_iter()
        .map(|(key, (name, groups))| Slice { key, name, figures: figures_of_groups(&groups) })
        .collect();
    out.sort_by(|a, b| b.figures.total.cmp(&a.figures.total).then(a.name.cmp(&b.name)));
    out
}

/// The overall figures only (one grouped query), for pages that show no slices.
pub async fn figures(c: &mut Conn<'_>, actor: &Actor, filter: &ProjectFilter) -> Result<Figures> {
    let overall: Vec<GroupRow> = c.fetch_all(&grouped(&super::view_scope(actor)?, filter, false)).await?;
    let groups: Vec<FigureGroup> = overall.iter().map(group).collect();
    Ok(figures_of_groups(&groups))
}

/// The figures of the projects in scope matching the filter, with the same by series and by lead
/// unit: one grouped query, gathered three ways here.
pub async fn stats(c: &mut Conn<'_>, actor: &Actor, filter: &ProjectFilter) -> Result<Stats> {
    let rows: Vec<GroupRow> = c.fetch_all(&grouped(&super::view_scope(actor)?, filter, true)).await?;
    let groups: Vec<FigureGroup> = rows.iter().map(group).collect();
    let by_series = slices(&rows, |r| {
        let series = r.series.clone().unwrap_or_default();
        let name = r.series.clone().unwrap_or_else(|| "（未分系列）".into());
        (series, name)
    });
    let by_unit = slices(&rows, |r| (r.code.clone().unwrap_or_default(), r.name.clone().unwrap_or_default()));
    Ok(Stats { figures: figures_of_groups(&groups), by_series, by_unit })
}
