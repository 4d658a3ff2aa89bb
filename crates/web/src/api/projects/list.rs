//! The project list and the figures quoted over it.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::page_request;
use crate::input::projects::ProjectQuery;
use crate::input::projects::StatsQuery;
use crate::input::projects::project_filter;
use crate::input::projects::project_sort;
use crate::output::ListOf;
use crate::output::projects::ProjectOut;
use crate::output::projects::StatsOut;
use crate::output::projects::outs;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::projects::query::{self};
use bangdu_store::projects::stats;

/// Projects in the caller's scope, filtered, sorted and paginated.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ProjectQuery),
    responses((status = 200, body = ListOf<ProjectOut>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_projects(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ProjectQuery>,
) -> WebResult<Json<ListOf<ProjectOut>>> {
    let page = page_request(&q.page, &q.per_page)?;
    let sort = project_sort(&q)?;
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &authed.actor, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, sort, page).await?;
    let (total, page_no, per_page) = (paged.total, paged.page, paged.per_page);
    let data = outs(&mut reader.conn(), paged.data).await?;
    Ok(Json(ListOf { data, total, page: page_no, per_page }))
}

/// The figures the articles quote, in one call: totals by light; completed, completed early,
/// over schedule, on schedule; funds allocated against plan; the same by series and by lead unit.
#[utoipa::path(get, path = "/api/v1/projects/stats", tag = "projects", params(StatsQuery),
    responses((status = 200, body = StatsOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn project_stats(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> WebResult<Json<StatsOut>> {
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &authed.actor, &q.as_project_query()).await?;
    let s = stats::stats(&mut reader.conn(), &authed.actor, &filter).await?;
    Ok(Json(StatsOut::from(&s)))
}
