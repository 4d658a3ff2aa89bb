//! 季度收账 / 年度清账: the freezes made so far and the form to close a quarter or a year for an
//! office's projects. A freeze cannot be undone, so the button asks first.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::output::projects::FreezeOut;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{Done, done, flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::projects::freeze;
use bangdu_store::projects::lights::LightRules;
use bangdu_store::units::Picking;
use chrono::Datelike;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "projects/freezes.html")]
struct FreezesPage {
    shell: Shell,
    freezes: Vec<FreezeOut>,
    units: Vec<UnitChoice>,
    form: FreezeForm,
    years: Vec<i32>,
}

impl FreezesPage {
    fn when(&self, f: &FreezeOut) -> String {
        crate::pages::view::time(&f.frozen_at)
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct FreezeForm {
    pub unit: String,
    pub year: String,
    /// 1–4, or empty for the year.
    pub quarter: String,
    pub note: String,
}

async fn freezes_page(state: &AppState, authed: &Authed, form: FreezeForm, flash: Option<Flash>) -> PageResult {
    let freezes = {
        let mut reader = state.db.reader().await?;
        freeze::list(&mut reader.conn(), &authed.actor).await?.into_iter().map(FreezeOut::from).collect()
    };
    let units = choices(state, authed, Picking::ProjectOwner).await?;
    let this_year = state.today().year();
    render(&FreezesPage {
        shell: shell(state, authed, "projects", "收账清账", &[("项目", Some("/projects")), ("收账清账", None)])
            .await
            .flash(flash),
        freezes,
        form: FreezeForm {
            unit: if form.unit.is_empty() {
                units.first().map(|u| u.code.clone()).unwrap_or_default()
            } else {
                form.unit
            },
            year: if form.year.is_empty() { this_year.to_string() } else { form.year },
            ..form
        },
        units,
        years: (this_year - 3..=this_year).rev().collect(),
    })
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    freezes_page(&state, &authed, FreezeForm::default(), flash::from_code(d.done.as_deref())).await
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<FreezeForm>,
) -> PageResult {
    let result: Result<(), WebError> = async {
        let year: i32 = form.year.trim().parse().map_err(|_| WebError::invalid("year", "年度应为整数"))?;
        let quarter = match form.quarter.trim() {
            "" => None,
            q => Some(q.parse::<u32>().map_err(|_| WebError::invalid("quarter", "季度应为 1–4"))?),
        };
        let note = Some(form.note.trim()).filter(|n| !n.is_empty());
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        let rules = LightRules::load(&mut tx.conn(), &cal).await?;
        freeze::freeze(&mut tx.conn(), &authed.actor, &rules, form.unit.trim(), year, quarter, note, state.today())
            .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done("/projects/freezes", "frozen")),
        Err(e) if e.status.is_client_error() => {
            freezes_page(&state, &authed, form, flash::error(e.message.clone())).await
        }
        Err(e) => Err(e),
    }
}
