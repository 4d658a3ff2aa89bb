//! Registering items (立项) and splitting them into children for other units (剥笋).

use super::query;
use super::row::ItemRow;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items::notify::{self, Notice};
use crate::settings;
use crate::tables::{ItemCounters, ItemRecord, ItemUnits, Items};
use crate::time::now;
use crate::units::{self, NamedUnit, Unit};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::field_error::{FieldError, optional_text, required_text};
use bangdu_domain::item::{ItemState, Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::{ItemId, ProjectId, UnitId};
use chrono::{Datelike, NaiveDate};
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde_json::json;

/// A new item, checked field by field (`NewItem::check`).
#[derive(Clone, Debug, Default)]
pub struct NewItem {
    pub title: String,
    pub description: Option<String>,
    pub source: Option<Source>,
    pub source_link: Option<String>,
    pub tags: Vec<String>,
    pub related_projects: Option<String>,
    pub priority: Option<Priority>,
    pub parent: Option<ItemId>,
    /// The office (or leader's unit) that registers it; the actor's first such unit by default.
    pub owner_unit: Option<NamedUnit>,
    pub responsible_unit: Option<NamedUnit>,
    pub lead_unit: Option<NamedUnit>,
    pub cooperating_units: Vec<NamedUnit>,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub completion_standard: Option<String>,
    pub draft: bool,
    /// The project the item was raised from (source 项目滞后).
    pub project: Option<ProjectId>,
}

impl NewItem {
    /// Trims and checks the text fields (the field names are the API's).
    pub fn check(mut self) -> std::result::Result<NewItem, FieldError> {
        self.title = required_text("title", "事项标题", &self.title, 200)?;
        self.description = optional_text("description", "事项描述", self.description.as_deref().unwrap_or(""), 10_000)?;
        self.source_link = optional_text("source_link", "来源链接", self.source_link.as_deref().unwrap_or(""), 500)?;
        self.related_projects =
            optional_text("related_projects", "关联项目", self.related_projects.as_deref().unwrap_or(""), 500)?;
        self.responsible_person =
            optional_text("responsible_person", "责任人", self.responsible_person.as_deref().unwrap_or(""), 50)?;
        self.measures = optional_text("measures", "整改措施", self.measures.as_deref().unwrap_or(""), 5000)?;
        self.completion_standard =
            optional_text("completion_standard", "完成标准", self.completion_standard.as_deref().unwrap_or(""), 5000)?;
        let mut tags = Vec::new();
        for tag in &self.tags {
            if let Some(tag) = optional_text("tags", "领域标签", tag, 20)? {
                if tag.contains(',') {
                    return Err(FieldError::new("tags", "领域标签不能包含逗号"));
                }
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
        }
        if tags.len() > 10 {
            return Err(FieldError::new("tags", "领域标签最多 10 个"));
        }
        self.tags = tags;
        Ok(self)
    }
}

/// The next code of the year: `<prefix>-<year>-<000001>`, unique across nodes (the counter row is
/// bumped with an upsert inside the transaction).
async fn next_code(c: &mut Conn<'_>, year: i32) -> Result<String> {
    #[derive(sqlx::FromRow)]
    struct Last {
        last: i64,
    }
    let last: Last = c
        .fetch_one(
            Query::insert()
                .into_table(ItemCounters::Table)
                .columns([ItemCounters::Year, ItemCounters::Last])
                .values_panic([i64::from(year).into(), 1i64.into()])
                .on_conflict(
                    OnConflict::column(ItemCounters::Year)
                        .value(ItemCounters::Last, Expr::col((ItemCounters::Table, ItemCounters::Last)).add(1))
                        .to_owned(),
                )
                .returning_col(ItemCounters::Last),
        )
        .await?;
    let prefix = settings::get_text(c, settings::ITEM_CODE_PREFIX).await?;
    Ok(format!("{prefix}-{year}-{:06}", last.last))
}

pub(crate) async fn link_unit(c: &mut Conn<'_>, item: ItemId, unit: UnitId, role: &str) -> Result<()> {
    c.execute(
        Query::insert()
            .into_table(ItemUnits::Table)
            .columns([ItemUnits::ItemId, ItemUnits::UnitId, ItemUnits::Role])
            .values_panic([item.into(), unit.0.into(), role.into()])
            .on_conflict(
                OnConflict::columns([ItemUnits::ItemId, ItemUnits::UnitId, ItemUnits::Role]).do_nothing().to_owned(),
            ),
    )
    .await?;
    Ok(())
}

pub(crate) async fn unlink_role(c: &mut Conn<'_>, item: ItemId, role: &str) -> Result<()> {
    c.execute(
        Query::delete()
            .from_table(ItemUnits::Table)
            .and_where(Expr::col(ItemUnits::ItemId).eq(item))
            .and_where(Expr::col(ItemUnits::Role).eq(role)),
    )
    .await?;
    Ok(())
}

/// The units an item names, found in one query: each exists, is visible to the actor and (but
/// the registering office) is active.
pub(crate) async fn usable_units(c: &mut Conn<'_>, actor: &Actor, refs: &[(String, NamedUnit)]) -> Result<Vec<Unit>> {
    let found = units::find_refs(c, &actor.scope(Permission::ViewUnits), refs).await?;
    for ((field, _), unit) in refs.iter().zip(&found) {
        if !unit.active && field != "owner_unit" {
            return Err(StoreError::invalid(field.as_str(), format!("单位“{}”已停用", unit.name)));
        }
    }
    Ok(found)
}

fn snapshot(item: &ItemRow) -> serde_json::Value {
    json!({
        "code": item.code, "title": item.title, "source": item.source, "priority": item.priority,
        "owner": item.owner_code, "responsible": item.responsible_code, "lead": item.lead_code,
        "parent_id": item.parent_id, "state": item.state,
    })
}

/// Registers an item (state `registered`, or `draft`).
pub async fn create(c: &mut Conn<'_>, actor: &Actor, new: NewItem) -> Result<ItemRow> {
    actor.require(Permission::CreateItems)?;
    let new = new.check()?;
    let owner = match &new.owner_unit {
        Some(unit) => unit.clone(),
        None => actor
            .grants
            .iter()
            .find(|g| Permission::CreateItems.granted_to(g.role))
            .map(|g| NamedUnit::Id(g.unit))
            .ok_or_else(|| StoreError::invalid("owner_unit", "请指定立项单位"))?,
    };
    // Every unit the item names, in one query; the registering office must lie where the actor
    // may register items.
    let mut named = vec![("owner_unit".to_string(), owner.clone())];
    named.extend(new.responsible_unit.iter().map(|u| ("responsible_unit".to_string(), u.clone())));
    named.extend(new.lead_unit.iter().map(|u| ("lead_unit".to_string(), u.clone())));
    named.extend(new.cooperating_units.iter().map(|u| ("cooperating_units".to_string(), u.clone())));
    let outside = || StoreError::invalid("owner_unit", "立项单位不在您的范围内");
    let found = usable_units(c, actor, &named).await.map_err(|e| match (e, &owner) {
        (StoreError::Invalid(f), NamedUnit::Id(_)) if f.field == "owner_unit" => outside(),
        (e, _) => e,
    })?;
    if !actor.scope(Permission::CreateItems).covers_unit(found[0].as_ref()) {
        return Err(outside());
    }
    let roles = named.iter().map(|(field, _)| match field.as_str() {
        "owner_unit" => "owner",
        "responsible_unit" => "responsible",
        "lead_unit" => "lead",
        _ => "cooperating",
    });
    let links: Vec<(UnitId, &str)> = found.iter().map(Unit::unit_id).zip(roles).collect();
    let unit_id = |field: &str| named.iter().zip(&found).find(|((f, _), _)| f == field).map(|(_, u)| u.id);
    if let Some(parent) = new.parent {
        let parent = query::get(c, actor, parent).await.map_err(query::not_found_as("parent", "上级事项不存在"))?;
        if !parent.state().is_open() {
            return Err(StoreError::invalid("parent", "上级事项已办结或撤销"));
        }
    }
    let at = now();
    let code = next_code(c, crate::time::today().year()).await?;
    let state = if new.draft { ItemState::Draft } else { ItemState::Registered };
    let record = ItemRecord {
        id: ItemId(0),
        code,
        title: new.title.clone(),
        description: new.description.clone(),
        source: new.source.unwrap_or(Source::Other).code().into(),
        source_link: new.source_link.clone(),
        tags: (!new.tags.is_empty()).then(|| new.tags.join(",")),
        related_projects: new.related_projects.clone(),
        priority: new.priority.unwrap_or(Priority::Normal).code().into(),
        parent_id: new.parent,
        owner_unit_id: found[0].id,
        responsible_unit_id: unit_id("responsible_unit"),
        lead_unit_id: unit_id("lead_unit"),
        responsible_person: new.responsible_person.clone(),
        measures: new.measures.clone(),
        completion_standard: new.completion_standard.clone(),
        state: state.code().into(),
        version: 1,
        assigned_on: None,
        deadline: None,
        deadline_workdays: None,
        paused_since: None,
        paused_workdays: 0,
        ext_deadline: None,
        ext_reason: None,
        ext_requested_by: None,
        escalation: 0,
        escalated_on: None,
        reopen_count: 0,
        close_measures: None,
        close_result: None,
        close_requested_by: None,
        close_requested_at: None,
        closed_at: None,
        closed_by: None,
        confirmed_at: None,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
        project_id: new.project,
        deadline_provisional: false,
    };
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: ItemId,
    }
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(Items::Id)).await?;
    for (unit, role) in links {
        link_unit(c, inserted.id, unit, role).await?;
    }
    crate::item_access::refresh(c, &[inserted.id]).await?;
    let item = query::fetch(c, inserted.id).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("item.create", "item", item.id)
            .change(json!({"to": item.state, "after": snapshot(&item)}))
            .acting_as(actor, Permission::CreateItems),
    )
    .await?;
    Ok(item)
}

