//! An item's attachments: upload, list, download.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::Id;
use crate::output::items::{AttachmentOut, attachment_response, upload_error};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::{attachments, query};

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
