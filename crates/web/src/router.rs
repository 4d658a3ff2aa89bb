//! Every route of the application, in one place: the JSON API (documented by the `#[utoipa::path]`
//! on each handler, so `/api/v1/openapi.json` cannot drift from what is served), the signed-in
//! pages and the public pages. Page routes answer errors as the error page (`as_page`); uploads
//! get a larger body limit than forms and JSON.

use crate::api::ApiDoc;
use crate::extract::text::refuse_unstorable_query;
use crate::pages::errors::as_page;
use crate::state::{AppState, WebConfig};
use crate::{api, assets, auth, pages};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Content Security Policy: everything from this server, nothing inline but styles in SVG.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

pub fn app(state: AppState) -> Router {
    let (api_router, mut openapi) = api_routes(&state.config).split_for_parts();
    utoipa::Modify::modify(&api::ResponseDescriptions, &mut openapi);
    let openapi_json: Arc<String> = Arc::new(openapi.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    let authenticated = Router::new()
        .merge(api_router.layer(from_fn(refuse_unstorable_query)))
        .route("/api/v1/openapi.json", get(move || openapi_document(openapi_json.clone())))
        .merge(page_routes(&state.config).layer(from_fn(refuse_unstorable_query)).layer(map_response(as_page)))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        // Pages and answers carry people's data and CSRF tokens: no cache keeps them (a response
        // that says otherwise, such as a map tile, keeps its own).
        .layer(header_layer(header::CACHE_CONTROL, "no-store"));
    // Browsers that met the site over https keep to https (only when the public address is https).
    let hsts = state.config.public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    Router::new()
        .route("/healthz", get(api::health::healthz))
        .merge(assets::router())
        .merge(open311_routes())
        .merge(authenticated)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(tower::util::option_layer(
            hsts.then(|| header_layer(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains")),
        ))
        .layer(
            // Method and path only: query strings can carry names and phone numbers.
            // Tracking secrets in paths are left out too (they let anyone rate the appeal).
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                tracing::info_span!("request", method = %req.method(), path = %loggable_path(req.uri().path()))
            }),
        )
        .with_state(state)
}

/// Open311 GeoReport v2: no session, no CSRF (clients post with an API key), its own error shape.
fn open311_routes() -> Router<AppState> {
    use crate::open311;
    Router::new()
        .route("/open311/v2/{file}", get(open311::get_root).post(open311::post_root))
        .route("/open311/v2/services/{file}", get(open311::get_service))
        .route("/open311/v2/requests/{file}", get(open311::get_request))
        .route("/open311/v2/tokens/{file}", get(open311::get_token))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

/// A request's path as logs keep it: a tracking secret in it is replaced by `…`.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/open311/v2/tokens/", "/track/"] {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return format!("{prefix}…").into();
        }
    }
    path.into()
}

