//! `GET /api/v1/items`: the items the caller may see, filtered, sorted and paginated.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiQuery;
use crate::input::items::{ItemQuery, item_filter, item_sort};
use crate::input::page_request;
use crate::output::ListOf;
use crate::output::items::{Context, ItemOut, page_items};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_store::items::query;

/// Items in the caller's scope, filtered, sorted and paginated.
#[utoipa::path(get, path = "/api/v1/items", tag = "items", params(ItemQuery),
    responses((status = 200, body = ListOf<ItemOut>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_items(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> WebResult<Json<ListOf<ItemOut>>> {
    let ctx = Context::load(&state).await?;
    let page = page_request(&q.page, &q.per_page)?;
    let sort = item_sort(&q)?;
    let mut reader = state.db.reader().await?;
    let filter = item_filter(&mut reader.conn(), &authed.actor, &ctx, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, sort, page).await?;
    let view = ctx.view(&authed);
    let (total, page_no, per_page) = (paged.total, paged.page, paged.per_page);
    let data = page_items(&mut reader.conn(), &view, paged.data).await?;
    Ok(Json(ListOf { data, total, page: page_no, per_page }))
}
