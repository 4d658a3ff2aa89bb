//! The appeal list as XLSX, with the list's filters; never with the caller.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::ApiQuery;
use crate::input::appeals::AppealQuery;
use crate::output::appeals::workbook;
use crate::output::lists::named_xlsx;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use bangdu_store::appeals::query;

/// At most this many rows in one export.
pub const MAX_ROWS: u64 = 200_000;

/// The filtered list as a workbook.
pub async fn build(state: &AppState, authed: &crate::auth::Authed, q: &AppealQuery) -> WebResult<Vec<u8>> {
    let filter = q.filter()?;
    let mut reader = state.db.reader().await?;
    let rows = query::all(&mut reader.conn(), &authed.actor, &filter, MAX_ROWS).await?;
    drop(reader);
    let subtitle = format!("截至 {}，共 {} 条", state.today(), rows.len());
    workbook(&rows, &subtitle).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        WebError::internal()
    })
}

/// 诉求清单 (XLSX): the appeals the caller sees, with the list's filters.
#[utoipa::path(get, path = "/api/v1/appeals/export.xlsx", tag = "appeals", params(AppealQuery),
    responses((status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_appeals(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<AppealQuery>,
) -> WebResult<impl IntoResponse> {
    let bytes = build(&state, &authed, &q).await?;
    Ok(named_xlsx("appeals", "诉求清单", state.today(), bytes))
}
