//! `POST /api/v1/items/batch-actions`: one action on several items (批量办理).

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiJson;
use crate::input::items::BatchBody;
use crate::output::items::BatchOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Takes one action on each item listed, each as `POST /items/{id}/actions` would, in a
/// transaction of its own: the items that may take it are changed, the others are listed with why.
#[utoipa::path(post, path = "/api/v1/items/batch-actions", tag = "items", request_body = BatchBody,
    responses((status = 200, body = BatchOut), (status = 422, description = "no items, more than 200, or a field every item needs", body = ErrorBody)))]
pub async fn batch_actions(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<BatchBody>,
) -> WebResult<Json<BatchOut>> {
    Ok(Json(body.run(&state, &authed).await?))
}
