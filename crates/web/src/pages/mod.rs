//! The Chinese web pages. Each page is an askama template struct; forms post back with a CSRF token
//! and redirect (post/redirect/get), so everything works without JavaScript.

pub mod account;
pub mod audit;
pub mod board;
pub mod calendar;
pub mod choice;
mod dashboard;
pub mod errors;
pub mod flash;
pub mod forms;
pub mod home;
pub mod inbox;
pub mod items;
pub mod lists;
pub mod login;
pub mod pager;
pub mod projects;
pub mod public;
pub mod settings;
pub mod shell;
pub mod units;
pub mod users;
pub mod view;
mod webhooks;

use crate::state::{AppState, WebConfig};
use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use errors::{PageError, PageResult};
use serde::Deserialize;

pub fn router(config: &WebConfig) -> Router<AppState> {
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/", get(home::page))
        .route("/units", get(units::list).post(units::create))
        .route("/units/new", get(units::new_form))
        .route("/units/export.csv", get(units::export))
        .route("/units/{id}", get(units::show).post(units::update))
        .route("/units/{id}/edit", get(units::edit_form))
        .route("/units/{id}/deactivate", post(units::deactivate))
        .route("/units/{id}/activate", post(units::activate))
        .route("/units/{id}/webhooks", get(webhooks::page).post(webhooks::create))
        .route("/units/{unit}/webhooks/{hook}/deactivate", post(webhooks::deactivate))
        .route("/users", get(users::list).post(users::create))
        .route("/users/new", get(users::new_form))
        .route("/users/{id}", get(users::show).post(users::update))
        .route("/users/{id}/roles", post(users::add_role))
        .route("/users/{id}/roles/{grant}/remove", post(users::remove_role))
        .route("/users/{id}/password", post(users::reset_password))
        .route("/users/{id}/unlock", post(users::unlock))
        .route("/users/{id}/tokens/{token}/revoke", post(users::revoke_token))
        .route("/account", get(account::page))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions/{id}/end", post(account::end_session))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/calendar", get(calendar::page))
        .route("/calendar/years/{year}", get(calendar::download))
        .route("/audit", get(audit::list))
        .route("/audit/verify", get(audit::verify))
        .route("/settings", get(settings::page).post(settings::save))
        .route("/items", get(items::list).post(items::create_form))
        .route("/items/new", get(items::new_form))
        .route("/items/board", get(board::page))
        .route("/items/{id}", get(items::show))
        .route("/items/{id}/split", post(items::split_form))
        .route("/attachments/{id}", get(items::download))
        .route("/projects", get(projects::list::page).post(projects::edit::create_form))
        .route("/projects/new", get(projects::edit::new_form))
        .route("/projects/stats", get(projects::stats::page))
        .route("/projects/chart", get(projects::chart::page))
        .route("/projects/chart.svg", get(projects::chart::svg_file))
        .route("/projects/map", get(projects::map::page))
        .route("/projects/map/tiles/{z}/{x}/{y}", get(projects::map::tile))
        .route("/projects/comments", get(projects::comments::page).post(projects::comments::moderate))
        .route("/public/projects", get(public::table::page))
        .route("/public/projects/{id}", get(public::project::page))
        .route("/public/projects/{id}/rate", post(public::project::rate))
        .route("/public/projects/{id}/like", post(public::project::like))
        .route("/public/projects/{id}/board.pdf", get(public::board::pdf))
        .route("/public/projects/{id}/board.png", get(public::board::png))
        .route("/projects/boards.pdf", get(projects::boards::pdf))
        .route("/projects/freezes", get(projects::freezes::page).post(projects::freezes::create))
        .route("/projects/{id}", get(projects::show::page).post(projects::edit::update_form))
        .route("/projects/{id}/edit", get(projects::edit::edit_form))
        .route("/projects/{id}/files/{file}", get(projects::evidence::download))
        .route("/projects/{id}/checks/{check}/item", post(projects::evidence::raise_item))
        .route("/projects/{id}/reports/{report}/check", post(projects::show::check_report))
        .route("/projects/{id}/items", post(projects::show::raise_item))
        .route("/lists", get(lists::page))
        .route("/inbox", get(inbox::page))
        .route("/inbox/read-all", post(inbox::read_all))
        .route("/inbox/{id}/read", post(inbox::read))
        .layer(DefaultBodyLimit::max(config.max_json_bytes))
        .merge(
            Router::new()
                .route("/units/import", get(units::import_form).post(units::import))
                .route("/calendar/years", post(calendar::upload))
                .route("/projects/import", get(projects::import::form).post(projects::import::upload))
                .route("/items/{id}/act", post(items::act_form))
                .route("/items/{id}/attachments", post(items::upload))
                .route("/projects/{id}/reports", post(projects::show::submit_report))
                .route("/projects/{id}/files", post(projects::evidence::upload))
                .route("/projects/{id}/checks", post(projects::evidence::record_check))
                .layer(DefaultBodyLimit::max(config.max_upload_bytes)),
        )
}

/// The page's user must hold `permission` (403 page otherwise).
pub fn require(
    authed: &crate::auth::Authed,
    permission: bangdu_domain::permission::Permission,
) -> Result<(), PageError> {
    if authed.actor.can(permission) { Ok(()) } else { Err(PageError(crate::error::ApiError::forbidden())) }
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(page: &T) -> PageResult {
    match page.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            Err(PageError(crate::error::ApiError::internal()))
        }
    }
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
