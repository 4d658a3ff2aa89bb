//! 现场督查, the phone page of a team member: the targets of their teams from a week ago on, each
//! with the facts they need on site, the team, the findings so far, and the finding form (photos from
//! the camera, the phone's location). The form works offline: `outbox.js` keeps a finding on the
//! phone and sends it when the connection is back; the server stores each `client_key` once.

use crate::auth::{Authed, PageUser, csrf};
use crate::error::WebError;
use crate::output::inspections::FindingOut;
use crate::pages::errors::PageResult;
use crate::pages::forms::expired;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render};
use crate::state::AppState;
use askama::Template;
use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bangdu_domain::TargetId;
use bangdu_store::inspections::findings::{self, FindingInput, Visit};
use chrono::Duration;

pub struct VisitLine {
    pub target_id: i64,
    pub name: String,
    pub visit_on: String,
    pub today: bool,
    pub round: String,
    pub facts: Vec<(String, String)>,
    pub history: Vec<(String, String)>,
    pub team: String,
    pub domains: Vec<String>,
    pub findings: Vec<FindingOut>,
}

impl VisitLine {
    fn new(v: &Visit, today: chrono::NaiveDate) -> VisitLine {
        let role = |r: &str| match r {
            "leader" => "组长",
            "office" => "督查室",
            _ => "专家",
        };
        VisitLine {
            target_id: v.target.id.0,
            name: v.target.name.clone(),
            visit_on: v.target.visit_on.to_string(),
            today: v.target.visit_on == today,
            round: format!("{} · {}", v.campaign_name, v.round_name),
            facts: v.facts.clone(),
            history: v
                .history
                .iter()
                .map(|(day, what)| {
                    let named = if what.contains('.') { crate::pages::audit::action_label(what) } else { what.clone() };
                    (day.clone(), named)
                })
                .collect(),
            team: v.team.iter().map(|(r, n)| format!("{} {n}", role(r))).collect::<Vec<_>>().join("、"),
            domains: bangdu_store::inspections::pool::split_domains(&v.target.domains),
            findings: v.findings.iter().map(FindingOut::from).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "inspections/visits.html")]
struct VisitsPage {
    shell: Shell,
    visits: Vec<VisitLine>,
    domains: Vec<String>,
}

async fn visits_page(state: &AppState, authed: &Authed, flash: Option<Flash>) -> PageResult {
    let today = state.today();
    let (visits, domains) = {
        let mut reader = state.db.reader().await?;
        let visits = findings::my_visits(&mut reader.conn(), &authed.actor, today - Duration::days(7)).await?;
        (visits, bangdu_store::settings::inspection_domains(&mut reader.conn()).await?)
    };
    render(&VisitsPage {
        shell: shell(state, authed, "visits", "现场督查", &[("现场督查", None)]).await.flash(flash),
        visits: visits.iter().map(|v| VisitLine::new(v, today)).collect(),
        domains,
    })
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    visits_page(&state, &authed, flash::from_code(d.done.as_deref())).await
}

/// A finding from the phone: a `multipart/form-data` form with its photos (fields `photo`). Sent by
/// the outbox (header `X-Bangdu-Outbox: 1`) it answers plainly — 201 stored, 200 stored before,
/// 4xx with the reason — so the phone knows whether to keep it; sent by the form itself it goes back
/// to the page.
pub async fn record(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    axum::extract::Path(target): axum::extract::Path<i64>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let outbox = headers.get("x-bangdu-outbox").is_some();
    let mut token = String::new();
    let mut input = FindingInput::default();
    let mut photos: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(crate::extract::parts::multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            let filename = field.file_name().unwrap_or("photo.jpg").to_string();
            let bytes = field.bytes().await.map_err(crate::extract::parts::multipart_error)?;
            if !bytes.is_empty() {
                photos.push((filename, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(crate::extract::parts::multipart_error)?;
        crate::extract::text::check_fields([(name.as_str(), text.as_str())])?;
        match name.as_str() {
            "csrf_token" => token = text,
            "client_key" => input.client_key = text,
            "description" => input.description = text,
            "domain" => input.domain = text,
            "outcome" => input.outcome = text,
            "solved_note" => input.solved_note = text,
            "lat" => input.lat = text,
            "lon" => input.lon = text,
            _ => {}
        }
    }
    let expected = authed.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("");
    if !csrf::tokens_match(expected, &token) {
        return Err(expired());
    }
    let result = async {
        let mut tx = state.db.begin().await?;
        let stored =
            findings::record(&mut tx.conn(), &*state.files, &authed.actor, TargetId(target), &input, &photos).await?;
        tx.commit().await?;
        Ok::<_, WebError>(stored)
    }
    .await;
    match (result, outbox) {
        (Ok((f, created)), true) => {
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            Ok((status, Json(serde_json::json!({"id": f.id.0, "client_key": f.client_key}))).into_response())
        }
        (Ok(_), false) => Ok(done("/visits", "finding")),
        (Err(e), true) => Err(e),
        (Err(e), false) if crate::pages::refused(&e) => {
            Ok(visits_page(&state, &authed, flash::error(e.message)).await?.into_response())
        }
        (Err(e), false) => Err(e),
    }
}
