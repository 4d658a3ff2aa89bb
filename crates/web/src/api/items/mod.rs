//! 督导事项: the items API — register, list, read, act, split, attach, and the record.

pub mod export;

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id, nonempty};
use crate::input::items::ActionBody;
use crate::input::items::ItemCreate;
use crate::input::items::ItemQuery;
use crate::input::items::SplitBody;
use crate::input::items::action_request;
use crate::input::items::item_filter;
use crate::input::items::item_sort;
use crate::input::items::new_item;
use crate::input::items::unit_id;
use crate::input::page_request;
use crate::output::ListOf;
use crate::output::items::AttachmentOut;
use crate::output::items::Context;
use crate::output::items::ItemEventOut;
use crate::output::items::ItemOut;
use crate::output::items::SummaryOut;
use crate::output::items::attachment_response;
use crate::output::items::full_item;
use crate::output::items::item_record;
use crate::output::items::page_items;
use crate::output::items::summary;
use crate::output::items::upload_error;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::permission::Permission;
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::act::act;
use bangdu_store::items::attachments;
use bangdu_store::items::create::{ChildSpec, create, split};
use bangdu_store::items::query::{self};

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
    let filter = item_filter(&mut reader.conn(), &authed, &ctx, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, sort, page).await?;
    let view = ctx.view(&authed);
    let (total, page_no, per_page) = (paged.total, paged.page, paged.per_page);
    let data = page_items(&mut reader.conn(), &view, paged.data).await?;
    Ok(Json(ListOf { data, total, page: page_no, per_page }))
}

/// Registers an item (立项): state `registered`, or `draft` with `"draft":true`.
#[utoipa::path(post, path = "/api/v1/items", tag = "items", request_body = ItemCreate,
    responses((status = 201, body = ItemOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<ItemCreate>,
) -> WebResult<impl IntoResponse> {
    if !authed.actor.can(Permission::CreateItems) {
        return Err(WebError::forbidden());
    }
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let new = new_item(&mut tx.conn(), &authed, body).await?;
    let row = create(&mut tx.conn(), &authed.actor, new).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), row).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/items/{}", out.id))], Json(out)))
}

/// An item in the caller's scope (404 otherwise), with what the caller may do with it now.
#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemOut), (status = 404, body = ErrorBody)))]
pub async fn get_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<ItemOut>> {
    let ctx = Context::load(&state).await?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(full_item(&mut reader.conn(), &ctx.view(&authed), row).await?))
}

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
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let request = action_request(&mut tx.conn(), &authed, body).await?;
    let row = act(&mut tx.conn(), &authed.actor, &ctx.cal, id, request, ctx.today).await?;
    tx.commit().await?;
    // The answer is read after the commit: the write lock is held only for the change itself.
    let mut reader = state.db.reader().await?;
    Ok(Json(full_item(&mut reader.conn(), &ctx.view(&authed), row).await?))
}

/// The full record of an item, oldest first: every action, escalation step and attachment.
#[utoipa::path(get, path = "/api/v1/items/{id}/events", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ItemEventOut>), (status = 404, body = ErrorBody)))]
pub async fn item_events(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<Vec<ItemEventOut>>> {
    let mut reader = state.db.reader().await?;
    let item = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(item_record(&mut reader.conn(), &item).await?))
}

/// 剥笋: splits an item into children assigned to other units. The parent can be written off only
/// when every child is.
#[utoipa::path(post, path = "/api/v1/items/{id}/split", tag = "items", params(("id" = i64, Path)), request_body = SplitBody,
    responses((status = 201, description = "The parent with its children", body = ItemOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn split_item(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    ApiJson(body): ApiJson<SplitBody>,
) -> WebResult<(StatusCode, Json<ItemOut>)> {
    if !authed.actor.can(Permission::ManageItems) {
        return Err(WebError::forbidden());
    }
    let ctx = Context::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let mut specs = Vec::new();
    for (i, child) in body.children.into_iter().enumerate() {
        let unit = unit_id(&mut tx.conn(), &authed, &format!("children[{i}].unit"), Some(&child.unit))
            .await?
            .ok_or_else(|| WebError::invalid(format!("children[{i}].unit"), "请指定单位"))?;
        specs.push(ChildSpec {
            title: child.title,
            description: child.description,
            unit,
            deadline: child.deadline,
            deadline_workdays: child.deadline_workdays,
        });
    }
    split(&mut tx.conn(), &authed.actor, &ctx.cal, id, specs, ctx.today).await?;
    let parent = query::get(&mut tx.conn(), &authed.actor, id).await?;
    let out = full_item(&mut tx.conn(), &ctx.view(&authed), parent).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Uploads an attachment (multipart field `file`). The type is checked from the content.
#[utoipa::path(post, path = "/api/v1/items/{id}/attachments", tag = "items", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 201, body = AttachmentOut), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
    multipart: Multipart,
) -> WebResult<(StatusCode, Json<AttachmentOut>)> {
    let file = crate::extract::Parts::read(multipart).await?.file;
    let (name, bytes) = file.ok_or_else(|| WebError::invalid("file", "请上传文件（表单字段 file）"))?;
    let mut tx = state.db.begin().await?;
    let row = attachments::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &name, &bytes)
        .await
        .map_err(upload_error)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// The attachments of an item.
#[utoipa::path(get, path = "/api/v1/items/{id}/attachments", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = ErrorBody)))]
pub async fn list_attachments(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ItemId>,
) -> WebResult<Json<Vec<AttachmentOut>>> {
    let mut reader = state.db.reader().await?;
    let item = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(attachments::list(&mut reader.conn(), &item).await?.into_iter().map(Into::into).collect()))
}

/// Downloads an attachment, always as a download (never shown inline).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<AttachmentId>,
) -> WebResult<impl IntoResponse> {
    attachment_response(&state, &authed, id).await
}

/// Counts of the items in the caller's scope, for dashboards.
#[utoipa::path(get, path = "/api/v1/items/summary", tag = "items", responses((status = 200, body = SummaryOut)))]
pub async fn item_summary(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<SummaryOut>> {
    let ctx = Context::load(&state).await?;
    Ok(Json(summary(&state, &authed, &ctx).await?))
}
