//! The item part of each person's home page: what the office must decide (交办, 审核销号, 审核延期),
//! what the unit must do (签收, 办理, before the deadline), and for leaders where things stand
//! (the escalation ladder and which units are overdue). Every figure links to the list it counts.

use crate::auth::Authed;
use crate::error::WebResult;
use crate::output::items::ItemOut;
use crate::output::items::{Context, page_items};
use crate::state::AppState;
use bangdu_domain::UnitId;
use bangdu_domain::item::{Escalation, ItemState};
use bangdu_domain::permission::Permission;
use bangdu_domain::role::Role;
use bangdu_store::Actor;
use bangdu_store::db::Conn;
use bangdu_store::items::ItemRow;
use bangdu_store::items::query::{self, GroupBy, ItemFilter, ItemSort};
use bangdu_store::paging::PageRequest;
use std::collections::BTreeMap;

/// A figure on the home page, linking to the items it counts.
pub struct Tile {
    pub label: &'static str,
    pub value: i64,
    pub href: String,
    /// `""`, `warn` or `danger` — only when the figure is not zero.
    pub tone: &'static str,
}

pub struct Rung {
    pub code: &'static str,
    pub label: &'static str,
    pub value: i64,
    pub href: String,
}

pub struct UnitLine {
    pub name: String,
    pub count: i64,
    pub href: String,
}

/// One item waiting for the viewer, with what it waits for.
pub struct Work {
    pub need: &'static str,
    pub item: ItemOut,
}

pub struct Dashboard {
    pub tiles: Vec<Tile>,
    pub ladder: Vec<Rung>,
    pub overdue_units: Vec<UnitLine>,
    pub work_title: &'static str,
    pub work_href: String,
    pub work: Vec<Work>,
    pub work_empty: &'static str,
}

enum Seat {
    Office,
    Leader,
    /// A liaison of this responsible unit.
    Unit(UnitId),
}

fn seat(authed: &Authed) -> Option<Seat> {
    let actor = &authed.actor;
    if actor.can(Permission::ManageItems) {
        return Some(Seat::Office);
    }
    if actor.has_role(Role::Leader) {
        return Some(Seat::Leader);
    }
    actor.grants.iter().find(|g| g.role == Role::Unit).map(|g| Seat::Unit(g.unit))
}

fn tile(label: &'static str, value: i64, href: impl Into<String>, tone: &'static str) -> Tile {
    Tile { label, value, href: href.into(), tone: if value > 0 { tone } else { "" } }
}

struct Counter<'a> {
    actor: &'a Actor,
    /// The unit's own items only (as the responsible unit), for liaisons.
    unit: Option<UnitId>,
}

impl Counter<'_> {
    fn filter(&self, filter: ItemFilter) -> ItemFilter {
        match self.unit {
            Some(unit) => ItemFilter { unit: Some(unit.0), responsible_only: true, ..filter },
            None => filter,
        }
    }

    async fn count(&self, c: &mut Conn<'_>, filter: ItemFilter) -> WebResult<i64> {
        let filter = self.filter(filter);
        Ok(query::count_grouped(c, self.actor, &filter, GroupBy::State).await?.iter().map(|(_, n)| n).sum())
    }

    async fn by_state(&self, c: &mut Conn<'_>) -> WebResult<BTreeMap<String, i64>> {
        let filter = self.filter(ItemFilter::default());
        Ok(query::count_grouped(c, self.actor, &filter, GroupBy::State).await?.into_iter().collect())
    }

    async fn rows(&self, c: &mut Conn<'_>, filter: ItemFilter, n: u64) -> WebResult<Vec<ItemRow>> {
        let filter = self.filter(filter);
        Ok(query::list(c, self.actor, &filter, ItemSort::Deadline, PageRequest::new(Some(1), Some(n))).await?.data)
    }
}

fn states(list: &[ItemState]) -> ItemFilter {
    ItemFilter { states: list.to_vec(), ..ItemFilter::default() }
}

const LADDER_STATES: [ItemState; 3] = [ItemState::Assigned, ItemState::InProgress, ItemState::CloseRequested];

async fn ladder(c: &mut Conn<'_>, counter: &Counter<'_>, unit_query: &str) -> WebResult<Vec<Rung>> {
    let filter = counter.filter(states(&LADDER_STATES));
    let counts: BTreeMap<i64, i64> = query::count_grouped(c, counter.actor, &filter, GroupBy::Escalation)
        .await?
        .into_iter()
        .map(|(level, n)| (level.parse().unwrap_or(0), n))
        .collect();
    Ok(Escalation::LADDER
        .iter()
        .map(|step| Rung {
            code: step.code(),
            label: step.label(),
            value: counts.get(&step.level()).copied().unwrap_or(0),
            href: format!(
                "/items?state=assigned,in_progress,close_requested&escalation={}&escalation_exact=true{unit_query}",
                step.code()
            ),
        })
        .collect())
}

async fn overdue_units(c: &mut Conn<'_>, counter: &Counter<'_>, ctx: &Context) -> WebResult<Vec<UnitLine>> {
    let filter = ItemFilter { overdue_on: Some(ctx.today), ..ItemFilter::default() };
    let per_unit = query::count_by_responsible_unit(c, counter.actor, &filter).await?;
    Ok(per_unit
        .iter()
        .filter_map(|(unit, n)| {
            let unit = unit.as_ref()?;
            Some(UnitLine {
                name: unit.name.clone(),
                count: *n,
                href: format!("/items?unit={}&responsible=true&overdue=true", unit.code),
            })
        })
        .take(10)
        .collect())
}

