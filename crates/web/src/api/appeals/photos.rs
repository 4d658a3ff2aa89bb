//! A photo the citizen sent with an appeal, for whoever may see the appeal.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::Ids;
use crate::output::download::stored_file;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use bangdu_domain::{AppealId, AppealPhotoId};
use bangdu_store::appeals::photos;

/// One photo of an appeal (as a download; its type read from its bytes when it was sent).
#[utoipa::path(get, path = "/api/v1/appeals/{id}/photos/{photo_id}", tag = "appeals",
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    responses((status = 200, description = "The photo", content_type = "image/*"), (status = 404, body = ErrorBody)))]
pub async fn get_photo(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Ids(id, photo): Ids<AppealId, AppealPhotoId>,
) -> WebResult<impl IntoResponse> {
    let record = {
        let mut reader = state.db.reader().await?;
        photos::get(&mut reader.conn(), &authed.actor, id, photo).await?
    };
    stored_file(&state, record.sha256, record.content_type, &record.filename).await
}
