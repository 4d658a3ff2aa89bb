//! The appeal list, newest first, with the caller masked.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::appeals::AppealQuery;
use crate::input::page_request;
use crate::output::ListOf;
use crate::output::appeals::AppealOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::appeals::query;

/// Appeals the caller may see: an office those of its area, a unit those it handles.
#[utoipa::path(get, path = "/api/v1/appeals", tag = "appeals", params(AppealQuery),
    responses((status = 200, body = ListOf<AppealOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_appeals(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<AppealQuery>,
) -> WebResult<Json<ListOf<AppealOut>>> {
    let page = page_request(&q.page, &q.per_page)?;
    let filter = q.filter()?;
    let mut reader = state.db.reader().await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, page).await?;
    Ok(Json(ListOf::from(paged, |a| AppealOut::from(&a))))
}
