//! Writes planned items in bulk: the item rows (explicit ids), their unit links and their
//! histories as hash-chained audit events, in the shapes the application writes them.

use super::plan::{Actor, EventPlan, ItemPlan};
use crate::audit;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::{ItemCounters, ItemUnits, Items};
use crate::time::beijing_at;
use bangdu_domain::audit_chain::AuditFields;
use bangdu_domain::item::ItemState;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_query::{Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use serde_json::json;
use std::collections::BTreeMap;

pub struct Writer {
    prefix: String,
    next_id: Option<i64>,
    /// The last code number used per year.
    counters: BTreeMap<i32, i64>,
}

pub struct Written {
    pub links: u64,
    pub events: u64,
}

fn at(day: NaiveDate, minute: i64) -> DateTime<Utc> {
    beijing_at(day, 8, 30) + Duration::minutes(minute)
}

const ITEM_COLUMNS: [Items; 25] = [
    Items::Id,
    Items::Code,
    Items::Title,
    Items::Source,
    Items::Priority,
    Items::OwnerUnitId,
    Items::ResponsibleUnitId,
    Items::LeadUnitId,
    Items::State,
    Items::Version,
    Items::AssignedOn,
    Items::Deadline,
    Items::DeadlineWorkdays,
    Items::PausedSince,
    Items::PausedWorkdays,
    Items::ExtDeadline,
    Items::Escalation,
    Items::EscalatedOn,
    Items::ReopenCount,
    Items::CloseRequestedAt,
    Items::ClosedAt,
    Items::ConfirmedAt,
    Items::CreatedBy,
    Items::CreatedAt,
    Items::UpdatedAt,
];

impl Writer {
    pub fn new(prefix: String) -> Writer {
        Writer { prefix, next_id: None, counters: BTreeMap::new() }
    }

    fn code(&mut self, created: NaiveDate) -> String {
        let last = self.counters.entry(created.year()).or_insert(0);
        *last += 1;
        format!("{}-{}-{:06}", self.prefix, created.year(), last)
    }

    pub async fn batch(&mut self, c: &mut Conn<'_>, plans: &[ItemPlan]) -> Result<Written> {
        let mut id = match self.next_id {
            Some(id) => id,
            None => {
                #[derive(sqlx::FromRow)]
                struct Max {
                    id: Option<i64>,
                }
                let max: Max =
                    c.fetch_one(Query::select().expr_as(Expr::col(Items::Id).max(), "id").from(Items::Table)).await?;
                max.id.unwrap_or(0) + 1
            }
        };
        let mut rows: Vec<Vec<SimpleExpr>> = Vec::with_capacity(plans.len());
        let mut links: Vec<(i64, i64, &'static str)> = Vec::new();
        let mut events: Vec<AuditFields> = Vec::new();
        for plan in plans {
            let code = self.code(plan.created);
            let created_at = at(plan.created, 0);
            let updated_at = plan.events.last().map(|e| at(e.on, e.minute)).unwrap_or(created_at);
            let actions = plan.events.iter().filter(|e| e.action != "escalate" && e.action != "create").count() as i64;
            let date = |d: Option<NaiveDate>| SimpleExpr::from(d);
            let time = |d: Option<NaiveDate>, minute: i64| SimpleExpr::from(d.map(|d| at(d, minute)));
            rows.push(vec![
                id.into(),
                code.clone().into(),
                plan.title.clone().into(),
                plan.source.code().into(),
                plan.priority.code().into(),
                plan.owner.into(),
                (plan.state != ItemState::Draft).then_some(plan.responsible.unit).into(),
                plan.lead.into(),
                plan.state.code().into(),
                (1 + actions).into(),
                date(plan.assigned_on),
                date(plan.deadline),
                plan.deadline_workdays.into(),
                date(plan.paused_since),
                0i64.into(),
                date(plan.ext_deadline),
                plan.escalation.level().into(),
                date(plan.escalated_on),
                0i64.into(),
                time(plan.close_requested, 400),
                time(plan.closed, 90),
                time(plan.confirmed, 100),
                plan.office.id.into(),
                created_at.into(),
                updated_at.into(),
            ]);
            links.push((id, plan.owner, "owner"));
            if plan.state != ItemState::Draft {
                links.push((id, plan.responsible.unit, "responsible"));
            }
            if let Some(lead) = plan.lead {
                links.push((id, lead, "lead"));
            }
            for unit in &plan.cooperating {
                links.push((id, *unit, "cooperating"));
            }
            for e in &plan.events {
                events.push(self.event(plan, id, &code, e));
            }
            id += 1;
        }
        self.next_id = Some(id);
        links.sort_unstable();
        links.dedup();
        for chunk in rows.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(Items::Table).columns(ITEM_COLUMNS);
            for row in chunk {
                insert.values_panic(row.iter().cloned());
            }
            c.execute(&insert).await?;
        }
        for chunk in links.chunks(2000) {
            let mut insert = Query::insert();
            insert.into_table(ItemUnits::Table).columns([ItemUnits::ItemId, ItemUnits::UnitId, ItemUnits::Role]);
            for (item, unit, role) in chunk {
                insert.values_panic([(*item).into(), (*unit).into(), (*role).into()]);
            }
            c.execute(&insert).await?;
        }
        let first = id - plans.len() as i64;
        crate::items::access::refresh(c, &(first..id).collect::<Vec<_>>()).await?;
        let written = Written { links: links.len() as u64, events: events.len() as u64 };
        if !events.is_empty() {
            audit::append_fields(c, events).await?;
        }
        Ok(written)
    }

    fn event(&self, plan: &ItemPlan, id: i64, code: &str, e: &EventPlan) -> AuditFields {
        let (actor_id, actor_name, role) = match e.actor {
            Actor::Office => (Some(plan.office.id), plan.office.username.clone(), "office"),
            Actor::Unit => (Some(plan.responsible.liaison.id), plan.responsible.liaison.username.clone(), "unit"),
            Actor::System => (None, "escalation".to_string(), "escalation"),
        };
        let change = if e.action == "create" {
            json!({"to": e.to.code(), "after": {
                "code": code, "title": plan.title, "source": plan.source.code(), "priority": plan.priority.code(),
                "responsible": plan.responsible.code, "parent_id": null, "state": e.to.code(),
            }})
        } else {
            let mut change = json!({"from": e.from.map(|s| s.code()), "to": e.to.code(), "payload": e.payload});
            if let Some(reason) = e.reason {
                change["reason"] = json!(reason);
            }
            change
        };
        AuditFields {
            seq: 0,
            at: at(e.on, e.minute),
            actor_id,
            actor_name,
            actor_role: Some(role.to_string()),
            source_ip: None,
            action: format!("item.{}", e.action),
            object_type: "item".into(),
            object_id: Some(id.to_string()),
            change: change.to_string(),
            result: "ok".into(),
        }
    }

    /// Code counters past the generated codes, the id sequence past the ids, fresh statistics.
    pub async fn finish(&self, c: &mut Conn<'_>) -> Result<()> {
        for (year, last) in &self.counters {
            c.execute(
                Query::insert()
                    .into_table(ItemCounters::Table)
                    .columns([ItemCounters::Year, ItemCounters::Last])
                    .values_panic([i64::from(*year).into(), (*last).into()])
                    .on_conflict(OnConflict::column(ItemCounters::Year).update_column(ItemCounters::Last).to_owned()),
            )
            .await?;
        }
        c.move_sequence_past_max("items").await?;
        c.raw("ANALYZE").await?;
        Ok(())
    }
}
