//! 督导事项 pages: the list with deadline badges, an item with its record and a form for each action
//! the viewer may take now, the create and split forms, attachments.

use super::errors::PageResult;
use super::forms::{CsrfForm, csrf_parts, expired};
use super::pager::Pager;
use super::shell::{Flash, Shell, shell};
use super::units::{UnitChoice, choices};
use super::{Done, done, flash, render, view};
use crate::auth::{Authed, PageUser, csrf};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::items::{ActionBody, ItemCreate, ItemQuery, action_request, item_filter, item_sort, new_item};
use crate::input::page_request;
use crate::output::items::ItemOut;
use crate::output::items::{
    Context, ItemEventOut, attachment_response, full_item, item_record, page_items, upload_error,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::IntoResponse;
use bangdu_domain::item::{Action, Escalation, ItemState, Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::act::act;
use bangdu_store::items::create::{ChildSpec, create, split};
use bangdu_store::items::{attachments, query};
use bangdu_store::units::Picking;
use chrono::NaiveDate;
use serde::Deserialize;

use super::choice::Choice;

fn state_choices(selected: &str) -> Vec<Choice> {
    ItemState::ALL.iter().map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected }).collect()
}

fn source_choices(selected: &str) -> Vec<Choice> {
    Source::ALL.iter().map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected }).collect()
}

fn priority_choices(selected: &str) -> Vec<Choice> {
    Priority::ALL.iter().map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected }).collect()
}

fn escalation_choices(selected: &str) -> Vec<Choice> {
    Escalation::LADDER
        .iter()
        .map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected })
        .collect()
}

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    pub q: Option<String>,
    pub state: Option<String>,
    pub under: Option<String>,
    pub overdue: Option<String>,
    pub due_within: Option<String>,
    pub source: Option<String>,
    pub escalation: Option<String>,
    pub escalation_exact: Option<String>,
    pub extension: Option<String>,
    pub unit: Option<String>,
    pub responsible: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub done: Option<String>,
}

impl ListParams {
    pub fn query(&self) -> ItemQuery {
        ItemQuery {
            q: self.q.clone(),
            state: self.state.clone(),
            under: self.under.clone(),
            overdue: self.overdue.clone(),
            due_within: self.due_within.clone(),
            source: self.source.clone(),
            escalation: self.escalation.clone(),
            escalation_exact: self.escalation_exact.clone(),
            extension: self.extension.clone(),
            unit: self.unit.clone(),
            responsible: self.responsible.clone(),
            sort: self.sort.clone(),
            ..ItemQuery::default()
        }
    }

    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("q", v(&self.q)),
            ("state", v(&self.state)),
            ("under", v(&self.under)),
            ("overdue", v(&self.overdue)),
            ("due_within", v(&self.due_within)),
            ("source", v(&self.source)),
            ("escalation", v(&self.escalation)),
            ("escalation_exact", v(&self.escalation_exact)),
            ("extension", v(&self.extension)),
            ("unit", v(&self.unit)),
            ("responsible", v(&self.responsible)),
            ("sort", v(&self.sort)),
        ]
    }

    /// The filters as a query string (for export links).
    pub fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs().iter().filter(|(_, v)| !v.is_empty()) {
            s.append_pair(k, v);
        }
        s.finish()
    }
}

