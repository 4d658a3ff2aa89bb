//! `POST /api/v1/items/{id}/actions`: one step of the lifecycle.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::items::ActionBody;
use crate::output::items::{Context, ItemOut, full_item};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::ItemId;
use bangdu_store::items::act::act;

/// Takes a lifecycle action. 409 `invalid_transition` when the state does not allow it, 409
/// `version_conflict` when the version is stale, 403 when the caller's role may not take it.
#[utoipa::path(post, path = "/api/v1/items/{id}/actions", tag = "items", params(("id" = i64, Path)), request_body = ActionBody,
    responses(
        (status = 200, body = ItemOut),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`, `version_conflict`, `open_children`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn item_action(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    ApiJson(body): ApiJson<ActionBody>,
) -> WebResult<Json<ItemOut>> {
    let request = body.into_command()?;
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let row = act(&mut tx.conn(), &authed.actor, &ctx.cal, id, request, ctx.today).await?;
    tx.commit().await?;
    // The answer is read after the commit: the write lock is held only for the change itself.
    let mut reader = state.db.reader().await?;
    Ok(Json(full_item(&mut reader.conn(), &ctx.view(&authed), row).await?))
}
