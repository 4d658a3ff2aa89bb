//! Registering and changing a project from a page. The form carries the whole record (as the
//! API's PUT does) with the version read, so two people editing at once cannot overwrite each other.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::output::projects::ProjectOut;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{done, flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use bangdu_domain::ProjectId;
use bangdu_domain::project::{Level, Status};
use bangdu_store::projects::input::{MilestoneInput, ProjectInput};
use bangdu_store::projects::lights::LightRules;
use bangdu_store::projects::{create, query};
use bangdu_store::units::Picking;
use chrono::Datelike;
use serde::Deserialize;
use std::collections::HashMap;

/// Milestone rows on the form.
const MILESTONE_ROWS: usize = 8;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProjectForm {
    pub name: String,
    pub year: String,
    pub level: String,
    pub kind: String,
    pub series: String,
    pub seq: String,
    pub lead_unit: String,
    pub cooperating_units: String,
    pub manager_unit: String,
    pub responsible_person: String,
    pub address: String,
    pub lat: String,
    pub lon: String,
    pub target: String,
    pub indicator_value: String,
    pub indicator_unit: String,
    pub funds_planned: String,
    pub funds_allocated: String,
    pub funds_spent: String,
    pub planned_start: String,
    pub planned_end: String,
    pub status: String,
    pub completed_on: String,
    pub version: String,
    /// `m{n}_name`, `m{n}_date`, `m{n}_progress` for the milestone rows.
    #[serde(flatten)]
    pub rest: HashMap<String, String>,
}

/// One milestone row of the form.
pub struct MilestoneRow {
    pub n: usize,
    pub name: String,
    pub date: String,
    pub progress: String,
}

impl ProjectForm {
    fn rows(&self) -> Vec<MilestoneRow> {
        let get = |k: String| self.rest.get(&k).cloned().unwrap_or_default();
        (1..=MILESTONE_ROWS)
            .map(|n| MilestoneRow {
                n,
                name: get(format!("m{n}_name")),
                date: get(format!("m{n}_date")),
                progress: get(format!("m{n}_progress")),
            })
            .collect()
    }