#[derive(Template)]
#[template(path = "items/list.html")]
struct ListPage {
    shell: Shell,
    items: Vec<ItemOut>,
    pager: Pager,
    p: ListParams,
    states: Vec<Choice>,
    sources: Vec<Choice>,
    escalations: Vec<Choice>,
    choices: Vec<UnitChoice>,
    export_query: String,
    can_create: bool,
    state_open: bool,
    state_all: bool,
    /// Several states at once (from a link): shown as one choice.
    state_several: Option<(String, String)>,
    /// Conditions from links (the home page's figures) that the form has no field for.
    hidden: Vec<(&'static str, String)>,
    extra: Vec<String>,
}

/// The conditions without a form field, kept as hidden fields and said in words.
fn extra_conditions(p: &ListParams) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut hidden = Vec::new();
    let mut words = Vec::new();
    if let Some(unit) = p.unit.clone().filter(|u| !u.is_empty()) {
        let responsible = p.responsible.as_deref() == Some("true");
        words.push(format!("单位 {unit}{}", if responsible { "为责任单位" } else { "参与" }));
        hidden.push(("unit", unit));
        if responsible {
            hidden.push(("responsible", "true".into()));
        }
    }
    if p.extension.as_deref() == Some("pending") {
        words.push("延期申请待审核".into());
        hidden.push(("extension", "pending".into()));
    }
    if p.escalation_exact.as_deref() == Some("true") {
        words.push("仅所选督办层级（不含更高层级）".into());
        hidden.push(("escalation_exact", "true".into()));
    }
    if let Some(days) = p.due_within.clone().filter(|d| !d.is_empty()) {
        words.push(format!("{days} 个工作日内到期"));
        hidden.push(("due_within", days));
    }
    (hidden, words)
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(mut p): Query<ListParams>,
) -> PageResult {
    // The list opens on the items still being worked on; 全部状态 is `state=all`.
    if p.state.as_deref().is_none_or(str::is_empty) {
        p.state = Some("open".into());
    }
    let ctx = Context::load(&state).await?;
    let q = p.query();
    let page = page_request(&p.page, &Some("25".into()))?;
    let mut reader = state.db.reader().await?;
    let filter = item_filter(&mut reader.conn(), &authed, &ctx, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, item_sort(&q)?, page).await?;
    let pager = Pager::new(&paged, "/items", &p.pairs());
    let items = page_items(&mut reader.conn(), &ctx.view(&authed), paged.data).await?;
    drop(reader);
    render(&ListPage {
        shell: shell(&state, &authed, "items", "督导事项", &[("督导事项", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        items,
        pager,
        states: state_choices(&text(&p.state)),
        sources: source_choices(&text(&p.source)),
        escalations: escalation_choices(&text(&p.escalation)),
        choices: choices(&state, &authed, Picking::Any).await?,
        export_query: p.query_string(),
        can_create: authed.actor.can(Permission::CreateItems),
        hidden: extra_conditions(&p).0,
        extra: extra_conditions(&p).1,
        state_several: p.state.clone().filter(|s| s.contains(',')).map(|s| {
            let labels: Vec<&str> = s.split(',').filter_map(ItemState::parse).map(|st| st.label()).collect();
            (s, labels.join("、"))
        }),
        state_open: p.state.as_deref() == Some("open"),
        state_all: p.state.as_deref() == Some("all"),
        p,
    })
}

/// One line of the record, ready to show.
pub struct RecordLine {
    pub at: String,
    pub actor: String,
    pub role: String,
    pub label: String,
    pub transition: String,
    pub reason: String,
    pub details: Vec<String>,
    pub attachments: Vec<(AttachmentId, String)>,
    pub escalation: bool,
}

fn role_label(role: &Option<String>) -> String {
    match role.as_deref() {
        Some("office") => "督查室".into(),
        Some("unit") => "责任单位".into(),
        Some("inspector") => "帮督人员".into(),
        Some("escalation") => "系统".into(),
        Some(other) => bangdu_domain::role::Role::parse(other.split(',').next().unwrap_or(""))
            .map(|r| r.label().to_string())
            .unwrap_or_default(),
        None => String::new(),
    }
}

fn record_line(
    e: ItemEventOut,
    names: &std::collections::HashMap<AttachmentId, String>,
    unit_names: &std::collections::HashMap<String, String>,
) -> RecordLine {
    let state = |s: &Option<String>| s.as_deref().and_then(ItemState::parse).map(|s| s.label()).unwrap_or("");
    let transition = match (&e.from, &e.to) {
        (Some(f), Some(t)) if f != t => format!("{} → {}", state(&e.from), state(&e.to)),
        (None, Some(_)) => state(&e.to).to_string(),
        _ => String::new(),
    };
    let p = &e.payload;
    let field = |k: &str, label: &str| {
        p.get(k)
            .and_then(|v| v.as_str().map(String::from).or_else(|| (!v.is_null()).then(|| v.to_string())))
            .map(|v| format!("{label}：{v}"))
    };
    let unit = p
        .get("unit")
        .and_then(|v| v.as_str())
        .map(|code| format!("责任单位：{}", unit_names.get(code).cloned().unwrap_or_else(|| code.to_string())));
    let details: Vec<String> = [
        unit,
        field("deadline", "期限"),
        field("deadline_workdays", "工作日"),
        field("note", "进展"),
        field("measures", "整改措施"),
        field("result", "办理结果"),
        field("paused_workdays", "暂停工作日"),
        field("filename", "附件"),
        p.get("children")
            .and_then(|c| c.as_array())
            .map(|c| format!("子事项：{}", c.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("、"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    RecordLine {
        at: view::time(&e.at),
        actor: e.actor_display_name.clone(),
        role: role_label(&e.actor_role),
        escalation: e.action == "escalate",
        label: e.action_label.clone(),
        transition,
        reason: e.reason.clone().unwrap_or_default(),
        details,
        attachments: e
            .attachments
            .iter()
            .map(|id| (*id, names.get(id).cloned().unwrap_or_else(|| format!("附件 {id}"))))
            .collect(),
    }
}

/// The form of an action: which fields it shows.
pub struct ActionForm {
    pub code: &'static str,
    pub label: &'static str,
    pub reason: bool,
    pub note: bool,
    pub close: bool,
    pub assign: bool,
    pub extension: bool,
    pub file: bool,
    /// Red buttons for actions that undo or stop.
    pub danger: bool,
}

fn action_form(action: Action) -> ActionForm {
    ActionForm {
        code: action.code(),
        label: action.label(),
        reason: action.needs_reason(),
        note: action == Action::Report,
        close: action == Action::RequestClose,
        assign: action == Action::Assign,
        extension: action == Action::RequestExtension,
        file: matches!(action, Action::Report | Action::RequestClose),
        danger: matches!(
            action,
            Action::Cancel | Action::Decline | Action::Return | Action::Reopen | Action::RejectExtension
        ),
    }
}

#[derive(Template)]
#[template(path = "items/show.html")]
struct ShowPage {
    shell: Shell,
    item: ItemOut,
    forms: Vec<ActionForm>,
    record: Vec<RecordLine>,
    choices: Vec<UnitChoice>,
    today: String,
    can_split: bool,
    can_upload: bool,
    parent: Option<(ItemId, String, String)>,
}

async fn show_page(state: &AppState, authed: &Authed, id: ItemId, flash: Option<Flash>) -> PageResult {
    let ctx = Context::load(state).await?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let parent = match row.parent_id {
        Some(pid) => query::get(&mut reader.conn(), &authed.actor, pid)
            .await
            .ok()
            .map(|p| (p.id, p.code.clone(), p.title.clone())),
        None => None,
    };
    let events = item_record(&mut reader.conn(), &row).await?;
    let item = full_item(&mut reader.conn(), &ctx.view(authed), row).await?;
    let names: std::collections::HashMap<AttachmentId, String> =
        item.attachments.iter().map(|a| (AttachmentId(a.id), a.filename.clone())).collect();
    // Units named in the record (by code, as the audit keeps them), shown by name.
    let mut unit_names = std::collections::HashMap::new();
    for code in events.iter().filter_map(|e| e.payload.get("unit").and_then(|v| v.as_str())) {
        if !unit_names.contains_key(code)
            && let Ok(unit) = bangdu_store::units::get_by_code(&mut reader.conn(), &authed.actor, code).await
        {
            unit_names.insert(code.to_string(), unit.name.clone());
        }
    }
    let record = events.into_iter().map(|e| record_line(e, &names, &unit_names)).collect();
    drop(reader);
    let mut forms: Vec<ActionForm> = item.actions.iter().filter_map(|a| Action::parse(a)).map(action_form).collect();
    // The way forward first; actions that undo or stop after it.
    forms.sort_by_key(|f| f.danger);
    let is_office = item.actions.iter().any(|a| a == "cancel") || forms.iter().any(|f| f.code == "approve_close");
    let can_split =
        authed.actor.can(Permission::ManageItems) && item.state != "closed" && item.state != "cancelled" && is_office;
    let can_upload = !forms.is_empty();
    let title = item.code.clone();
    render(&ShowPage {
        shell: shell(state, authed, "items", title.clone(), &[("督导事项", Some("/items")), (&title, None)])
            .await
            .flash(flash),
        choices: if forms.iter().any(|f| f.assign) || can_split {
            choices(state, authed, Picking::Any).await?
        } else {
            vec![]
        },
        today: ctx.today.to_string(),
        forms,
        record,
        can_split,
        can_upload,
        parent,
        item,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    Query(d): Query<Done>,
) -> PageResult {
    show_page(&state, &authed, id, flash::from_code(d.done.as_deref())).await
}

fn opt(fields: &std::collections::HashMap<String, String>, key: &str) -> Option<String> {
    fields.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn date_field(fields: &std::collections::HashMap<String, String>, key: &str) -> Result<Option<NaiveDate>, WebError> {
    match opt(fields, key) {
        Some(v) => NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| WebError::invalid(key, "日期格式应为 YYYY-MM-DD")),
        None => Ok(None),
    }
}

async fn try_act(
    state: &AppState,
    authed: &Authed,
    id: ItemId,
    fields: std::collections::HashMap<String, String>,
    file: Option<(String, Vec<u8>)>,
) -> Result<(), WebError> {
    let ctx = Context::load(state).await?;
    let version: i64 = opt(&fields, "version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let body = ActionBody {
        action: opt(&fields, "action").unwrap_or_default(),
        version,
        reason: opt(&fields, "reason"),
        note: opt(&fields, "note"),
        measures: opt(&fields, "measures"),
        result: opt(&fields, "result"),
        unit: opt(&fields, "unit"),
        lead_unit: opt(&fields, "lead_unit").map(Some),
        cooperating_units: opt(&fields, "cooperating_units")
            .map(|v| v.split([',', '，', ' ', '、']).filter(|s| !s.is_empty()).map(String::from).collect()),
        deadline: date_field(&fields, "deadline")?,
        deadline_workdays: match opt(&fields, "deadline_workdays") {
            Some(v) => Some(v.parse().map_err(|_| WebError::invalid("deadline_workdays", "工作日数应为正整数"))?),
            None => None,
        },
        assigned_on: date_field(&fields, "assigned_on")?,
        attachments: vec![],
    };
    let mut tx = state.db.begin().await?;
    let mut request = action_request(&mut tx.conn(), authed, body).await?;
    if let Some((name, bytes)) = file {
        let row = attachments::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &name, &bytes)
            .await
            .map_err(upload_error)?;
        request.attachments.push(row.id);
    }
    act(&mut tx.conn(), &authed.actor, &ctx.cal, id, request, ctx.today).await?;
    tx.commit().await?;
    Ok(())
}

/// An action form (multipart, so that progress reports and write-off requests can carry a file).
pub async fn act_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    multipart: Multipart,
) -> PageResult {
    let crate::extract::Parts { fields, file } = csrf_parts(&authed, multipart).await?;
    let label = opt(&fields, "action").and_then(|a| Action::parse(&a)).map(|a| a.label()).unwrap_or("操作");
    match try_act(&state, &authed, id, fields, file).await {
        Ok(()) => Ok(done(&format!("/items/{id}"), "acted")),
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            show_page(&state, &authed, id, flash::error(format!("{label}未完成：{}", e.message))).await
        }
        Err(e) => Err(e),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    multipart: Multipart,
) -> PageResult {
    let crate::extract::Parts { file, .. } = csrf_parts(&authed, multipart).await?;
    let Some((name, bytes)) = file else {
        return show_page(&state, &authed, id, flash::error("请选择要上传的文件")).await;
    };
    let mut tx = state.db.begin().await?;
    match attachments::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &name, &bytes)
        .await
        .map_err(upload_error)
    {
        Ok(_) => {
            tx.commit().await?;
            Ok(done(&format!("/items/{id}"), "uploaded"))
        }
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            show_page(&state, &authed, id, flash::error(e.message)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<AttachmentId>,
) -> PageResult {
    Ok(attachment_response(&state, &authed, id).await?.into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_link: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub responsible_unit: String,
    #[serde(default)]
    pub lead_unit: String,
    #[serde(default)]
    pub cooperating_units: String,
    #[serde(default)]
    pub responsible_person: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub completion_standard: String,
    #[serde(default)]
    pub related_projects: String,
    #[serde(default)]
    pub draft: Option<String>,
}

#[derive(Template)]
#[template(path = "items/new.html")]
struct NewPage {
    shell: Shell,
    form: ItemForm,
    sources: Vec<Choice>,
    priorities: Vec<Choice>,
    choices: Vec<UnitChoice>,
    error_field: String,
}

async fn new_page(state: &AppState, authed: &Authed, form: ItemForm, error: Option<&WebError>) -> PageResult {
    let shell = shell(state, authed, "items", "登记督导事项", &[("督导事项", Some("/items")), ("登记", None)])
        .await
        .flash(error.and_then(|e| flash::error(e.message.clone())));
    render(&NewPage {
        shell,
        sources: source_choices(&form.source),
        priorities: priority_choices(&form.priority),
        choices: choices(state, authed, Picking::Any).await?,
        error_field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
        form,
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    super::require(&authed, Permission::CreateItems)?;
    new_page(
        &state,
        &authed,
        ItemForm { source: "inspection".into(), priority: "normal".into(), ..ItemForm::default() },
        None,
    )
    .await
}

fn list_of(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

pub async fn create_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> PageResult {
    super::require(&authed, Permission::CreateItems)?;
    let empty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let body = ItemCreate {
        title: form.title.clone(),
        description: empty(&form.description),
        source: empty(&form.source),
        source_link: empty(&form.source_link),
        tags: list_of(&form.tags),
        related_projects: empty(&form.related_projects),
        priority: empty(&form.priority),
        parent: None,
        owner_unit: None,
        responsible_unit: empty(&form.responsible_unit),
        lead_unit: empty(&form.lead_unit),
        cooperating_units: list_of(&form.cooperating_units),
        responsible_person: empty(&form.responsible_person),
        measures: empty(&form.measures),
        completion_standard: empty(&form.completion_standard),
        draft: form.draft.is_some(),
    };
    let result: Result<ItemId, WebError> = async {
        let mut tx = state.db.begin().await?;
        let new = new_item(&mut tx.conn(), &authed, body).await?;
        let row = create(&mut tx.conn(), &authed.actor, new).await?;
        tx.commit().await?;
        Ok(row.id)
    }
    .await;
    match result {
        Ok(id) => Ok(done(&format!("/items/{id}"), "created")),
        Err(e) if e.status.is_client_error() => new_page(&state, &authed, form, Some(&e)).await,
        Err(e) => Err(e),
    }
}

/// The split form posts up to five rows as repeated fields; empty rows are skipped.
pub async fn split_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    body: axum::body::Bytes,
) -> PageResult {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let token = pairs.iter().find(|(k, _)| k == "csrf_token").map(|(_, v)| v.clone()).unwrap_or_default();
    let expected = authed.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("");
    if !csrf::tokens_match(expected, &token) {
        return Err(expired());
    }
    let values =
        |key: &str| pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim().to_string()).collect::<Vec<_>>();
    let (titles, units, days) = (values("title"), values("unit"), values("deadline_workdays"));
    let result: Result<(), WebError> = async {
        let ctx = Context::load(&state).await?;
        let mut tx = state.db.begin().await?;
        let mut specs = Vec::new();
        for (i, title) in titles.iter().enumerate() {
            if title.is_empty() {
                continue;
            }
            let unit_code = units.get(i).cloned().unwrap_or_default();
            let unit = bangdu_store::units::resolve(&mut tx.conn(), &authed.actor, "unit", &unit_code).await?;
            let workdays = match days.get(i).filter(|d| !d.is_empty()) {
                Some(d) => {
                    Some(d.parse::<u32>().map_err(|_| WebError::invalid("deadline_workdays", "工作日数应为正整数"))?)
                }
                None => None,
            };
            specs.push(ChildSpec {
                title: title.clone(),
                description: None,
                unit: unit.unit_id(),
                deadline: None,
                deadline_workdays: workdays,
            });
        }
        split(&mut tx.conn(), &authed.actor, &ctx.cal, id, specs, ctx.today).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/items/{id}"), "split")),
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            show_page(&state, &authed, id, flash::error(format!("分解未完成：{}", e.message))).await
        }
        Err(e) => Err(e),
    }
}
