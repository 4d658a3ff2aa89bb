//! An action taken from the item's page (multipart, so that a report or a write-off request may
//! carry a file).

use super::show::{Kept, refused_page};
use crate::auth::PageUser;
use crate::extract::Id;
use crate::input::fields::Fields;
use crate::input::items::ActionBody;
use crate::output::items::{Context, upload_error};
use crate::pages::errors::PageResult;
use crate::pages::forms::csrf_parts;
use crate::pages::{done, flash, settle};
use crate::state::AppState;
use axum::extract::{Multipart, State};
use bangdu_domain::ItemId;
use bangdu_domain::item::Action;
use bangdu_store::items::act::act;
use bangdu_store::items::attachments;

/// An action form (multipart, so that progress reports and write-off requests can carry a file).
/// Success says what was done; a refusal shows the form again with what was typed.
pub async fn act_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    multipart: Multipart,
) -> PageResult {
    let parts = csrf_parts(&authed, multipart).await?;
    let fields = Fields::from_parts(&parts);
    let action = fields.text("action").and_then(|a| Action::parse(&a));
    let label = action.map(|a| a.label()).unwrap_or("操作");
    let result = async {
        super::write_off_confirmed(&fields)?;
        let mut request = ActionBody::from_fields(&fields)?.into_command()?;
        let ctx = Context::load(&state).await?;
        let mut tx = state.db.begin().await?;
        if let Some((name, bytes)) = &parts.file {
            let row = attachments::add(&mut tx.conn(), state.files.as_ref(), &authed.actor, id, name, bytes)
                .await
                .map_err(upload_error)?;
            request.attachments.push(row.id);
        }
        let code = request.action.code();
        act(&mut tx.conn(), &authed.actor, &ctx.cal, id, request, ctx.today).await?;
        tx.commit().await?;
        Ok(done(&format!("/items/{id}"), code))
    }
    .await;
    settle(result, |e| {
        // A file cannot be put back into a form: say so, keep everything else.
        let again = if parts.file.is_some() { "（附件需重新选择）" } else { "" };
        let kept = Kept { action: action.map(|a| a.code().to_string()).unwrap_or_default(), fields: fields.clone() };
        refused_page(&state, &authed, id, flash::error(format!("{label}未完成：{}{again}", e.message)), kept)
    })
    .await
}
