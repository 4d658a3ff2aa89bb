//! Attachments from the item's page: upload and download.

use super::show::show_page;
use crate::auth::PageUser;
use crate::extract::Id;
use crate::output::items::{attachment_response, upload_error};
use crate::pages::errors::PageResult;
use crate::pages::forms::csrf_parts;
use crate::pages::{done, flash};
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::attachments;

pub async fn upload(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    multipart: Multipart,
) -> PageResult {
    let crate::extract::Parts { file, .. } = csrf_parts(&authed, multipart).await?;
    let Some((name, bytes)) = file else {
        return show_page(&state, &authed, id, flash::error("请选择要上传的文件")).await;
    };
    let mut tx = state.db.begin().await?;
    match attachments::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, &name, &bytes)
        .await
        .map_err(upload_error)
    {
        Ok(_) => {
            tx.commit().await?;
            Ok(done(&format!("/items/{id}"), "uploaded"))
        }
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            show_page(&state, &authed, id, flash::error(e.message)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<AttachmentId>,
) -> PageResult {
    Ok(attachment_response(&state, &authed, id).await?.into_response())
}
