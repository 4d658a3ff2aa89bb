//! Items (督导事项) as people send them: the list's filters, a new item, an action, a split.

use crate::auth::Authed;
use crate::error::{WebError, WebResult};
use crate::extract::{nonempty, parse_bool, parse_number, parse_opt};
use crate::input::serde_helpers::double_option;
use crate::output::items::Context;
use bangdu_domain::UnitId;
use bangdu_domain::item::{Action, ActionInput, Escalation, ItemState, Priority, Source};
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::Conn;
use bangdu_store::items::act::ActionRequest;
use bangdu_store::items::create::NewItem;
use bangdu_store::items::query::{ItemFilter, ItemSort};
use bangdu_store::units;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// One state or several, comma-separated: `assigned,in_progress`; `open` for every state
    /// before write-off or cancellation, `all` for every state.
    pub state: Option<String>,
    /// Items linked to this unit (code or id) as responsible, lead, co-operating or registering unit.
    pub unit: Option<String>,
    /// Items linked to this unit or any unit below it.
    pub under: Option<String>,
    /// With `unit`: only where it is the responsible unit.
    pub responsible: Option<String>,
    /// `true`: running, not paused, past the deadline.
    pub overdue: Option<String>,
    /// Due within this many working days from today.
    pub due_within: Option<String>,
    pub source: Option<String>,
    pub priority: Option<String>,
    /// At least this ladder step: `reminder`, `urge`, `supervise`, `bulletin`.
    pub escalation: Option<String>,
    /// `true`: exactly the `escalation` step, not the steps above it.
    pub escalation_exact: Option<String>,
    /// `pending`: the unit asked for an extension and the office has not answered.
    pub extension: Option<String>,
    /// Code or title contains this.
    pub q: Option<String>,
    /// Children of this item.
    pub parent: Option<String>,
    /// `true`: only items without a parent.
    pub top_level: Option<String>,
    /// `deadline` (default), `newest`, `updated`, `code`.
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub async fn item_filter(c: &mut Conn<'_>, authed: &Authed, ctx: &Context, q: &ItemQuery) -> WebResult<ItemFilter> {
    let mut filter = ItemFilter::default();
    if let Some(states) = nonempty(&q.state) {
        for s in states.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match s {
                // Every state: the same as no filter (lets a page tell "all" from its default).
                "all" => {}
                // Not yet written off or cancelled.
                "open" => filter.states.extend(ItemState::ALL.iter().copied().filter(|s| s.is_open())),
                _ => filter
                    .states
                    .push(ItemState::parse(s).ok_or_else(|| WebError::invalid("state", format!("未知状态“{s}”")))?),
            }
        }
        if states.split(',').any(|s| s.trim() == "all") {
            filter.states.clear();
        }
    }
    if let Some(unit) = nonempty(&q.unit) {
        filter.unit = Some(units::resolve(c, &authed.actor, "unit", unit).await?.id);
        filter.responsible_only = parse_bool("responsible", &q.responsible)?.unwrap_or(false);
    }
    if let Some(under) = nonempty(&q.under) {
        filter.under_path = Some(units::resolve(c, &authed.actor, "under", under).await?.path.clone());
    }
    if parse_bool("overdue", &q.overdue)? == Some(true) {
        filter.overdue_on = Some(ctx.today);
    }
    if let Some(days) = parse_number("due_within", &q.due_within)? {
        let days = u32::try_from(days.clamp(1, 3650)).unwrap_or(3650);
        let until = ctx.cal.add_workdays(ctx.today, days).map_err(bangdu_store::StoreError::from)?;
        filter.due_between = Some((ctx.today, until));
    }
    if let Some(s) = nonempty(&q.source) {
        filter.source = Some(Source::parse(s).ok_or_else(|| WebError::invalid("source", format!("未知来源“{s}”")))?);
    }
    if let Some(p) = nonempty(&q.priority) {
        filter.priority =
            Some(Priority::parse(p).ok_or_else(|| WebError::invalid("priority", format!("未知优先级“{p}”")))?);
    }
    if let Some(e) = nonempty(&q.escalation) {
        filter.escalation_at_least =
            Some(Escalation::parse(e).ok_or_else(|| WebError::invalid("escalation", format!("未知督办层级“{e}”")))?);
    }
    filter.escalation_exact = parse_bool("escalation_exact", &q.escalation_exact)?.unwrap_or(false);
    match nonempty(&q.extension) {
        Some("pending") => filter.extension_pending = true,
        Some(_) => return Err(WebError::invalid("extension", "extension 只能为 pending")),
        None => {}
    }
    filter.q = nonempty(&q.q).map(String::from);
    filter.parent = parse_opt("parent", &q.parent, "事项编号")?;
    filter.top_level = parse_bool("top_level", &q.top_level)?.unwrap_or(false);
    Ok(filter)
}

