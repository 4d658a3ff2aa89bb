//! 批量办理: the same action on several items, each in a transaction of its own — one item that
//! may not take it (another state, a stale version, another office's) is refused alone and said,
//! the others go through. Every rule is the single action's: this only repeats it.

use super::act::{ActionRequest, act};
use super::row::ItemRow;
use crate::actor::Actor;
use crate::db::Db;
use crate::error::{Result, StoreError};
use bangdu_domain::ItemId;
use bangdu_domain::calendar::Calendar;
use chrono::NaiveDate;

/// At most this many items in one batch.
pub const MAX_ITEMS: usize = 200;

/// Takes each `(item, request)` in order; the answer for each, in the same order.
pub async fn act_each(
    db: &Db,
    actor: &Actor,
    cal: &Calendar,
    requests: Vec<(ItemId, ActionRequest)>,
    today: NaiveDate,
) -> Result<Vec<(ItemId, Result<ItemRow>)>> {
    if requests.is_empty() {
        return Err(StoreError::invalid("items", "请至少选择一件事项"));
    }
    if requests.len() > MAX_ITEMS {
        return Err(StoreError::invalid("items", format!("一次最多批量办理 {MAX_ITEMS} 件")));
    }
    let mut answers = Vec::with_capacity(requests.len());
    for (id, request) in requests {
        let mut tx = db.begin().await?;
        let done = act(&mut tx.conn(), actor, cal, id, request, today).await;
        if done.is_ok() {
            tx.commit().await?;
        }
        answers.push((id, done));
    }
    Ok(answers)
}
