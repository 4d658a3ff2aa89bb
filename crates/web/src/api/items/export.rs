//! The three lists (三张清单) as XLSX, with the same filters as the item list: 问题清单 (the
//! problems), 责任清单 (unit → items → person), 整改清单 (measures, deadlines, results). They open
//! cleanly in Excel and WPS: Chinese headers, a title row, frozen header, filters, wrapped text.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::ApiQuery;
use crate::extract::nonempty;
use crate::input::items::{ItemQuery, item_filter, item_sort};
use crate::output::items::Context;
use crate::output::lists::List;
use crate::output::lists::rows;
use crate::output::lists::workbook;
use crate::output::lists::xlsx_download;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use bangdu_domain::ItemId;
use bangdu_store::items::query::{self, ItemSort};
use std::collections::HashMap;

/// At most this many rows in one export.
pub const MAX_ROWS: u64 = 200_000;

/// Builds a list for the caller: the items in scope matching the query.
pub async fn build(state: &AppState, authed: &crate::auth::Authed, list: List, q: &ItemQuery) -> WebResult<Vec<u8>> {
    let ctx = Context::load(state).await?;
    let mut reader = state.db.reader().await?;
    let filter = item_filter(&mut reader.conn(), &authed.actor, &ctx, q).await?;
    let sort = if nonempty(&q.sort).is_some() { item_sort(q)? } else { ItemSort::Deadline };
    let mut items = query::all(&mut reader.conn(), &authed.actor, &filter, sort, MAX_ROWS).await?;
    let mut cooperating: HashMap<ItemId, String> = HashMap::new();
    if list == List::Responsibilities {
        // Unit → items: grouped by responsible unit, each unit's items by deadline.
        items.sort_by(|a, b| a.responsible_name.cmp(&b.responsible_name).then(a.deadline.cmp(&b.deadline)));
        for chunk in items.chunks(900) {
            for (id, units) in query::units_of(&mut reader.conn(), chunk).await? {
                let names: Vec<String> =
                    units.links.iter().filter(|l| l.role == "cooperating").map(|l| l.name.clone()).collect();
                cooperating.insert(id, names.join("、"));
            }
        }
    }
    drop(reader);
    let subtitle = format!("截至 {}，共 {} 项", ctx.today, items.len());
    let rows = rows(list, &ctx, &items, &cooperating);
    workbook(list, &subtitle, &rows).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        WebError::internal()
    })
}

async fn export(
    state: AppState,
    authed: std::sync::Arc<crate::auth::Authed>,
    list: List,
    q: ItemQuery,
) -> WebResult<impl IntoResponse> {
    let bytes = build(&state, &authed, list, &q).await?;
    Ok(xlsx_download(list, state.today(), bytes))
}

/// 问题清单: the problems, with source, units, deadline and state.
#[utoipa::path(get, path = "/api/v1/lists/problems.xlsx", tag = "items", params(ItemQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 422, body = ErrorBody)))]
pub async fn problems(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> WebResult<impl IntoResponse> {
    export(state, authed, List::Problems, q).await
}

/// 责任清单: by responsible unit, each item with its person, lead and co-operating units.
#[utoipa::path(get, path = "/api/v1/lists/responsibilities.xlsx", tag = "items", params(ItemQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 422, body = ErrorBody)))]
pub async fn responsibilities(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> WebResult<impl IntoResponse> {
    export(state, authed, List::Responsibilities, q).await
}

/// 整改清单: measures, completion standard, deadline, state, result and write-off date.
#[utoipa::path(get, path = "/api/v1/lists/rectifications.xlsx", tag = "items", params(ItemQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 422, body = ErrorBody)))]
pub async fn rectifications(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<ItemQuery>,
) -> WebResult<impl IntoResponse> {
    export(state, authed, List::Rectifications, q).await
}
