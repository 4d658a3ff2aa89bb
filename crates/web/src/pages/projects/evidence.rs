//! What a project's page adds once work is under way: files of evidence for a month's report,
//! operating checks (运行使用情况) once it is built, and a check's problem turned into an item.
//! A refused form shows the project's page again with the reason (`show::answer`).

use super::show::answer;
use crate::auth::PageUser;
use crate::error::WebError;
use crate::error::WebResult;
use crate::extract::Id;
use crate::extract::Ids;
use crate::input::projects::target_of;
use crate::output::items::upload_error;
use crate::output::projects::file_response;
use crate::pages::errors::PageResult;
use crate::pages::forms::{CsrfForm, NoFields, csrf_parts};
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use bangdu_domain::ProjectId;
use bangdu_domain::{CheckId, FileId};
use bangdu_store::projects::checks::{self, CheckInput};
use bangdu_store::projects::files::{self, FileFor};

/// Adds a file to a month's report (field `period`) or to a check (field `check`).
pub async fn upload(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ProjectId>,
    multipart: Multipart,
) -> PageResult {
    let parts = csrf_parts(&authed, multipart).await?;
    let result = async {
        let target = target_of(&parts)?;
        let (name, bytes) = parts.file.as_ref().ok_or_else(|| WebError::invalid("file", "请选择要上传的文件"))?;
        let mut tx = state.db.begin().await?;
        files::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &target, name, bytes)
            .await
            .map_err(upload_error)?;
        tx.commit().await?;
        Ok("uploaded")
    }
    .await;
    answer(&state, &authed, id, result).await
}

/// Downloads a file of a project the person can see.
pub async fn download(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, file): Ids<ProjectId, FileId>,
) -> WebResult<impl IntoResponse> {
    file_response(&state, &authed, id, file).await
}

/// Records an operating check, with a photo when one is chosen.
pub async fn record_check(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ProjectId>,
    multipart: Multipart,
) -> PageResult {
    let parts = csrf_parts(&authed, multipart).await?;
    let result = async {
        let normal = match parts.text("normal").as_deref() {
            Some("yes") => true,
            Some("no") => false,
            _ => return Err(WebError::invalid("normal", "请选择运行是否正常")),
        };
        let input = CheckInput { checked_on: parts.text("checked_on"), normal, notes: parts.text("notes") };
        let mut tx = state.db.begin().await?;
        let check = checks::record(&mut tx.conn(), &authed.actor, id, &input, state.today()).await?;
        if let Some((name, bytes)) = &parts.file {
            files::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &FileFor::Check(check.id), name, bytes)
                .await
                .map_err(upload_error)?;
        }
        tx.commit().await?;
        Ok(match (check.normal, check.item_id) {
            (true, _) => "check_normal",
            (false, Some(_)) => "check_raised",
            (false, None) => "check_problem",
        })
    }
    .await;
    answer(&state, &authed, id, result).await
}

/// The office turns a check's problem into a supervision item.
pub async fn raise_item(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, check): Ids<ProjectId, CheckId>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let result = async {
        let mut tx = state.db.begin().await?;
        checks::raise_item(&mut tx.conn(), &authed.actor, id, check).await?;
        tx.commit().await?;
        Ok("check_raised")
    }
    .await;
    answer(&state, &authed, id, result).await
}
