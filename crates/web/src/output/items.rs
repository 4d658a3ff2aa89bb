//! Items as the API answers them.

use crate::auth::Authed;
use crate::error::{WebError, WebResult};
use crate::output::UnitRefOut;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::AttachmentId;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::{Action, Escalation, ItemState};
use bangdu_domain::item::{DueStatus, available, due_status};
use bangdu_store::items::ItemRow;
use bangdu_store::items::attachments;
use bangdu_store::items::attachments::AttachmentRow;
use bangdu_store::items::query::{self, GroupBy, ItemFilter};
use bangdu_store::items::{ItemUnitsOf, actor_facts, item_facts};
use bangdu_store::{Actor, Conn};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ChildOut {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub state: String,
    pub state_label: String,
    pub responsible_unit: Option<UnitRefOut>,
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ExtensionOut {
    #[schema(value_type = String, format = Date)]
    pub deadline: NaiveDate,
    pub reason: Option<String>,
    pub requested_by: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CloseRequestOut {
    pub measures: Option<String>,
    pub result: Option<String>,
    pub requested_by: Option<i64>,
    pub requested_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// The action it was attached to (`report`, `request_close`), once used.
    pub action: Option<String>,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTime<Utc>,
    /// Where to download it.
    pub url: String,
}

impl From<AttachmentRow> for AttachmentOut {
    fn from(a: AttachmentRow) -> Self {
        AttachmentOut {
            url: format!("/api/v1/attachments/{}", a.id),
            id: i64::from(a.id),
            filename: a.filename,
            content_type: a.content_type,
            size: a.size_bytes,
            sha256: a.sha256,
            action: a.action,
            uploaded_by: a.uploaded_by,
            uploaded_at: a.uploaded_at,
        }
    }
}

/// A supervision item (督导事项).
#[derive(Serialize, ToSchema)]
pub struct ProjectRefOut {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub id: i64,
    /// Human-readable, e.g. QZ-2025-000123.
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// `inspection`, `project`, `hotline`, `instruction`, `meeting`, `suggestion`, `enterprise`, `walkthrough`, `other`.
    pub source: String,
    pub source_label: String,
    pub source_link: Option<String>,
    /// Domain tags (领域).
    pub tags: Vec<String>,
    pub related_projects: Option<String>,
    /// The project the item was raised from (source 项目滞后).
    pub project: Option<ProjectRefOut>,
    /// `normal`, `high`, `urgent`.
    pub priority: String,
    pub priority_label: String,
    pub parent_id: Option<i64>,
    /// The office that registered it.
    pub owner_unit: UnitRefOut,
    pub responsible_unit: Option<UnitRefOut>,
    pub lead_unit: Option<UnitRefOut>,
    pub cooperating_units: Vec<UnitRefOut>,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub completion_standard: Option<String>,
    /// `draft`, `registered`, `assigned`, `in_progress`, `close_requested`, `closed`, `cancelled`.
    pub state: String,
    pub state_label: String,
    /// Send it back with an action.
    pub version: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub assigned_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<NaiveDate>,
    pub deadline_workdays: Option<i64>,
    /// The deadline was counted into a year whose holiday notice is not loaded yet: 暂定, counted on
    /// the statutory holidays alone, and counted again (with a notice) when the notice is loaded.
    pub deadline_provisional: bool,
    /// `normal`, `due_soon`, `overdue`, `paused`, or null when no clock runs.
    pub due_status: Option<String>,
    pub due_status_label: Option<String>,
    pub overdue: bool,
    /// Open, not paused, and the deadline is before today (also while awaiting write-off review).
    pub past_deadline: bool,
    /// Working days from today to the deadline; negative when overdue. While paused, those left
    /// on the day the clock stopped.
    pub workdays_left: Option<i64>,
    pub paused: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub paused_since: Option<NaiveDate>,
    pub paused_workdays: i64,
    pub extension_request: Option<ExtensionOut>,
    /// The ladder step reached: `none`, `reminder`, `urge`, `supervise`, `bulletin`.
    pub escalation: String,
    pub escalation_label: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub escalated_on: Option<NaiveDate>,
    pub reopen_count: i64,
    pub close_request: Option<CloseRequestOut>,
    pub closed_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub children: Vec<ChildOut>,
    pub attachments: Vec<AttachmentOut>,
    /// The actions the caller may take now.
    pub actions: Vec<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn unit(id: Option<i64>, code: &Option<String>, name: &Option<String>) -> Option<UnitRefOut> {
    Some(UnitRefOut { id: id?, code: code.clone()?, name: name.clone()? })
}

pub fn child_out(c: &ItemRow) -> ChildOut {
    ChildOut {
        id: i64::from(c.id),
        code: c.code.clone(),
        title: c.title.clone(),
        state: c.state.clone(),
        state_label: c.state().label().to_string(),
        responsible_unit: unit(c.responsible_unit_id, &c.responsible_code, &c.responsible_name),
        deadline: c.deadline,
    }
}

/// Everything needed to show an item to one person on one day.
pub struct ItemView<'a> {
    pub actor: &'a Actor,
    pub cal: &'a Calendar,
    pub today: NaiveDate,
    pub due_soon_days: u32,
}

impl ItemView<'_> {
    pub fn status(&self, item: &ItemRow) -> Option<DueStatus> {
        due_status(self.cal, item.state(), item.deadline, item.paused_since.is_some(), self.today, self.due_soon_days)
    }

    pub fn actions(&self, item: &ItemRow, units: &ItemUnitsOf) -> Vec<Action> {
        available(&item_facts(item), &actor_facts(self.actor, item, units))
    }

    pub fn out(
        &self,
        item: ItemRow,
        units: &ItemUnitsOf,
        children: Vec<ChildOut>,
        attachments: Vec<AttachmentOut>,
    ) -> ItemOut {
        let status = self.status(&item);
        // While paused the clock stands still: what was left on the day it stopped.
        let counted_from = item.paused_since.unwrap_or(self.today);
        let workdays_left = match (item.deadline, item.state().is_open()) {
            (Some(deadline), true) => self.cal.count_workdays(counted_from, deadline).ok(),
            _ => None,
        };
        let actions = self.actions(&item, units).into_iter().map(|a| a.code().to_string()).collect();
        let write_off_stands = matches!(item.state(), ItemState::CloseRequested | ItemState::Closed);
        let cooperating = units
            .links
            .iter()
            .filter(|l| l.role == "cooperating")
            .map(|l| UnitRefOut { id: l.unit_id, code: l.code.clone(), name: l.name.clone() })
            .collect();
        ItemOut {
            tags: item.tag_list(),
            source_label: item.source().label().to_string(),
            priority_label: item.priority().label().to_string(),
            state_label: item.state().label().to_string(),
            escalation: item.escalation().code().to_string(),
            escalation_label: item.escalation().label().to_string(),
            due_status: status.map(|s| s.code().to_string()),
            due_status_label: status.map(|s| s.label().to_string()),
            overdue: status == Some(DueStatus::Overdue),
            past_deadline: item.state().is_open()
                && item.paused_since.is_none()
                && item.deadline.is_some_and(|d| d < self.today),
            workdays_left,
            paused: item.paused_since.is_some(),
            owner_unit: UnitRefOut {
                id: item.owner_unit_id,
                code: item.owner_code.clone().unwrap_or_default(),
                name: item.owner_name.clone().unwrap_or_default(),
            },
            responsible_unit: unit(item.responsible_unit_id, &item.responsible_code, &item.responsible_name),
            lead_unit: unit(item.lead_unit_id, &item.lead_code, &item.lead_name),
            cooperating_units: cooperating,
            extension_request: item.ext_deadline.map(|deadline| ExtensionOut {
                deadline,
                reason: item.ext_reason.clone(),
                requested_by: item.ext_requested_by,
            }),
            // The write-off request while it stands (asked for, or granted); one the office
            // returned, or a write-off undone by 回头看, stays in the record only.
            close_request: item.close_requested_at.filter(|_| write_off_stands).map(|at| CloseRequestOut {
                measures: item.close_measures.clone(),
                result: item.close_result.clone(),
                requested_by: item.close_requested_by,
                requested_at: Some(at),
            }),
            children,
            attachments,
            actions,
            id: i64::from(item.id),
            code: item.code.clone(),
            title: item.title.clone(),
            description: item.description.clone(),
            source: item.source.clone(),
            source_link: item.source_link.clone(),
            related_projects: item.related_projects.clone(),
            project: item
                .project_id
                .map(|id| ProjectRefOut { id: i64::from(id), name: item.project_name.clone().unwrap_or_default() }),
            priority: item.priority.clone(),
            parent_id: item.parent_id.map(i64::from),
            responsible_person: item.responsible_person.clone(),
            measures: item.measures.clone(),
            completion_standard: item.completion_standard.clone(),
            state: item.state.clone(),
            version: item.version,
            assigned_on: item.assigned_on,
            deadline: item.deadline,
            deadline_workdays: item.deadline_workdays,
            deadline_provisional: item.deadline_provisional,
            paused_since: item.paused_since,
            paused_workdays: item.paused_workdays,
            escalated_on: item.escalated_on,
            reopen_count: item.reopen_count,
            closed_at: item.closed_at,
            confirmed_at: item.confirmed_at,
            created_by: item.created_by,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// The calendar, today and the 临期 threshold: what showing an item needs.
pub struct Context {
    pub cal: Arc<bangdu_domain::calendar::Calendar>,
    pub today: NaiveDate,
    pub due_soon_days: u32,
}

impl Context {
    pub async fn load(state: &AppState) -> WebResult<Context> {
        Ok(Context { cal: state.calendar().await?, today: state.today(), due_soon_days: state.due_soon_days().await? })
    }

    pub fn view<'a>(&'a self, authed: &'a Authed) -> ItemView<'a> {
        ItemView { actor: &authed.actor, cal: &self.cal, today: self.today, due_soon_days: self.due_soon_days }
    }
}

/// An item with its units, children and attachments, as one person sees it.
pub async fn full_item(c: &mut Conn<'_>, view: &ItemView<'_>, row: ItemRow) -> WebResult<ItemOut> {
    let units = query::units_of_one(c, &row).await?;
    let children = query::children(c, &row).await?.iter().map(child_out).collect();
    let files = attachments::list(c, &row).await?.into_iter().map(AttachmentOut::from).collect();
    Ok(view.out(row, &units, children, files))
}

/// Items of a page, with their units and children loaded in two queries.
pub async fn page_items(c: &mut Conn<'_>, view: &ItemView<'_>, rows: Vec<ItemRow>) -> WebResult<Vec<ItemOut>> {
    let mut units = query::units_of(c, &rows).await?;
    let mut children = query::children_of(c, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let u = units.remove(&row.id).unwrap_or(bangdu_store::items::ItemUnitsOf { links: vec![] });
            let kids = children.remove(&row.id).unwrap_or_default().iter().map(child_out).collect();
            view.out(row, &u, kids, vec![])
        })
        .collect())
}

/// One entry of an item's full record (全记录).
#[derive(Serialize, ToSchema)]
pub struct ItemEventOut {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<i64>,
    /// The username as the audit log keeps it.
    pub actor_name: String,
    /// The person's display name now (陈督查), or 系统 for jobs.
    pub actor_display_name: String,
    pub actor_role: Option<String>,
    /// `create`, `assign`, `accept`, `escalate`, …
    pub action: String,
    pub action_label: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    #[schema(value_type = Vec<i64>)]
    pub attachments: Vec<AttachmentId>,
    pub hash: String,
}

pub fn event_label(action: &str, payload: &serde_json::Value) -> String {
    match action {
        "create" => "立项登记".into(),
        "split" => "分解（剥笋）".into(),
        "attach" => "上传附件".into(),
        "deadline_recount" => "节假日安排载入，期限重算".into(),
        "escalate" => payload.get("label").and_then(|l| l.as_str()).unwrap_or("督办").to_string(),
        // What the item's appeals went through, recorded on the item.
        "appeal.transfer" => "由 12345 诉求转办".into(),
        "appeal.answer" => "答复诉求人".into(),
        "appeal.reopen" => "诉求随事项重新办理".into(),
        "appeal.rate" => {
            let level = payload
                .get("level")
                .and_then(|l| l.as_str())
                .and_then(bangdu_domain::appeal::satisfaction::Satisfaction::parse);
            let look_again = payload.get("look_again").and_then(|l| l.as_bool()).unwrap_or(false);
            format!("好差评：{}{}", level.map_or("", |l| l.label()), if look_again { "（需回头看）" } else { "" })
        }
        other => Action::parse(other).map(|a| a.label().to_string()).unwrap_or_else(|| other.to_string()),
    }
}

/// The record of an item with the actors' display names.
pub async fn item_record(c: &mut Conn<'_>, item: &ItemRow) -> WebResult<Vec<ItemEventOut>> {
    let events = bangdu_store::items::query::events(c, item).await?;
    let ids: Vec<i64> = events.iter().filter_map(|e| e.actor_id).collect();
    let names = bangdu_store::users::display_names(c, &ids).await?;
    Ok(events.into_iter().map(|e| item_event_out(e, &names)).collect())
}

fn item_event_out(e: bangdu_store::audit::EventRow, names: &std::collections::HashMap<i64, String>) -> ItemEventOut {
    let change: serde_json::Value = serde_json::from_str(&e.change).unwrap_or_default();
    let action = e.action.trim_start_matches("item.").to_string();
    // Always an object (empty for events that carry nothing), as the schema says.
    let payload = change.get("payload").filter(|p| p.is_object()).cloned().unwrap_or_else(|| serde_json::json!({}));
    ItemEventOut {
        action_label: event_label(&action, &payload),
        from: change.get("from").and_then(|v| v.as_str()).map(String::from),
        to: change.get("to").and_then(|v| v.as_str()).map(String::from),
        reason: change.get("reason").and_then(|v| v.as_str()).map(String::from),
        attachments: change.get("attachments").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default(),
        payload,
        action,
        seq: e.seq,
        at: e.at,
        actor_id: e.actor_id,
        actor_display_name: match e.actor_id {
            Some(id) => names.get(&id).cloned().unwrap_or_else(|| e.actor_name.clone()),
            None => crate::pages::audit::actor_label(&e.actor_name, false),
        },
        actor_name: e.actor_name,
        actor_role: e.actor_role,
        hash: e.hash,
    }
}

/// Maps the storage layer's conflicts about files to their HTTP statuses (413, 415).
pub fn upload_error(e: bangdu_store::StoreError) -> WebError {
    match e {
        bangdu_store::StoreError::Conflict { code: "payload_too_large", message } => {
            WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
        }
        bangdu_store::StoreError::Conflict { code: "unsupported_media_type", message } => {
            WebError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message)
        }
        other => other.into(),
    }
}

pub async fn attachment_response(
    state: &AppState,
    authed: &Authed,
    id: AttachmentId,
) -> WebResult<impl IntoResponse + use<>> {
    let row = {
        let mut reader = state.db.reader().await?;
        attachments::get(&mut reader.conn(), &authed.actor, id).await?
    };
    crate::output::download::stored_file(state, row.sha256, row.content_type, &row.filename).await
}

/// Counts for dashboards: by state, by ladder step, overdue by responsible unit.
#[derive(Serialize, ToSchema)]
pub struct SummaryOut {
    pub by_state: BTreeMap<String, i64>,
    /// Open items that reached each ladder step.
    pub by_escalation: BTreeMap<String, i64>,
    pub overdue: i64,
    pub due_soon: i64,
    pub overdue_by_unit: Vec<UnitCount>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitCount {
    pub unit: crate::output::UnitRefOut,
    pub count: i64,
}

pub async fn summary(state: &AppState, authed: &Authed, ctx: &Context) -> WebResult<SummaryOut> {
    let actor = &authed.actor;
    let mut reader = state.db.reader().await?;
    let mut c = reader.conn();
    let by_state =
        query::count_grouped(&mut c, actor, &ItemFilter::default(), GroupBy::State).await?.into_iter().collect();
    let open = ItemFilter {
        states: vec![ItemState::Assigned, ItemState::InProgress, ItemState::CloseRequested],
        ..ItemFilter::default()
    };
    let by_escalation = query::count_grouped(&mut c, actor, &open, GroupBy::Escalation)
        .await?
        .into_iter()
        .map(|(level, n)| (Escalation::from_level(level.parse().unwrap_or(0)).code().to_string(), n))
        .collect();
    let overdue_filter = ItemFilter { overdue_on: Some(ctx.today), ..ItemFilter::default() };
    let per_unit = query::count_by_responsible_unit(&mut c, actor, &overdue_filter).await?;
    let overdue = per_unit.iter().map(|(_, n)| n).sum();
    let overdue_by_unit = per_unit
        .iter()
        .filter_map(|(unit, n)| {
            let unit = unit.as_ref()?;
            Some(UnitCount {
                unit: crate::output::UnitRefOut { id: unit.id, code: unit.code.clone(), name: unit.name.clone() },
                count: *n,
            })
        })
        .collect();
    let soon_until = ctx.cal.add_workdays(ctx.today, ctx.due_soon_days.max(1)).unwrap_or(ctx.today);
    let due_soon_filter = ItemFilter { due_between: Some((ctx.today, soon_until)), ..ItemFilter::default() };
    let due_soon =
        query::count_grouped(&mut c, actor, &due_soon_filter, GroupBy::State).await?.iter().map(|(_, n)| n).sum();
    Ok(SummaryOut { by_state, by_escalation, overdue, due_soon, overdue_by_unit })
}

/// What became of one item of a batch.
#[derive(Serialize, ToSchema)]
pub struct BatchResultOut {
    pub id: i64,
    /// The item's code, when it is one the caller sees.
    pub code: Option<String>,
    pub ok: bool,
    /// The state after the action (when done).
    pub state: Option<String>,
    /// Why not (when refused): the single action's error code and message.
    pub error: Option<String>,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BatchOut {
    pub done: usize,
    pub refused: usize,
    pub results: Vec<BatchResultOut>,
}
