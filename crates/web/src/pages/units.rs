//! 组织机构 pages: the unit tree, a unit, the create/edit form, CSV import and export.

use super::errors::PageResult;
use super::flash;
use super::forms::{CsrfForm, expired};
use super::pager::Pager;
use super::shell::{Flash, shell};
use super::{Done, done, render, view};
use crate::auth::{Authed, PageUser, csrf};
use crate::error::WebError;
use crate::error::WebResult;
use crate::input::page_request;
use crate::input::units::{UnitQuery, unit_filter};
use crate::output::download::csv_download;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::IntoResponse;
use bangdu_domain::UnitId;
use bangdu_domain::permission::Permission;
use bangdu_domain::unit::UnitKind;
use bangdu_store::audit;
use bangdu_store::paging::PageRequest;
use bangdu_store::unit_csv::{self, ImportReport};
use bangdu_store::unit_input;
use bangdu_store::units::Picking;
use bangdu_store::units::{self, Unit, UnitChanges, UnitFilter, UnitSort};
use bangdu_store::users::{self, UserFilter};
use serde::Deserialize;

use super::choice::Choice;

pub fn kind_options(selected: &str) -> Vec<Choice> {
    UnitKind::ALL.iter().map(|k| Choice { code: k.code(), label: k.label(), selected: k.code() == selected }).collect()
}

/// A unit as a row of a table.
pub struct UnitLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub indent: i64,
    pub kind: String,
    pub parent: String,
    pub region: String,
    pub active: bool,
}

impl UnitLine {
    fn from(u: &Unit, base_depth: i64) -> UnitLine {
        UnitLine {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            indent: (u.depth - base_depth).clamp(0, 8),
            kind: u.kind_label().to_string(),
            parent: view::or_dash(&u.parent_name),
            region: view::or_dash(&u.region),
            active: u.active,
        }
    }
}

/// A unit for pickers: `<datalist>` options of code and name.
pub struct UnitChoice {
    pub code: String,
    pub label: String,
}

