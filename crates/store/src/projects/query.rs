//! Reading projects within scope: one, a filtered page, their units.

use super::ProjectRow;
use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
use crate::tables::{ProjectUnits, Projects, Units};
use crate::text_match;
use bangdu_domain::ProjectId;
use bangdu_domain::project::{Level, Light, Status};
use bangdu_domain::scope::Scope;
use sea_query::{Alias, Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use std::collections::HashMap;

fn joined_unit(select: &mut SelectStatement, alias: &str, column: Projects, code_as: &str, name_as: &str) {
    let a = Alias::new(alias);
    select
        .expr_as(Expr::col((a.clone(), Units::Code)), Alias::new(code_as))
        .expr_as(Expr::col((a.clone(), Units::Name)), Alias::new(name_as))
        .join_as(
            JoinType::InnerJoin,
            Units::Table,
            a.clone(),
            Expr::col((a, Units::Id)).equals((Projects::Table, column)),
        );
}

pub(crate) fn select_projects() -> SelectStatement {
    let mut select = Query::select();
    select.from(Projects::Table).columns(Projects::qualified());
    joined_unit(&mut select, "lead_unit", Projects::LeadUnitId, "lead_code", "lead_name");
    joined_unit(&mut select, "owner_unit", Projects::OwnerUnitId, "owner_code", "owner_name");
    select
}

fn scoped(scope: &Scope) -> SelectStatement {
    let mut select = select_projects();
    if let Some(cond) = super::visible(scope) {
        select.cond_where(cond);
    }
    select
}

/// One project the actor may see (`NotFound` otherwise).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: ProjectId) -> Result<ProjectRow> {
    let mut select = scoped(&super::view_scope(actor)?);
    select.and_where(Expr::col((Projects::Table, Projects::Id)).eq(id));
    c.fetch_optional(&select).await?.ok_or(StoreError::NotFound)
}

/// One project within a scope the store chose (the jurisdiction of a campaign's lead office).
pub(crate) async fn get_in(c: &mut Conn<'_>, scope: &Scope, id: ProjectId) -> Result<ProjectRow> {
    let mut select = scoped(scope);
    select.and_where(Expr::col((Projects::Table, Projects::Id)).eq(id));
    c.fetch_optional(&select).await?.ok_or(StoreError::NotFound)
}

/// A project read again after a change (the actor was checked before the change).
pub(crate) async fn fetch(c: &mut Conn<'_>, id: ProjectId) -> Result<ProjectRow> {
    let mut select = select_projects();
    select.and_where(Expr::col((Projects::Table, Projects::Id)).eq(id));
    c.fetch_optional(&select).await?.ok_or(StoreError::NotFound)
}

/// Which projects a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub year: Option<i32>,
    pub kind: Option<String>,
    pub level: Option<Level>,
    pub series: Option<String>,
    pub lights: Vec<Light>,
    pub statuses: Vec<Status>,
    /// Projects this unit leads or co-operates on.
    pub unit: Option<i64>,
    /// Projects whose lead unit is this unit or below it (a materialised path).
    pub under_path: Option<String>,
    /// Projects registered by this unit or a unit below it (a materialised path): those owned
    /// inside a jurisdiction, whoever leads them.
    pub owned_under: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// Only projects with a location (for the map).
    pub located: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProjectSort {
    /// 序号 as published, then id (the public table's order).
    #[default]
    Seq,
    /// Red first, then yellow, green, gray, blue; most behind first within a colour.
    Light,
    /// Planned end, soonest first.
    PlannedEnd,
    Name,
    Newest,
}

impl ProjectSort {
    pub fn parse(text: &str) -> Option<ProjectSort> {
        Some(match text {
            "seq" => ProjectSort::Seq,
            "light" => ProjectSort::Light,
            "planned_end" => ProjectSort::PlannedEnd,
            "name" => ProjectSort::Name,
            "newest" => ProjectSort::Newest,
            _ => return None,
        })
    }
}

pub(crate) fn apply_filter(select: &mut SelectStatement, f: &ProjectFilter) {
    let p = |col: Projects| (Projects::Table, col);
    if let Some(year) = f.year {
        select.and_where(Expr::col(p(Projects::Year)).eq(i64::from(year)));
    }
    if let Some(kind) = &f.kind {
        select.and_where(Expr::col(p(Projects::Kind)).eq(kind.as_str()));
    }
    if let Some(level) = f.level {
        select.and_where(Expr::col(p(Projects::Level)).eq(level.code()));
    }
    if let Some(series) = &f.series {
        select.and_where(Expr::col(p(Projects::Series)).eq(series.as_str()));
    }
    if !f.lights.is_empty() {
        select.and_where(Expr::col(p(Projects::Light)).is_in(f.lights.iter().map(|l| l.code())));
    }
    if !f.statuses.is_empty() {
        select.and_where(Expr::col(p(Projects::Status)).is_in(f.statuses.iter().map(|s| s.code())));
    }
    if let Some(unit) = f.unit {
        let pu = Alias::new("filter_pu");
        select.and_where(
            Expr::col(p(Projects::LeadUnitId)).eq(unit).or(Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from_as(ProjectUnits::Table, pu.clone())
                    .and_where(Expr::col((pu.clone(), ProjectUnits::ProjectId)).equals(p(Projects::Id)))
                    .and_where(Expr::col((pu.clone(), ProjectUnits::UnitId)).eq(unit))
                    .and_where(Expr::col((pu, ProjectUnits::Role)).eq("cooperating"))
                    .to_owned(),
            )),
        );
    }
    if let Some(path) = &f.under_path {
        select.and_where(text_match::starts_with((Alias::new("lead_unit"), Units::Path), path));
    }
    if let Some(path) = &f.owned_under {
        select.and_where(text_match::starts_with((Alias::new("owner_unit"), Units::Path), path));
    }
    if let Some(q) = &f.q {
        select.cond_where(Cond::any().add(text_match::contains(p(Projects::Name), q)));
    }
    if f.located {
        select.and_where(Expr::col(p(Projects::LatE6)).is_not_null());
    }
}

