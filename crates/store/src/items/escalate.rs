//! The escalation job (梯级督查): walks open items and raises the ladder's steps that are due on
//! `today` — 临近提醒, 催办, 督办, 通报 — each an audit event and a notice.
//!
//! Safe when several nodes run it: the node that inserts the day's row in `job_runs` does the work,
//! the others skip. Re-running changes nothing: a step is raised only above the item's current step.

use super::query::select_items;
use super::row::ItemRow;
use crate::actor::{Actor, ActorKind};
use crate::audit::{self, AuditEvent};
use crate::calendar;
use crate::db::{Conn, Db};
use crate::error::Result;
use crate::items::notify::{self, Notice, Recipients};
use crate::settings;
use crate::tables::{Items, JobRuns};
use crate::time::now;
use bangdu_domain::ItemId;
use bangdu_domain::item::{Escalation, ItemState, escalation_target};
use bangdu_domain::permission::Permission;
use chrono::NaiveDate;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

pub const JOB: &str = "escalation";
const BATCH: u64 = 5000;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Another node had already claimed today's run.
    pub skipped: bool,
    /// Open, running, unpaused items with a deadline that were looked at.
    pub examined: u64,
    /// Steps raised, by step.
    pub raised: BTreeMap<&'static str, u64>,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: ItemId,
    deadline: Option<NaiveDate>,
    escalation: i64,
}

/// Claims the run for `key`; false when another node has it.
pub async fn claim(db: &Db, job: &str, key: &str, node: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    let result = tx
        .conn()
        .execute(
            Query::insert()
                .into_table(JobRuns::Table)
                .columns([JobRuns::Job, JobRuns::RunKey, JobRuns::Node, JobRuns::StartedAt])
                .values_panic([job.into(), key.into(), node.into(), now().into()])
                .on_conflict(sea_query::OnConflict::columns([JobRuns::Job, JobRuns::RunKey]).do_nothing().to_owned()),
        )
        .await?;
    tx.commit().await?;
    Ok(result == 1)
}

