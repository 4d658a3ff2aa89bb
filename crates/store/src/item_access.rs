//! `item_access`: who can see an item, flattened so that a list is one index range.
//!
//! For every item there is a row per unit that sees it through the organisation tree: each unit
//! the item is linked to (`direct`), every unit above those, and unit 0 standing for "everything".
//! Each row carries the item's state, whether it is open, and its deadline, so "the in-progress
//! items of this county, soonest deadline first" reads 25 index entries instead of filtering a
//! million items — and a count is a range count in one index.
//!
//! The rows are derived data: rewritten from `items`, `item_units` and `units` whenever an item
//! changes (`refresh`), rebuilt for the items of units that move in the tree, and rebuilt whole on
//! restore (`rebuild_all`). `scope_sql::items_visible` and the list fast path read them.

use crate::db::Conn;
use crate::error::Result;
use crate::tables::{ItemAccess, ItemUnits, Items, Units};
use bangdu_domain::ItemId;
use chrono::NaiveDate;
use sea_query::{Expr, ExprTrait, Order, Query};
use std::collections::BTreeMap;

/// The unit id that stands for "everything" (no real unit has id 0).
pub const EVERYTHING: i64 = 0;

/// Where items without a deadline sort: after every dated one.
const NO_DEADLINE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

pub fn deadline_key(deadline: Option<NaiveDate>) -> NaiveDate {
    deadline.unwrap_or(NO_DEADLINE)
}

#[derive(sqlx::FromRow)]
struct ItemState {
    id: i64,
    state: String,
    deadline: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct Link {
    item_id: i64,
    unit_id: i64,
    role: String,
    path: String,
}

/// Whether a link makes the item visible through its unit. Until an item is assigned (草稿,
/// 已立项) it is the registering office's business alone: the units named for it, and the offices
/// that see it only through them, see it from 交办 on.
fn shows_through(state: &str, role: &str) -> bool {
    !matches!(state, "draft" | "registered") || role == "owner"
}

/// Rewrites the rows of these items from their current state and links.
pub async fn refresh(c: &mut Conn<'_>, item_ids: &[ItemId]) -> Result<()> {
    for chunk in item_ids.chunks(500) {
        refresh_chunk(c, chunk).await?;
    }
    Ok(())
}

async fn refresh_chunk(c: &mut Conn<'_>, ids: &[ItemId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    c.execute(
        Query::delete()
            .from_table(ItemAccess::Table)
            .and_where(Expr::col(ItemAccess::ItemId).is_in(ids.iter().copied())),
    )
    .await?;
    let items: Vec<ItemState> = c
        .fetch_all(
            Query::select()
                .columns([Items::Id, Items::State, Items::Deadline])
                .from(Items::Table)
                .and_where(Expr::col(Items::Id).is_in(ids.iter().copied())),
        )
        .await?;
    let links: Vec<Link> = c
        .fetch_all(
            Query::select()
                .columns([
                    (ItemUnits::Table, ItemUnits::ItemId),
                    (ItemUnits::Table, ItemUnits::UnitId),
                    (ItemUnits::Table, ItemUnits::Role),
                ])
                .column((Units::Table, Units::Path))
                .from(ItemUnits::Table)
                .inner_join(
                    Units::Table,
                    Expr::col((Units::Table, Units::Id)).equals((ItemUnits::Table, ItemUnits::UnitId)),
                )
                .and_where(Expr::col((ItemUnits::Table, ItemUnits::ItemId)).is_in(ids.iter().copied())),
        )
        .await?;
    let states: BTreeMap<i64, &str> = items.iter().map(|i| (i.id, i.state.as_str())).collect();
    // unit → direct, per item
    let mut seen: BTreeMap<i64, BTreeMap<i64, bool>> = BTreeMap::new();
    for link in links.iter().filter(|l| states.get(&l.item_id).is_some_and(|s| shows_through(s, &l.role))) {
        let units = seen.entry(link.item_id).or_default();
        for ancestor in link.path.split('/').filter_map(|s| s.parse::<i64>().ok()) {
            let direct = ancestor == link.unit_id;
            let entry = units.entry(ancestor).or_insert(false);
            *entry |= direct;
        }
    }
    let mut rows = Vec::new();
    for item in &items {
        let open = bangdu_domain::item::ItemState::parse(&item.state).is_some_and(|s| s.is_open());
        let key = deadline_key(item.deadline);
        let mut units = seen.remove(&item.id).unwrap_or_default();
        units.insert(EVERYTHING, false);
        for (unit, direct) in units {
            rows.push((item.id, unit, direct, item.state.clone(), open, key));
        }
    }
    for chunk in rows.chunks(1000) {
        let mut insert = Query::insert();
        insert.into_table(ItemAccess::Table).columns([
            ItemAccess::ItemId,
            ItemAccess::UnitId,
            ItemAccess::Direct,
            ItemAccess::State,
            ItemAccess::Open,
            ItemAccess::DeadlineKey,
        ]);
        for (item, unit, direct, state, open, key) in chunk {
            insert.values_panic([
                (*item).into(),
                (*unit).into(),
                (*direct).into(),
                state.clone().into(),
                (*open).into(),
                (*key).into(),
            ]);
        }
        c.execute(&insert).await?;
    }
    Ok(())
}

/// Rewrites every row (after a restore, or when the table is new).
pub async fn rebuild_all(c: &mut Conn<'_>) -> Result<()> {
    c.execute(Query::delete().from_table(ItemAccess::Table)).await?;
    #[derive(sqlx::FromRow)]
    struct Id {
        id: ItemId,
    }
    let mut after = ItemId(0);
    loop {
        let batch: Vec<Id> = c
            .fetch_all(
                Query::select()
                    .column(Items::Id)
                    .from(Items::Table)
                    .and_where(Expr::col(Items::Id).gt(after))
                    .order_by(Items::Id, Order::Asc)
                    .limit(5000),
            )
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        refresh(c, &batch.iter().map(|i| i.id).collect::<Vec<_>>()).await?;
    }
    Ok(())
}

/// Rewrites the rows of every item linked to one of these units (after units moved in the tree).
pub async fn refresh_for_units(c: &mut Conn<'_>, unit_ids: &[i64]) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Id {
        item_id: ItemId,
    }
    for chunk in unit_ids.chunks(500) {
        let ids: Vec<Id> = c
            .fetch_all(
                Query::select()
                    .distinct()
                    .column(ItemUnits::ItemId)
                    .from(ItemUnits::Table)
                    .and_where(Expr::col(ItemUnits::UnitId).is_in(chunk.iter().copied())),
            )
            .await?;
        refresh(c, &ids.iter().map(|i| i.item_id).collect::<Vec<_>>()).await?;
    }
    Ok(())
}

/// One row of the index, as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessRow {
    pub unit_id: i64,
    pub direct: bool,
    pub state: String,
    pub open: bool,
    pub deadline_key: NaiveDate,
}

/// The index rows of one item in unit order: for consistency checks (tests, diagnostics).
pub async fn rows(c: &mut Conn<'_>, item_id: ItemId) -> Result<Vec<AccessRow>> {
    c.fetch_all(
        Query::select()
            .columns([
                ItemAccess::UnitId,
                ItemAccess::Direct,
                ItemAccess::State,
                ItemAccess::Open,
                ItemAccess::DeadlineKey,
            ])
            .from(ItemAccess::Table)
            .and_where(Expr::col(ItemAccess::ItemId).eq(item_id))
            .order_by(ItemAccess::UnitId, Order::Asc),
    )
    .await
}
