//! 组织机构: the unit tree.

use crate::auth::{ApiUser, Authed};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::json::body_bytes;
use crate::extract::{ApiJson, ApiQuery, Id, MaybeJson};
use crate::input::page_request;
use crate::input::units::{UnitCreate, UnitPatch, UnitQuery, unit_filter};
use crate::output::download::csv_download;
use crate::output::{ListOf, UnitOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::UnitId;
use bangdu_store::unit_csv::{self, ImportReport};
use bangdu_store::units::{self, UnitSort};
use serde::Deserialize;
use utoipa::ToSchema;

/// Units in the caller's scope, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitQuery),
    responses((status = 200, body = ListOf<UnitOut>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_units(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> WebResult<Json<ListOf<UnitOut>>> {
    let sort = match q.sort.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            UnitSort::parse(s).ok_or_else(|| WebError::invalid("sort", "排序应为 tree、code、name 或 updated"))?
        }
        None => UnitSort::Tree,
    };
    let page = page_request(&q.page, &q.per_page)?;
    let mut reader = state.db.reader().await?;
    let filter = unit_filter(&mut reader.conn(), &authed.actor, &q).await?;
    let paged = units::list(&mut reader.conn(), &authed.actor, &filter, sort, page).await?;
    Ok(Json(ListOf::from(paged, UnitOut::from)))
}

/// A unit in the caller's scope (404 otherwise).
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = UnitOut), (status = 404, body = ErrorBody)))]
pub async fn get_unit(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
) -> WebResult<Json<UnitOut>> {
    let mut reader = state.db.reader().await?;
    let unit = units::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(unit.into()))
}

/// Creates a unit (administrators, under a parent in their scope).
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitCreate,
    responses(
        (status = 201, body = UnitOut),
        (status = 403, body = ErrorBody),
        (status = 409, description = "`duplicate_code`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_unit(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<UnitCreate>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let new = body.into_command(&mut tx.conn(), &authed.actor).await?;
    let unit = units::create(&mut tx.conn(), &authed.actor, new).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/units/{}", unit.id))], Json(UnitOut::from(unit))))
}

async fn apply_patch(state: &AppState, authed: &Authed, id: UnitId, body: UnitPatch) -> WebResult<UnitOut> {
    let mut tx = state.db.begin().await?;
    let changes = body.into_command(&mut tx.conn(), &authed.actor).await?;
    let unit = units::update(&mut tx.conn(), &authed.actor, id, changes).await?;
    tx.commit().await?;
    Ok(unit.into())
}

/// Edits a unit; a `parent` moves it with everything below it.
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = UnitPatch,
    responses((status = 200, body = UnitOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_unit(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
    ApiJson(body): ApiJson<UnitPatch>,
) -> WebResult<Json<UnitOut>> {
    Ok(Json(apply_patch(&state, &authed, id, body).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitMove {
    /// The new parent's code; `null` makes the unit a root.
    pub parent: Option<String>,
    pub version: Option<i64>,
}

/// Moves a unit (and everything below it) under another parent.
#[utoipa::path(post, path = "/api/v1/units/{id}/move", tag = "units", params(("id" = i64, Path)), request_body = UnitMove,
    responses((status = 200, body = UnitOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_unit(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
    ApiJson(body): ApiJson<UnitMove>,
) -> WebResult<Json<UnitOut>> {
    let patch = UnitPatch {
        code: None,
        name: None,
        kind: None,
        region: None,
        sort_order: None,
        parent: Some(body.parent),
        version: body.version,
    };
    Ok(Json(apply_patch(&state, &authed, id, patch).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct VersionOnly {
    pub version: Option<i64>,
}

async fn set_active(
    state: &AppState,
    authed: &Authed,
    id: UnitId,
    active: bool,
    version: Option<i64>,
) -> WebResult<UnitOut> {
    let mut tx = state.db.begin().await?;
    let unit = units::set_active(&mut tx.conn(), &authed.actor, id, active, version).await?;
    tx.commit().await?;
    Ok(unit.into())
}

/// Deactivates (停用) a unit; units below it must be deactivated first.
#[utoipa::path(post, path = "/api/v1/units/{id}/deactivate", tag = "units", params(("id" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = UnitOut), (status = 409, description = "`unit_has_active_children`", body = ErrorBody)))]
pub async fn deactivate_unit(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
    MaybeJson(body): MaybeJson<VersionOnly>,
) -> WebResult<Json<UnitOut>> {
    let version = body.and_then(|b| b.version);
    Ok(Json(set_active(&state, &authed, id, false, version).await?))
}

/// Reactivates (启用) a unit.
#[utoipa::path(post, path = "/api/v1/units/{id}/activate", tag = "units", params(("id" = i64, Path)), request_body = VersionOnly,
    responses((status = 200, body = UnitOut), (status = 409, description = "`parent_inactive`", body = ErrorBody)))]
pub async fn activate_unit(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
    MaybeJson(body): MaybeJson<VersionOnly>,
) -> WebResult<Json<UnitOut>> {
    let version = body.and_then(|b| b.version);
    Ok(Json(set_active(&state, &authed, id, true, version).await?))
}

/// Units in scope as CSV (`code,name,parent,kind,region`), parents before children.
#[utoipa::path(get, path = "/api/v1/units/export.csv", tag = "units", params(UnitQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_units(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> WebResult<impl IntoResponse> {
    let mut reader = state.db.reader().await?;
    let filter = unit_filter(&mut reader.conn(), &authed.actor, &q).await?;
    let csv = unit_csv::export(&mut reader.conn(), &authed.actor, &filter).await?;
    Ok(csv_download("units.csv", csv))
}

/// Imports units from CSV (UTF-8 or GBK, English or Chinese headers). One transaction: a bad row
/// answers 422 `invalid_import_row` naming the line and field, and nothing is stored.
#[utoipa::path(post, path = "/api/v1/units/import", tag = "units",
    request_body(content = String, content_type = "text/csv", description = "code,name,parent,kind,region"),
    responses(
        (status = 200, body = ImportReportOut),
        (status = 415, body = ErrorBody),
        (status = 422, description = "`invalid_import_row` with `line` and `field`", body = ErrorBody),
    ))]
pub async fn import_units(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    req: Request,
) -> WebResult<Json<ImportReportOut>> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if !content_type.starts_with("text/csv") && !content_type.starts_with("text/plain") {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 text/csv 提交 CSV 文件内容",
        ));
    }
    let bytes = body_bytes(req, &state).await?;
    let report = unit_csv::import_file(&state.db, &authed.actor, &bytes).await?;
    Ok(Json(report.into()))
}

#[derive(serde::Serialize, ToSchema)]
pub struct ImportReportOut {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl From<ImportReport> for ImportReportOut {
    fn from(r: ImportReport) -> Self {
        ImportReportOut { rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged }
    }
}
