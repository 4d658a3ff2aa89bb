//! The unit form: a new unit, or a change to one (which may move it under another parent).

use super::{UnitChoice, choices, kind_options};
use crate::auth::{Authed, PageUser};
use crate::error::{WebError, WebResult};
use crate::extract::Id;
use crate::input::units::UnitForm;
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Shell, shell};
use crate::pages::{done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use bangdu_domain::UnitId;
use bangdu_store::units::{self, Picking, Unit};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "units/form.html")]
struct FormPage {
    shell: Shell,
    form: UnitForm,
    kinds: Vec<Choice>,
    choices: Vec<UnitChoice>,
    action: String,
    cancel: String,
    editing: bool,
    error_field: String,
}

/// The form, empty or as sent with the reason it was refused. Its parent picker offers the units
/// the person manages, so only those who manage units see it.
async fn form_page(
    state: &AppState,
    authed: &Authed,
    form: UnitForm,
    editing: Option<&Unit>,
    error: Option<WebError>,
) -> PageResult {
    let error = error.as_ref();
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

#[derive(Deserialize, Default)]
pub struct NewParams {
    pub parent: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<NewParams>,
) -> PageResult {
    let form = UnitForm { parent: p.parent.unwrap_or_default(), kind: "department".into(), ..UnitForm::default() };
    form_page(&state, &authed, form, None, None).await
}

async fn try_create(state: &AppState, authed: &Authed, form: &UnitForm) -> WebResult<Response> {
    let create = form.to_create()?;
    let mut tx = state.db.begin().await?;
    let new = create.into_command(&mut tx.conn(), &authed.actor).await?;
    let unit = units::create(&mut tx.conn(), &authed.actor, new).await?;
    tx.commit().await?;
    Ok(done(&format!("/units/{}", unit.id), "created"))
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> PageResult {
    settle(try_create(&state, &authed, &form).await, |e| form_page(&state, &authed, form.clone(), None, Some(e))).await
}

async fn managed(state: &AppState, authed: &Authed, id: UnitId) -> WebResult<Unit> {
    let mut reader = state.db.reader().await?;
    Ok(units::get_to_manage(&mut reader.conn(), &authed.actor, id).await?)
}

pub async fn edit_form(State(state): State<AppState>, PageUser(authed): PageUser, Id(id): Id<UnitId>) -> PageResult {
    let unit = managed(&state, &authed, id).await?;
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

async fn try_update(state: &AppState, authed: &Authed, current: &Unit, form: &UnitForm) -> WebResult<Response> {
    let patch = form.to_patch(current.parent_code.as_deref())?;
    let mut tx = state.db.begin().await?;
    let changes = patch.into_command(&mut tx.conn(), &authed.actor).await?;
    let unit = units::update(&mut tx.conn(), &authed.actor, UnitId(current.id), changes).await?;
    tx.commit().await?;
    Ok(done(&format!("/units/{}", unit.id), "saved"))
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UnitId>,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> PageResult {
    let current = managed(&state, &authed, id).await?;
    settle(try_update(&state, &authed, &current, &form).await, |e| {
        form_page(&state, &authed, form.clone(), Some(&current), Some(e))
    })
    .await
}
