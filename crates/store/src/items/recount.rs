//! When a year's State Council notice is loaded, the 暂定 deadlines counted into it are counted
//! again on the real calendar. The working days already counted into the year are kept: a deadline
//! that was the m-th working day of the provisional year becomes the m-th working day of the real
//! one (the days before the year did not change). Each moved deadline is an event on the item and a
//! notice to its responsible unit.

use super::notify::{self, Notice, Recipients};
use super::query::select_items;
use super::row::ItemRow;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::Result;
use crate::tables::Items;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::ItemState;
use chrono::{Datelike, NaiveDate};
use sea_query::{Expr, ExprTrait, Query};
use serde_json::json;

/// Counts the 暂定 deadlines in `year` again after its notice was loaded (`old` is the calendar
/// before, `new` after). Returns how many deadlines moved.
pub async fn after_year_loaded(
    c: &mut Conn<'_>,
    actor: &Actor,
    old: &Calendar,
    new: &Calendar,
    year: i32,
) -> Result<u64> {
    let Some(anchor) = NaiveDate::from_ymd_opt(year - 1, 12, 31) else { return Ok(0) };
    let items: Vec<ItemRow> = c
        .fetch_all(select_items().and_where(Expr::col((Items::Table, Items::DeadlineProvisional)).eq(true)).and_where(
            Expr::col((Items::Table, Items::State)).is_not_in([ItemState::Closed.code(), ItemState::Cancelled.code()]),
        ))
        .await?;
    let mut moved = Vec::new();
    for item in items {
        let Some(deadline) = item.deadline.filter(|d| d.year() >= year) else { continue };
        // Working days of the deadline's own year and any before it that were provisional too.
        let (Ok(counted), true) = (old.count_workdays(anchor, deadline), deadline > anchor) else { continue };
        let Ok(recounted) = u32::try_from(counted)
            .map_err(|_| ())
            .and_then(|m| new.add_workdays(anchor, Ord::max(m, 1)).map_err(|_| ()))
        else {
            continue;
        };
        let still = new.provisional_in(anchor, recounted).is_some();
        let mut update = Query::update();
        update
            .table(Items::Table)
            .value(Items::Deadline, recounted)
            .value(Items::DeadlineProvisional, still)
            .and_where(Expr::col(Items::Id).eq(item.id));
        if recounted != deadline {
            update.value(Items::Version, Expr::col(Items::Version).add(1));
        }
        c.execute(&update).await?;
        if recounted == deadline {
            continue;
        }
        audit::append(
            c,
            actor,
            AuditEvent::new("item.deadline_recount", "item", item.id).change(json!({
                "from": item.state, "to": item.state,
                "payload": {"deadline": recounted, "previous_deadline": deadline, "year": year, "provisional": still},
            })),
        )
        .await?;
        let mut after = item.clone();
        after.item.deadline = Some(recounted);
        moved.push((after, Notice::DeadlineRecounted));
    }
    let ids: Vec<_> = moved.iter().map(|(i, _)| i.id).collect();
    if !ids.is_empty() {
        crate::item_access::refresh(c, &ids).await?;
    }
    let count = moved.len() as u64;
    notify::item_events(c, &mut Recipients::default(), moved).await?;
    Ok(count)
}
