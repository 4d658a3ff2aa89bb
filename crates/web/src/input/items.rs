//! Items (督导事项) as people send them: the list's filters, a new item, an action, a split.

use crate::error::{WebError, WebResult};
use crate::extract::{nonempty, parse_bool, parse_number, parse_opt};
use crate::input::fields::{Fields, split_list};
use crate::input::serde_helpers::double_option;
use crate::output::items::{BatchOut, BatchResultOut, Context};
use bangdu_domain::item::{Action, ActionInput, Escalation, ItemState, Priority, Source};
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::act::ActionRequest;
use bangdu_store::items::batch::act_each;
use bangdu_store::items::create::{ChildSpec, NewItem};
use bangdu_store::items::query::{ItemFilter, ItemSort};
use bangdu_store::units::{self, NamedUnit};
use bangdu_store::{Actor, Conn};
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

/// The filter a list of items asks for; units it names must be visible to the actor.
pub async fn item_filter(c: &mut Conn<'_>, actor: &Actor, ctx: &Context, q: &ItemQuery) -> WebResult<ItemFilter> {
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
        filter.unit = Some(units::resolve(c, actor, "unit", unit).await?.id);
        filter.responsible_only = parse_bool("responsible", &q.responsible)?.unwrap_or(false);
    }
    if let Some(under) = nonempty(&q.under) {
        filter.under_path = Some(units::resolve(c, actor, "under", under).await?.path.clone());
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

/// The page's form for a new item, as typed (it is shown again, as typed, when refused).
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    pub title: String,
    pub description: String,
    pub source: String,
    pub source_link: String,
    pub tags: String,
    pub priority: String,
    pub responsible_unit: String,
    pub lead_unit: String,
    pub cooperating_units: String,
    pub responsible_person: String,
    pub measures: String,
    pub completion_standard: String,
    pub related_projects: String,
    pub draft: Option<String>,
}

impl From<&ItemForm> for ItemCreate {
    fn from(form: &ItemForm) -> Self {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ItemCreate {
            title: form.title.clone(),
            description: text(&form.description),
            source: text(&form.source),
            source_link: text(&form.source_link),
            tags: split_list(&form.tags),
            related_projects: text(&form.related_projects),
            priority: text(&form.priority),
            parent: None,
            owner_unit: None,
            responsible_unit: text(&form.responsible_unit),
            lead_unit: text(&form.lead_unit),
            cooperating_units: split_list(&form.cooperating_units),
            responsible_person: text(&form.responsible_person),
            measures: text(&form.measures),
            completion_standard: text(&form.completion_standard),
            draft: form.draft.is_some(),
        }
    }
}

/// A unit named in input: blank means none.
fn named(code: Option<&str>) -> Option<NamedUnit> {
    code.map(str::trim).filter(|c| !c.is_empty()).map(NamedUnit::named)
}

impl ItemCreate {
    /// The store's command; the units it names are found (in one query) when the item is created.
    pub fn into_command(self) -> WebResult<NewItem> {
        Ok(NewItem {
            source: match nonempty(&self.source) {
                Some(s) => Some(Source::parse(s).ok_or_else(|| WebError::invalid("source", format!("未知来源“{s}”")))?),
                None => None,
            },
            priority: match nonempty(&self.priority) {
                Some(p) => {
                    Some(Priority::parse(p).ok_or_else(|| WebError::invalid("priority", format!("未知优先级“{p}”")))?)
                }
                None => None,
            },
            owner_unit: named(self.owner_unit.as_deref()),
            responsible_unit: named(self.responsible_unit.as_deref()),
            lead_unit: named(self.lead_unit.as_deref()),
            cooperating_units: self.cooperating_units.iter().filter_map(|c| named(Some(c))).collect(),
            title: self.title,
            description: self.description,
            source_link: self.source_link,
            tags: self.tags,
            related_projects: self.related_projects,
            parent: self.parent,
            responsible_person: self.responsible_person,
            measures: self.measures,
            completion_standard: self.completion_standard,
            draft: self.draft,
            project: None,
        })
    }
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
    /// `approve_close` (required): the office's 审核意见 — what it verified before writing the item off.
    pub opinion: Option<String>,
    /// `assign`: the responsible unit's code (the item's own when omitted).
    pub unit: Option<String>,
    /// `assign`: the lead unit's code; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub lead_unit: Option<Option<String>>,
    /// `assign`: co-operating unit codes (replace the current ones).
    pub cooperating_units: Option<Vec<String>>,
    /// `assign`, `request_extension`, `reopen` (optional; the setting's working days from today
    /// when omitted): a date…
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<NaiveDate>,
    /// …or a number of working days (from `assigned_on`, from the current deadline for an extension,
    /// from today for a reopen).
    pub deadline_workdays: Option<u32>,
    /// `assign`: when the clock starts (today by default).
    #[schema(value_type = Option<String>, format = Date)]
    pub assigned_on: Option<NaiveDate>,
    /// Ids of attachments uploaded to this item before, attached to this action.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub attachments: Vec<AttachmentId>,
}

