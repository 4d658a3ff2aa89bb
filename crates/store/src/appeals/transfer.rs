//! 转办: appeals sent on as one item through the normal lifecycle (source 12345 诉求), and the
//! answer back: when the item is written off (销号) every linked appeal is answered with the item's
//! result; when it is reopened (回头看) they are open again.

use super::query::{self, AppealRow, holds};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items::ItemRow;
use crate::items::create::{self, NewItem};
use crate::tables::{AppealEvents, Appeals};
use crate::time::now;
use crate::units::NamedUnit;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::item::{Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::{AppealId, ItemId, UnitId};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Query};
use serde_json::json;

/// Appeals to send on as one item.
#[derive(Clone, Debug, Default)]
pub struct Transfer {
    pub appeals: Vec<AppealId>,
    /// The item's title; by default the first appeal's content, shortened.
    pub title: Option<String>,
    /// The unit to handle it; by default the first appeal's handling unit when it is one of ours.
    pub responsible_unit: Option<NamedUnit>,
    pub priority: Option<Priority>,
}

/// How many appeals one item may gather.
pub const MAX_APPEALS: usize = 200;

fn title_of(content: &str) -> String {
    let line = content.lines().next().unwrap_or("").trim();
    let short: String = line.chars().take(60).collect();
    if line.chars().count() > 60 { format!("{short}…") } else { short }
}

/// Sends appeals on as one new item (registered, for the office to assign as any other).
pub async fn transfer(c: &mut Conn<'_>, actor: &Actor, command: Transfer) -> Result<ItemRow> {
    actor.require(Permission::ManageAppeals)?;
    let mut ids = command.appeals.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(StoreError::invalid("appeals", "请选择要转办的诉求"));
    }
    if ids.len() > MAX_APPEALS {
        return Err(StoreError::invalid("appeals", format!("一次最多转办 {MAX_APPEALS} 条诉求")));
    }
    let mut rows = query::get_many(c, actor, &ids).await?;
    rows.sort_by_key(|r| r.received_at);
    for row in &rows {
        if !holds(actor, Permission::ManageAppeals, row) {
            return Err(StoreError::Forbidden);
        }
        if let Some(code) = &row.item_code {
            return Err(StoreError::conflict(
                "appeal_already_sent",
                format!("诉求 {} 已转办为事项 {code}", row.external_id),
            ));
        }
        if row.status() == AppealStatus::Answered {
            return Err(StoreError::conflict(
                "appeal_answered",
                format!("诉求 {} 已办结，不能再转办", row.external_id),
            ));
        }
    }
    let first = &rows[0];
    let numbers: Vec<&str> = rows.iter().map(|r| r.external_id.as_str()).collect();
    let description: String = rows
        .iter()
        .map(|r| {
            let place = r.address.as_deref().map(|a| format!("（{a}）")).unwrap_or_default();
            format!("【{}】{}{place}", r.external_id, r.content.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect::<Vec<_>>()
        // An item's description is one paragraph.
        .join("；");
    let description: String = description.chars().take(9_000).collect();
    let responsible =
        command.responsible_unit.clone().or_else(|| first.handling_unit_id.map(|id| NamedUnit::Id(UnitId(id))));
    let item = create::create(
        c,
        actor,
        NewItem {
            title: command.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| title_of(&first.content)),
            description: Some(description),
            source: Some(Source::Hotline),
            source_link: Some(format!("12345 工单 {}", numbers.join("、")).chars().take(500).collect()),
            priority: command.priority,
            // A person registers it in their own office; the system (the demo, a job) in the office
            // whose area the appeals lie in.
            owner_unit: actor.is_system().then(|| NamedUnit::Id(UnitId(first.owner_unit_id))),
            responsible_unit: responsible,
            ..Default::default()
        },
    )
    .await?;
    let at = now();
    c.execute(
        Query::update()
            .table(Appeals::Table)
            .value(Appeals::ItemId, item.id)
            .value(Appeals::Status, AppealStatus::Handling.code())
            .value(Appeals::UpdatedAt, at)
            .value(Appeals::Version, Expr::col(Appeals::Version).add(1))
            .and_where(Expr::col(Appeals::Id).is_in(ids.iter().copied())),
    )
    .await?;
    record_events(c, actor, &ids, "transferred", &format!("转办为督导事项 {}", item.code), at).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("appeal.transfer", "item", item.id)
            .change(json!({"payload": {"item": item.code, "appeals": numbers}}))
            .acting_as(actor, Permission::ManageAppeals),
    )
    .await?;
    Ok(item)
}