/// The dashboard for office, leader and unit users; `None` for the other roles.
pub async fn for_user(state: &AppState, authed: &Authed) -> WebResult<Option<Dashboard>> {
    let Some(seat) = seat(authed) else { return Ok(None) };
    let ctx = Context::load(state).await?;
    let mut reader = state.db.reader().await?;
    let mut c = reader.conn();
    let soon = ctx.due_soon_days.max(1);
    let soon_until = ctx.cal.add_workdays(ctx.today, soon).unwrap_or(ctx.today);
    let overdue = ItemFilter { overdue_on: Some(ctx.today), ..ItemFilter::default() };
    let due_soon = ItemFilter { due_between: Some((ctx.today, soon_until)), ..ItemFilter::default() };
    let (counter, unit_query) = match &seat {
        Seat::Unit(unit) => {
            let code = bangdu_store::units::of_grant(&mut c, &authed.actor, *unit).await?.code.clone();
            (Counter { actor: &authed.actor, unit: Some(*unit) }, format!("&unit={code}&responsible=true"))
        }
        _ => (Counter { actor: &authed.actor, unit: None }, String::new()),
    };
    let by_state = counter.by_state(&mut c).await?;
    let n = |s: ItemState| by_state.get(s.code()).copied().unwrap_or(0);
    let overdue_n = counter.count(&mut c, overdue.clone()).await?;
    let due_soon_n = counter.count(&mut c, due_soon.clone()).await?;
    let q = &unit_query;
    let dashboard = match seat {
        Seat::Office => {
            let pending_ext = ItemFilter { extension_pending: true, ..ItemFilter::default() };
            let ext_n = counter.count(&mut c, pending_ext.clone()).await?;
            let mut rows: Vec<(&'static str, ItemRow)> = Vec::new();
            for (need, filter) in [
                ("审核销号", states(&[ItemState::CloseRequested])),
                ("审核延期", pending_ext),
                ("交办", states(&[ItemState::Registered])),
            ] {
                rows.extend(counter.rows(&mut c, filter, 10).await?.into_iter().map(|r| (need, r)));
            }
            rows.truncate(12);
            Dashboard {
                tiles: vec![
                    tile("待交办", n(ItemState::Registered), "/items?state=registered", "warn"),
                    tile("待审核销号", n(ItemState::CloseRequested), "/items?state=close_requested", "warn"),
                    tile("待审核延期", ext_n, "/items?extension=pending", "warn"),
                    tile(
                        "办理中",
                        n(ItemState::Assigned) + n(ItemState::InProgress),
                        "/items?state=assigned,in_progress",
                        "",
                    ),
                    tile("临期", due_soon_n, format!("/items?due_within={soon}"), "warn"),
                    tile("逾期", overdue_n, "/items?overdue=true", "danger"),
                ],
                ladder: ladder(&mut c, &counter, q).await?,
                overdue_units: overdue_units(&mut c, &counter, &ctx).await?,
                work_title: "待我处理",
                work_href: "/items?state=close_requested".into(),
                work: with_items(&mut c, &ctx, authed, rows).await?,
                work_empty: "没有等待督查室处理的事项",
            }
        }
        Seat::Leader => {
            let open = n(ItemState::Registered)
                + n(ItemState::Assigned)
                + n(ItemState::InProgress)
                + n(ItemState::CloseRequested);
            let rows = counter.rows(&mut c, overdue, 10).await?.into_iter().map(|r| ("逾期", r)).collect();
            Dashboard {
                tiles: vec![
                    tile("在办事项", open, "/items?state=open", ""),
                    tile("临期", due_soon_n, format!("/items?due_within={soon}"), "warn"),
                    tile("逾期", overdue_n, "/items?overdue=true", "danger"),
                    tile("已销号", n(ItemState::Closed), "/items?state=closed", ""),
                ],
                ladder: ladder(&mut c, &counter, q).await?,
                overdue_units: overdue_units(&mut c, &counter, &ctx).await?,
                work_title: "逾期事项",
                work_href: "/items?overdue=true".into(),
                work: with_items(&mut c, &ctx, authed, rows).await?,
                work_empty: "没有逾期事项",
            }
        }
        Seat::Unit(_) => {
            let rows = counter
                .rows(&mut c, states(&[ItemState::Assigned, ItemState::InProgress]), 12)
                .await?
                .into_iter()
                .map(|r| (if r.state() == ItemState::Assigned { "签收" } else { "办理" }, r))
                .collect();
            Dashboard {
                tiles: vec![
                    tile("待签收", n(ItemState::Assigned), format!("/items?state=assigned{q}"), "warn"),
                    tile("办理中", n(ItemState::InProgress), format!("/items?state=in_progress{q}"), ""),
                    tile("临期", due_soon_n, format!("/items?due_within={soon}{q}"), "warn"),
                    tile("逾期", overdue_n, format!("/items?overdue=true{q}"), "danger"),
                    tile("申请销号中", n(ItemState::CloseRequested), format!("/items?state=close_requested{q}"), ""),
                    tile("已销号", n(ItemState::Closed), format!("/items?state=closed{q}"), ""),
                ],
                ladder: vec![],
                overdue_units: vec![],
                work_title: "待办事项",
                work_href: format!("/items?state=assigned,in_progress{q}"),
                work: with_items(&mut c, &ctx, authed, rows).await?,
                work_empty: "暂无待办事项",
            }
        }
    };
    Ok(Some(dashboard))
}

async fn with_items(
    c: &mut Conn<'_>,
    ctx: &Context,
    authed: &Authed,
    rows: Vec<(&'static str, ItemRow)>,
) -> WebResult<Vec<Work>> {
    let needs: Vec<&'static str> = rows.iter().map(|(need, _)| *need).collect();
    let items = page_items(c, &ctx.view(authed), rows.into_iter().map(|(_, r)| r).collect()).await?;
    Ok(needs.into_iter().zip(items).map(|(need, item)| Work { need, item }).collect())
}
