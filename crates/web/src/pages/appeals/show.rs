//! One appeal: what was asked, where, by which channel, who handles it, its history, the answer
//! and ratings; the caller only for those who call back; the phone-back rating form for the office.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::{Id, Ids};
use crate::input::appeals::{RatingBody, TransferBody};
use crate::output::appeals::AppealDetailOut;
use crate::output::download::stored_file;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::{AppealId, AppealPhotoId};
use bangdu_store::appeals::{photos, query, ratings, transfer};
use bangdu_store::time::beijing;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "appeals/show.html")]
struct ShowPage {
    shell: Shell,
    a: AppealDetailOut,
    levels: Vec<(&'static str, &'static str)>,
    rating: RatingForm,
}

impl ShowPage {
    fn at(&self, t: &DateTime<Utc>) -> String {
        beijing(t, "%Y-%m-%d %H:%M")
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RatingForm {
    pub level: String,
    pub comment: String,
}

async fn show_page(
    state: &AppState,
    authed: &Authed,
    id: AppealId,
    rating: RatingForm,
    flash: Option<Flash>,
) -> PageResult {
    let detail = {
        let mut reader = state.db.reader().await?;
        query::detail(&mut reader.conn(), &authed.actor, id).await?
    };
    let a = AppealDetailOut::from(&detail);
    let title = format!("诉求 {}", a.appeal.number);
    let number = a.appeal.number.clone();
    render(&ShowPage {
        shell: shell(state, authed, "appeals", title, &[("群众诉求", Some("/appeals")), (number.as_str(), None)])
            .await
            .flash(flash),
        a,
        levels: Satisfaction::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        rating,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<AppealId>,
    Query(d): Query<Done>,
) -> PageResult {
    show_page(&state, &authed, id, RatingForm::default(), flash::from_code(d.done.as_deref())).await
}

/// The office's phone-back rating of an answered appeal.
pub async fn rate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<AppealId>,
    CsrfForm(form): CsrfForm<RatingForm>,
) -> PageResult {
    let body = RatingBody { level: form.level.clone(), comment: Some(form.comment.clone()) };
    let result: Result<(), WebError> = async {
        let level = body.level()?;
        let mut tx = state.db.begin().await?;
        ratings::rate_appeal(&mut tx.conn(), &authed.actor, id, level, body.comment.as_deref()).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    settle(result.map(|()| back(id, "appeal_rated")), |e| show_page(&state, &authed, id, form, flash::error(e.message)))
        .await
}

fn back(id: AppealId, code: &str) -> Response {
    done(&format!("/appeals/{}", id.0), code)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SendOnForm {
    pub title: String,
}

/// 转办 of this one appeal.
pub async fn send_on(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<AppealId>,
    CsrfForm(form): CsrfForm<SendOnForm>,
) -> Result<Response, WebError> {
    let command = TransferBody { appeals: vec![id.0], title: Some(form.title), ..Default::default() }.into_command()?;
    let mut tx = state.db.begin().await?;
    let item = transfer::transfer(&mut tx.conn(), &authed.actor, command).await?;
    tx.commit().await?;
    Ok(done(&format!("/items/{}", item.id.0), "appeals_sent"))
}

/// A photo of the appeal, for whoever may see it (shown on the page, saved when opened).
pub async fn photo(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, photo): Ids<AppealId, AppealPhotoId>,
) -> Result<Response, WebError> {
    let record = {
        let mut reader = state.db.reader().await?;
        photos::get(&mut reader.conn(), &authed.actor, id, photo).await?
    };
    Ok(stored_file(&state, record.sha256, record.content_type, &record.filename).await?.into_response())
}
