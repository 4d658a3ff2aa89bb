//! 项目: the projects API — register and change projects, monthly reports and their checking,
//! lights at any date, the quoted figures, freezes (季度收账 / 年度清账) and table import.

pub mod checks;
pub mod export;
pub mod files;
pub mod items;

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::Ids;
use crate::extract::{ApiJson, ApiQuery, Id, nonempty};
use crate::input::page_request;
use crate::input::projects::ImportQuery;
use crate::input::projects::ProjectQuery;
use crate::input::projects::StatsQuery;
use crate::input::projects::parse_mapping;
use crate::input::projects::project_filter;
use crate::input::projects::project_sort;
use crate::output::ListOf;
use crate::output::projects::FreezeOut;
use crate::output::projects::FrozenOut;
use crate::output::projects::LightChangeOut;
use crate::output::projects::ProjectOut;
use crate::output::projects::ReportOut;
use crate::output::projects::StatsOut;
use crate::output::projects::outs;
use crate::output::projects::report_outs;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_domain::ReportId;
use bangdu_domain::project::ReportVerdict;
use bangdu_domain::project::plan::parse_date;
use bangdu_store::projects::import::{self, ImportOptions, ImportReport};
use bangdu_store::projects::input::ProjectInput;
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::query::{self};
use bangdu_store::projects::reports::{self, ReportInput};
use bangdu_store::projects::{create, freeze, stats};

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// Registers a project. Its light is computed at once.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectInput,
    responses((status = 201, body = ProjectOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<ProjectInput>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = create::create(&mut tx.conn(), &authed.actor, &rules, &body, state.today()).await?;
    let units = query::units_of_one(&mut tx.conn(), &row).await?;
    tx.commit().await?;
    let out = ProjectOut::new(row, &units);
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/projects/{}", out.id))], Json(out)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// The light as of this day (YYYY-MM-DD), from what was known that day.
    pub as_of: Option<String>,
}

/// A project in the caller's scope (404 otherwise); with `as_of`, its light on that day.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path), AsOfQuery),
    responses((status = 200, body = ProjectOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_project(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> WebResult<Json<ProjectOut>> {
    let as_of = nonempty(&q.as_of).map(|d| parse_date("as_of", d)).transpose()?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let units = query::units_of_one(&mut reader.conn(), &row).await?;
    let out = match as_of {
        Some(on) => {
            let cal = state.calendar().await?;
            let rules = LightRules::load(&mut reader.conn(), &cal).await?;
            let lit = lights::as_of(&mut reader.conn(), &rules, &row, on).await?;
            ProjectOut::new(row, &units).at(on, &lit)
        }
        None => ProjectOut::new(row, &units),
    };
    Ok(Json(out))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The project's version you read; a stale one answers 409 `version_conflict`.
    pub version: i64,
}

/// Changes a project (the whole record). A changed schedule takes effect from today; past lights stay.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", request_body = ProjectInput,
    params(("id" = i64, Path), VersionQuery),
    responses((status = 200, body = ProjectOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_project(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiQuery(v): ApiQuery<VersionQuery>,
    ApiJson(body): ApiJson<ProjectInput>,
) -> WebResult<Json<ProjectOut>> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = create::update(&mut tx.conn(), &authed.actor, &rules, id, v.version, &body, state.today()).await?;
    let units = query::units_of_one(&mut tx.conn(), &row).await?;
    tx.commit().await?;
    Ok(Json(ProjectOut::new(row, &units)))
}

/// The monthly reports of a project, newest month first, each with the freeze that fixed it.
#[utoipa::path(get, path = "/api/v1/projects/{id}/reports", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReportOut>), (status = 404, body = ErrorBody)))]
pub async fn list_reports(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<Vec<ReportOut>>> {
    let mut reader = state.db.reader().await?;
    let project = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(report_outs(&mut reader.conn(), &project).await?))
}

/// Submits (or, until it is accepted, replaces) the report for a month: the lead unit's liaison or
/// the office. Progress lower than last month's needs `progress_reason`.
#[utoipa::path(post, path = "/api/v1/projects/{id}/reports", tag = "projects", request_body = ReportInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = ReportOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiJson(body): ApiJson<ReportInput>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = reports::submit(&mut tx.conn(), &authed.actor, &rules, id, &body, state.today()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(ReportOut::new(row, None))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    /// `true` accepts; `false` returns it to the unit (then `note` is required).
    pub accept: bool,
    pub note: Option<String>,
}

/// The API says `accept: true/false`; the store takes the verdict by name.
fn verdict(accept: bool) -> ReportVerdict {
    if accept { ReportVerdict::Accept } else { ReportVerdict::Return }
}

/// The office checks a report (审核): accept it, or return it with what to fix.
#[utoipa::path(post, path = "/api/v1/projects/{id}/reports/{report_id}/check", tag = "projects", request_body = CheckBody,
    params(("id" = i64, Path), ("report_id" = i64, Path)),
    responses((status = 200, body = ReportOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn check_report(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Ids(id, report_id): Ids<ProjectId, ReportId>,
    ApiJson(body): ApiJson<CheckBody>,
) -> WebResult<Json<ReportOut>> {
    let mut tx = state.db.begin().await?;
    let row = reports::check(&mut tx.conn(), &authed.actor, id, report_id, verdict(body.accept), body.note.as_deref())
        .await?;
    tx.commit().await?;
    Ok(Json(ReportOut::new(row, None)))
}

#[derive(Serialize, ToSchema)]
pub struct LightsOut {
    /// Each change of colour, oldest first.
    pub changes: Vec<LightChangeOut>,
    /// The figures fixed by each freeze covering the project, newest first.
    pub frozen: Vec<FrozenOut>,
}

/// The light history (each change of colour) and the frozen figures of a project.
#[utoipa::path(get, path = "/api/v1/projects/{id}/lights", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = LightsOut), (status = 404, body = ErrorBody)))]
pub async fn light_history(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<LightsOut>> {
    let mut reader = state.db.reader().await?;
    let project = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let changes = lights::history(&mut reader.conn(), &project).await?.into_iter().map(LightChangeOut::from).collect();
    let frozen = freeze::of_project(&mut reader.conn(), &project)
        .await?
        .into_iter()
        .map(|(f, v)| FrozenOut::new(&f, v))
        .collect();
    Ok(Json(LightsOut { changes, frozen }))
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

/// The freezes made by units the caller can see, newest period first.
#[utoipa::path(get, path = "/api/v1/projects/freezes", tag = "projects",
    responses((status = 200, body = Vec<FreezeOut>), (status = 401, body = ErrorBody)))]
pub async fn list_freezes(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<Vec<FreezeOut>>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(freeze::list(&mut reader.conn(), &authed.actor).await?.into_iter().map(FreezeOut::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeBody {
    /// The office unit (code) whose projects are closed.
    pub unit: String,
    pub year: i32,
    /// 1–4 for 季度收账; omit for 年度清账.
    pub quarter: Option<u32>,
    pub note: Option<String>,
}

/// 季度收账 / 年度清账: fixes each project's figures at the end of the period; reports for its
/// months can no longer be submitted or replaced.
#[utoipa::path(post, path = "/api/v1/projects/freezes", tag = "projects", request_body = FreezeBody,
    responses((status = 201, body = FreezeOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_freeze(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<FreezeBody>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let row = freeze::freeze(
        &mut tx.conn(),
        &authed.actor,
        &rules,
        &body.unit,
        body.year,
        body.quarter,
        body.note.as_deref(),
        state.today(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(FreezeOut::from(row))))
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub completed: usize,
    pub units_created: usize,
}

impl From<ImportReport> for ImportOut {
    fn from(r: ImportReport) -> Self {
        ImportOut {
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            completed: r.completed,
            units_created: r.units_created,
        }
    }
}

/// Imports a project table: the body is the CSV (UTF-8 or GBK) or XLSX file. All or nothing: a bad
/// row answers 422 `invalid_import_row` naming the line and the column. Re-importing changes nothing.
#[utoipa::path(post, path = "/api/v1/projects/import", tag = "projects", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportOut), (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_projects(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    req: Request,
) -> WebResult<Json<ImportOut>> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let accepted = [
        "text/csv",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
    ];
    if !accepted.iter().any(|a| content_type.starts_with(a)) {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 text/csv 或 XLSX 提交文件内容",
        ));
    }
    let bytes = crate::extract::json::body_bytes(req, &state).await?;
    let options = ImportOptions {
        year: q.year,
        kind: q.kind.clone(),
        parent_unit: q.parent_unit.clone(),
        owner_unit: q.owner_unit.clone(),
        mapping: parse_mapping(q.map.as_deref())?,
    };
    Ok(Json(
        import::import_file(&state.db, &authed.actor, &*state.calendar().await?, &bytes, &options, state.today())
            .await?
            .into(),
    ))
}