impl ActionBody {
    /// An action from a page's form (multipart, so that it may carry a file).
    pub fn from_fields(f: &Fields) -> WebResult<ActionBody> {
        Ok(ActionBody {
            action: f.text("action").unwrap_or_default(),
            version: f.text("version").and_then(|v| v.parse().ok()).unwrap_or(0),
            reason: f.text("reason"),
            note: f.text("note"),
            measures: f.text("measures"),
            result: f.text("result"),
            opinion: f.text("opinion"),
            unit: f.text("unit"),
            lead_unit: f.text("lead_unit").map(Some),
            cooperating_units: f.text("cooperating_units").map(|v| split_list(&v)),
            deadline: f.date("deadline")?,
            deadline_workdays: f.number("deadline_workdays", "工作日数应为正整数")?,
            assigned_on: f.date("assigned_on")?,
            attachments: vec![],
        })
    }

    /// The store's command; the units it names are found (in one query) when an assignment uses them.
    pub fn into_command(self) -> WebResult<ActionRequest> {
        let action = Action::parse(&self.action)
            .ok_or_else(|| WebError::invalid("action", format!("未知操作“{}”", self.action)))?;
        let mut request = ActionRequest::new(action, self.version);
        request.input = ActionInput {
            reason: self.reason,
            note: self.note,
            measures: self.measures,
            result: self.result,
            opinion: self.opinion,
            has_unit: false,
            deadline: self.deadline,
            deadline_workdays: self.deadline_workdays,
        };
        request.unit = named(self.unit.as_deref());
        // A lead unit given blank, or null, clears it.
        request.lead_unit = self.lead_unit.map(|code| named(code.as_deref()));
        request.cooperating_units =
            self.cooperating_units.map(|codes| codes.iter().filter_map(|c| named(Some(c))).collect());
        request.assigned_on = self.assigned_on;
        request.attachments = self.attachments;
        Ok(request)
    }
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

impl SplitBody {
    /// The split form: up to five rows of repeated `title`, `unit` and `deadline_workdays`;
    /// rows without a title are skipped.
    pub fn from_fields(f: &Fields) -> WebResult<SplitBody> {
        let (titles, units, days) = (f.all("title"), f.all("unit"), f.all("deadline_workdays"));
        let mut children = Vec::new();
        for (i, title) in titles.into_iter().enumerate() {
            if title.is_empty() {
                continue;
            }
            let deadline_workdays = match days.get(i).filter(|d| !d.is_empty()) {
                Some(d) => Some(d.parse().map_err(|_| WebError::invalid("deadline_workdays", "工作日数应为正整数"))?),
                None => None,
            };
            let unit = units.get(i).cloned().unwrap_or_default();
            children.push(ChildIn { title, description: None, unit, deadline: None, deadline_workdays });
        }
        Ok(SplitBody { children })
    }

