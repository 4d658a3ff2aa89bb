//! The 帮督报告 page of a round or one team: what leaders read, with the office's decisions on
//! pending findings (solved on the spot, or raised as an item), the suggestions while a draft, the
//! button that issues it, and the DOCX.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::output::inspections::{BriefOut, FindingOut};
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use bangdu_domain::{FileId, FindingId, RoundId, TargetId};
use bangdu_store::inspections::{briefs, findings};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "inspections/report.html")]
struct ReportPage {
    shell: Shell,
    r: BriefOut,
    findings: Vec<FindingOut>,
    /// The office may decide findings (even after the report is issued: the items go on).
    can_decide: bool,
    target_query: String,
    suggestions: String,
}

#[derive(Deserialize, Default)]
pub struct ReportParams {
    pub target: Option<i64>,
    pub done: Option<String>,
}

async fn report_page(
    state: &AppState,
    authed: &Authed,
    round: RoundId,
    target: Option<i64>,
    suggestions: Option<String>,
    flash: Option<Flash>,
) -> PageResult {
    let (brief, all, can_decide) = {
        let mut reader = state.db.reader().await?;
        let brief = briefs::get(&mut reader.conn(), &authed.actor, round, target.map(TargetId)).await?;
        let all = findings::list(&mut reader.conn(), &authed.actor, round).await?;
        let detail =
            bangdu_store::inspections::campaigns::round_detail(&mut reader.conn(), &authed.actor, round).await?;
        (brief, all, detail.can_manage)
    };
    let r = BriefOut::from(&brief);
    let round_link = format!("/rounds/{}", round.0);
    let title = r.title.clone();
    render(&ReportPage {
        shell: shell(
            state,
            authed,
            "inspections",
            title,
            &[
                ("帮督行动", Some("/inspections")),
                (r.round_name.as_str(), Some(round_link.as_str())),
                ("帮督报告", None),
            ],
        )
        .await
        .flash(flash),
        findings: all
            .iter()
            .filter(|f| target.is_none_or(|t| f.finding.target_id.0 == t))
            .map(FindingOut::from)
            .collect(),
        can_decide,
        target_query: target.map(|t| format!("?target={t}")).unwrap_or_default(),
        suggestions: suggestions.unwrap_or_else(|| r.suggestions.clone()),
        r,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    Query(p): Query<ReportParams>,
) -> PageResult {
    report_page(&state, &authed, id, p.target, None, flash::from_code(p.done.as_deref())).await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SuggestionsForm {
    pub target: String,
    pub suggestions: String,
}

fn target_of(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

fn back(round: RoundId, target: Option<i64>, code: &str) -> axum::response::Response {
    let q = target.map(|t| format!("?target={t}")).unwrap_or_default();
    done(&format!("/rounds/{}/report{q}", round.0), code)
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    CsrfForm(form): CsrfForm<SuggestionsForm>,
) -> PageResult {
    let target = target_of(&form.target);
    let result = async {
        let mut tx = state.db.begin().await?;
        briefs::save_suggestions(&mut tx.conn(), &authed.actor, id, target.map(TargetId), &form.suggestions).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, target, "saved"))
    }
    .await;
    settle(result, |e| {
        report_page(&state, &authed, id, target, Some(form.suggestions.clone()), flash::error(e.message))
    })
    .await
}

pub async fn issue(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    CsrfForm(form): CsrfForm<SuggestionsForm>,
) -> PageResult {
    let target = target_of(&form.target);
    let result = async {
        let mut tx = state.db.begin().await?;
        // What is in the box is what is issued.
        briefs::save_suggestions(&mut tx.conn(), &authed.actor, id, target.map(TargetId), &form.suggestions).await?;
        briefs::issue(&mut tx.conn(), &authed.actor, id, target.map(TargetId)).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, target, "issued"))
    }
    .await;
    settle(result, |e| {
        report_page(&state, &authed, id, target, Some(form.suggestions.clone()), flash::error(e.message))
    })
    .await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecisionForm {
    pub solved_note: String,
    /// Where to go back to.
    pub round: String,
    pub target: String,
}

pub async fn solve(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<FindingId>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> PageResult {
    let round = RoundId(form.round.trim().parse().map_err(|_| WebError::invalid("round", "页面已过期，请刷新"))?);
    let target = target_of(&form.target);
    let result = async {
        let mut tx = state.db.begin().await?;
        findings::mark_solved(&mut tx.conn(), &authed.actor, id, &form.solved_note).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(round, target, "saved"))
    }
    .await;
    settle(result, |e| report_page(&state, &authed, round, target, None, flash::error(e.message))).await
}

pub async fn raise(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<FindingId>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> PageResult {
    let round = RoundId(form.round.trim().parse().map_err(|_| WebError::invalid("round", "页面已过期，请刷新"))?);
    let target = target_of(&form.target);
    let result = async {
        let mut tx = state.db.begin().await?;
        findings::raise_item(&mut tx.conn(), &authed.actor, id).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(round, target, "raised"))
    }
    .await;
    settle(result, |e| report_page(&state, &authed, round, target, None, flash::error(e.message))).await
}

pub async fn docx(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    Query(p): Query<ReportParams>,
) -> Result<axum::response::Response, WebError> {
    let b = {
        let mut reader = state.db.reader().await?;
        briefs::get(&mut reader.conn(), &authed.actor, id, p.target.map(TargetId)).await?
    };
    crate::output::report_docx::response(&BriefOut::from(&b))
}

pub async fn photo(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<FileId>,
) -> Result<axum::response::Response, WebError> {
    let row = {
        let mut reader = state.db.reader().await?;
        findings::photo(&mut reader.conn(), &authed.actor, id).await?
    };
    Ok(crate::output::download::stored_file(&state, row.sha256, row.content_type, &row.filename).await?.into_response())
}