fn apply_sort(select: &mut SelectStatement, sort: ProjectSort) {
    let p = |col: Projects| (Projects::Table, col);
    match sort {
        ProjectSort::Seq => {
            select
                .order_by(p(Projects::Year), Order::Desc)
                .order_by_expr(Expr::col(p(Projects::Seq)).is_null(), Order::Asc)
                .order_by(p(Projects::Seq), Order::Asc);
        }
        ProjectSort::Light => {
            select
                .order_by_expr(
                    Expr::case(Expr::col(p(Projects::Light)).eq("red"), 0)
                        .case(Expr::col(p(Projects::Light)).eq("yellow"), 1)
                        .case(Expr::col(p(Projects::Light)).eq("green"), 2)
                        .case(Expr::col(p(Projects::Light)).eq("gray"), 3)
                        .finally(4)
                        .into(),
                    Order::Asc,
                )
                .order_by_expr(
                    Expr::col(p(Projects::PlannedProgress)).sub(Expr::col(p(Projects::ActualProgress))),
                    Order::Desc,
                );
        }
        ProjectSort::PlannedEnd => {
            select.order_by(p(Projects::PlannedEnd), Order::Asc);
        }
        ProjectSort::Name => {
            select.order_by(p(Projects::Name), Order::Asc);
        }
        ProjectSort::Newest => {
            select.order_by(p(Projects::Id), Order::Desc);
        }
    }
    select.order_by(p(Projects::Id), Order::Asc);
}

/// A filtered, sorted page of the projects in scope.
pub async fn list(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &ProjectFilter,
    sort: ProjectSort,
    page: PageRequest,
) -> Result<Paged<ProjectRow>> {
    let mut select = scoped(&super::view_scope(actor)?);
    apply_filter(&mut select, filter);
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    apply_sort(&mut select, sort);
    select.limit(page.per_page).offset(page.offset());
    let data = c.fetch_all(&select).await?;
    Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
}

/// Every project of a filter that the actor may see (exports, boards, the wall chart), up to `limit`.
pub async fn all(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &ProjectFilter,
    sort: ProjectSort,
    limit: u64,
) -> Result<Vec<ProjectRow>> {
    all_in(c, &super::view_scope(actor)?, filter, sort, limit).await
}

/// Every project of a filter within a scope the store chose (a freeze's subtree).
pub(crate) async fn all_in(
    c: &mut Conn<'_>,
    scope: &Scope,
    filter: &ProjectFilter,
    sort: ProjectSort,
    limit: u64,
) -> Result<Vec<ProjectRow>> {
    let mut select = scoped(scope);
    apply_filter(&mut select, filter);
    apply_sort(&mut select, sort);
    select.limit(limit);
    c.fetch_all(&select).await
}

/// A unit linked to a project.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct ProjectUnit {
    pub project_id: ProjectId,
    pub unit_id: i64,
    pub role: String,
    pub code: String,
    pub name: String,
    pub path: String,
}

/// The units of projects the caller has read, by project.
pub async fn units_of(c: &mut Conn<'_>, projects: &[ProjectRow]) -> Result<HashMap<ProjectId, Vec<ProjectUnit>>> {
    unit_links(c, &projects.iter().map(|p| p.id).collect::<Vec<_>>()).await
}

/// The units of a project the caller has read.
pub async fn units_of_one(c: &mut Conn<'_>, project: &ProjectRow) -> Result<Vec<ProjectUnit>> {
    links_of(c, project.id).await
}

/// The units of some projects, by project.
pub(crate) async fn unit_links(c: &mut Conn<'_>, ids: &[ProjectId]) -> Result<HashMap<ProjectId, Vec<ProjectUnit>>> {
    let mut out: HashMap<ProjectId, Vec<ProjectUnit>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<ProjectUnit> = c
        .fetch_all(
            Query::select()
                .columns([
                    (ProjectUnits::Table, ProjectUnits::ProjectId),
                    (ProjectUnits::Table, ProjectUnits::UnitId),
                    (ProjectUnits::Table, ProjectUnits::Role),
                ])
                .columns([(Units::Table, Units::Code), (Units::Table, Units::Name), (Units::Table, Units::Path)])
                .from(ProjectUnits::Table)
                .inner_join(
                    Units::Table,
                    Expr::col((Units::Table, Units::Id)).equals((ProjectUnits::Table, ProjectUnits::UnitId)),
                )
                .and_where(Expr::col((ProjectUnits::Table, ProjectUnits::ProjectId)).is_in(ids.iter().copied()))
                .order_by((ProjectUnits::Table, ProjectUnits::ProjectId), Order::Asc)
                .order_by((Units::Table, Units::Path), Order::Asc),
        )
        .await?;
    for row in rows {
        out.entry(row.project_id).or_default().push(row);
    }
    Ok(out)
}

pub(crate) async fn links_of(c: &mut Conn<'_>, id: ProjectId) -> Result<Vec<ProjectUnit>> {
    Ok(unit_links(c, &[id]).await?.remove(&id).unwrap_or_default())
}

/// (unit id, path) pairs, as scope checks take them.
pub fn unit_paths(units: &[ProjectUnit]) -> Vec<(i64, String)> {
    units.iter().map(|u| (u.unit_id, u.path.clone())).collect()
}