/// One child of a split: a task for another unit, with its own deadline (the parent's by default).
#[derive(Clone, Debug)]
pub struct ChildSpec {
    pub title: String,
    pub description: Option<String>,
    pub unit: NamedUnit,
    pub deadline: Option<NaiveDate>,
    pub deadline_workdays: Option<u32>,
}

/// 剥笋: splits an item into children, each assigned at once to its unit. The parent can be
/// written off only when every child is.
pub async fn split(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    parent_id: ItemId,
    children: Vec<ChildSpec>,
    today: NaiveDate,
) -> Result<Vec<ItemRow>> {
    let parent = query::get(c, actor, parent_id).await?;
    let parent_units = query::links_of(c, parent_id).await?;
    if !super::actor_facts(actor, &parent, &parent_units).owner || !actor.can(Permission::ManageItems) {
        return Err(StoreError::Forbidden);
    }
    if !parent.state().is_open() {
        return Err(StoreError::conflict("invalid_transition", "事项已办结或撤销，不能再分解"));
    }
    if children.is_empty() || children.len() > 50 {
        return Err(StoreError::invalid("children", "请给出 1–50 个子事项"));
    }
    // Every child's unit, in one query.
    let named: Vec<(String, NamedUnit)> =
        children.iter().enumerate().map(|(i, spec)| (format!("children[{i}].unit"), spec.unit.clone())).collect();
    let child_units = usable_units(c, actor, &named).await?;
    let mut created = Vec::new();
    for ((i, spec), unit) in children.into_iter().enumerate().zip(child_units) {
        let field = |name: &str| format!("children[{i}].{name}");
        let deadline = match (spec.deadline, spec.deadline_workdays) {
            (Some(_), Some(_)) => return Err(StoreError::invalid(field("deadline"), "期限只能给出日期或工作日数之一")),
            (Some(date), None) if date < today => {
                return Err(StoreError::invalid(field("deadline"), "期限不能早于今天"));
            }
            (Some(date), None) => Some(date),
            (None, Some(n)) if n == 0 || n > 3650 => {
                return Err(StoreError::invalid(field("deadline_workdays"), "工作日数应为 1–3650"));
            }
            (None, Some(n)) => Some(cal.add_workdays(today, n)?),
            (None, None) => parent.deadline,
        };
        // Counted into a year whose notice is not loaded, or the parent's 暂定 deadline: 暂定 too.
        let provisional = match (spec.deadline, spec.deadline_workdays) {
            (None, Some(_)) => deadline.is_some_and(|d| cal.provisional_in(today, d).is_some()),
            (None, None) => parent.deadline_provisional,
            _ => false,
        };
        let Some(deadline) = deadline else {
            return Err(StoreError::invalid(field("deadline"), "上级事项没有期限，请为子事项指定期限"));
        };
        if let Some(limit) = parent.deadline.filter(|limit| deadline > *limit) {
            return Err(StoreError::invalid(
                field("deadline"),
                format!("子事项期限 {deadline} 晚于上级事项期限 {limit}，请先延长上级事项期限"),
            ));
        }
        let new = NewItem {
            title: spec.title,
            description: spec.description,
            source: Some(parent.source()),
            priority: Some(parent.priority()),
            parent: Some(parent_id),
            owner_unit: Some(UnitId(parent.owner_unit_id).into()),
            responsible_unit: Some(unit.unit_id().into()),
            lead_unit: parent.lead_unit_id.map(|u| UnitId(u).into()),
            ..NewItem::default()
        }
        .check()
        .map_err(|e| StoreError::invalid(field(&e.field), e.message))?;
        // Created by the splitting office directly in the assigned state.
        let child = create_assigned(c, actor, new, today, deadline, provisional).await.map_err(|e| match e {
            StoreError::Invalid(f) => StoreError::invalid(field(&f.field), f.message),
            other => other,
        })?;
        created.push(child);
    }
    let codes: Vec<&str> = created.iter().map(|c| c.code.as_str()).collect();
    c.execute(
        Query::update()
            .table(Items::Table)
            .value(Items::UpdatedAt, now())
            .value(Items::Version, Expr::col(Items::Version).add(1))
            .and_where(Expr::col(Items::Id).eq(parent_id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("item.split", "item", parent_id)
            .change(json!({"from": parent.state, "to": parent.state, "payload": {"children": codes}}))
            .acting_as(actor, Permission::ManageItems),
    )
    .await?;
    Ok(created)
}

async fn create_assigned(
    c: &mut Conn<'_>,
    actor: &Actor,
    new: NewItem,
    today: NaiveDate,
    deadline: NaiveDate,
    provisional: bool,
) -> Result<ItemRow> {
    let mut item = create(c, actor, new).await?;
    c.execute(
        Query::update()
            .table(Items::Table)
            .values([
                (Items::State, ItemState::Assigned.code().into()),
                (Items::AssignedOn, today.into()),
                (Items::Deadline, deadline.into()),
                (Items::DeadlineProvisional, provisional.into()),
            ])
            .value(Items::Version, Expr::col(Items::Version).add(1))
            .and_where(Expr::col(Items::Id).eq(item.id)),
    )
    .await?;
    crate::item_access::refresh(c, &[item.id]).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("item.assign", "item", item.id)
            .change(json!({"from": item.state, "to": ItemState::Assigned.code(), "payload": {"unit": item.responsible_code, "deadline": deadline}}))
            .acting_as(actor, Permission::ManageItems),
    )
    .await?;
    item = query::fetch(c, item.id).await?;
    notify::item_event(c, &mut notify::Recipients::default(), &item, Notice::Assigned).await?;
    Ok(item)
}
