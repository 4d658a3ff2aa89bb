//! The figures the articles quote, counted in SQL (one `GROUP BY` per breakdown) so that a
//! province's year answers at once: totals by light, completed, completed early, over schedule,
//! on schedule, funds allocated against plan — overall, by series and by lead unit.

use super::query::{ProjectFilter, apply_filter};
use crate::db::Conn;
use crate::error::Result;
use crate::tables::{Projects, Units};
use bangdu_domain::project::{FigureGroup, Figures, Light, figures_of_groups, money};
use bangdu_domain::scope::Scope;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct GroupRow {
    k: Option<String>,
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

fn grouped(
    scope: &Scope,
    filter: &ProjectFilter,
    key: Option<(Alias, sea_query::DynIden, Option<sea_query::DynIden>)>,
) -> SelectStatement {
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
    match key {
        Some((table, column, name)) => {
            select.expr_as(Expr::col((table.clone(), column.clone())).cast_as(Alias::new("text")), Alias::new("k"));
            select.group_by_col((table.clone(), column.clone()));
            match name {
                Some(name) => {
                    select.expr_as(Expr::col((table.clone(), name.clone())), Alias::new("name"));
                    select.group_by_col((table, name));
                }
                None => {
                    select.expr_as(Expr::col((table.clone(), column.clone())), Alias::new("name"));
                }
            }
        }
        None => {
            select.expr_as(Expr::val(Option::<String>::None), Alias::new("k"));
            select.expr_as(Expr::val(Option::<String>::None), Alias::new("name"));
        }
    }
    if let Some(cond) = super::visible(scope) {
        select.cond_where(cond);
    }
    apply_filter(&mut select, filter);
    select.order_by(Alias::new("k"), Order::Asc);
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

fn slices(rows: Vec<GroupRow>) -> Vec<Slice> {
    let mut by_key: BTreeMap<String, (String, Vec<FigureGroup>)> = BTreeMap::new();
    for row in rows {
        let key = row.k.clone().unwrap_or_default();
        let name = row.name.clone().unwrap_or_else(|| "（未分系列）".into());
        by_key.entry(key).or_insert_with(|| (name, Vec::new())).1.push(group(&row));
    }
    let mut out: Vec<Slice> = by_key
        .into_iter()
        .map(|(key, (name, groups))| Slice { key, name, figures: figures_of_groups(&groups) })
        .collect();
    out.sort_by(|a, b| b.figures.total.cmp(&a.figures.total).then(a.name.cmp(&b.name)));
    out
}

/// The overall figures only (one grouped query), for pages that show no slices.
pub async fn figures(c: &mut Conn<'_>, scope: &Scope, filter: &ProjectFilter) -> Result<Figures> {
    let overall: Vec<GroupRow> = c.fetch_all(&grouped(scope, filter, None)).await?;
    let groups: Vec<FigureGroup> = overall.iter().map(group).collect();
    Ok(figures_of_groups(&groups))
}

/// The figures of the projects in scope matching the filter, with the same by series and by lead unit.
pub async fn stats(c: &mut Conn<'_>, scope: &Scope, filter: &ProjectFilter) -> Result<Stats> {
    use sea_query::IntoIden;
    let series: Vec<GroupRow> = c
        .fetch_all(&grouped(scope, filter, Some((Alias::new("projects"), Projects::Series.into_iden(), None))))
        .await?;
    let units: Vec<GroupRow> = c
        .fetch_all(&grouped(
            scope,
            filter,
            Some((Alias::new("lead_unit"), Units::Code.into_iden(), Some(Units::Name.into_iden()))),
        ))
        .await?;
    Ok(Stats { figures: figures(c, scope, filter).await?, by_series: slices(series), by_unit: slices(units) })
}
