//! A project's public page: target, schedule, funds, progress, light, the responsible unit, the
//! supervision phone and its public history (changes of light, monthly progress), with the rating
//! and like forms. No sign-in: a browser is told apart by an anonymous random cookie only.

use crate::auth::cookies;
use crate::auth::csrf::{self, PublicOrigin};
use crate::error::WebError;
use crate::extract::Id;
use crate::extract::client::ClientInfo;
use crate::output::projects::{LightChangeOut, ProjectOut};
use crate::pages::errors::PageResult;
use crate::pages::projects::money_text;
use crate::pages::render;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use bangdu_domain::ProjectId;
use bangdu_store::Actor;
use bangdu_store::projects::feedback::{self, CommentRow, Summary, visitor_digest};
use bangdu_store::projects::lights::LightRules;
use bangdu_store::projects::{lights, query, reports};
use serde::Deserialize;

pub const VISITOR: &str = "bangdu_visitor";
const YEAR_SECS: i64 = 365 * 24 * 3600;

/// A month's report as the public page lists it. A report the office returned is not shown: the
/// unit reports that month again.
pub struct Reported {
    pub month: String,
    pub percent: f64,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "public/project.html")]
struct PublicPage {
    p: ProjectOut,
    history: Vec<LightChangeOut>,
    /// Each current report, newest first, marked checked or not: citizens see what the lead unit
    /// reported at once, and whether the office has checked it yet.
    progress: Vec<Reported>,
    /// The newest report is still waiting for the office's check (the headline figures use it).
    latest_unchecked: Option<String>,
    summary: Summary,
    comments: Vec<CommentRow>,
    rated: bool,
    liked: bool,
    phone: String,
    message: Option<(&'static str, String)>,
    version: &'static str,
}

impl PublicPage {
    fn money(&self, text: &str) -> String {
        money_text(text)
    }

    fn word(&self, light: &str) -> &'static str {
        crate::pages::projects::light_word(light)
    }

    fn stars(&self, n: &i64) -> String {
        "★".repeat(*n as usize) + &"☆".repeat(5usize.saturating_sub(*n as usize))
    }

    fn when(&self, c: &CommentRow) -> String {
        bangdu_store::time::beijing(&c.created_at, "%Y-%m-%d")
    }
}

#[derive(Deserialize, Default)]
pub struct PublicParams {
    pub done: Option<String>,
}

