//! 运行使用情况: once a project is built, its management unit (建成后管理责任单位), its lead unit or
//! the office checks that it is really in use — the 托育点 open, the 停车位 not locked, the 路灯 lit.
//! A check that finds a problem becomes a supervision item: at once when the office records it,
//! or with one action of the office when a unit reported it.

use super::{can_manage, query};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items::create::{NewItem, create};
use crate::tables::{CheckRecord, ProjectChecks, Users};
use crate::time::now;
use bangdu_domain::UnitId;
use bangdu_domain::field_error::optional_text;
use bangdu_domain::item::{Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::project::plan::parse_date;
use bangdu_domain::role::Role;
use bangdu_domain::{CheckId, ProjectId};
use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde_json::json;

/// An operating check as sent to `POST /api/v1/projects/{id}/checks`.
#[derive(Clone, Debug, Default)]
pub struct CheckInput {
    /// The day of the check, "YYYY-MM-DD"; today when omitted.
    pub checked_on: Option<String>,
    /// `true` when the project is in use as intended; `false` when a problem was found.
    pub normal: bool,
    /// What was seen; required when a problem was found (it becomes the item's description).
    pub notes: Option<String>,
}

joined_row! {
    /// A check with the code of the item it raised and the checker's name.
    pub struct CheckRow {
        check: CheckRecord,
        item_code: Option<String>,
        checked_by_name: Option<String>,
    }
}

/// May the actor record a check? The management unit's or the lead unit's liaison, or an office
/// that manages the project.
pub fn can_check(actor: &Actor, project: &super::ProjectRow, unit_paths: &[(i64, String)]) -> bool {
    let liaison_of =
        |unit: Option<i64>| unit.is_some_and(|u| actor.grants.iter().any(|g| g.role == Role::Unit && g.unit.0 == u));
    actor.is_system()
        || liaison_of(Some(project.lead_unit_id))
        || liaison_of(project.manager_unit_id)
        || can_manage(actor, project, unit_paths)
}

fn select() -> sea_query::SelectStatement {
    let (u, i) = (Alias::new("checker"), Alias::new("raised"));
    Query::select()
        .columns(ProjectChecks::qualified())
        .expr_as(Expr::col((i.clone(), crate::tables::Items::Code)), Alias::new("item_code"))
        .expr_as(Expr::col((u.clone(), Users::DisplayName)), Alias::new("checked_by_name"))
        .from(ProjectChecks::Table)
        .join_as(
            JoinType::LeftJoin,
            crate::tables::Items::Table,
            i.clone(),
            Expr::col((i, crate::tables::Items::Id)).equals((ProjectChecks::Table, ProjectChecks::ItemId)),
        )
        .join_as(
            JoinType::LeftJoin,
            Users::Table,
            u.clone(),
            Expr::col((u, Users::Id)).equals((ProjectChecks::Table, ProjectChecks::CheckedBy)),
        )
        .to_owned()
}

/// The checks of a project, newest first.
pub async fn list(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Vec<CheckRow>> {
    let project = project.id;
    c.fetch_all(
        select()
            .and_where(Expr::col((ProjectChecks::Table, ProjectChecks::ProjectId)).eq(project))
            .order_by((ProjectChecks::Table, ProjectChecks::CheckedOn), Order::Desc)
            .order_by((ProjectChecks::Table, ProjectChecks::Id), Order::Desc),
    )
    .await
}

/// A check of this project (otherwise not found).
pub(crate) async fn get(c: &mut Conn<'_>, project: ProjectId, id: CheckId) -> Result<CheckRow> {
    c.fetch_optional(
        select()
            .and_where(Expr::col((ProjectChecks::Table, ProjectChecks::ProjectId)).eq(project))
            .and_where(Expr::col((ProjectChecks::Table, ProjectChecks::Id)).eq(id)),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// Records a check of a finished project. A problem found by someone who may register items (the
/// office) becomes an item at once; one found by a unit waits for the office's `raise_item`.
pub async fn record(
    c: &mut Conn<'_>,
    actor: &Actor,
    project_id: ProjectId,
    input: &CheckInput,
    today: NaiveDate,
) -> Result<CheckRow> {
    let project = query::get(c, actor, project_id).await?;
    let units = query::links_of(c, project_id).await?;
    let paths = query::unit_paths(&units);
    if !can_check(actor, &project, &paths) {
        return Err(StoreError::Forbidden);
    }
    if !project.is_done() {
        return Err(StoreError::conflict("project_not_completed", "项目尚未完工，建成后才检查运行使用情况"));
    }
    let checked_on = match input.checked_on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date("checked_on", d)?,
        None => today,
    };
    if checked_on > today {
        return Err(StoreError::invalid("checked_on", "检查日期不能晚于今天"));
    }
    if let Some(done) = project.completed_on.filter(|done| checked_on < *done) {
        return Err(StoreError::invalid("checked_on", format!("检查日期不能早于完工日期 {done}")));
    }
    let notes = optional_text("notes", "检查情况", input.notes.as_deref().unwrap_or(""), 2000)?;
    if !input.normal && notes.is_none() {
        return Err(StoreError::invalid("notes", "发现问题时请写明问题"));
    }
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: CheckId,
    }
    let record = CheckRecord {
        id: CheckId(0),
        project_id,
        checked_on,
        normal: input.normal,
        notes: notes.clone(),
        item_id: None,
        checked_by: actor.user_id.map(|u| u.0),
        created_at: now(),
    };
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(ProjectChecks::Id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.check", "project", project_id).change(
            json!({"payload": {"check": inserted.id, "checked_on": checked_on, "normal": input.normal, "notes": notes}}),
        ),
    )
    .await?;
    let check = get(c, project_id, inserted.id).await?;
    if !input.normal && actor.can(Permission::CreateItems) && can_manage(actor, &project, &paths) {
        return raise_for(c, actor, &project, check).await;
    }
    Ok(check)
}

/// Turns a check that found a problem into a supervision item (source 运行检查), the management
/// unit (else the lead unit) responsible. Once per check.
pub async fn raise_item(c: &mut Conn<'_>, actor: &Actor, project_id: ProjectId, check_id: CheckId) -> Result<CheckRow> {
    let project = query::get(c, actor, project_id).await?;
    let units = query::links_of(c, project_id).await?;
    if !actor.can(Permission::CreateItems) || !can_manage(actor, &project, &query::unit_paths(&units)) {
        return Err(StoreError::Forbidden);
    }
    let check = get(c, project_id, check_id).await?;
    raise_for(c, actor, &project, check).await
}

/// The item for a check's problem, once the actor is known to manage the project.
async fn raise_for(c: &mut Conn<'_>, actor: &Actor, project: &super::ProjectRow, check: CheckRow) -> Result<CheckRow> {
    if check.normal {
        return Err(StoreError::conflict("check_normal", "该次检查运行正常，无需转为督导事项"));
    }
    if let Some(code) = &check.item_code {
        return Err(StoreError::conflict("check_item_exists", format!("该次检查已转为督导事项 {code}")));
    }
    let responsible = project.manager_unit_id.unwrap_or(project.lead_unit_id);
    let new = NewItem {
        title: format!("运行问题：{}", project.name).chars().take(200).collect(),
        description: Some(format!(
            "{}（{} 检查）：{}",
            project.name,
            check.checked_on,
            check.notes.as_deref().unwrap_or("")
        )),
        source: Some(Source::Operation),
        related_projects: Some(project.name.chars().take(500).collect()),
        priority: Some(Priority::Normal),
        responsible_unit: Some(UnitId(responsible).into()),
        project: Some(project.id),
        // A person registers it for their own office; the system (the demo, imports) for the
        // office that registered the project.
        owner_unit: actor.is_system().then_some(UnitId(project.owner_unit_id).into()),
        ..NewItem::default()
    };
    let item = create(c, actor, new).await?;
    c.execute(
        Query::update()
            .table(ProjectChecks::Table)
            .value(ProjectChecks::ItemId, item.id)
            .and_where(Expr::col(ProjectChecks::Id).eq(check.id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.check_item", "project", project.id)
            .change(json!({"payload": {"check": check.id, "item": item.id, "code": item.code}})),
    )
    .await?;
    get(c, project.id, check.id).await
}
