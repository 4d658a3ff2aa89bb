//! One appeal with its history and ratings; the caller in clear only for those who call back.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Id;
use crate::output::appeals::AppealDetailOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::AppealId;
use bangdu_store::appeals::query;

/// One appeal. `caller` is present only for the office of its area and the unit handling it.
#[utoipa::path(get, path = "/api/v1/appeals/{id}", tag = "appeals", params(("id" = i64, Path)),
    responses((status = 200, body = AppealDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_appeal(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<AppealId>,
) -> WebResult<Json<AppealDetailOut>> {
    let mut reader = state.db.reader().await?;
    let detail = query::detail(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(AppealDetailOut::from(&detail)))
}
