//! Importing a pool file (CSV or XLSX), all or nothing.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::inspections::PoolImportQuery;
use crate::output::inspections::PoolImportOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use bangdu_store::inspections::pool_import;

/// Imports a pool file: the body is the CSV (UTF-8 or GBK) or XLSX with the columns 姓名, 工作单位,
/// 所在地区划代码, 专业领域 (separated by 、), 可任组长 (是/否), 手机 (and optionally 督查室成员, 账号,
/// 备注). A bad row answers 422 `invalid_import_row` naming the line and column, and nothing is
/// stored; importing the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/pool/import", tag = "inspections", params(PoolImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = PoolImportOut), (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_pool(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<PoolImportQuery>,
    req: Request,
) -> WebResult<Json<PoolImportOut>> {
    let bytes = crate::extract::json::table_file(req, &state).await?;
    let r = pool_import::import_file(&state.db, &authed.actor, &bytes, q.owner.as_deref(), q.dry_run).await?;
    Ok(Json(PoolImportOut {
        rows: r.rows,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        dry_run: r.dry_run,
    }))
}
