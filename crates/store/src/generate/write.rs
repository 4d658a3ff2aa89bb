//! Writes planned items in bulk: the item rows (explicit ids), their unit links and their
//! histories as hash-chained audit events, in the shapes the application writes them.

use super::plan::{Actor, EventPlan, ItemPlan};
use crate::audit;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::{ItemCounters, ItemRecord, ItemUnits, Items};
use crate::time::beijing_at;
use bangdu_domain::ItemId;
use bangdu_domain::audit_chain::AuditFields;
use bangdu_domain::item::ItemState;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_query::{Expr, ExprTrait, OnConflict, Query};
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
        let mut rows: Vec<ItemRecord> = Vec::with_capacity(plans.len());
        let mut links: Vec<(i64, i64, &'static str)> = Vec::new();
        let mut events: Vec<AuditFields> = Vec::new();
        for plan in plans {
            let code = self.code(plan.created);
            let created_at = at(plan.created, 0);
            let updated_at = plan.events.last().map(|e| at(e.on, e.minute)).unwrap_or(created_at);
            let actions = plan.events.iter().filter(|e| e.action != "escalate" && e.action != "create").count() as i64;
            let time = |d: Option<NaiveDate>, minute: i64| d.map(|d| at(d, minute));
            rows.push(ItemRecord {
                id: ItemId(id),
                code: code.clone(),
                title: plan.title.clone(),
                description: None,
                source: plan.source.code().into(),
                source_link: None,
                tags: None,
                related_projects: None,
                priority: plan.priority.code().into(),
                parent_id: None,
                owner_unit_id: plan.owner,
                responsible_unit_id: (plan.state != ItemState::Draft).then_some(plan.responsible.unit),
                lead_unit_id: plan.lead,
                responsible_person: None,
                measures: None,
                completion_standard: None,
                state: plan.state.code().into(),
                version: 1 + actions,
                assigned_on: plan.assigned_on,
                deadline: plan.deadline,
                deadline_workdays: plan.deadline_workdays,
                paused_since: plan.paused_since,
                paused_workdays: 0,
                ext_deadline: plan.ext_deadline,
                ext_reason: None,
                ext_requested_by: None,
                escalation: plan.escalation.level(),
                escalated_on: plan.escalated_on,
                reopen_count: 0,
                close_measures: None,
                close_result: None,
                close_requested_by: None,
                close_requested_at: time(plan.close_requested, 400),
                closed_at: time(plan.closed, 90),
                closed_by: None,
                confirmed_at: time(plan.confirmed, 100),
                created_by: Some(plan.office.id),
                created_at,
                updated_at,
                project_id: None,
                deadline_provisional: false,
            });
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
        // 500 rows × 40 columns stay under SQLite's 32,766 parameters a statement.
        for chunk in rows.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(Items::Table).columns(Items::COLUMNS.iter().copied());
            for row in chunk {
                insert.values_panic(row.values(Items::COLUMNS));
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
        crate::item_access::refresh(c, &(first..id).map(ItemId).collect::<Vec<_>>()).await?;
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
