//! 留言审核: citizens' comments on projects wait here until the office approves (shown on the
//! public page) or rejects them (never shown; the stars still count).

use crate::auth::PageUser;
use crate::error::WebError;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Shell, shell};
use crate::pages::{Done, done, flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::RatingId;
use bangdu_domain::project::Moderation;
use bangdu_store::projects::feedback::{self, CommentRow};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "projects/comments.html")]
struct CommentsPage {
    shell: Shell,
    comments: Vec<CommentRow>,
}

impl CommentsPage {
    fn when(&self, c: &CommentRow) -> String {
        crate::pages::view::time(&c.created_at)
    }
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    let comments = {
        let mut reader = state.db.reader().await?;
        feedback::pending(&mut reader.conn(), &authed.actor, 200).await?
    };
    render(&CommentsPage {
        shell: shell(&state, &authed, "projects", "留言审核", &[("项目", Some("/projects")), ("留言审核", None)])
            .await
            .flash(flash::from_code(d.done.as_deref())),
        comments,
    })
}

#[derive(Deserialize)]
pub struct ModerateForm {
    pub rating: RatingId,
    /// `approve` or `reject`.
    pub verdict: Moderation,
}

pub async fn moderate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> PageResult {
    let result: Result<(), WebError> = async {
        let mut tx = state.db.begin().await?;
        feedback::moderate(&mut tx.conn(), &authed.actor, form.rating, form.verdict).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done("/projects/comments", "moderated")),
        Err(e) => Err(e),
    }
}
