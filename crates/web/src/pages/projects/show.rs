//! A project: its facts and milestones, the light (today or on a chosen day), the monthly reports
//! with the form to submit one (and its evidence) and the office's check, the light history, the
//! frozen figures, the operating checks once it is built, and the supervision items raised from it.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::extract::Ids;
use crate::extract::Parts;
use crate::output::items::ItemOut;
use crate::output::items::upload_error;
use crate::output::items::{Context, page_items};
use crate::output::projects::report_outs;
use crate::output::projects::{CheckOut, check_outs};
use crate::output::projects::{FrozenOut, LightChangeOut, ProjectOut, ReportOut};
use crate::pages::errors::PageResult;
use crate::pages::forms::{CsrfForm, NoFields, csrf_parts};
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{done, flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use bangdu_domain::project::plan::parse_date;
use bangdu_domain::project::{Light, Period, ReportVerdict, Status};
use bangdu_domain::{ItemId, ProjectId, ReportId};
use bangdu_store::projects::files::{self, FileFor};
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::reports::{self, ReportInput};
use bangdu_store::projects::{can_manage, can_report, checks, freeze, query, supervise};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub progress_reason: String,
    #[serde(default)]
    pub indicator_achieved: String,
    #[serde(default)]
    pub funds_allocated: String,
    #[serde(default)]
    pub funds_spent: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub completed_on: String,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub problems: String,
}

impl ReportForm {
    fn from_parts(parts: &Parts) -> ReportForm {
        let t = |k: &str| parts.fields.get(k).cloned().unwrap_or_default();
        ReportForm {
            period: t("period"),
            progress: t("progress"),
            progress_reason: t("progress_reason"),
            indicator_achieved: t("indicator_achieved"),
            funds_allocated: t("funds_allocated"),
            funds_spent: t("funds_spent"),
            status: t("status"),
            completed_on: t("completed_on"),
            narrative: t("narrative"),
            problems: t("problems"),
        }
    }