pub async fn choices(state: &AppState, authed: &Authed, picking: Picking) -> Result<Vec<UnitChoice>, WebError> {
    let mut reader = state.db.reader().await?;
    let all = units::pickable(&mut reader.conn(), &authed.actor, picking).await?;
    Ok(all
        .into_iter()
        .map(|u| UnitChoice {
            label: match &u.parent_name {
                Some(parent) => format!("{}（{}）", u.name, parent),
                None => u.name.clone(),
            },
            code: u.code.clone(),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "units/list.html")]
struct ListPage {
    shell: super::shell::Shell,
    rows: Vec<UnitLine>,
    pager: Pager,
    kinds: Vec<Choice>,
    q: String,
    active: String,
    under: String,
    export_query: String,
    can_manage: bool,
    tree: bool,
    choices: Vec<UnitChoice>,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub active: Option<String>,
    pub under: Option<String>,
    pub page: Option<String>,
    pub done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let query = UnitQuery {
        q: p.q.clone(),
        kind: p.kind.clone(),
        active: p.active.clone(),
        under: p.under.clone(),
        ..UnitQuery::default()
    };
    let mut reader = state.db.reader().await?;
    let filter = unit_filter(&mut reader.conn(), &authed.actor, &query).await?;
    let page = page_request(&p.page, &Some("50".into()))?;
    let tree = filter.q.as_deref().is_none_or(|q| q.trim().is_empty());
    let paged = units::list(
        &mut reader.conn(),
        &authed.actor,
        &filter,
        if tree { UnitSort::Tree } else { UnitSort::Name },
        page,
    )
    .await?;
    drop(reader);
    let base_depth = paged.data.iter().map(|u| u.depth).min().unwrap_or(0);
    let params = [
        ("q", p.q.clone().unwrap_or_default()),
        ("kind", p.kind.clone().unwrap_or_default()),
        ("active", p.active.clone().unwrap_or_default()),
        ("under", p.under.clone().unwrap_or_default()),
    ];
    let export_query = {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
            s.append_pair(k, v);
        }
        s.finish()
    };
    render(&ListPage {
        shell: shell(&state, &authed, "units", "组织机构", &[("组织机构", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        rows: paged.data.iter().map(|u| UnitLine::from(u, if tree { base_depth } else { 0 })).collect(),
        pager: Pager::new(&paged, "/units", &params),
        kinds: kind_options(p.kind.as_deref().unwrap_or("")),
        q: p.q.unwrap_or_default(),
        active: p.active.unwrap_or_default(),
        under: p.under.unwrap_or_default(),
        export_query,
        can_manage: authed.actor.can(Permission::ManageUnits),
        tree,
        choices: choices(&state, &authed, Picking::Any).await?,
    })
}

pub struct UserLine {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub roles: String,
}

pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage {
    shell: super::shell::Shell,
    unit: Unit,
    kind: String,
    region: String,
    created: String,
    updated: String,
    children: Vec<UnitLine>,
    people: Vec<UserLine>,
    history: Vec<HistoryLine>,
    can_manage: bool,
    can_see_people: bool,
    can_webhooks: bool,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    crate::extract::Id(id): crate::extract::Id<bangdu_domain::UnitId>,
    Query(d): Query<Done>,
) -> PageResult {
    let mut reader = state.db.reader().await?;
    let unit = units::get(&mut reader.conn(), &authed.actor, id).await?;
    let children =
        units::all(&mut reader.conn(), &authed.actor, &UnitFilter { parent: Some(id), ..Default::default() }).await?;
    let can_see_people = authed.actor.can(Permission::ViewUsers);
    let mut people = Vec::new();
    if can_see_people {
        let list = users::list(
            &mut reader.conn(),
            &authed.actor,
            &UserFilter { unit: Some(i64::from(id)), ..Default::default() },
            PageRequest::new(Some(1), Some(100)),
        )
        .await?;
        people = list
            .data
            .into_iter()
            .map(|u| UserLine {
                id: u.row.id,
                roles: u
                    .grants
                    .iter()
                    .filter(|g| g.unit.id == id.0)
                    .map(|g| g.role_label)
                    .collect::<Vec<_>>()
                    .join("、"),
                name: u.row.display_name,
                username: u.row.username,
            })
            .collect();
    }
    let mut history = Vec::new();
    if authed.actor.can(Permission::ViewAudit) {
        history = audit::for_object(&mut reader.conn(), "unit", &id.to_string(), 50)
            .await?
            .into_iter()
            .rev()
            .map(|e| HistoryLine {
                at: view::time(&e.at),
                actor: e.actor_name,
                action: super::audit::action_label(&e.action).to_string(),
                detail: super::audit::change_summary(&e.change),
            })
            .collect();
    }
    drop(reader);
    let title = unit.name.clone();
    render(&ShowPage {
        shell: shell(&state, &authed, "units", title.clone(), &[("组织机构", Some("/units")), (&title, None)])
            .await
            .flash(flash::from_code(d.done.as_deref())),
        kind: unit.kind_label().to_string(),
        region: view::or_dash(&unit.region),
        created: view::time(&unit.created_at),
        updated: view::time(&unit.updated_at),
        children: children.iter().map(|u| UnitLine::from(u, unit.depth + 1)).collect(),
        people,
        history,
        can_webhooks: authed.actor.can(Permission::ManageUnits) || authed.actor.can(Permission::ManageItems),
        can_manage: authed.actor.can(Permission::ManageUnits),
        can_see_people,
        unit,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct UnitForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub sort_order: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Template)]
#[template(path = "units/form.html")]
struct FormPage {
    shell: super::shell::Shell,
    form: UnitForm,
    kinds: Vec<Choice>,
    choices: Vec<UnitChoice>,
    action: String,
    cancel: String,
    editing: bool,
    error_field: String,
}

async fn form_page(
    state: &AppState,
    authed: &Authed,
    form: UnitForm,
    editing: Option<&Unit>,
    error: Option<&WebError>,
) -> PageResult {
    let (title, action) = match editing {
        Some(u) => (format!("编辑：{}", u.name), format!("/units/{}", u.id)),
        None => ("新建单位".to_string(), "/units".to_string()),
    };
    let cancel = if editing.is_some() { action.clone() } else { "/units".to_string() };
    let mut crumbs: Vec<(&str, Option<&str>)> = vec![("组织机构", Some("/units"))];
    crumbs.push((&title, None));
    let shell = shell(state, authed, "units", title.clone(), &crumbs)
        .await
        .flash(error.and_then(|e| flash::error(e.message.clone())));
    render(&FormPage {
        shell,
        kinds: kind_options(&form.kind),
        choices: choices(state, authed, Picking::Parent).await?,
        form,
        action,
        cancel,
        editing: editing.is_some(),
        error_field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
    })
}

fn require_manage(authed: &Authed) -> WebResult<()> {
    super::require(authed, Permission::ManageUnits)
}

#[derive(Deserialize, Default)]
pub struct NewParams {
    pub parent: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<NewParams>,
) -> PageResult {
    require_manage(&authed)?;
    let form = UnitForm { parent: p.parent.unwrap_or_default(), kind: "department".into(), ..UnitForm::default() };
    form_page(&state, &authed, form, None, None).await
}

fn sort_order(text: &str) -> Result<i64, WebError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse().map_err(|_| WebError::invalid("sort_order", "排序号应为整数"))
}

async fn try_create(state: &AppState, authed: &Authed, form: &UnitForm) -> Result<Unit, WebError> {
    let mut tx = state.db.begin().await?;
    let parent = match form.parent.trim() {
        "" => None,
        code => Some(units::resolve_to_manage(&mut tx.conn(), &authed.actor, "parent", code).await?.unit_id()),
    };
    let new =
        unit_input::new_unit(&form.code, &form.name, &form.kind, &form.region, parent, sort_order(&form.sort_order)?)?;
    let unit = units::create(&mut tx.conn(), &authed.actor, new).await?;
    tx.commit().await?;
    Ok(unit)
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> PageResult {
    require_manage(&authed)?;
    match try_create(&state, &authed, &form).await {
        Ok(unit) => Ok(done(&format!("/units/{}", unit.id), "created")),
        Err(e) if e.status.is_client_error() => form_page(&state, &authed, form, None, Some(&e)).await,
        Err(e) => Err(e),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    crate::extract::Id(id): crate::extract::Id<bangdu_domain::UnitId>,
) -> PageResult {
    require_manage(&authed)?;
    let unit = {
        let mut reader = state.db.reader().await?;
        units::get_to_manage(&mut reader.conn(), &authed.actor, id).await?
    };
    let form = UnitForm {
        code: unit.code.clone(),
        name: unit.name.clone(),
        kind: unit.kind.clone(),
        parent: unit.parent_code.clone().unwrap_or_default(),
        region: unit.region.clone().unwrap_or_default(),
        sort_order: unit.sort_order.to_string(),
        version: unit.version.to_string(),
    };
    form_page(&state, &authed, form, Some(&unit), None).await
}

async fn try_update(state: &AppState, authed: &Authed, current: &Unit, form: &UnitForm) -> Result<Unit, WebError> {
    let mut tx = state.db.begin().await?;
    // Only a changed parent is a move: the current parent may lie outside the editor's scope.
    let parent = if form.parent.trim() == current.parent_code.as_deref().unwrap_or("") {
        None
    } else if form.parent.trim().is_empty() {
        Some(None)
    } else {
        Some(Some(units::resolve_to_manage(&mut tx.conn(), &authed.actor, "parent", &form.parent).await?.unit_id()))
    };
    let changes = UnitChanges {
        code: Some(unit_input::code(&form.code)?),
        name: Some(unit_input::name(&form.name)?),
        kind: Some(unit_input::kind(&form.kind)?),
        region: Some(unit_input::region(&form.region)?),
        sort_order: Some(sort_order(&form.sort_order)?),
        parent,
        version: form.version.trim().parse().ok(),
    };
    let unit = units::update(&mut tx.conn(), &authed.actor, UnitId(current.id), changes).await?;
    tx.commit().await?;
    Ok(unit)
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    crate::extract::Id(id): crate::extract::Id<bangdu_domain::UnitId>,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> PageResult {
    require_manage(&authed)?;
    let current = {
        let mut reader = state.db.reader().await?;
        units::get_to_manage(&mut reader.conn(), &authed.actor, id).await?
    };
    match try_update(&state, &authed, &current, &form).await {
        Ok(unit) => Ok(done(&format!("/units/{}", unit.id), "saved")),
        Err(e) if e.status.is_client_error() => form_page(&state, &authed, form, Some(&current), Some(&e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    pub version: String,
}

async fn set_active(state: &AppState, authed: &Authed, id: UnitId, active: bool, version: &str) -> PageResult {
    require_manage(authed)?;
    let mut tx = state.db.begin().await?;
    let result = units::set_active(&mut tx.conn(), &authed.actor, id, active, version.trim().parse().ok()).await;
    match result {
        Ok(_) => {
            tx.commit().await?;
            Ok(done(&format!("/units/{id}"), if active { "activated" } else { "deactivated" }))
        }
        Err(e) => Err(WebError::from(e)),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    crate::extract::Id(id): crate::extract::Id<bangdu_domain::UnitId>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> PageResult {
    set_active(&state, &authed, id, false, &form.version).await
}

pub async fn activate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    crate::extract::Id(id): crate::extract::Id<bangdu_domain::UnitId>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> PageResult {
    set_active(&state, &authed, id, true, &form.version).await
}

pub async fn export(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let query = UnitQuery { q: p.q, kind: p.kind, active: p.active, under: p.under, ..UnitQuery::default() };
    let mut reader = state.db.reader().await?;
    let filter = unit_filter(&mut reader.conn(), &authed.actor, &query).await?;
    let csv = unit_csv::export(&mut reader.conn(), &authed.actor, &filter).await?;
    Ok(csv_download("组织机构.csv", csv).into_response())
}

#[derive(Template)]
#[template(path = "units/import.html")]
struct ImportPage {
    shell: super::shell::Shell,
    report: Option<ImportReport>,
    error: Option<String>,
}

async fn import_page(
    state: &AppState,
    authed: &Authed,
    report: Option<ImportReport>,
    error: Option<String>,
) -> PageResult {
    let shell = shell(state, authed, "units", "导入单位", &[("组织机构", Some("/units")), ("导入单位", None)]).await;
    let shell = match &report {
        Some(r) => shell.flash(Some(Flash {
            kind: "success",
            text: format!("导入完成：共 {} 行，新建 {}，更新 {}，未变 {}", r.rows, r.created, r.updated, r.unchanged),
        })),
        None => shell.flash(error.clone().and_then(flash::error)),
    };
    render(&ImportPage { shell, report, error })
}

pub async fn import_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    require_manage(&authed)?;
    import_page(&state, &authed, None, None).await
}

/// The import form posts `multipart/form-data` (a file), so its CSRF token is read from the parts.
pub async fn import(State(state): State<AppState>, PageUser(authed): PageUser, mut multipart: Multipart) -> PageResult {
    require_manage(&authed)?;
    let mut token = String::new();
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|_| WebError::bad_request("invalid_form", "上传内容无效"))?
    {
        match field.name() {
            Some("csrf_token") => token = field.text().await.unwrap_or_default(),
            Some("file") => {
                let bytes =
                    field.bytes().await.map_err(|_| WebError::bad_request("invalid_form", "文件读取失败或过大"))?;
                if !bytes.is_empty() {
                    file = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    let expected = authed.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("");
    if !csrf::tokens_match(expected, &token) {
        return Err(expired());
    }
    let Some(bytes) = file else {
        return import_page(&state, &authed, None, Some("请选择要导入的 CSV 文件".into())).await;
    };
    match bangdu_store::unit_csv::import_file(&state.db, &authed.actor, &bytes).await.map_err(WebError::from) {
        Ok(report) => import_page(&state, &authed, Some(report), None).await,
        Err(e) if e.status.is_client_error() => import_page(&state, &authed, None, Some(e.message)).await,
        Err(e) => Err(e),
    }
}
