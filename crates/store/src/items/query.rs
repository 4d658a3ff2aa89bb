//! Reading items within scope: one, a filtered page, their units, children and events.

use super::ItemUnitsOf;
use super::row::{ItemRow, UnitLink};
use crate::actor::Actor;
use crate::audit::{self, EventRow};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
use crate::scope_sql;
use crate::tables::{ItemAccess, ItemUnits, Items, Projects, Units};
use crate::text_match;
use bangdu_domain::item::{Escalation, ItemState, Priority, Source};
use bangdu_domain::scope::Scope;
use bangdu_domain::{ItemId, ProjectId};
use chrono::NaiveDate;
use sea_query::{Alias, Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use std::collections::HashMap;

fn joined_unit(select: &mut SelectStatement, alias: &str, column: Items, code_as: &str, name_as: &str) {
    let a = Alias::new(alias);
    select
        .expr_as(Expr::col((a.clone(), Units::Code)), Alias::new(code_as))
        .expr_as(Expr::col((a.clone(), Units::Name)), Alias::new(name_as))
        .join_as(JoinType::LeftJoin, Units::Table, a.clone(), Expr::col((a, Units::Id)).equals((Items::Table, column)));
}

pub(crate) fn select_items() -> SelectStatement {
    let mut select = Query::select();
    select.from(Items::Table).columns(Items::qualified());
    select.expr_as(Expr::col((Projects::Table, Projects::Name)), Alias::new("project_name")).join(
        JoinType::LeftJoin,
        Projects::Table,
        Expr::col((Projects::Table, Projects::Id)).equals((Items::Table, Items::ProjectId)),
    );
    joined_unit(&mut select, "owner_unit", Items::OwnerUnitId, "owner_code", "owner_name");
    joined_unit(&mut select, "responsible_unit", Items::ResponsibleUnitId, "responsible_code", "responsible_name");
    joined_unit(&mut select, "lead_unit", Items::LeadUnitId, "lead_code", "lead_name");
    let kids = Alias::new("kids");
    select.expr_as(
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from_as(Items::Table, kids.clone())
                .and_where(Expr::col((kids, Items::ParentId)).equals((Items::Table, Items::Id)))
                .to_owned(),
        ),
        Alias::new("has_children"),
    );
    select
}

fn scoped(scope: &Scope) -> SelectStatement {
    let mut select = select_items();
    if let Some(cond) = scope_sql::items_visible(scope) {
        select.cond_where(cond);
    }
    select
}

/// An item by id, if it exists and the actor may see it (`NotFound` otherwise).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: ItemId) -> Result<ItemRow> {
    get_in(c, &super::view_scope(actor), id).await
}

/// An item by id within a scope the store chose.
pub(crate) async fn get_in(c: &mut Conn<'_>, scope: &Scope, id: ItemId) -> Result<ItemRow> {
    c.fetch_one(scoped(scope).and_where(Expr::col((Items::Table, Items::Id)).eq(id))).await
}

/// An item read again after a change (the actor was checked before the change).
pub(crate) async fn fetch(c: &mut Conn<'_>, id: ItemId) -> Result<ItemRow> {
    c.fetch_one(select_items().and_where(Expr::col((Items::Table, Items::Id)).eq(id))).await
}

/// An item by its code (JJDB-2025-000001), if the actor may see it.
pub async fn get_by_code(c: &mut Conn<'_>, actor: &Actor, code: &str) -> Result<ItemRow> {
    let scope = super::view_scope(actor);
    c.fetch_one(scoped(&scope).and_where(Expr::col((Items::Table, Items::Code)).eq(code.trim()))).await
}

/// The units of items the caller has read, by item id.
pub async fn units_of(c: &mut Conn<'_>, items: &[ItemRow]) -> Result<HashMap<ItemId, ItemUnitsOf>> {
    unit_links(c, &items.iter().map(|i| i.id).collect::<Vec<_>>()).await
}

/// The units of an item the caller has read.
pub async fn units_of_one(c: &mut Conn<'_>, item: &ItemRow) -> Result<ItemUnitsOf> {
    links_of(c, item.id).await
}