pub fn item_sort(q: &ItemQuery) -> WebResult<ItemSort> {
    match nonempty(&q.sort) {
        Some(s) => {
            ItemSort::parse(s).ok_or_else(|| WebError::invalid("sort", "排序应为 deadline、newest、updated 或 code"))
        }
        None => Ok(ItemSort::Deadline),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemCreate {
    pub title: String,
    pub description: Option<String>,
    /// `inspection` 督查发现, `project` 项目滞后, `hotline` 12345, `instruction` 领导批示, `meeting` 调度会,
    /// `suggestion`, `enterprise`, `walkthrough`, `other` (default).
    pub source: Option<String>,
    pub source_link: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub related_projects: Option<String>,
    /// `normal` (default), `high`, `urgent`.
    pub priority: Option<String>,
    /// The parent item's id.
    #[schema(value_type = Option<i64>)]
    pub parent: Option<ItemId>,
    /// The registering unit (code); the caller's office unit by default.
    pub owner_unit: Option<String>,
    /// Unit codes.
    pub responsible_unit: Option<String>,
    pub lead_unit: Option<String>,
    #[serde(default)]
    pub cooperating_units: Vec<String>,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub completion_standard: Option<String>,
    /// Create as a draft (草稿) instead of registered.
    #[serde(default)]
    pub draft: bool,
}

pub async fn unit_id(c: &mut Conn<'_>, authed: &Authed, field: &str, code: Option<&str>) -> WebResult<Option<UnitId>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Ok(Some(units::resolve(c, &authed.actor, field, code).await?.unit_id())),
        None => Ok(None),
    }
}

pub async fn new_item(c: &mut Conn<'_>, authed: &Authed, body: ItemCreate) -> WebResult<NewItem> {
    let mut cooperating = Vec::new();
    for code in &body.cooperating_units {
        if let Some(u) = unit_id(c, authed, "cooperating_units", Some(code)).await? {
            cooperating.push(u);
        }
    }
    Ok(NewItem {
        source: match nonempty(&body.source) {
            Some(s) => Some(Source::parse(s).ok_or_else(|| WebError::invalid("source", format!("未知来源“{s}”")))?),
            None => None,
        },
        priority: match nonempty(&body.priority) {
            Some(p) => {
                Some(Priority::parse(p).ok_or_else(|| WebError::invalid("priority", format!("未知优先级“{p}”")))?)
            }
            None => None,
        },
        owner_unit: unit_id(c, authed, "owner_unit", body.owner_unit.as_deref()).await?,
        responsible_unit: unit_id(c, authed, "responsible_unit", body.responsible_unit.as_deref()).await?,
        lead_unit: unit_id(c, authed, "lead_unit", body.lead_unit.as_deref()).await?,
        cooperating_units: cooperating,
        title: body.title,
        description: body.description,
        source_link: body.source_link,
        tags: body.tags,
        related_projects: body.related_projects,
        parent: body.parent,
        responsible_person: body.responsible_person,
        measures: body.measures,
        completion_standard: body.completion_standard,
        draft: body.draft,
        project: None,
    })
}

/// An action on an item. Fields used depend on the action (see the lifecycle table).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `register`, `assign`, `decline`, `accept`, `report`, `request_close`, `approve_close`, `return`,
    /// `confirm`, `reopen`, `request_extension`, `approve_extension`, `reject_extension`, `pause`, `resume`, `cancel`.
    pub action: String,
    /// The item's version you read; a stale one answers 409 `version_conflict`.
    pub version: i64,
    pub reason: Option<String>,
    /// `report`: the progress note.
    pub note: Option<String>,
    /// `request_close`: measures taken and result.
    pub measures: Option<String>,
    pub result: Option<String>,
    /// `assign`: the responsible unit's code (the item's own when omitted).
    pub unit: Option<String>,
    /// `assign`: the lead unit's code; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub lead_unit: Option<Option<String>>,
    /// `assign`: co-operating unit codes (replace the current ones).
    pub cooperating_units: Option<Vec<String>>,
    /// `assign`, `request_extension`: a date…
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<NaiveDate>,
    /// …or a number of working days (from `assigned_on`, or from the current deadline for an extension).
    pub deadline_workdays: Option<u32>,
    /// `assign`: when the clock starts (today by default).
    #[schema(value_type = Option<String>, format = Date)]
    pub assigned_on: Option<NaiveDate>,
    /// Ids of attachments uploaded to this item before, attached to this action.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub attachments: Vec<AttachmentId>,
}

pub async fn action_request(c: &mut Conn<'_>, authed: &Authed, body: ActionBody) -> WebResult<ActionRequest> {
    let action =
        Action::parse(&body.action).ok_or_else(|| WebError::invalid("action", format!("未知操作“{}”", body.action)))?;
    let mut request = ActionRequest::new(action, body.version);
    request.input = ActionInput {
        reason: body.reason,
        note: body.note,
        measures: body.measures,
        result: body.result,
        has_unit: false,
        deadline: body.deadline,
        deadline_workdays: body.deadline_workdays,
    };
    request.unit = unit_id(c, authed, "unit", body.unit.as_deref()).await?;
    request.lead_unit = match body.lead_unit {
        Some(Some(code)) => Some(unit_id(c, authed, "lead_unit", Some(&code)).await?),
        Some(None) => Some(None),
        None => None,
    };
    if let Some(codes) = body.cooperating_units {
        let mut units = Vec::new();
        for code in codes {
            if let Some(u) = unit_id(c, authed, "cooperating_units", Some(&code)).await? {
                units.push(u);
            }
        }
        request.cooperating_units = Some(units);
    }
    request.assigned_on = body.assigned_on;
    request.attachments = body.attachments;
    Ok(request)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildIn {
    pub title: String,
    pub description: Option<String>,
    /// The unit (code) the child is assigned to.
    pub unit: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<NaiveDate>,
    pub deadline_workdays: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    pub children: Vec<ChildIn>,
}
