//! The Chinese web pages. Each page is an askama template struct; forms post back with a CSRF token
//! and redirect (post/redirect/get), so everything works without JavaScript.

pub mod account;
pub mod appeals;
pub mod audit;
pub mod board;
pub mod calendar;
pub mod choice;
pub mod dashboard;
pub mod errors;
pub mod flash;
pub mod forms;
pub mod home;
pub mod inbox;
pub mod inspections;
pub mod items;
pub mod lists;
pub mod login;
pub mod pager;
pub mod pool;
pub mod projects;
pub mod public;
pub mod settings;
pub mod shell;
pub mod units;
pub mod users;
pub mod view;
pub mod webhooks;

use crate::error::{WebError, WebResult};
use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};
use errors::PageResult;
use serde::Deserialize;

/// The page's user must hold `permission` (403 page otherwise). The store checks every right an
/// operation needs; this is only for a page that reads nothing the store would refuse (an empty
/// upload form) or that is narrower than the record it shows (the user pages, for those who see
/// users, while anyone may read their own account), so that it is not shown to the wrong person.
pub fn require(authed: &crate::auth::Authed, permission: bangdu_domain::permission::Permission) -> WebResult<()> {
    if authed.actor.can(permission) { Ok(()) } else { Err(crate::error::WebError::forbidden()) }
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(page: &T) -> PageResult {
    match page.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            Err(crate::error::WebError::internal())
        }
    }
}

/// How a form ends: done (the redirect the handler made); refused by a rule the person can put
/// right (a 4xx but not a missing sign-in, permission or record) — the page again with the reason
/// (`again`) and the refusal's status; anything else — the error page.
pub async fn settle<Fut>(result: WebResult<Response>, again: impl FnOnce(WebError) -> Fut) -> PageResult
where
    Fut: std::future::Future<Output = PageResult>,
{
    match result {
        Ok(done) => Ok(done),
        Err(e) if refused(&e) => {
            // The page again, with the refusal's status: a program reading it knows it failed.
            let status = e.status;
            let mut page = again(e).await?;
            *page.status_mut() = status;
            Ok(page)
        }
        Err(e) => Err(e),
    }
}

/// A refusal the person can put right on the same page.
pub fn refused(e: &WebError) -> bool {
    use axum::http::StatusCode;
    e.status.is_client_error()
        && ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&e.status)
}

/// Redirects after a form, with a message code for the next page (see `flash`).
pub fn done(path: &str, code: &str) -> Response {
    let separator = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{separator}done={code}")).into_response()
}

/// The `?done=` parameter that shows a message after a redirect.
#[derive(Deserialize, Default)]
pub struct Done {
    pub done: Option<String>,
}
