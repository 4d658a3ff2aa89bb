//! Any filtered project list as XLSX. The headers are the import's, and the computed columns
//! (lights, progress) are skipped on import, so an office can export, edit in Excel and import back.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::ApiQuery;
use crate::input::projects::{ProjectQuery, project_filter, project_sort};
use crate::output::lists::{Cell, named_xlsx, table_workbook};
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_domain::project::{Level, Light, Status};
use bangdu_store::projects::ProjectRow;
use bangdu_store::projects::query::{self, ProjectUnit};
use std::collections::HashMap;

/// At most this many projects in one export.
pub const MAX_ROWS: u64 = 200_000;

pub const COLUMNS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("年度", 7.0),
    ("类别", 12.0),
    ("层级", 7.0),
    ("系列", 10.0),
    ("项目名称", 36.0),
    ("牵头单位", 20.0),
    ("配合单位", 20.0),
    ("责任人", 10.0),
    ("地址", 24.0),
    ("纬度", 11.0),
    ("经度", 11.0),
    ("年度目标", 30.0),
    ("指标值", 9.0),
    ("指标单位", 9.0),
    ("计划投资", 14.0),
    ("已下达", 14.0),
    ("已支出", 14.0),
    ("计划开工", 12.0),
    ("计划完工", 12.0),
    ("状态", 9.0),
    ("完工日期", 12.0),
    ("计划进度", 9.0),
    ("实际进度", 9.0),
    ("亮灯", 14.0),
    ("亮灯原因", 30.0),
    ("最近报送", 10.0),
];

/// One project as the row of the export: numbers, amounts and dates typed.
pub fn row(p: &ProjectRow, units: &[ProjectUnit]) -> Vec<Cell> {
    let text = |v: &Option<String>| Cell::text(v.clone().unwrap_or_default());
    let cooperating: Vec<&str> = units.iter().filter(|u| u.role == "cooperating").map(|u| u.name.as_str()).collect();
    let (lat, lon) = p.location().map_or((Cell::Empty, Cell::Empty), |(a, b)| (Cell::Degrees(a), Cell::Degrees(b)));
    vec![
        p.seq.map_or(Cell::Empty, Cell::Int),
        Cell::Int(p.year),
        Cell::text(p.kind.clone()),
        Cell::text(Level::parse(&p.level).map_or("", |l| l.label())),
        text(&p.series),
        Cell::text(p.name.clone()),
        Cell::text(p.lead_name.clone()),
        Cell::text(cooperating.join("、")),
        text(&p.responsible_person),
        text(&p.address),
        lat,
        lon,
        text(&p.target_text),
        text(&p.indicator_value),
        text(&p.indicator_unit),
        Cell::Money(p.funds_planned),
        Cell::Money(p.funds_allocated),
        Cell::Money(p.funds_spent),
        Cell::Date(p.planned_start),
        Cell::Date(p.planned_end),
        Cell::text(Status::parse(&p.status).map_or("", |s| s.label())),
        Cell::date(p.completed_on),
        Cell::Percent(p.planned_progress),
        Cell::Percent(p.actual_progress),
        Cell::text(Light::parse(&p.light).map_or("", |l| l.label())),
        Cell::text(p.light_reason.clone()),
        text(&p.last_reported),
    ]
}

/// The workbook for the caller: the projects in scope matching the query.
pub async fn build(state: &AppState, authed: &crate::auth::Authed, q: &ProjectQuery) -> WebResult<Vec<u8>> {
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &authed.actor, q).await?;
    let rows = query::all(&mut reader.conn(), &authed.actor, &filter, project_sort(q)?, MAX_ROWS).await?;
    let mut units: HashMap<ProjectId, Vec<ProjectUnit>> = HashMap::new();
    for chunk in rows.chunks(900) {
        units.extend(query::units_of(&mut reader.conn(), chunk).await?);
    }
    drop(reader);
    let cells: Vec<Vec<Cell>> =
        rows.iter().map(|p| row(p, units.get(&p.id).map(Vec::as_slice).unwrap_or(&[]))).collect();
    let subtitle = format!("截至 {}，共 {} 个", state.today(), rows.len());
    table_workbook("项目清单", COLUMNS, &subtitle, &cells).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        WebError::internal()
    })
}

/// The filtered project list as XLSX (same filters as the list). The file imports back with
/// `POST /api/v1/projects/import`.
#[utoipa::path(get, path = "/api/v1/projects/export.xlsx", tag = "projects", params(ProjectQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 422, body = ErrorBody)))]
pub async fn export_projects(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ProjectQuery>,
) -> WebResult<impl IntoResponse> {
    let bytes = build(&state, &authed, &q).await?;
    Ok(named_xlsx("projects", "项目清单", state.today(), bytes))
}