async fn finish(db: &Db, job: &str, key: &str, report: &Report) -> Result<()> {
    let mut tx = db.begin().await?;
    tx.conn()
        .execute(
            Query::update()
                .table(JobRuns::Table)
                .value(JobRuns::FinishedAt, now())
                .value(JobRuns::Summary, serde_json::to_string(report).unwrap_or_default())
                .and_where(Expr::col(JobRuns::Job).eq(job))
                .and_where(Expr::col(JobRuns::RunKey).eq(key)),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A run for a day after today would write 催办 and 通报 dated in the future, for good.
fn not_after_today(day: NaiveDate, today: NaiveDate) -> Result<()> {
    if day > today {
        return Err(crate::StoreError::invalid(
            "date",
            format!("不能为将来的日期 {day} 运行梯级督查（今天是 {today}）"),
        ));
    }
    Ok(())
}

/// Runs the job for `day` (today, or a past day it missed), started by the system's daily timer,
/// or by a person who manages settings or the operator at the command line (whose run is itself
/// recorded). `force` runs it even when the day's run was claimed (still idempotent).
pub async fn run(db: &Db, by: &Actor, day: NaiveDate, today: NaiveDate, node: &str, force: bool) -> Result<Report> {
    by.require(Permission::ManageSettings)?;
    not_after_today(day, today)?;
    let today = day;
    let report = if !claim(db, JOB, &today.to_string(), node).await? && !force {
        Report { skipped: true, ..Report::default() }
    } else {
        run_claimed(db, today).await?
    };
    if by.kind == ActorKind::Person || by.via != JOB {
        let mut tx = db.begin().await?;
        audit::append(
            &mut tx.conn(),
            by,
            AuditEvent::new("job.escalation", "job", today)
                .change(json!({"date": today, "force": force, "skipped": report.skipped, "raised": report.raised}))
                .acting_as(by, Permission::ManageSettings),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(report)
}

/// What a run for `day` would raise, raising nothing: the counts by step and the first items.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Preview {
    pub examined: u64,
    pub raised: BTreeMap<&'static str, u64>,
    /// The first items that would be raised (code, title, the steps' labels), at most 50.
    pub items: Vec<(String, String, Vec<&'static str>)>,
}

/// The dry run of `run`: reads what is due on `day` and writes nothing.
pub async fn preview(db: &Db, by: &Actor, day: NaiveDate, today: NaiveDate) -> Result<Preview> {
    by.require(Permission::ManageSettings)?;
    not_after_today(day, today)?;
    let mut reader = db.reader().await?;
    let mut c = reader.conn();
    let (cal, ladder) = (calendar::load(&mut c).await?, settings::escalation(&mut c).await?);
    let mut preview = Preview::default();
    let mut after = ItemId(0);
    loop {
        let batch = candidates(&mut c, after).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        preview.examined += batch.len() as u64;
        let due = due_steps(&cal, &ladder, day, &batch);
        for (_, steps) in &due {
            for step in steps {
                *preview.raised.entry(step.code()).or_default() += 1;
            }
        }
        let room = 50usize.saturating_sub(preview.items.len());
        if room > 0 && !due.is_empty() {
            let ids: Vec<ItemId> = due.iter().take(room).map(|(id, _)| *id).collect();
            let rows: Vec<ItemRow> =
                c.fetch_all(select_items().and_where(Expr::col((Items::Table, Items::Id)).is_in(ids))).await?;
            for (id, steps) in due.iter().take(room) {
                if let Some(row) = rows.iter().find(|r| r.id == *id) {
                    preview.items.push((
                        row.code.clone(),
                        row.title.clone(),
                        steps.iter().map(|s| s.label()).collect(),
                    ));
                }
            }
        }
    }
    Ok(preview)
}

async fn run_claimed(db: &Db, today: NaiveDate) -> Result<Report> {
    let key = today.to_string();
    let (cal, ladder) = {
        let mut reader = db.reader().await?;
        let mut c = reader.conn();
        (calendar::load(&mut c).await?, settings::escalation(&mut c).await?)
    };
    let actor = Actor::system("escalation");
    let mut report = Report::default();
    let mut recipients = Recipients::default();
    let mut after = ItemId(0);
    loop {
        let batch = candidates(&mut db.reader().await?.conn(), after).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        report.examined += batch.len() as u64;
        let due = due_steps(&cal, &ladder, today, &batch);
        if due.is_empty() {
            continue;
        }
        let mut tx = db.begin().await?;
        raise(&mut tx.conn(), &actor, &mut recipients, &due, today, &mut report).await?;
        tx.commit().await?;
    }
    finish(db, JOB, &key, &report).await?;
    Ok(report)
}

/// Runs the job for `today` inside the caller's transaction, without claiming the day (the demo
/// data replays its history this way).
pub async fn run_in(c: &mut Conn<'_>, today: NaiveDate) -> Result<Report> {
    let cal = calendar::load(c).await?;
    let ladder = settings::escalation(c).await?;
    let actor = Actor::system("escalation");
    let mut report = Report::default();
    let mut recipients = Recipients::default();
    let mut after = ItemId(0);
    loop {
        let batch = candidates(c, after).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        report.examined += batch.len() as u64;
        let due = due_steps(&cal, &ladder, today, &batch);
        if !due.is_empty() {
            raise(c, &actor, &mut recipients, &due, today, &mut report).await?;
        }
    }
    Ok(report)
}

/// The next batch of open, running, unpaused items with a deadline and a step left to raise.
async fn candidates(c: &mut Conn<'_>, after: ItemId) -> Result<Vec<Candidate>> {
    c.fetch_all(
        Query::select()
            .columns([Items::Id, Items::Deadline, Items::Escalation])
            .from(Items::Table)
            .and_where(Expr::col(Items::Id).gt(after))
            .and_where(Expr::col(Items::State).is_in([ItemState::Assigned.code(), ItemState::InProgress.code()]))
            .and_where(Expr::col(Items::PausedSince).is_null())
            .and_where(Expr::col(Items::Deadline).is_not_null())
            .and_where(Expr::col(Items::Escalation).lt(Escalation::Bulletin.level()))
            .order_by(Items::Id, Order::Asc)
            .limit(BATCH),
    )
    .await
}

/// (item, steps to raise) — several when the job has not run for a while.
fn due_steps(
    cal: &bangdu_domain::calendar::Calendar,
    ladder: &bangdu_domain::item::EscalationSettings,
    today: NaiveDate,
    batch: &[Candidate],
) -> Vec<(ItemId, Vec<Escalation>)> {
    let mut due = Vec::new();
    for candidate in batch {
        let Some(deadline) = candidate.deadline else { continue };
        let current = Escalation::from_level(candidate.escalation);
        let target = match escalation_target(cal, deadline, today, ladder) {
            Ok(target) => target,
            // A deadline in a year whose holidays are not loaded: leave it for later, never guess.
            Err(_) => continue,
        };
        if target > current {
            let steps: Vec<Escalation> = Escalation::LADDER
                .into_iter()
                .filter(|s| *s > current && *s <= target)
                // A reminder after the deadline has passed says nothing: skip it.
                .filter(|s| *s != Escalation::Reminder || target == Escalation::Reminder)
                .collect();
            due.push((candidate.id, steps));
        }
    }
    due
}

async fn raise(
    c: &mut Conn<'_>,
    actor: &Actor,
    recipients: &mut Recipients,
    due: &[(ItemId, Vec<Escalation>)],
    today: NaiveDate,
    report: &mut Report,
) -> Result<()> {
    let ids: Vec<ItemId> = due.iter().map(|(id, _)| *id).collect();
    let items: Vec<ItemRow> =
        c.fetch_all(select_items().and_where(Expr::col((Items::Table, Items::Id)).is_in(ids))).await?;
    let by_id: BTreeMap<ItemId, &ItemRow> = items.iter().map(|i| (i.id, i)).collect();
    let mut events = Vec::new();
    let mut by_level: BTreeMap<i64, Vec<ItemId>> = BTreeMap::new();
    let mut notices: Vec<(&ItemRow, Escalation)> = Vec::new();
    for (id, steps) in due {
        let Some(item) = by_id.get(id) else { continue };
        let Some(top) = steps.last() else { continue };
        // Only if still below: a concurrent action (an extension, a write-off) may have changed it.
        if item.escalation >= top.level() || !item.state().is_running() || item.paused_since.is_some() {
            continue;
        }
        by_level.entry(top.level()).or_default().push(*id);
        for step in steps {
            *report.raised.entry(step.code()).or_default() += 1;
            events.push(AuditEvent::new("item.escalate", "item", id).change(json!({
                "from": item.state, "to": item.state,
                "payload": {"step": step.code(), "label": step.label(), "deadline": item.deadline, "on": today},
            })));
            notices.push((item, *step));
        }
    }
    for (level, ids) in by_level {
        for chunk in ids.chunks(900) {
            c.execute(
                Query::update()
                    .table(Items::Table)
                    .value(Items::Escalation, level)
                    .value(Items::EscalatedOn, today)
                    .and_where(Expr::col(Items::Id).is_in(chunk.iter().copied()))
                    .and_where(Expr::col(Items::Escalation).lt(level)),
            )
            .await?;
        }
    }
    if !events.is_empty() {
        audit::append_many(c, actor, events).await?;
    }
    let raised: Vec<(ItemRow, Notice)> = notices
        .into_iter()
        .map(|(item, step)| {
            let mut raised = item.clone();
            raised.item.escalation = step.level();
            (raised, Notice::Escalated(step))
        })
        .collect();
    notify::item_events(c, recipients, raised).await
}

/// Whether today's run has been claimed (by this or another node).
pub async fn ran_on(c: &mut Conn<'_>, today: NaiveDate) -> Result<bool> {
    claimed(c, JOB, &today.to_string()).await
}

/// Whether a run of `job` for `key` has been claimed (by this or another node).
pub async fn claimed(c: &mut Conn<'_>, job: &str, key: &str) -> Result<bool> {
    #[derive(sqlx::FromRow)]
    struct Key {
        #[allow(dead_code)]
        run_key: String,
    }
    let row: Option<Key> = c
        .fetch_optional(
            Query::select()
                .column(JobRuns::RunKey)
                .from(JobRuns::Table)
                .and_where(Expr::col(JobRuns::Job).eq(job))
                .and_where(Expr::col(JobRuns::RunKey).eq(key)),
        )
        .await?;
    Ok(row.is_some())
}
