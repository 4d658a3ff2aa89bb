//! Importing a project table (CSV or XLSX), all or nothing.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::projects::ImportQuery;
use crate::input::projects::parse_mapping;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use bangdu_store::projects::import::{self, ImportOptions, ImportReport};

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub completed: usize,
    pub units_created: usize,
    /// The lead units created (in a dry run, to be created), by name.
    pub new_units: Vec<String>,
    /// Projects whose record the file changes (at most 200 named).
    pub updated_projects: Vec<String>,
    /// Of those, projects stored as done that the file marks not done.
    pub uncompleted: Vec<String>,
    /// True when nothing was stored (`dry_run`).
    pub dry_run: bool,
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
    let bytes = crate::extract::json::table_file(req, &state).await?;
    let options = ImportOptions {
        year: q.year,
        kind: q.kind.clone(),
        parent_unit: q.parent_unit.clone(),
        owner_unit: q.owner_unit.clone(),
        create_units: q.create_units,
        dry_run: q.dry_run,
        mapping: parse_mapping(q.map.as_deref())?,
    };
    Ok(Json(
        import::import_file(&state.db, &authed.actor, &*state.calendar().await?, &bytes, &options, state.today())
            .await?
            .into(),
    ))
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
            new_units: r.new_units,
            updated_projects: r.updated_projects,
            uncompleted: r.uncompleted,
            dry_run: r.dry_run,
        }
    }
}