    fn input(&self) -> ReportInput {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ReportInput {
            period: self.period.trim().to_string(),
            progress: opt(&self.progress),
            progress_reason: opt(&self.progress_reason),
            indicator_achieved: opt(&self.indicator_achieved),
            funds_allocated: opt(&self.funds_allocated),
            funds_spent: opt(&self.funds_spent),
            narrative: opt(&self.narrative),
            problems: opt(&self.problems),
            status: opt(&self.status),
            completed_on: opt(&self.completed_on),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ShowParams {
    pub as_of: Option<String>,
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    shell: Shell,
    p: ProjectOut,
    /// The light on the chosen day, when one is chosen.
    at: Option<ProjectOut>,
    as_of: String,
    reports: Vec<ReportOut>,
    changes: Vec<LightChangeOut>,
    frozen: Vec<FrozenOut>,
    items: Vec<ItemOut>,
    checks: Vec<CheckOut>,
    can_manage: bool,
    can_report: bool,
    can_raise: bool,
    /// May record operating checks (and the project is finished).
    can_check: bool,
    /// May turn a check's problem into an item.
    can_raise_check: bool,
    today: String,
    form: ReportForm,
    error_field: String,
    statuses: Vec<(&'static str, &'static str, bool)>,
}

impl ShowPage {
    fn word(&self, light: &str) -> &'static str {
        super::light_word(light)
    }

    /// "2400 万元" for an amount the API writes as "24000000.00".
    fn money(&self, text: &str) -> String {
        super::money_text(text)
    }

    fn status_label(&self, code: &str) -> &'static str {
        Status::parse(code).map_or("", |s| s.label())
    }

    /// Can files still be added to this month's report?
    fn open_for_files(&self, r: &ReportOut) -> bool {
        self.can_report && r.check_state != "accepted" && r.frozen_by.is_none()
    }

    fn is_done(&self) -> bool {
        Status::parse(&self.p.status).is_some_and(Status::is_done)
    }
}

pub(super) async fn show_page(
    state: &AppState,
    authed: &Authed,
    id: ProjectId,
    as_of: Option<&str>,
    flash: Option<Flash>,
    form: Option<ReportForm>,
    error_field: String,
) -> PageResult {
    let as_of = as_of.map(str::trim).filter(|d| !d.is_empty());
    let on = as_of.map(|d| parse_date("as_of", d)).transpose().map_err(WebError::from)?;
    let ctx = Context::load(state).await?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let units = query::units_of_one(&mut reader.conn(), &row).await?;
    let paths = query::unit_paths(&units);
    let (manage, report) = (can_manage(&authed.actor, &row, &paths), can_report(&authed.actor, &row, &paths));
    let at = match on {
        Some(on) => {
            let rules = LightRules::load(&mut reader.conn(), &ctx.cal).await?;
            let lit = lights::as_of(&mut reader.conn(), &rules, &row, on).await?;
            Some(ProjectOut::new(row.clone(), &units).at(on, &lit))
        }
        None => None,
    };
    let reports = report_outs(&mut reader.conn(), &row).await?;
    let rules = LightRules::load(&mut reader.conn(), &ctx.cal).await?;
    let changes = lights::history(&mut reader.conn(), &rules, &row, ctx.today)
        .await?
        .into_iter()
        .rev()
        .map(LightChangeOut::from)
        .collect();
    let frozen =
        freeze::of_project(&mut reader.conn(), &row).await?.into_iter().map(|(f, v)| FrozenOut::new(&f, v)).collect();
    let item_rows = supervise::items_of(&mut reader.conn(), &authed.actor, id).await?;
    let has_open_item = item_rows.iter().any(|i| i.state().is_open());
    let items = page_items(&mut reader.conn(), &ctx.view(authed), item_rows).await?;
    let checks = check_outs(&mut reader.conn(), &row).await?;
    let may_check = row.is_done() && checks::can_check(&authed.actor, &row, &paths);
    let may_raise_items = manage && authed.actor.can(bangdu_domain::permission::Permission::CreateItems);
    drop(reader);
    let p = ProjectOut::new(row, &units);
    let behind = matches!(Light::parse(&p.light), Some(Light::Yellow | Light::Red));
    let form = form.unwrap_or_else(|| ReportForm {
        // The month due now is last month; a unit reporting early in the month reports on it.
        period: Period::of(ctx.today).previous().code(),
        status: p.status.clone(),
        ..ReportForm::default()
    });
    let statuses = Status::ALL.iter().map(|s| (s.code(), s.label(), s.code() == form.status)).collect();
    render(&ShowPage {
        shell: shell(state, authed, "projects", p.name.clone(), &[("项目", Some("/projects")), (&p.name, None)])
            .await
            .flash(flash),
        at,
        as_of: as_of.unwrap_or("").to_string(),
        reports,
        changes,
        frozen,
        items,
        checks,
        can_check: may_check,
        can_raise_check: may_raise_items,
        today: ctx.today.to_string(),
        can_manage: manage,
        can_report: report,
        can_raise: may_raise_items && behind && !has_open_item,
        form,
        error_field,
        statuses,
        p,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ProjectId>,
    Query(params): Query<ShowParams>,
) -> PageResult {
    let flash = flash::from_code(params.done.as_deref());
    show_page(&state, &authed, id, params.as_of.as_deref(), flash, None, String::new()).await
}

/// A monthly report from the page, with a file of evidence when one is chosen (the form is
/// multipart); a refused one shows the page again with what was typed.
pub async fn submit_report(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ProjectId>,
    multipart: Multipart,
) -> PageResult {
    let parts = csrf_parts(&authed, multipart).await?;
    let form = ReportForm::from_parts(&parts);
    let result: Result<(), WebError> = async {
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        let rules = LightRules::load(&mut tx.conn(), &cal).await?;
        let report = reports::submit(&mut tx.conn(), &authed.actor, &rules, id, &form.input(), state.today()).await?;
        if let Some((name, bytes)) = &parts.file {
            let target = FileFor::Report(report.period.clone());
            files::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &target, name, bytes)
                .await
                .map_err(upload_error)?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/projects/{id}"), "reported")),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            let field = e.field.clone().unwrap_or_default();
            show_page(&state, &authed, id, None, flash::error(e.message.clone()), Some(form), field).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CheckForm {
    /// `accept` or `return`.
    pub verdict: ReportVerdict,
    #[serde(default)]
    pub note: String,
}

/// The office accepts a report or returns it with what to fix.
pub async fn check_report(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, report): Ids<ProjectId, ReportId>,
    CsrfForm(form): CsrfForm<CheckForm>,
) -> PageResult {
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    let result = async {
        let mut tx = state.db.begin().await?;
        reports::check(&mut tx.conn(), &authed.actor, id, report, form.verdict, note).await?;
        tx.commit().await?;
        Ok("checked")
    }
    .await;
    answer(&state, &authed, id, result).await
}

/// A form on the project's page is done: back to the page with the message of `code`; refused
/// (4xx but 404): the page again with the reason.
pub(super) async fn answer(
    state: &AppState,
    authed: &Authed,
    id: ProjectId,
    result: Result<&str, WebError>,
) -> PageResult {
    match result {
        Ok(code) => Ok(done(&format!("/projects/{id}"), code)),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            show_page(state, authed, id, None, flash::error(e.message.clone()), None, String::new()).await
        }
        Err(e) => Err(e),
    }
}

/// 转为督导事项: one click from a yellow or red project to a registered item.
pub async fn raise_item(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ProjectId>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let result: Result<ItemId, WebError> = async {
        let mut tx = state.db.begin().await?;
        let item = supervise::raise_item(&mut tx.conn(), &authed.actor, id).await?;
        tx.commit().await?;
        Ok(item.id)
    }
    .await;
    match result {
        Ok(item) => Ok(done(&format!("/items/{item}"), "raised")),
        Err(e) if e.status == axum::http::StatusCode::CONFLICT => {
            show_page(&state, &authed, id, None, flash::error(e.message.clone()), None, String::new()).await
        }
        Err(e) => Err(e),
    }
}