/// The units of these items, by item id.
pub(crate) async fn unit_links(c: &mut Conn<'_>, ids: &[ItemId]) -> Result<HashMap<ItemId, ItemUnitsOf>> {
    let mut out: HashMap<ItemId, ItemUnitsOf> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let links: Vec<UnitLink> = c
        .fetch_all(
            Query::select()
                .columns([
                    (ItemUnits::Table, ItemUnits::ItemId),
                    (ItemUnits::Table, ItemUnits::UnitId),
                    (ItemUnits::Table, ItemUnits::Role),
                ])
                .columns([(Units::Table, Units::Code), (Units::Table, Units::Name), (Units::Table, Units::Path)])
                .from(ItemUnits::Table)
                .inner_join(
                    Units::Table,
                    Expr::col((Units::Table, Units::Id)).equals((ItemUnits::Table, ItemUnits::UnitId)),
                )
                .and_where(Expr::col((ItemUnits::Table, ItemUnits::ItemId)).is_in(ids.iter().copied()))
                .order_by((Units::Table, Units::Path), Order::Asc),
        )
        .await?;
    for link in links {
        out.entry(link.item_id).or_insert_with(|| ItemUnitsOf { links: vec![] }).links.push(link);
    }
    Ok(out)
}

pub(crate) async fn links_of(c: &mut Conn<'_>, id: ItemId) -> Result<ItemUnitsOf> {
    Ok(unit_links(c, &[id]).await?.remove(&id).unwrap_or(ItemUnitsOf { links: vec![] }))
}

/// The children of an item the caller has read (剥笋), all of them: the parent's visibility
/// decides what is shown.
pub async fn children(c: &mut Conn<'_>, parent: &ItemRow) -> Result<Vec<ItemRow>> {
    c.fetch_all(
        select_items()
            .and_where(Expr::col((Items::Table, Items::ParentId)).eq(parent.id))
            .order_by((Items::Table, Items::Id), Order::Asc),
    )
    .await
}

