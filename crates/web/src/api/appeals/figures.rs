//! Satisfaction figures (好差评) by unit and by category.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::appeals::SatisfactionQuery;
use crate::output::appeals::SatisfactionOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::appeals::ratings;

/// Satisfaction of the appeals the caller sees: the five levels and the 满意率, by handling unit or
/// category, most rated first.
#[utoipa::path(get, path = "/api/v1/appeals/satisfaction", tag = "appeals", params(SatisfactionQuery),
    responses((status = 200, body = Vec<SatisfactionOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn satisfaction(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<SatisfactionQuery>,
) -> WebResult<Json<Vec<SatisfactionOut>>> {
    let (by, from, to) = q.read()?;
    let mut reader = state.db.reader().await?;
    let rows = ratings::satisfaction(&mut reader.conn(), &authed.actor, by, from, to).await?;
    Ok(Json(rows.iter().map(SatisfactionOut::from).collect()))
}