pub(crate) async fn record_events(
    c: &mut Conn<'_>,
    actor: &Actor,
    ids: &[AppealId],
    action: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    for chunk in ids.chunks(500) {
        let mut insert = Query::insert();
        insert.into_table(AppealEvents::Table).columns([
            AppealEvents::AppealId,
            AppealEvents::Action,
            AppealEvents::Note,
            AppealEvents::ActorId,
            AppealEvents::At,
        ]);
        for id in chunk {
            insert.values_panic([
                Expr::val(*id),
                Expr::val(action),
                Expr::val(note),
                Expr::val(actor.user_id.map(|u| u.0)),
                Expr::val(at),
            ]);
        }
        c.execute(&insert).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Linked {
    id: AppealId,
    external_id: String,
}

async fn linked(c: &mut Conn<'_>, item: ItemId) -> Result<Vec<Linked>> {
    c.fetch_all(
        Query::select()
            .columns([Appeals::Id, Appeals::ExternalId])
            .from(Appeals::Table)
            .and_where(Expr::col(Appeals::ItemId).eq(item)),
    )
    .await
}

/// The item was written off: every appeal sent on as it is answered with the item's result. Called
/// by the item's action, in its transaction.
pub(crate) async fn item_closed(c: &mut Conn<'_>, actor: &Actor, item: &ItemRow, opinion: Option<&str>) -> Result<()> {
    let appeals = linked(c, item.id).await?;
    if appeals.is_empty() {
        return Ok(());
    }
    let result = item
        .close_result
        .as_deref()
        .or(item.close_measures.as_deref())
        .or(opinion)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("已办结");
    let notes = format!("您反映的问题已办结（督导事项 {}）：{result}", item.code);
    let at = now();
    let ids: Vec<AppealId> = appeals.iter().map(|a| a.id).collect();
    c.execute(
        Query::update()
            .table(Appeals::Table)
            .value(Appeals::Status, AppealStatus::Answered.code())
            .value(Appeals::StatusNotes, notes.clone())
            .value(Appeals::AnsweredAt, at)
            .value(Appeals::UpdatedAt, at)
            .value(Appeals::Version, Expr::col(Appeals::Version).add(1))
            .and_where(Expr::col(Appeals::ItemId).eq(item.id)),
    )
    .await?;
    record_events(c, actor, &ids, "answered", &notes, at).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("appeal.answer", "item", item.id)
            .change(json!({"payload": {"appeals": appeals.iter().map(|a| &a.external_id).collect::<Vec<_>>()}})),
    )
    .await?;
    Ok(())
}

/// The item was reopened (回头看): its appeals are open again until it is written off anew.
pub(crate) async fn item_reopened(c: &mut Conn<'_>, actor: &Actor, item: &ItemRow, reason: &str) -> Result<()> {
    let appeals = linked(c, item.id).await?;
    if appeals.is_empty() {
        return Ok(());
    }
    let at = now();
    let ids: Vec<AppealId> = appeals.iter().map(|a| a.id).collect();
    c.execute(
        Query::update()
            .table(Appeals::Table)
            .value(Appeals::Status, AppealStatus::Handling.code())
            .value(Appeals::AnsweredAt, Option::<DateTime<Utc>>::None)
            .value(Appeals::UpdatedAt, at)
            .value(Appeals::Version, Expr::col(Appeals::Version).add(1))
            .and_where(Expr::col(Appeals::ItemId).eq(item.id)),
    )
    .await?;
    let note = match reason.trim() {
        "" => format!("督导事项 {} 回头看重启，重新办理", item.code),
        r => format!("督导事项 {} 回头看重启，重新办理：{r}", item.code),
    };
    record_events(c, actor, &ids, "reopened", &note, at).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("appeal.reopen", "item", item.id)
            .change(json!({"payload": {"appeals": appeals.iter().map(|a| &a.external_id).collect::<Vec<_>>()}})),
    )
    .await?;
    Ok(())
}

/// The appeals sent on as an item (its page lists them).
pub async fn of_item(c: &mut Conn<'_>, actor: &Actor, item: ItemId) -> Result<Vec<AppealRow>> {
    let filter = query::AppealFilter { item: Some(item), ..Default::default() };
    query::all(c, actor, &filter, MAX_APPEALS as u64 * 5).await
}