    /// The store's children; their units are found (in one query) when the item is split.
    pub fn into_children(self) -> WebResult<Vec<ChildSpec>> {
        self.children
            .into_iter()
            .enumerate()
            .map(|(i, child)| {
                let unit = named(Some(&child.unit))
                    .ok_or_else(|| WebError::invalid(format!("children[{i}].unit"), "请指定单位"))?;
                Ok(ChildSpec {
                    title: child.title,
                    description: child.description,
                    unit,
                    deadline: child.deadline,
                    deadline_workdays: child.deadline_workdays,
                })
            })
            .collect()
    }
}

/// One item of a batch: its id and the version the caller read.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    #[schema(value_type = i64)]
    pub id: ItemId,
    pub version: i64,
}

/// The same action on several items (批量办理): the fields are the single action's.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchBody {
    /// As for one item: `assign`, `accept`, `approve_close`, `approve_extension`, ….
    pub action: String,
    /// The items and the versions read (at most 200).
    pub items: Vec<BatchItem>,
    pub reason: Option<String>,
    /// `approve_close`: the 审核意见, the same for every item.
    pub opinion: Option<String>,
    /// `assign`: a date…
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<NaiveDate>,
    /// …or working days from `assigned_on` (today by default). Each item keeps its own responsible unit.
    pub deadline_workdays: Option<u32>,
    #[schema(value_type = Option<String>, format = Date)]
    pub assigned_on: Option<NaiveDate>,
}

impl BatchBody {
    /// A batch from the list page: rows ticked as `item=ID:VERSION`.
    pub fn from_fields(f: &Fields) -> WebResult<BatchBody> {
        let mut items = Vec::new();
        for ticked in f.all("item").into_iter().filter(|t| !t.is_empty()) {
            let parsed = ticked.split_once(':').and_then(|(id, v)| Some((id.parse().ok()?, v.parse().ok()?)));
            let Some((id, version)) = parsed else {
                return Err(WebError::invalid("items", "所选事项无效，请刷新后重试"));
            };
            items.push(BatchItem { id: ItemId(id), version });
        }
        Ok(BatchBody {
            action: f.text("action").unwrap_or_default(),
            items,
            reason: f.text("reason"),
            opinion: f.text("opinion"),
            deadline: f.date("deadline")?,
            deadline_workdays: f.number("deadline_workdays", "工作日数应为正整数")?,
            assigned_on: None,
        })
    }

    /// The single action's command for each item.
    pub fn into_commands(self) -> WebResult<Vec<(ItemId, ActionRequest)>> {
        let mut commands = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let one = ActionBody {
                action: self.action.clone(),
                version: item.version,
                reason: self.reason.clone(),
                note: None,
                measures: None,
                result: None,
                opinion: self.opinion.clone(),
                unit: None,
                lead_unit: None,
                cooperating_units: None,
                deadline: self.deadline,
                deadline_workdays: self.deadline_workdays,
                assigned_on: self.assigned_on,
                attachments: vec![],
            };
            commands.push((item.id, one.into_command()?));
        }
        Ok(commands)
    }

    /// Takes the action on each item, as the API and the list page both do (see `batch::act_each`).
    pub async fn run(self, state: &crate::state::AppState, authed: &crate::auth::Authed) -> WebResult<BatchOut> {
        let commands = self.into_commands()?;
        let ctx = Context::load(state).await?;
        let answers = act_each(&state.db, &authed.actor, &ctx.cal, commands, ctx.today).await?;
        let results: Vec<BatchResultOut> = answers
            .into_iter()
            .map(|(id, answer)| match answer {
                Ok(row) => BatchResultOut {
                    id: id.0,
                    code: Some(row.code.clone()),
                    ok: true,
                    state: Some(row.state.clone()),
                    error: None,
                    message: None,
                },
                Err(e) => {
                    let e = WebError::from(e);
                    BatchResultOut {
                        id: id.0,
                        code: None,
                        ok: false,
                        state: None,
                        error: Some(e.code.into()),
                        message: Some(e.message),
                    }
                }
            })
            .collect();
        let done = results.iter().filter(|r| r.ok).count();
        Ok(BatchOut { done, refused: results.len() - done, results })
    }
}
