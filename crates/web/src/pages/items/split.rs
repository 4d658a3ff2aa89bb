//! 剥笋 from the item's page: up to five children for other units.

use super::show::{Kept, refused_page};
use crate::auth::PageUser;
use crate::extract::Id;
use crate::input::items::SplitBody;
use crate::output::items::Context;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfFields;
use crate::pages::{done, flash, settle};
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::ItemId;
use bangdu_store::items::create::split;

/// The split form posts up to five rows as repeated fields; empty rows are skipped.
pub async fn split_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    CsrfFields(fields): CsrfFields,
) -> PageResult {
    let result = async {
        let children = SplitBody::from_fields(&fields)?.into_children()?;
        let ctx = Context::load(&state).await?;
        let mut tx = state.db.begin().await?;
        split(&mut tx.conn(), &authed.actor, &ctx.cal, id, children, ctx.today).await?;
        tx.commit().await?;
        Ok(done(&format!("/items/{id}"), "split"))
    }
    .await;
    settle(result, |e| {
        let kept = Kept { action: "split".into(), fields: fields.clone() };
        refused_page(&state, &authed, id, flash::error(format!("分解未完成：{}", e.message)), kept)
    })
    .await
}
