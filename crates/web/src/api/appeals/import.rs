//! Importing a 12345 export.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::appeals::AppealImportQuery;
use crate::output::appeals::AppealImportOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangdu_store::appeals::import;
use serde_json::json;

/// Imports a 12345 export: the body is the CSV (UTF-8, GBK or GB18030) or XLSX. The usual columns
/// (工单编号, 来电时间, 诉求内容, 诉求地址, 所属区域, 诉求分类, 承办单位, 办理状态, 满意度, 来电人, 联系电话)
/// need no mapping. Bad rows are listed by line and column; with `on_error=abort` (the default)
/// nothing is written and the answer is 422 with the report (`aborted: true`); with `skip` the
/// good rows are written. Importing the same file again changes nothing. An aborted import answers
/// 422 `invalid_import_rows` naming the first bad line and column, with the whole report under
/// `report`.
#[utoipa::path(post, path = "/api/v1/appeals/import", tag = "appeals", params(AppealImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = AppealImportOut), (status = 403, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn import_appeals(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<AppealImportQuery>,
    req: axum::extract::Request,
) -> WebResult<Response> {
    let options = q.options()?;
    let bytes = crate::extract::json::table_file(req, &state).await?;
    let report = import::import_file(&state.db, &authed.actor, &bytes, &options, &|_, _, _| {}).await?;
    let out = AppealImportOut::from(&report);
    if !report.aborted {
        return Ok(Json(out).into_response());
    }
    // The error's shape (code, message, line, field) with the whole report beside it.
    let first = out.errors.first();
    let refused = json!({
        "code": "invalid_import_rows",
        "message": format!("{} 行有误，未导入任何数据", out.error_count),
        "line": first.map(|e| e.line),
        "field": first.map(|e| e.column.clone()),
        "report": out,
    });
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(refused)).into_response())
}
