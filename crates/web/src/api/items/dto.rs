//! Items as the API answers them.

use crate::api::dto::UnitRefOut;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::{Action, DueStatus, available, due_status};
use bangdu_store::Actor;
use bangdu_store::items::attachments::AttachmentRow;
use bangdu_store::items::{ItemRow, ItemUnitsOf, actor_facts, item_facts};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
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
            close_request: item.close_requested_at.map(|at| CloseRequestOut {
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