/// How many children of an item are still open.
pub(crate) async fn open_children(c: &mut Conn<'_>, parent: ItemId) -> Result<i64> {
    let row: CountRow = c
        .fetch_one(
            Query::select()
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                .from(Items::Table)
                .and_where(Expr::col(Items::ParentId).eq(parent))
                .and_where(Expr::col(Items::State).is_not_in([ItemState::Closed.code(), ItemState::Cancelled.code()])),
        )
        .await?;
    Ok(row.n)
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemFilter {
    pub states: Vec<ItemState>,
    /// Items linked to this unit in any role (responsible, lead, co-operating, owner).
    pub unit: Option<i64>,
    /// Items linked to this unit or any unit below it.
    pub under_path: Option<String>,
    /// Only the responsible unit counts for `unit`.
    pub responsible_only: bool,
    /// Running (assigned, in progress), not paused, deadline before `today`.
    pub overdue_on: Option<NaiveDate>,
    /// Running, not paused, deadline between these dates (inclusive): "due within N working days".
    pub due_between: Option<(NaiveDate, NaiveDate)>,
    pub source: Option<Source>,
    pub priority: Option<Priority>,
    pub escalation_at_least: Option<Escalation>,
    /// With `escalation_at_least`: exactly that step, not the ones above it.
    pub escalation_exact: bool,
    /// The unit has asked for more time and the office has not answered yet.
    pub extension_pending: bool,
    /// Code or title contains this.
    pub q: Option<String>,
    pub parent: Option<ItemId>,
    /// Only top-level items (no parent).
    pub top_level: bool,
    /// Items raised from this project.
    pub project: Option<ProjectId>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ItemSort {
    /// Soonest deadline first; items without a deadline last.
    #[default]
    Deadline,
    Newest,
    Updated,
    Code,
}

impl ItemSort {
    pub fn parse(text: &str) -> Option<ItemSort> {
        match text {
            "deadline" => Some(ItemSort::Deadline),
            "newest" | "-created_at" => Some(ItemSort::Newest),
            "updated" | "-updated_at" => Some(ItemSort::Updated),
            "code" => Some(ItemSort::Code),
            _ => None,
        }
    }
}

fn running() -> [&'static str; 2] {
    [ItemState::Assigned.code(), ItemState::InProgress.code()]
}

pub(crate) fn apply_filter(select: &mut SelectStatement, filter: &ItemFilter) {
    if let Some(project) = filter.project {
        select.and_where(Expr::col((Items::Table, Items::ProjectId)).eq(project));
    }
    if !filter.states.is_empty() {
        select.and_where(Expr::col((Items::Table, Items::State)).is_in(filter.states.iter().map(|s| s.code())));
    }
    if let Some(unit) = filter.unit {
        if filter.responsible_only {
            select.and_where(Expr::col((Items::Table, Items::ResponsibleUnitId)).eq(unit));
        } else {
            select.and_where(
                Expr::col((Items::Table, Items::Id)).in_subquery(
                    Query::select()
                        .column(ItemUnits::ItemId)
                        .from(ItemUnits::Table)
                        .and_where(Expr::col(ItemUnits::UnitId).eq(unit))
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(path) = &filter.under_path {
        select.and_where(
            Expr::col((Items::Table, Items::Id)).in_subquery(
                Query::select()
                    .column((ItemUnits::Table, ItemUnits::ItemId))
                    .from(ItemUnits::Table)
                    .inner_join(
                        Units::Table,
                        Expr::col((Units::Table, Units::Id)).equals((ItemUnits::Table, ItemUnits::UnitId)),
                    )
                    .and_where(text_match::starts_with((Units::Table, Units::Path), path))
                    .to_owned(),
            ),
        );
    }
    if let Some(today) = filter.overdue_on {
        select
            .and_where(Expr::col((Items::Table, Items::State)).is_in(running()))
            .and_where(Expr::col((Items::Table, Items::PausedSince)).is_null())
            .and_where(Expr::col((Items::Table, Items::Deadline)).lt(today));
    }
    if let Some((from, to)) = filter.due_between {
        select
            .and_where(Expr::col((Items::Table, Items::State)).is_in(running()))
            .and_where(Expr::col((Items::Table, Items::PausedSince)).is_null())
            .and_where(Expr::col((Items::Table, Items::Deadline)).gte(from))
            .and_where(Expr::col((Items::Table, Items::Deadline)).lte(to));
    }
    if let Some(source) = filter.source {
        select.and_where(Expr::col((Items::Table, Items::Source)).eq(source.code()));
    }
    if let Some(priority) = filter.priority {
        select.and_where(Expr::col((Items::Table, Items::Priority)).eq(priority.code()));
    }
    if let Some(level) = filter.escalation_at_least {
        let column = Expr::col((Items::Table, Items::Escalation));
        select.and_where(if filter.escalation_exact { column.eq(level.level()) } else { column.gte(level.level()) });
    }
    if filter.extension_pending {
        select.and_where(Expr::col((Items::Table, Items::ExtDeadline)).is_not_null());
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select.cond_where(
            Cond::any()
                .add(text_match::contains((Items::Table, Items::Title), q))
                .add(text_match::contains((Items::Table, Items::Code), q)),
        );
    }
    if let Some(parent) = filter.parent {
        select.and_where(Expr::col((Items::Table, Items::ParentId)).eq(parent));
    }
    if filter.top_level {
        select.and_where(Expr::col((Items::Table, Items::ParentId)).is_null());
    }
}

fn apply_sort(select: &mut SelectStatement, sort: ItemSort) {
    match sort {
        ItemSort::Deadline => {
            // Items without a deadline go last on both backends (NULLs sort differently by default).
            select
                .order_by_expr(Expr::col((Items::Table, Items::Deadline)).is_null(), Order::Asc)
                .order_by((Items::Table, Items::Deadline), Order::Asc);
        }
        ItemSort::Newest => {
            select.order_by((Items::Table, Items::CreatedAt), Order::Desc);
        }
        ItemSort::Updated => {
            select.order_by((Items::Table, Items::UpdatedAt), Order::Desc);
        }
        ItemSort::Code => {
            select.order_by((Items::Table, Items::Code), Order::Asc);
        }
    }
    select.order_by((Items::Table, Items::Id), Order::Asc);
}

/// Items in scope matching the filter, one page.
pub async fn list(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &ItemFilter,
    sort: ItemSort,
    page: PageRequest,
) -> Result<Paged<ItemRow>> {
    list_in(c, &super::view_scope(actor), filter, sort, page).await
}

/// A page of items within a scope the store chose.
pub(crate) async fn list_in(
    c: &mut Conn<'_>,
    scope: &Scope,
    filter: &ItemFilter,
    sort: ItemSort,
    page: PageRequest,
) -> Result<Paged<ItemRow>> {
    if sort == ItemSort::Deadline
        && let Some(fast) = AccessRange::of(scope, filter)
    {
        return fast.page(c, page).await;
    }
    let mut select = scoped(scope);
    apply_filter(&mut select, filter);
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    apply_sort(&mut select, sort);
    select.limit(page.per_page).offset(page.offset());
    let data = c.fetch_all(&select).await?;
    Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
}

/// The common list — one unit's (or everybody's) items in one state, or all open ones, soonest
/// deadline first — read as one range of an `item_access` index: the page is the first entries of
/// the range and the total a count over it, whatever the number of items.
struct AccessRange {
    unit: i64,
    direct: bool,
    /// One state, or (none) every open state.
    state: Option<ItemState>,
}

impl AccessRange {
    fn of(scope: &Scope, filter: &ItemFilter) -> Option<AccessRange> {
        let only_states = *filter == ItemFilter { states: filter.states.clone(), ..ItemFilter::default() };
        if !only_states || filter.states.is_empty() {
            return None;
        }
        let open: Vec<ItemState> = ItemState::ALL.iter().copied().filter(|s| s.is_open()).collect();
        let state = match filter.states.as_slice() {
            [one] => Some(*one),
            many if many.len() == open.len() && open.iter().all(|s| many.contains(s)) => None,
            _ => return None,
        };
        let (unit, direct) = if scope.all {
            (crate::item_access::EVERYTHING, false)
        } else if scope.own_records {
            return None;
        } else {
            match (scope.units.iter().collect::<Vec<_>>().as_slice(), scope_sql::subtree_roots(scope).as_slice()) {
                ([unit], []) => (unit.0, true),
                ([], [root]) => (*root, false),
                _ => return None,
            }
        };
        Some(AccessRange { unit, direct, state })
    }

    /// The range's conditions on `item_access` (under its table name).
    fn restrict(&self, select: &mut SelectStatement) {
        let col = |c: ItemAccess| Expr::col((ItemAccess::Table, c));
        select.and_where(col(ItemAccess::UnitId).eq(self.unit));
        match self.state {
            Some(state) => select.and_where(col(ItemAccess::State).eq(state.code())),
            None => select.and_where(col(ItemAccess::Open).eq(true)),
        };
        if self.direct {
            select.and_where(col(ItemAccess::Direct).eq(true));
        }
    }

    async fn page(&self, c: &mut Conn<'_>, page: PageRequest) -> Result<Paged<ItemRow>> {
        let mut count = Query::select();
        count.expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).from(ItemAccess::Table);
        self.restrict(&mut count);
        let total: CountRow = c.fetch_one(&count).await?;
        let mut select = select_items();
        select.inner_join(
            ItemAccess::Table,
            Expr::col((ItemAccess::Table, ItemAccess::ItemId)).equals((Items::Table, Items::Id)),
        );
        self.restrict(&mut select);
        select
            .order_by((ItemAccess::Table, ItemAccess::DeadlineKey), Order::Asc)
            .order_by((ItemAccess::Table, ItemAccess::ItemId), Order::Asc)
            .limit(page.per_page)
            .offset(page.offset());
        let data = c.fetch_all(&select).await?;
        Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
    }
}

/// Every matching item in scope (exports and the wall chart), capped at `limit`.
pub async fn all(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &ItemFilter,
    sort: ItemSort,
    limit: u64,
) -> Result<Vec<ItemRow>> {
    let mut select = scoped(&super::view_scope(actor));
    apply_filter(&mut select, filter);
    apply_sort(&mut select, sort);
    select.limit(limit);
    c.fetch_all(&select).await
}

/// The full record of an item the caller has read, oldest first (its audit events).
pub async fn events(c: &mut Conn<'_>, item: &ItemRow) -> Result<Vec<EventRow>> {
    audit::events_of(c, "item", &item.id.to_string(), 100_000).await
}

/// Turns a missing item into "not found" for callers that resolve a parent or a link.
pub fn not_found_as(field: &'static str, message: &'static str) -> impl Fn(StoreError) -> StoreError {
    move |e| match e {
        StoreError::NotFound => StoreError::invalid(field, message),
        other => other,
    }
}

/// What to count items by, for dashboards.
#[derive(Clone, Copy, Debug)]
pub enum GroupBy {
    State,
    Escalation,
    ResponsibleUnit,
}

/// Counts of matching items in scope, by a column (as text), biggest first.
pub async fn count_grouped(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &ItemFilter,
    by: GroupBy,
) -> Result<Vec<(String, i64)>> {
    let scope = super::view_scope(actor);
    #[derive(sqlx::FromRow)]
    struct Row {
        k: Option<String>,
        n: i64,
    }
    let column = match by {
        GroupBy::State => Items::State,
        GroupBy::Escalation => Items::Escalation,
        GroupBy::ResponsibleUnit => Items::ResponsibleUnitId,
    };
    let mut select = Query::select();
    select
        .expr_as(Expr::col((Items::Table, column)).cast_as(Alias::new("text")), Alias::new("k"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(Items::Table)
        .group_by_col((Items::Table, column))
        .order_by_expr(Expr::cust("COUNT(*)"), Order::Desc);
    if let Some(cond) = scope_sql::items_visible(&scope) {
        select.cond_where(cond);
    }
    apply_filter(&mut select, filter);
    let rows: Vec<Row> = c.fetch_all(&select).await?;
    Ok(rows.into_iter().map(|r| (r.k.unwrap_or_default(), r.n)).collect())
}

/// Counts of matching items the actor may see by responsible unit, biggest first, with the unit
/// (`None` for items without one). The units are named whatever the actor's unit scope: they are
/// responsible for items the actor sees.
pub async fn count_by_responsible_unit(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &ItemFilter,
) -> Result<Vec<(Option<crate::units::Unit>, i64)>> {
    let counts = count_grouped(c, actor, filter, GroupBy::ResponsibleUnit).await?;
    let ids: Vec<i64> = counts.iter().filter_map(|(id, _)| id.parse().ok()).collect();
    let units = crate::units::get_many_in(c, &Scope::everything(), &ids).await?;
    Ok(counts.into_iter().map(|(id, n)| (units.iter().find(|u| u.id.to_string() == id).cloned(), n)).collect())
}

/// Children of several items the caller has read (for list pages), by parent id; only the items
/// whose `has_children` is set are looked at.
pub async fn children_of(c: &mut Conn<'_>, items: &[ItemRow]) -> Result<HashMap<ItemId, Vec<ItemRow>>> {
    let parents: Vec<ItemId> = items.iter().filter(|i| i.has_children).map(|i| i.id).collect();
    let mut out: HashMap<ItemId, Vec<ItemRow>> = HashMap::new();
    if parents.is_empty() {
        return Ok(out);
    }
    let rows: Vec<ItemRow> = c
        .fetch_all(
            select_items()
                .and_where(Expr::col((Items::Table, Items::ParentId)).is_in(parents.iter().copied()))
                .order_by((Items::Table, Items::Id), Order::Asc),
        )
        .await?;
    for row in rows {
        if let Some(parent) = row.parent_id {
            out.entry(parent).or_default().push(row);
        }
    }
    Ok(out)
}