/// The JSON API under `/api/v1`.
fn api_routes(config: &WebConfig) -> OpenApiRouter<AppState> {
    let json = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::session::sign_in, api::session::sign_out))
        .routes(routes!(api::session::me))
        .routes(routes!(api::session::my_sessions))
        .routes(routes!(api::session::end_my_session))
        .routes(routes!(api::session::change_my_password))
        .routes(routes!(api::tokens::list_tokens, api::tokens::create_token))
        .routes(routes!(api::tokens::revoke_token))
        .routes(routes!(api::tokens::user_tokens))
        .routes(routes!(api::units::list_units, api::units::create_unit))
        .routes(routes!(api::units::get_unit, api::units::update_unit))
        .routes(routes!(api::units::move_unit))
        .routes(routes!(api::units::deactivate_unit))
        .routes(routes!(api::units::activate_unit))
        .routes(routes!(api::units::export_units))
        .routes(routes!(api::users::list_users, api::users::create_user))
        .routes(routes!(api::users::get_user, api::users::update_user))
        .routes(routes!(api::users::reset_password))
        .routes(routes!(api::users::unlock_user))
        .routes(routes!(api::audit::list_events))
        .routes(routes!(api::audit::verify))
        .routes(routes!(api::calendar::day))
        .routes(routes!(api::calendar::add_workdays))
        .routes(routes!(api::calendar::count_workdays))
        .routes(routes!(api::calendar::list_years))
        .routes(routes!(api::settings::get_settings, api::settings::update_settings))
        .routes(routes!(api::items::list::list_items, api::items::create::create_item))
        .routes(routes!(api::items::summary::item_summary))
        .routes(routes!(api::items::get::get_item))
        .routes(routes!(api::items::act::item_action))
        .routes(routes!(api::items::batch::batch_actions))
        .routes(routes!(api::items::get::item_events))
        .routes(routes!(api::items::split::split_item))
        .routes(routes!(api::items::attachments::list_attachments))
        .routes(routes!(api::items::attachments::download_attachment))
        .routes(routes!(api::items::export::problems))
        .routes(routes!(api::items::export::responsibilities))
        .routes(routes!(api::items::export::rectifications))
        .routes(routes!(api::notifications::list_notifications))
        .routes(routes!(api::notifications::notification_counts))
        .routes(routes!(api::notifications::read_notification))
        .routes(routes!(api::notifications::read_all))
        .routes(routes!(api::notifications::read_many))
        .routes(routes!(api::notifications::unit_webhooks, api::notifications::create_webhook))
        .routes(routes!(api::notifications::delete_webhook))
        .routes(routes!(api::notifications::webhook_deliveries))
        .routes(routes!(api::notifications::run_escalation))
        .routes(routes!(api::projects::list::list_projects, api::projects::edit::create_project))
        .routes(routes!(api::projects::list::project_stats))
        .routes(routes!(api::projects::freezes::list_freezes, api::projects::freezes::create_freeze))
        .routes(routes!(api::projects::get::get_project, api::projects::edit::update_project))
        .routes(routes!(api::projects::reports::list_reports, api::projects::reports::submit_report))
        .routes(routes!(api::projects::reports::check_report))
        .routes(routes!(api::projects::get::light_history))
        .routes(routes!(api::projects::export::export_projects))
        .routes(routes!(api::projects::items::project_items, api::projects::items::raise_item))
        .routes(routes!(api::projects::checks::list_checks, api::projects::checks::record_check))
        .routes(routes!(api::projects::checks::raise_check_item))
        .routes(routes!(api::projects::files::list_files))
        .routes(routes!(api::projects::files::download_file))
        .routes(routes!(api::pool::members::list_members, api::pool::members::create_member))
        .routes(routes!(api::pool::members::get_member, api::pool::members::update_member))
        .routes(routes!(api::pool::members::set_member_active))
        .routes(routes!(api::pool::members::declare_conflict))
        .routes(routes!(api::pool::members::add_absence))
        .routes(routes!(api::appeals::list::list_appeals))
        .routes(routes!(api::appeals::get::get_appeal))
        .routes(routes!(api::appeals::photos::get_photo))
        .routes(routes!(api::appeals::export::export_appeals))
        .routes(routes!(api::appeals::transfer::transfer_appeals))
        .routes(routes!(api::appeals::rate::rate_appeal))
        .routes(routes!(api::appeals::rate::rate_item))
        .routes(routes!(api::appeals::figures::satisfaction))
        .routes(routes!(api::appeals::meetings::list_meetings, api::appeals::meetings::create_meeting))
        .routes(routes!(api::appeals::meetings::get_meeting))
        .routes(routes!(api::appeals::categories::list_categories, api::appeals::categories::create_category))
        .routes(routes!(api::appeals::categories::update_category))
        .routes(routes!(api::appeals::keys::list_keys, api::appeals::keys::issue_key))
        .routes(routes!(api::appeals::keys::revoke_key))
        .routes(routes!(api::inspections::campaigns::list_campaigns, api::inspections::campaigns::create_campaign))
        .routes(routes!(api::inspections::campaigns::get_campaign))
        .routes(routes!(api::inspections::campaigns::create_round))
        .routes(routes!(api::inspections::rounds::get_round))
        .routes(routes!(api::inspections::rounds::draw_round))
        .routes(routes!(api::inspections::rounds::redraw_round))
        .routes(routes!(api::inspections::targets::add_target))
        .routes(routes!(api::inspections::targets::edit_target))
        .routes(routes!(api::inspections::targets::drop_target))
        .routes(routes!(api::inspections::teams::get_teams, api::inspections::teams::form_teams))
        .routes(routes!(api::inspections::teams::assign_seat))
        .routes(routes!(api::inspections::teams::remove_seat))
        .routes(routes!(api::inspections::findings::record_finding))
        .routes(routes!(api::inspections::findings::list_findings))
        .routes(routes!(api::inspections::findings::solve_finding))
        .routes(routes!(api::inspections::findings::raise_finding_item))
        .routes(routes!(api::inspections::reports::get_report, api::inspections::reports::save_report))
        .routes(routes!(api::inspections::reports::issue_report))
        .routes(routes!(api::inspections::reports::report_docx))
        .layer(DefaultBodyLimit::max(config.max_json_bytes));
    let uploads = OpenApiRouter::new()
        .routes(routes!(api::units::import_units))
        .routes(routes!(api::calendar::get_year, api::calendar::put_year))
        .routes(routes!(api::items::attachments::upload_attachment))
        .routes(routes!(api::projects::import::import_projects))
        .routes(routes!(api::pool::import::import_pool))
        .routes(routes!(api::appeals::import::import_appeals))
        .routes(routes!(api::projects::files::upload_file))
        .layer(DefaultBodyLimit::max(config.max_upload_bytes));
    json.merge(uploads)
}

