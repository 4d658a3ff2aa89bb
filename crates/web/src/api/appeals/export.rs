//! The appeal list as XLSX, with the list's filters; never with the caller.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::appeals::AppealQuery;
use crate::output::lists::named_xlsx;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;

/// 诉求清单 (XLSX): the appeals the caller sees, with the list's filters.
#[utoipa::path(get, path = "/api/v1/appeals/export.xlsx", tag = "appeals", params(AppealQuery),
    responses((status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_appeals(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<AppealQuery>,
) -> WebResult<impl IntoResponse> {
    let bytes = crate::output::appeals::export_xlsx(&state, &authed, &q).await?;
    Ok(named_xlsx("appeals", "诉求清单", state.today(), bytes))
}
