//! 督导事项: the items API — register, list, read, act, split, attach, and the record.

pub mod dto;
pub mod export;

use crate::api::dto::ListOf;
use crate::api::serde_helpers::double_option;
use crate::api::units::page_request;
use crate::auth::{ApiUser, Authed};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id, nonempty, parse_bool, parse_number, parse_opt};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::UnitId;
use bangdu_domain::item::{Action, ActionInput, Escalation, ItemState, Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::ItemRow;
use bangdu_store::items::act::{ActionRequest, act};
use bangdu_store::items::attachments;
use bangdu_store::items::create::{ChildSpec, NewItem, create, split};
use bangdu_store::items::query::{self, GroupBy, ItemFilter, ItemSort};
use bangdu_store::{Conn, units};
use chrono::NaiveDate;
use dto::{AttachmentOut, ItemOut, ItemView, child_out};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

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

/// Items in the caller's scope, filtered, sorted and paginated.
#[utoipa::path(get, path = "/api/v1/items", tag = "items", params(ItemQuery),
    responses((status = 200, body = ListOf<ItemOut>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_items(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> WebResult<Json<ListOf<ItemOut>>> {
    let ctx = Context::load(&state).await?;
    let page = page_request(&q.page, &q.per_page)?;
    let sort = item_sort(&q)?;
    let mut reader = state.db.reader().await?;
    let filter = item_filter(&mut reader.conn(), &authed, &ctx, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, sort, page).await?;
    let view = ctx.view(&authed);
    let (total, page_no, per_page) = (paged.total, paged.page, paged.per_page);
    let data = page_items(&mut reader.conn(), &view, paged.data).await?;
    Ok(Json(ListOf { data, total, page: page_no, per_page }))
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

async fn unit_id(c: &mut Conn<'_>, authed: &Authed, field: &str, code: Option<&str>) -> WebResult<Option<UnitId>> {
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

/// Registers an item (立项): state `registered`, or `draft` with `"draft":true`.
#[utoipa::path(post, path = "/api/v1/items", tag = "items", request_body = ItemCreate,
    responses((status = 201, body = ItemOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<ItemCreate>,
) -> WebResult<impl IntoResponse> {
    if !authed.actor.can(Permission::CreateItems) {
        return Err(WebError::forbidden());
    }
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let new = new_item(&mut tx.conn(), &authed, body).await?;
    let row = create(&mut tx.conn(), &authed.actor, new).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), row).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/items/{}", out.id))], Json(out)))
}

/// An item in the caller's scope (404 otherwise), with what the caller may do with it now.
#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemOut), (status = 404, body = ErrorBody)))]
pub async fn get_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<ItemOut>> {
    let ctx = Context::load(&state).await?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(full_item(&mut reader.conn(), &ctx.view(&authed), row).await?))
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

/// Takes a lifecycle action. 409 `invalid_transition` when the state does not allow it, 409
/// `version_conflict` when the version is stale, 403 when the caller's role may not take it.
#[utoipa::path(post, path = "/api/v1/items/{id}/actions", tag = "items", params(("id" = i64, Path)), request_body = ActionBody,
    responses(
        (status = 200, body = ItemOut),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`, `version_conflict`, `open_children`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn item_action(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    ApiJson(body): ApiJson<ActionBody>,
) -> WebResult<Json<ItemOut>> {
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let request = action_request(&mut tx.conn(), &authed, body).await?;
    let row = act(&mut tx.conn(), &authed.actor, &ctx.cal, id, request, ctx.today).await?;
    tx.commit().await?;
    // The answer is read after the commit: the write lock is held only for the change itself.
    let mut reader = state.db.reader().await?;
    Ok(Json(full_item(&mut reader.conn(), &ctx.view(&authed), row).await?))
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
        "escalate" => payload.get("label").and_then(|l| l.as_str()).unwrap_or("督办").to_string(),
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
    let payload = change.get("payload").cloned().unwrap_or(serde_json::Value::Null);
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
            None => "系统".into(),
        },
        actor_name: e.actor_name,
        actor_role: e.actor_role,
        hash: e.hash,
    }
}

/// The full record of an item, oldest first: every action, escalation step and attachment.
#[utoipa::path(get, path = "/api/v1/items/{id}/events", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ItemEventOut>), (status = 404, body = ErrorBody)))]
pub async fn item_events(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<Vec<ItemEventOut>>> {
    let mut reader = state.db.reader().await?;
    let item = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(item_record(&mut reader.conn(), &item).await?))
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

/// 剥笋: splits an item into children assigned to other units. The parent can be written off only
/// when every child is.
#[utoipa::path(post, path = "/api/v1/items/{id}/split", tag = "items", params(("id" = i64, Path)), request_body = SplitBody,
    responses((status = 201, description = "The parent with its children", body = ItemOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn split_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    ApiJson(body): ApiJson<SplitBody>,
) -> WebResult<(StatusCode, Json<ItemOut>)> {
    if !authed.actor.can(Permission::ManageItems) {
        return Err(WebError::forbidden());
    }
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let mut specs = Vec::new();
    for (i, child) in body.children.into_iter().enumerate() {
        let unit = unit_id(&mut tx.conn(), &authed, &format!("children[{i}].unit"), Some(&child.unit))
            .await?
            .ok_or_else(|| WebError::invalid(format!("children[{i}].unit"), "请指定单位"))?;
        specs.push(ChildSpec {
            title: child.title,
            description: child.description,
            unit,
            deadline: child.deadline,
            deadline_workdays: child.deadline_workdays,
        });
    }
    split(&mut tx.conn(), &authed.actor, &ctx.cal, id, specs, ctx.today).await?;
    let parent = query::get(&mut tx.conn(), &authed.actor, id).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), parent).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Uploads an attachment (multipart field `file`). The type is checked from the content.
#[utoipa::path(post, path = "/api/v1/items/{id}/attachments", tag = "items", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 201, body = AttachmentOut), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    multipart: Multipart,
) -> WebResult<(StatusCode, Json<AttachmentOut>)> {
    let file = crate::extract::Parts::read(multipart).await?.file;
    let (name, bytes) = file.ok_or_else(|| WebError::invalid("file", "请上传文件（表单字段 file）"))?;
    let mut tx = state.db.begin().await?;
    let row = attachments::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &name, &bytes)
        .await
        .map_err(upload_error)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
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

/// The attachments of an item.
#[utoipa::path(get, path = "/api/v1/items/{id}/attachments", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = ErrorBody)))]
pub async fn list_attachments(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<Vec<AttachmentOut>>> {
    let mut reader = state.db.reader().await?;
    let item = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(attachments::list(&mut reader.conn(), &item).await?.into_iter().map(Into::into).collect()))
}

/// Downloads an attachment, always as a download (never shown inline).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<AttachmentId>,
) -> WebResult<impl IntoResponse> {
    attachment_response(&state, &authed, id).await
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
    crate::api::download::stored_file(state, row.sha256, row.content_type, &row.filename).await
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
    pub unit: crate::api::dto::UnitRefOut,
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
                unit: crate::api::dto::UnitRefOut { id: unit.id, code: unit.code.clone(), name: unit.name.clone() },
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

/// Counts of the items in the caller's scope, for dashboards.
#[utoipa::path(get, path = "/api/v1/items/summary", tag = "items", responses((status = 200, body = SummaryOut)))]
pub async fn item_summary(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<SummaryOut>> {
    let ctx = Context::load(&state).await?;
    Ok(Json(summary(&state, &authed, &ctx).await?))
}