async fn public_page(
    state: &AppState,
    headers: &HeaderMap,
    id: ProjectId,
    message: Option<(&'static str, String)>,
    status: StatusCode,
) -> PageResult {
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &Actor::public(), id).await?;
    let units = query::units_of_one(&mut reader.conn(), &row).await?;
    let cal = state.calendar().await?;
    let rules = LightRules::load(&mut reader.conn(), &cal).await?;
    let history = lights::history(&mut reader.conn(), &rules, &row, state.today())
        .await?
        .into_iter()
        .rev()
        .map(LightChangeOut::from)
        .collect();
    let progress: Vec<Reported> = reports::list(&mut reader.conn(), &row)
        .await?
        .into_iter()
        .filter(|r| r.check_state != "returned")
        .map(|r| Reported {
            month: r.period.clone(),
            percent: crate::output::projects::percent(r.progress),
            checked: r.check_state == "accepted",
        })
        .collect();
    let latest_unchecked = progress.first().filter(|r| !r.checked).map(|r| r.month.clone());
    let summary = feedback::summary(&mut reader.conn(), &row).await?;
    let comments = feedback::approved(&mut reader.conn(), &row, 50).await?;
    let (rated, liked) = match cookies::read(headers, VISITOR) {
        Some(token) => feedback::done_by(&mut reader.conn(), &row, &visitor_digest(&token, id)).await?,
        None => (false, false),
    };
    let phone = bangdu_store::settings::get_text(&mut reader.conn(), bangdu_store::settings::SUPERVISION_PHONE).await?;
    drop(reader);
    let page = PublicPage {
        p: ProjectOut::new(row, &units),
        history,
        progress,
        latest_unchecked,
        summary,
        comments,
        rated,
        liked,
        phone,
        message,
        version: crate::assets::VERSION,
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Id(id): Id<ProjectId>,
    Query(q): Query<PublicParams>,
) -> PageResult {
    let message = match q.done.as_deref() {
        Some("rated") => Some(("success", "感谢您的评价！留言经审核后公开显示。".to_string())),
        Some("liked") => Some(("success", "感谢点赞！".to_string())),
        _ => None,
    };
    public_page(&state, &headers, id, message, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    pub stars: String,
    #[serde(default)]
    pub comment: String,
}

/// Admits a citizen's write — same-site, within the per-address limit — and names its visitor:
/// the digest stored for this project, and the cookie to set when the browser had none.
fn visitor(
    state: &AppState,
    headers: &HeaderMap,
    public: &PublicOrigin,
    project: ProjectId,
) -> Result<(String, Option<String>), WebError> {
    if csrf::cross_site(headers, public) {
        return Err(WebError::new(StatusCode::FORBIDDEN, "csrf_failed", "请求来源校验失败，请刷新页面后重试"));
    }
    if let Some(token) = cookies::read(headers, VISITOR).filter(|t| t.len() >= 32 && t.len() <= 64) {
        return Ok((visitor_digest(&token, project), None));
    }
    let token = bangdu_store::secrets::random_token()?;
    let secure = cookies::secure(headers, state.config.secure_cookies, state.config.trust_proxy);
    let cookie = cookies::build(VISITOR, token.clone(), secure, Some(YEAR_SECS));
    Ok((visitor_digest(&token, project), Some(cookie.to_string())))
}

/// Back to the project page with a thank-you (and the new cookie); a refused write shows the page
/// with the reason and its status.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    id: ProjectId,
    done: &str,
    result: Result<Option<String>, WebError>,
) -> PageResult {
    match result {
        Ok(cookie) => {
            let mut response = Redirect::to(&format!("/public/projects/{id}?done={done}")).into_response();
            if let Some(c) = cookie.and_then(|c| c.parse().ok()) {
                response.headers_mut().append(header::SET_COOKIE, c);
            }
            Ok(response)
        }
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            public_page(state, headers, id, Some(("error", e.message.clone())), e.status).await
        }
        Err(e) => Err(e),
    }
}

pub async fn rate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Id(id): Id<ProjectId>,
    axum::Extension(public): axum::Extension<PublicOrigin>,
    axum::Extension(client): axum::Extension<ClientInfo>,
    crate::extract::Form(form): crate::extract::Form<RateForm>,
) -> PageResult {
    let result = async {
        crate::auth::throttle::public_action(&state, &client)?;
        let (visitor, cookie) = visitor(&state, &headers, &public, id)?;
        let mut tx = state.db.begin().await?;
        let comment = Some(form.comment.as_str()).filter(|c| !c.trim().is_empty());
        feedback::rate(&mut tx.conn(), &Actor::public(), id, &visitor, &form.stars, comment).await?;
        tx.commit().await?;
        Ok(cookie)
    }
    .await;
    answer(&state, &headers, id, "rated", result).await
}

pub async fn like(
    State(state): State<AppState>,
    headers: HeaderMap,
    Id(id): Id<ProjectId>,
    axum::Extension(public): axum::Extension<PublicOrigin>,
    axum::Extension(client): axum::Extension<ClientInfo>,
) -> PageResult {
    let result = async {
        crate::auth::throttle::public_action(&state, &client)?;
        let (visitor, cookie) = visitor(&state, &headers, &public, id)?;
        let mut tx = state.db.begin().await?;
        feedback::like(&mut tx.conn(), &Actor::public(), id, &visitor).await?;
        tx.commit().await?;
        Ok(cookie)
    }
    .await;
    answer(&state, &headers, id, "liked", result).await
}
