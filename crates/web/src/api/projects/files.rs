//! Files of a project: evidence attached to a month's report or to an operating check, listed and
//! downloaded by whoever sees the project.

use crate::api::items::upload_error;
use crate::auth::{ApiUser, Authed};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::Ids;
use crate::extract::{Id, Parts};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bangdu_domain::FileId;
use bangdu_domain::ProjectId;
use bangdu_store::projects::files::{self, FileFor, ProjectFileRow};
use bangdu_store::projects::query;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone)]
pub struct ProjectFileOut {
    pub id: i64,
    /// The month's report it is evidence for, "YYYY-MM".
    pub period: Option<String>,
    /// The operating check it is evidence for.
    pub check: Option<i64>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTime<Utc>,
    /// Where to download it (API); the pages use `/projects/{id}/files/{file}`.
    pub url: String,
}

impl From<ProjectFileRow> for ProjectFileOut {
    fn from(f: ProjectFileRow) -> Self {
        ProjectFileOut {
            url: format!("/api/v1/projects/{}/files/{}", f.project_id, f.id),
            id: i64::from(f.id),
            period: f.period,
            check: f.check_id.map(i64::from),
            filename: f.filename,
            content_type: f.content_type,
            size: f.size_bytes,
            sha256: f.sha256,
            uploaded_by: f.uploaded_by,
            uploaded_at: f.uploaded_at,
        }
    }
}

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

/// Which report or check an upload is for, from its `period` or `check` field.
pub fn target_of(parts: &Parts) -> WebResult<FileFor> {
    match (parts.text("period"), parts.text("check")) {
        (Some(p), None) => Ok(FileFor::Report(p)),
        (None, Some(c)) => Ok(FileFor::Check(bangdu_domain::CheckId(
            crate::extract::id::parse_id(&c).ok_or_else(|| WebError::invalid("check", "运行检查编号无效"))?,
        ))),
        _ => Err(WebError::invalid("period", "请指明附件属于哪个月的报告（period）或哪次运行检查（check）")),
    }
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

pub async fn file_response(
    state: &AppState,
    authed: &Authed,
    project: ProjectId,
    file: FileId,
) -> WebResult<impl IntoResponse + use<>> {
    let row = {
        let mut reader = state.db.reader().await?;
        files::get(&mut reader.conn(), &authed.actor, project, file).await?
    };
    crate::api::download::stored_file(state, row.sha256, row.content_type, &row.filename).await
}
