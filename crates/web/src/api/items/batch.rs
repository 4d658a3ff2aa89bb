//! `POST /api/v1/items/batch-actions`: one action on several items (批量办理).

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::ApiJson;
use crate::input::items::BatchBody;
use crate::output::items::Context;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::items::batch::act_each;
use serde::Serialize;
use utoipa::ToSchema;

/// What became of one item of a batch.
#[derive(Serialize, ToSchema)]
pub struct BatchResultOut {
    pub id: i64,
    /// The item's code, when it is one the caller sees.
    pub code: Option<String>,
    pub ok: bool,
    /// The state after the action (when done).
    pub state: Option<String>,
    /// Why not (when refused): the single action's error code and message.
    pub error: Option<String>,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BatchOut {
    pub done: usize,
    pub refused: usize,
    pub results: Vec<BatchResultOut>,
}

/// Takes one action on each item listed, each as `POST /items/{id}/actions` would, in a
/// transaction of its own: the items that may take it are changed, the others are listed with why.
#[utoipa::path(post, path = "/api/v1/items/batch-actions", tag = "items", request_body = BatchBody,
    responses((status = 200, body = BatchOut), (status = 422, description = "no items, more than 200, or a field every item needs", body = ErrorBody)))]
pub async fn batch_actions(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<BatchBody>,
) -> WebResult<Json<BatchOut>> {
    Ok(Json(run(&state, &authed, body).await?))
}

/// Shared by the API and the list page.
pub async fn run(state: &AppState, authed: &crate::auth::Authed, body: BatchBody) -> WebResult<BatchOut> {
    let commands = body.into_commands()?;
    let ctx = Context::load(state).await?;
    let answers = act_each(&state.db, &authed.actor, &ctx.cal, commands, ctx.today).await?;
    let results: Vec<BatchResultOut> = answers
        .into_iter()
        .map(|(id, answer)| match answer {
            Ok(row) => BatchResultOut {
                id: id.0,
                code: Some(row.code.clone()),
                ok: true,
                state: Some(row.state.clone()),
                error: None,
                message: None,
            },
            Err(e) => {
                let e = WebError::from(e);
                BatchResultOut {
                    id: id.0,
                    code: None,
                    ok: false,
                    state: None,
                    error: Some(e.code.into()),
                    message: Some(e.message),
                }
            }
        })
        .collect();
    let done = results.iter().filter(|r| r.ok).count();
    Ok(BatchOut { done, refused: results.len() - done, results })
}
