//! 项目: the projects API — register and change projects, monthly reports and their checking,
//! lights at any date, the quoted figures, freezes (季度收账 / 年度清账) and table import.

pub mod checks;
pub mod dto;
pub mod export;
pub mod files;
pub mod items;

use crate::api::dto::ListOf;
use crate::api::units::{page_request, require};
use crate::auth::{ApiUser, Authed};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::Ids;
use crate::extract::{ApiJson, ApiQuery, Id, nonempty};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_domain::ReportId;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::plan::parse_date;
use bangdu_domain::project::{Level, Light, ReportVerdict, Status};
use bangdu_store::projects::import::{ImportOptions, ImportReport};
use bangdu_store::projects::input::ProjectInput;
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::query::{self, ProjectFilter, ProjectSort};
use bangdu_store::projects::reports::{self, ReportInput};
use bangdu_store::projects::{ProjectRow, create, freeze, stats};
use bangdu_store::{Actor, Conn, units};
use dto::{FreezeOut, FrozenOut, LightChangeOut, ProjectOut, ReportOut, StatsOut};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    pub year: Option<String>,
    /// 为民办实事, 民生微实事, 重点项目 …
    pub kind: Option<String>,
    /// `province`, `city`, `county`, `town`.
    pub level: Option<String>,
    pub series: Option<String>,
    /// One or several lights, comma-separated: `red,yellow`.
    pub light: Option<String>,
    /// One or several statuses, comma-separated.
    pub status: Option<String>,
    /// Projects this unit (code) leads or co-operates on.
    pub unit: Option<String>,
    /// Projects led by this unit (code) or a unit below it.
    pub under: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// `seq` (default), `light`, `planned_end`, `name`, `newest`.
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub async fn project_filter(c: &mut Conn<'_>, actor: &Actor, q: &ProjectQuery) -> WebResult<ProjectFilter> {
    let mut f = ProjectFilter::default();
    if let Some(y) = nonempty(&q.year) {
        f.year = Some(
            y.parse()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| WebError::invalid("year", "年度应为 2000–2100 的整数"))?,
        );
    }
    f.kind = nonempty(&q.kind).map(String::from);
    if let Some(l) = nonempty(&q.level) {
        f.level = Some(Level::parse_loose(l).ok_or_else(|| WebError::invalid("level", format!("未知层级“{l}”")))?);
    }
    f.series = nonempty(&q.series).map(String::from);
    if let Some(lights) = nonempty(&q.light) {
        for l in lights.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            f.lights.push(Light::parse(l).ok_or_else(|| WebError::invalid("light", format!("未知灯色“{l}”")))?);
        }
    }
    if let Some(statuses) = nonempty(&q.status) {
        for s in statuses.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            f.statuses.push(Status::parse(s).ok_or_else(|| WebError::invalid("status", format!("未知状态“{s}”")))?);
        }
    }
    // Units are named by code (the public pages, as the public, may name any unit).
    if let Some(unit) = nonempty(&q.unit) {
        f.unit = Some(units::resolve(c, actor, "unit", unit).await?.id);
    }
    if let Some(under) = nonempty(&q.under) {
        f.under_path = Some(units::resolve(c, actor, "under", under).await?.path.clone());
    }
    f.q = nonempty(&q.q).map(String::from);
    Ok(f)
}

pub fn project_sort(q: &ProjectQuery) -> WebResult<ProjectSort> {
    match nonempty(&q.sort) {
        Some(s) => ProjectSort::parse(s)
            .ok_or_else(|| WebError::invalid("sort", "排序应为 seq、light、planned_end、name 或 newest")),
        None => Ok(ProjectSort::Seq),
    }
}

/// Projects with their units, for a page of rows.
pub async fn outs(c: &mut Conn<'_>, rows: Vec<ProjectRow>) -> WebResult<Vec<ProjectOut>> {
    let mut units = query::units_of(c, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let u = units.remove(&r.id).unwrap_or_default();
            ProjectOut::new(r, &u)
        })
        .collect())
}

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
    require(&authed, Permission::ManageProjects)?;
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

/// The reports of a project, each with its freeze and the files attached to its month.
pub async fn report_outs(c: &mut Conn<'_>, project: &ProjectRow) -> WebResult<Vec<ReportOut>> {
    let rows = reports::list(c, project).await?;
    let all_files = bangdu_store::projects::files::list(c, project).await?;
    let mut out = Vec::new();
    for r in rows {
        let frozen = reports::frozen_for(c, project, &r.period).await?;
        let mine: Vec<files::ProjectFileOut> = all_files
            .iter()
            .filter(|f| f.period.as_deref() == Some(r.period.as_str()))
            .cloned()
            .map(Into::into)
            .collect();
        out.push(ReportOut::new(r, frozen).with_files(mine));
    }
    Ok(out)
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    pub year: Option<String>,
    pub level: Option<String>,
    pub kind: Option<String>,
    /// Projects this unit (code) leads or co-operates on.
    pub unit: Option<String>,
    /// Projects led by this unit (code) or below it.
    pub under: Option<String>,
    pub series: Option<String>,
}

impl StatsQuery {
    pub fn as_project_query(&self) -> ProjectQuery {
        ProjectQuery {
            year: self.year.clone(),
            level: self.level.clone(),
            kind: self.kind.clone(),
            unit: self.unit.clone(),
            under: self.under.clone(),
            series: self.series.clone(),
            ..ProjectQuery::default()
        }
    }
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
    require(&authed, Permission::ManageProjects)?;
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

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The year, when the file has no 年度 column.
    pub year: Option<i32>,
    /// The kind, when the file has no 类别 column (a header such as 民生微实事 also gives it).
    pub kind: Option<String>,
    /// Lead units not found by name are created under this unit (code).
    pub parent_unit: Option<String>,
    /// The registering office (code); yours by default.
    pub owner_unit: Option<String>,
    /// Extra column meanings, `列名=字段;列名=字段` (fields: name, lead_unit, seq, completion, …).
    pub map: Option<String>,
}

/// Parses `列名=字段;列名=字段`.
pub fn parse_mapping(text: Option<&str>) -> WebResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in text.unwrap_or("").split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (header, field) =
            pair.split_once('=').ok_or_else(|| WebError::invalid("map", format!("“{pair}”应写成 列名=字段")))?;
        out.push((header.trim().to_string(), field.trim().to_string()));
    }
    Ok(out)
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

pub async fn run_import(
    state: &AppState,
    authed: &Authed,
    bytes: &[u8],
    options: &ImportOptions,
) -> WebResult<ImportReport> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    let report =
        bangdu_store::projects::import::import(&mut tx.conn(), &authed.actor, &rules, bytes, options, state.today())
            .await?;
    tx.commit().await?;
    Ok(report)
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
    require(&authed, Permission::ManageProjects)?;
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
    Ok(Json(run_import(&state, &authed, &bytes, &options).await?.into()))
}