/// The pages: signed in, and (under `/public`, and signing in) without.
fn page_routes(config: &WebConfig) -> Router<AppState> {
    let forms = Router::new()
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/public/projects", get(pages::public::table::page))
        .route("/public/projects/{id}", get(pages::public::project::page))
        .route("/public/projects/{id}/rate", post(pages::public::project::rate))
        .route("/public/projects/{id}/like", post(pages::public::project::like))
        .route("/public/appeals/new", get(pages::public::appeal::form))
        .route("/track/{token}", get(pages::public::appeal::track))
        .route("/track/{token}/photos/{photo}", get(pages::public::appeal::photo))
        .route("/track/{token}/rate", post(pages::public::appeal::rate))
        .route("/public/projects/{id}/board.pdf", get(pages::public::board::pdf))
        .route("/public/projects/{id}/board.png", get(pages::public::board::png))
        .route("/", get(pages::home::page))
        .route("/units", get(pages::units::list::list).post(pages::units::edit::create))
        .route("/units/new", get(pages::units::edit::new_form))
        .route("/units/export.csv", get(pages::units::list::export))
        .route("/units/{id}", get(pages::units::show::show).post(pages::units::edit::update))
        .route("/units/{id}/edit", get(pages::units::edit::edit_form))
        .route("/units/{id}/deactivate", post(pages::units::active::deactivate))
        .route("/units/{id}/activate", post(pages::units::active::activate))
        .route("/units/{id}/webhooks", get(pages::webhooks::page).post(pages::webhooks::create))
        .route("/units/{unit}/webhooks/{hook}/deactivate", post(pages::webhooks::deactivate))
        .route("/users", get(pages::users::list::list).post(pages::users::new::create))
        .route("/users/new", get(pages::users::new::new_form))
        .route("/users/{id}", get(pages::users::show::show).post(pages::users::edit::update))
        .route("/users/{id}/roles", post(pages::users::roles::add_role))
        .route("/users/{id}/roles/{grant}/remove", post(pages::users::roles::remove_role))
        .route("/users/{id}/password", post(pages::users::password::reset_password))
        .route("/users/{id}/unlock", post(pages::users::password::unlock))
        .route("/users/{id}/tokens/{token}/revoke", post(pages::users::tokens::revoke_token))
        .route("/account", get(pages::account::page))
        .route("/account/password", post(pages::account::change_password))
        .route("/account/sessions/{id}/end", post(pages::account::end_session))
        .route("/account/tokens", post(pages::account::create_token))
        .route("/account/tokens/{id}/revoke", post(pages::account::revoke_token))
        .route("/calendar", get(pages::calendar::page))
        .route("/calendar/years/{year}", get(pages::calendar::download))
        .route("/audit", get(pages::audit::list))
        .route("/audit/verify", get(pages::audit::verify))
        .route("/settings", get(pages::settings::page).post(pages::settings::save))
        .route("/items", get(pages::items::list::list).post(pages::items::new::create_form))
        .route("/items/new", get(pages::items::new::new_form))
        .route("/items/board", get(pages::board::page))
        .route("/items/{id}", get(pages::items::show::show))
        .route("/items/{id}/split", post(pages::items::split::split_form))
        .route("/items/batch", post(pages::items::batch::batch_form))
        .route("/attachments/{id}", get(pages::items::attachments::download))
        .route("/inspections", get(pages::inspections::campaigns::list).post(pages::inspections::campaigns::create))
        .route("/inspections/{id}", get(pages::inspections::campaigns::show))
        .route("/inspections/{id}/rounds", post(pages::inspections::campaigns::create_round))
        .route("/rounds/{id}", get(pages::inspections::round::page))
        .route("/rounds/{id}/report", get(pages::inspections::report::page).post(pages::inspections::report::save))
        .route("/rounds/{id}/report/issue", post(pages::inspections::report::issue))
        .route("/rounds/{id}/report.docx", get(pages::inspections::report::docx))
        .route("/findings/{id}/solved", post(pages::inspections::report::solve))
        .route("/findings/{id}/item", post(pages::inspections::report::raise))
        .route("/findings/photos/{id}", get(pages::inspections::report::photo))
        .route("/inspections/figures", get(pages::inspections::figures::page))
        .route("/visits", get(pages::inspections::visits::page))
        .route("/rounds/{id}/draw", post(pages::inspections::round_actions::draw))
        .route("/rounds/{id}/teams", post(pages::inspections::round_actions::form_teams))
        .route("/rounds/{id}/targets", post(pages::inspections::round_actions::add_target))
        .route("/rounds/{id}/targets/{target}/drop", post(pages::inspections::round_actions::drop_target))
        .route("/rounds/{id}/targets/{target}/edit", post(pages::inspections::round_actions::edit_target))
        .route("/rounds/{id}/targets/{target}/seats", post(pages::inspections::round_actions::assign))
        .route("/rounds/{id}/targets/{target}/seats/remove", post(pages::inspections::round_actions::unassign))
        .route("/appeals", get(pages::appeals::list::page))
        .route("/appeals/export.xlsx", get(pages::appeals::list::export))
        .route("/appeals/transfer", post(pages::appeals::list::send_on))
        .route("/appeals/satisfaction", get(pages::appeals::figures::page))
        .route("/appeals/meetings", get(pages::appeals::meetings::list).post(pages::appeals::meetings::create))
        .route("/appeals/meetings/new", get(pages::appeals::meetings::new_form))
        .route("/appeals/meetings/{id}", get(pages::appeals::meetings::show))
        .route("/appeals/categories", get(pages::appeals::categories::list).post(pages::appeals::categories::create))
        .route(
            "/appeals/categories/{id}",
            get(pages::appeals::categories::edit_form).post(pages::appeals::categories::update),
        )
        .route("/appeals/keys", get(pages::appeals::keys::page).post(pages::appeals::keys::issue))
        .route("/appeals/keys/{id}/revoke", post(pages::appeals::keys::revoke))
        .route("/appeals/{id}", get(pages::appeals::show::page))
        .route("/appeals/{id}/photos/{photo}", get(pages::appeals::show::photo))
        .route("/appeals/{id}/ratings", post(pages::appeals::show::rate))
        .route("/appeals/{id}/transfer", post(pages::appeals::show::send_on))
        .route("/items/{id}/ratings", post(pages::items::show::rate))
        .route("/pool", get(pages::pool::list::page).post(pages::pool::edit::create))
        .route("/pool/new", get(pages::pool::edit::new_form))
        .route("/pool/{id}", get(pages::pool::show::page).post(pages::pool::edit::update))
        .route("/pool/{id}/edit", get(pages::pool::edit::edit_form))
        .route("/pool/{id}/active", post(pages::pool::show::set_active))
        .route("/pool/{id}/conflicts", post(pages::pool::show::declare_conflict))
        .route("/pool/{id}/conflicts/withdraw", post(pages::pool::show::withdraw_conflict))
        .route("/pool/{id}/absences", post(pages::pool::show::add_absence))
        .route("/pool/{id}/absences/remove", post(pages::pool::show::remove_absence))
        .route("/projects", get(pages::projects::list::page).post(pages::projects::edit::create_form))
        .route("/projects/new", get(pages::projects::edit::new_form))
        .route("/projects/stats", get(pages::projects::stats::page))
        .route("/projects/chart", get(pages::projects::chart::page))
        .route("/projects/chart.svg", get(pages::projects::chart::svg_file))
        .route("/projects/map", get(pages::projects::map::page))
        .route("/projects/map/tiles/{z}/{x}/{y}", get(pages::projects::map::tile))
        .route("/projects/comments", get(pages::projects::comments::page).post(pages::projects::comments::moderate))
        .route("/projects/boards.pdf", get(pages::projects::boards::pdf))
        .route("/projects/freezes", get(pages::projects::freezes::page).post(pages::projects::freezes::create))
        .route("/projects/{id}", get(pages::projects::show::page).post(pages::projects::edit::update_form))
        .route("/projects/{id}/edit", get(pages::projects::edit::edit_form))
        .route("/projects/{id}/files/{file}", get(pages::projects::evidence::download))
        .route("/projects/{id}/checks/{check}/item", post(pages::projects::evidence::raise_item))
        .route("/projects/{id}/reports/{report}/check", post(pages::projects::show::check_report))
        .route("/projects/{id}/items", post(pages::projects::show::raise_item))
        .route("/lists", get(pages::lists::page))
        .route("/inbox", get(pages::inbox::page))
        .route("/inbox/read-all", post(pages::inbox::read_all))
        .route("/inbox/read", post(pages::inbox::read_selected))
        .route("/inbox/{id}/read", post(pages::inbox::read))
        .layer(DefaultBodyLimit::max(config.max_json_bytes));
    let uploads = Router::new()
        .route("/units/import", get(pages::units::import::import_form).post(pages::units::import::import))
        .route("/calendar/years", post(pages::calendar::upload))
        .route("/projects/import", get(pages::projects::import::form).post(pages::projects::import::upload))
        .route("/pool/import", get(pages::pool::import::form).post(pages::pool::import::upload))
        .route("/appeals/import", get(pages::appeals::import::form).post(pages::appeals::import::upload))
        .route("/public/appeals", post(pages::public::appeal::submit))
        .route("/visits/{target}/findings", post(pages::inspections::visits::record))
        .route("/items/{id}/act", post(pages::items::act::act_form))
        .route("/items/{id}/attachments", post(pages::items::attachments::upload))
        .route("/projects/{id}/reports", post(pages::projects::show::submit_report))
        .route("/projects/{id}/files", post(pages::projects::evidence::upload))
        .route("/projects/{id}/checks", post(pages::projects::evidence::record_check))
        .layer(DefaultBodyLimit::max(config.max_upload_bytes));
    forms.merge(uploads)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn openapi_document(json: Arc<String>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], json.as_str().to_owned()).into_response()
}

fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

async fn not_found(State(_state): State<AppState>, req: Request) -> Response {
    if is_api(&req) {
        crate::error::WebError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在").into_response()
    } else {
        pages::errors::not_found_page()
    }
}

async fn method_not_allowed(req: Request) -> Response {
    let e = crate::error::WebError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "不支持该请求方法");
    if is_api(&req) { e.into_response() } else { pages::errors::error_page(&e) }
}
