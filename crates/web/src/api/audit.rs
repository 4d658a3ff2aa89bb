//! 全记录: the audit log, for administrators.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::ApiQuery;
use crate::input::audit::EventQuery;
use crate::input::audit::event_filter;
use crate::input::page_request;
use crate::output::ListOf;
use crate::output::audit::EventOut;
use crate::output::audit::VerifyOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::audit::{self};

/// Audit events, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/audit/events", tag = "audit", params(EventQuery),
    responses((status = 200, body = ListOf<EventOut>), (status = 403, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> WebResult<Json<ListOf<EventOut>>> {
    let filter = event_filter(&q)?;
    let page = page_request(&q.page, &q.per_page)?;
    let mut reader = state.db.reader().await?;
    let paged = audit::list(&mut reader.conn(), &authed.actor, &filter, page).await?;
    Ok(Json(ListOf::from(paged, EventOut::from)))
}

/// Re-walks the hash chain: `{"ok":true,"events":N}`, or the first broken event.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 403, body = ErrorBody)))]
pub async fn verify(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<VerifyOut>> {
    let report = audit::verify(&state.db, &authed.actor).await.map_err(WebError::from)?;
    Ok(Json(report.into()))
}
