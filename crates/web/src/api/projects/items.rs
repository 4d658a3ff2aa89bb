//! 转入督导: the items raised from a project, and raising one from a yellow or red project.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Id;
use crate::output::items::ItemOut;
use crate::output::items::{Context, full_item, page_items};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_store::projects::{query, supervise};

/// The supervision items raised from a project that the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/items", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ItemOut>), (status = 404, body = ErrorBody)))]
pub async fn project_items(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<Vec<ItemOut>>> {
    let ctx = Context::load(&state).await?;
    let mut reader = state.db.reader().await?;
    query::get(&mut reader.conn(), &authed.actor, id).await?;
    let rows = supervise::items_of(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(page_items(&mut reader.conn(), &ctx.view(&authed), rows).await?))
}

/// Turns a yellow or red project into a supervision item (source 项目滞后, the lead unit
/// responsible, the light's reason as the problem). 409 `project_on_track` for other lights,
/// 409 `project_item_open` while an earlier item is still open.
#[utoipa::path(post, path = "/api/v1/projects/{id}/items", tag = "projects", params(("id" = i64, Path)),
    responses((status = 201, body = ItemOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn raise_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<impl IntoResponse> {
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let row = supervise::raise_item(&mut tx.conn(), &authed.actor, id).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), row).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/items/{}", out.id))], Json(out)))
}
