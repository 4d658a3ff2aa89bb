//! Files of a project: evidence attached to a month's report or to an operating check, listed and
//! downloaded by whoever sees the project.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::Ids;
use crate::extract::{Id, Parts};
use crate::input::projects::target_of;
use crate::output::items::upload_error;
use crate::output::projects::ProjectFileOut;
use crate::output::projects::file_response;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::FileId;
use bangdu_domain::ProjectId;
use bangdu_store::projects::files::{self};
use bangdu_store::projects::query;

/// The files of a project, oldest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/files", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ProjectFileOut>), (status = 404, body = ErrorBody)))]
pub async fn list_files(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<Vec<ProjectFileOut>>> {
    let mut reader = state.db.reader().await?;
    let project = query::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(files::list(&mut reader.conn(), &project).await?.into_iter().map(Into::into).collect()))
}

/// Attaches a file (multipart field `file`) to a month's report (field `period`, "YYYY-MM") or to
/// an operating check (field `check`). The type is checked from the content; a month accepted or
/// frozen takes no more files (409).
#[utoipa::path(post, path = "/api/v1/projects/{id}/files", tag = "projects", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "fields `file`, and `period` or `check`"),
    responses((status = 201, body = ProjectFileOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_file(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    multipart: Multipart,
) -> WebResult<(StatusCode, Json<ProjectFileOut>)> {
    let parts = Parts::read(multipart).await?;
    let target = target_of(&parts)?;
    let (name, bytes) = parts.file.ok_or_else(|| WebError::invalid("file", "请上传文件（表单字段 file）"))?;
    let mut tx = state.db.begin().await?;
    let row = files::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &target, &name, &bytes)
        .await
        .map_err(upload_error)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Downloads a project file, always as a download.
#[utoipa::path(get, path = "/api/v1/projects/{id}/files/{file_id}", tag = "projects",
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download_file(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Ids(id, file): Ids<ProjectId, FileId>,
) -> WebResult<impl IntoResponse> {
    file_response(&state, &authed, id, file).await
}
