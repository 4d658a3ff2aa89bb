//! One member: their facts, declared conflicts and days away, with the forms to change them.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::inspections::{AbsenceBody, ActiveBody, ConflictBody};
use crate::output::inspections::MemberDetailOut;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use bangdu_domain::MemberId;
use bangdu_store::inspections::pool;
use chrono::Datelike;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "pool/show.html")]
struct ShowPage {
    shell: Shell,
    m: MemberDetailOut,
    can_manage: bool,
    conflict: ConflictForm,
    absence: AbsenceForm,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ConflictForm {
    pub unit: String,
    pub person: String,
    pub reason: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AbsenceForm {
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
}

async fn show_page(
    state: &AppState,
    authed: &Authed,
    id: MemberId,
    conflict: ConflictForm,
    absence: AbsenceForm,
    flash: Option<Flash>,
) -> PageResult {
    let detail = {
        let mut reader = state.db.reader().await?;
        pool::get(&mut reader.conn(), &authed.actor, id, state.today().year()).await?
    };
    let m = MemberDetailOut::from(&detail);
    render(&ShowPage {
        shell: shell(
            state,
            authed,
            "pool",
            m.member.name.clone(),
            &[("人员库", Some("/pool")), (m.member.name.as_str(), None)],
        )
        .await
        .flash(flash),
        can_manage: detail.can_manage,
        m,
        conflict,
        absence,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    Query(d): Query<Done>,
) -> PageResult {
    show_page(&state, &authed, id, ConflictForm::default(), AbsenceForm::default(), flash::from_code(d.done.as_deref()))
        .await
}

fn back(id: MemberId, code: &str) -> Response {
    done(&format!("/pool/{}", id.0), code)
}

pub async fn declare_conflict(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    CsrfForm(form): CsrfForm<ConflictForm>,
) -> PageResult {
    let body = ConflictBody {
        unit: Some(form.unit.clone()),
        person: Some(form.person.clone()),
        reason: Some(form.reason.clone()),
    };
    let result = async {
        let mut tx = state.db.begin().await?;
        pool::declare_conflict(
            &mut tx.conn(),
            &authed.actor,
            id,
            body.unit.as_deref(),
            body.person.as_deref(),
            body.reason.as_deref(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "saved"))
    }
    .await;
    settle(result, |e| show_page(&state, &authed, id, form, AbsenceForm::default(), flash::error(e.message))).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    pub unit_id: String,
    pub person: String,
}

pub async fn withdraw_conflict(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> PageResult {
    let unit = form.unit_id.trim().parse::<i64>().ok();
    let mut tx = state.db.begin().await?;
    pool::withdraw_conflict(&mut tx.conn(), &authed.actor, id, unit, Some(form.person.as_str())).await?;
    tx.commit().await?;
    Ok(back(id, "saved"))
}

pub async fn add_absence(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    CsrfForm(form): CsrfForm<AbsenceForm>,
) -> PageResult {
    let body = AbsenceBody {
        starts_on: form.starts_on.clone(),
        ends_on: Some(form.ends_on.clone()),
        reason: Some(form.reason.clone()),
    };
    let result = async {
        let mut tx = state.db.begin().await?;
        pool::add_absence(
            &mut tx.conn(),
            &authed.actor,
            id,
            &body.starts_on,
            body.ends_on.as_deref().unwrap_or(""),
            body.reason.as_deref(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "saved"))
    }
    .await;
    settle(result, |e| show_page(&state, &authed, id, ConflictForm::default(), form, flash::error(e.message))).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemoveAbsenceForm {
    pub starts_on: String,
}

pub async fn remove_absence(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    CsrfForm(form): CsrfForm<RemoveAbsenceForm>,
) -> PageResult {
    let day = bangdu_domain::project::plan::parse_date("starts_on", &form.starts_on)?;
    let mut tx = state.db.begin().await?;
    pool::remove_absence(&mut tx.conn(), &authed.actor, id, day).await?;
    tx.commit().await?;
    Ok(back(id, "saved"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    pub active: String,
    pub reason: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> PageResult {
    let body = ActiveBody { active: form.active == "true", reason: Some(form.reason) };
    let mut tx = state.db.begin().await?;
    pool::set_active(&mut tx.conn(), &authed.actor, id, body.active, body.reason.as_deref()).await?;
    tx.commit().await?;
    Ok(back(id, if body.active { "activated" } else { "deactivated" }))
}