    fn input(&self) -> ProjectInput {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ProjectInput {
            name: self.name.trim().to_string(),
            year: opt(&self.year),
            level: opt(&self.level),
            kind: self.kind.trim().to_string(),
            series: opt(&self.series),
            seq: opt(&self.seq),
            lead_unit: self.lead_unit.trim().to_string(),
            cooperating_units: self
                .cooperating_units
                .split([',', '，', '、', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
            owner_unit: None,
            manager_unit: opt(&self.manager_unit),
            responsible_person: opt(&self.responsible_person),
            address: opt(&self.address),
            lat: opt(&self.lat),
            lon: opt(&self.lon),
            target: opt(&self.target),
            indicator_value: opt(&self.indicator_value),
            indicator_unit: opt(&self.indicator_unit),
            funds_planned: opt(&self.funds_planned),
            funds_allocated: opt(&self.funds_allocated),
            funds_spent: opt(&self.funds_spent),
            planned_start: self.planned_start.trim().to_string(),
            planned_end: self.planned_end.trim().to_string(),
            milestones: self
                .rows()
                .into_iter()
                .filter(|r| !(r.name.trim().is_empty() && r.date.trim().is_empty() && r.progress.trim().is_empty()))
                .map(|r| MilestoneInput { name: r.name, date: r.date, progress: opt(&r.progress) })
                .collect(),
            status: opt(&self.status),
            completed_on: opt(&self.completed_on),
        }
    }

    fn of(p: &ProjectOut) -> ProjectForm {
        let mut rest = HashMap::new();
        for (i, m) in p.milestones.iter().enumerate().take(MILESTONE_ROWS) {
            let n = i + 1;
            rest.insert(format!("m{n}_name"), m.name.clone());
            rest.insert(format!("m{n}_date"), m.date.to_string());
            rest.insert(format!("m{n}_progress"), m.progress.to_string());
        }
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ProjectForm {
            name: p.name.clone(),
            year: p.year.to_string(),
            level: p.level.clone(),
            kind: p.kind.clone(),
            series: text(&p.series),
            seq: p.seq.map(|s| s.to_string()).unwrap_or_default(),
            lead_unit: p.lead_unit.code.clone(),
            cooperating_units: p.cooperating_units.iter().map(|u| u.code.as_str()).collect::<Vec<_>>().join(","),
            manager_unit: p.manager_unit.as_ref().map(|u| u.code.clone()).unwrap_or_default(),
            responsible_person: text(&p.responsible_person),
            address: text(&p.address),
            lat: p.lat.map(|v| v.to_string()).unwrap_or_default(),
            lon: p.lon.map(|v| v.to_string()).unwrap_or_default(),
            target: text(&p.target),
            indicator_value: text(&p.indicator_value),
            indicator_unit: text(&p.indicator_unit),
            funds_planned: p.funds_planned.clone(),
            funds_allocated: p.funds_allocated.clone(),
            funds_spent: p.funds_spent.clone(),
            planned_start: p.planned_start.to_string(),
            planned_end: p.planned_end.to_string(),
            status: p.status.clone(),
            completed_on: p.completed_on.map(|d| d.to_string()).unwrap_or_default(),
            version: p.version.to_string(),
            rest,
        }
    }
}

#[derive(Template)]
#[template(path = "projects/edit.html")]
struct EditPage {
    shell: Shell,
    /// The project being changed; none when registering.
    id: Option<i64>,
    form: ProjectForm,
    rows: Vec<MilestoneRow>,
    error_field: String,
    units: Vec<UnitChoice>,
    kinds: Vec<(String, bool)>,
    levels: Vec<(&'static str, &'static str, bool)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
}

async fn edit_page(
    state: &AppState,
    authed: &Authed,
    id: Option<i64>,
    form: ProjectForm,
    error: Option<&WebError>,
) -> PageResult {
    let kinds = {
        let mut reader = state.db.reader().await?;
        bangdu_store::settings::project_kinds(&mut reader.conn()).await?
    };
    let title = if id.is_some() { "编辑项目" } else { "登记项目" };
    let mut crumbs: Vec<(String, Option<String>)> = vec![("项目".into(), Some("/projects".into()))];
    if let Some(id) = id {
        crumbs.push((form.name.clone(), Some(format!("/projects/{id}"))));
    }
    crumbs.push((title.into(), None));
    let crumb_refs: Vec<(&str, Option<&str>)> = crumbs.iter().map(|(l, h)| (l.as_str(), h.as_deref())).collect();
    render(&EditPage {
        shell: shell(state, authed, "projects", title, &crumb_refs)
            .await
            .flash(error.and_then(|e| flash::error(e.message.clone()))),
        id,
        rows: form.rows(),
        error_field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
        units: choices(state, authed, Picking::ProjectUnits).await?,
        kinds: kinds.into_iter().map(|k| (k.clone(), k == form.kind)).collect(),
        levels: Level::ALL.iter().map(|l| (l.code(), l.label(), l.code() == form.level)).collect(),
        statuses: Status::ALL.iter().map(|s| (s.code(), s.label(), s.code() == form.status)).collect(),
        form,
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let year = state.today().year();
    let form = ProjectForm {
        year: year.to_string(),
        level: Level::County.code().into(),
        planned_start: format!("{year}-01-01"),
        planned_end: format!("{year}-12-31"),
        status: Status::NotStarted.code().into(),
        ..ProjectForm::default()
    };
    edit_page(&state, &authed, None, form, None).await
}

pub async fn create_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<ProjectForm>,
) -> PageResult {
    let result: Result<ProjectId, WebError> = async {
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        let rules = LightRules::load(&mut tx.conn(), &cal).await?;
        let row = create::create(&mut tx.conn(), &authed.actor, &rules, &form.input(), state.today()).await?;
        tx.commit().await?;
        Ok(row.id)
    }
    .await;
    match result {
        Ok(id) => Ok(done(&format!("/projects/{id}"), "created")),
        Err(e) if e.status.is_client_error() => edit_page(&state, &authed, None, form, Some(&e)).await,
        Err(e) => Err(e),
    }
}

pub async fn edit_form(State(state): State<AppState>, PageUser(authed): PageUser, Id(id): Id<ProjectId>) -> PageResult {
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let units = query::units_of_one(&mut reader.conn(), &row).await?;
    if !bangdu_store::projects::can_manage(&authed.actor, &row, &query::unit_paths(&units)) {
        return Err(WebError::forbidden());
    }
    drop(reader);
    let form = ProjectForm::of(&ProjectOut::new(row, &units));
    edit_page(&state, &authed, Some(i64::from(id)), form, None).await
}

pub async fn update_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ProjectId>,
    CsrfForm(form): CsrfForm<ProjectForm>,
) -> PageResult {
    let version: i64 = form.version.trim().parse().unwrap_or(0);
    let result: Result<(), WebError> = async {
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        let rules = LightRules::load(&mut tx.conn(), &cal).await?;
        create::update(&mut tx.conn(), &authed.actor, &rules, id, version, &form.input(), state.today()).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/projects/{id}"), "saved")),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            edit_page(&state, &authed, Some(i64::from(id)), form, Some(&e)).await
        }
        Err(e) => Err(e),
    }
}
