//! 群众评价: ratings (五星, an optional comment shown only after the office approves it) and likes
//! from the public pages, one of each per person per project. A "person" is an anonymous browser
//! token; what is stored is a digest of it with the project id, so ratings of different projects
//! cannot be linked, and nothing else about the person is kept.

use super::{can_manage, query};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::CountRow;
use crate::tables::{ProjectLikes, ProjectRatings, Projects, RatingRecord};
use crate::time::now;
use bangdu_domain::field_error::optional_text;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::Moderation;
use bangdu_domain::{ProjectId, RatingId};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Func, Order, Query};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The stored identity of a visitor for one project.
pub fn visitor_digest(token: &str, project: ProjectId) -> String {
    hex::encode(Sha256::digest(format!("{project}:{token}").as_bytes()))
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Mean stars, one decimal; none before the first rating.
    pub average: Option<f64>,
    pub ratings: i64,
    pub likes: i64,
}

#[derive(sqlx::FromRow)]
struct Counts {
    n: i64,
    total: Option<i64>,
}

pub async fn summary(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Summary> {
    let project = project.id;
    let r: Counts = c
        .fetch_one(
            Query::select()
                .expr_as(Func::count(Expr::col(ProjectRatings::Id)), "n")
                // PostgreSQL sums BIGINT to NUMERIC; cast back so both backends answer an integer.
                .expr_as(Func::cast_as(Func::sum(Expr::col(ProjectRatings::Stars)), "bigint"), "total")
                .from(ProjectRatings::Table)
                .and_where(Expr::col(ProjectRatings::ProjectId).eq(project)),
        )
        .await?;
    let likes: CountRow = c
        .fetch_one(
            Query::select()
                .expr_as(Func::count(Expr::col(ProjectLikes::Visitor)), "n")
                .from(ProjectLikes::Table)
                .and_where(Expr::col(ProjectLikes::ProjectId).eq(project)),
        )
        .await?;
    let average = (r.n > 0).then(|| (r.total.unwrap_or(0) as f64 / r.n as f64 * 10.0).round() / 10.0);
    Ok(Summary { average, ratings: r.n, likes: likes.n })
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentRow {
    pub id: RatingId,
    pub project_id: ProjectId,
    pub project_name: String,
    pub stars: i64,
    pub comment: Option<String>,
    pub comment_state: String,
    pub created_at: DateTime<Utc>,
}

fn comments_select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            (ProjectRatings::Table, ProjectRatings::Id),
            (ProjectRatings::Table, ProjectRatings::ProjectId),
            (ProjectRatings::Table, ProjectRatings::Stars),
            (ProjectRatings::Table, ProjectRatings::Comment),
            (ProjectRatings::Table, ProjectRatings::CommentState),
            (ProjectRatings::Table, ProjectRatings::CreatedAt),
        ])
        .expr_as(Expr::col((Projects::Table, Projects::Name)), "project_name")
        .from(ProjectRatings::Table)
        .inner_join(
            Projects::Table,
            Expr::col((Projects::Table, Projects::Id)).equals((ProjectRatings::Table, ProjectRatings::ProjectId)),
        )
        .order_by((ProjectRatings::Table, ProjectRatings::Id), Order::Desc)
        .to_owned()
}

/// The approved comments of a project, newest first.
pub async fn approved(c: &mut Conn<'_>, project: &super::ProjectRow, limit: u64) -> Result<Vec<CommentRow>> {
    let project = project.id;
    c.fetch_all(
        comments_select()
            .and_where(Expr::col((ProjectRatings::Table, ProjectRatings::ProjectId)).eq(project))
            .and_where(Expr::col((ProjectRatings::Table, ProjectRatings::CommentState)).eq("approved"))
            .limit(limit),
    )
    .await
}

/// Comments waiting for the office on projects the actor manages, newest first, at most `limit`.
pub async fn pending(c: &mut Conn<'_>, actor: &Actor, limit: u64) -> Result<Vec<CommentRow>> {
    actor.require(Permission::ManageProjects)?;
    let mut select = comments_select();
    select.and_where(Expr::col((ProjectRatings::Table, ProjectRatings::CommentState)).eq("pending"));
    if let Some(cond) = super::visible(&actor.scope(Permission::ManageProjects)) {
        select.cond_where(cond);
    }
    c.fetch_all(select.limit(limit)).await
}

/// Whether this visitor has rated and liked the project.
pub async fn done_by(c: &mut Conn<'_>, project: &super::ProjectRow, visitor: &str) -> Result<(bool, bool)> {
    let project = project.id;
    let rated: CountRow = c
        .fetch_one(
            Query::select()
                .expr_as(Func::count(Expr::col(ProjectRatings::Id)), "n")
                .from(ProjectRatings::Table)
                .and_where(Expr::col(ProjectRatings::ProjectId).eq(project))
                .and_where(Expr::col(ProjectRatings::Visitor).eq(visitor)),
        )
        .await?;
    let liked: CountRow = c
        .fetch_one(
            Query::select()
                .expr_as(Func::count(Expr::col(ProjectLikes::Visitor)), "n")
                .from(ProjectLikes::Table)
                .and_where(Expr::col(ProjectLikes::ProjectId).eq(project))
                .and_where(Expr::col(ProjectLikes::Visitor).eq(visitor)),
        )
        .await?;
    Ok((rated.n > 0, liked.n > 0))
}

/// A rating of 1–5 stars with an optional comment (held for moderation). 409 `already_rated`
/// for a second rating of the same project by the same visitor.
pub async fn rate(
    c: &mut Conn<'_>,
    actor: &Actor,
    project: ProjectId,
    visitor: &str,
    stars: &str,
    comment: Option<&str>,
) -> Result<RatingId> {
    let rated = query::get(c, actor, project).await?;
    let stars: i64 = stars
        .trim()
        .parse()
        .ok()
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| StoreError::invalid("stars", "请选择 1–5 颗星"))?;
    let comment = optional_text("comment", "留言", comment.unwrap_or(""), 500)?;
    if done_by(c, &rated, visitor).await?.0 {
        return Err(StoreError::conflict("already_rated", "您已评价过该项目，感谢参与"));
    }
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: RatingId,
    }
    let state = if comment.is_some() { "pending" } else { "none" };
    let rating = RatingRecord {
        id: RatingId(0),
        project_id: project,
        visitor: visitor.into(),
        stars,
        comment: comment.clone(),
        comment_state: state.into(),
        created_at: now(),
        moderated_by: None,
        moderated_at: None,
    };
    let row: Inserted = c.fetch_one(rating.insert().returning_col(ProjectRatings::Id)).await?;
    // The audit keeps the stars and whether there was a comment; the text stays in its table.
    audit::append(
        c,
        actor,
        AuditEvent::new("project.rate", "project", project)
            .change(json!({"rating": row.id, "stars": stars, "comment": comment.is_some()})),
    )
    .await?;
    Ok(row.id)
}

/// A like; false when this visitor had already liked the project (nothing changes).
pub async fn like(c: &mut Conn<'_>, actor: &Actor, project: ProjectId, visitor: &str) -> Result<bool> {
    let row = query::get(c, actor, project).await?;
    if done_by(c, &row, visitor).await?.1 {
        return Ok(false);
    }
    c.execute(
        Query::insert()
            .into_table(ProjectLikes::Table)
            .columns([ProjectLikes::ProjectId, ProjectLikes::Visitor, ProjectLikes::CreatedAt])
            .values_panic([project.into(), visitor.into(), now().into()])
            .on_conflict(
                sea_query::OnConflict::columns([ProjectLikes::ProjectId, ProjectLikes::Visitor])
                    .do_nothing()
                    .to_owned(),
            ),
    )
    .await?;
    audit::append(c, actor, AuditEvent::new("project.like", "project", project)).await?;
    Ok(true)
}

/// The office approves a comment (it shows on the public page) or rejects it (it never shows; the
/// stars still count).
pub async fn moderate(c: &mut Conn<'_>, actor: &Actor, rating: RatingId, decision: Moderation) -> Result<()> {
    let row: CommentRow = c
        .fetch_optional(comments_select().and_where(Expr::col((ProjectRatings::Table, ProjectRatings::Id)).eq(rating)))
        .await?
        .ok_or(StoreError::NotFound)?;
    let project = query::get(c, actor, row.project_id).await?;
    let units = query::links_of(c, row.project_id).await?;
    if !can_manage(actor, &project, &query::unit_paths(&units)) {
        return Err(StoreError::Forbidden);
    }
    if row.comment_state != "pending" {
        return Err(StoreError::conflict("comment_moderated", "该留言已审核"));
    }
    let state = match decision {
        Moderation::Approve => "approved",
        Moderation::Reject => "rejected",
    };
    c.execute(
        Query::update()
            .table(ProjectRatings::Table)
            .value(ProjectRatings::CommentState, state)
            .value(ProjectRatings::ModeratedBy, actor.user_id.map(|u| u.0))
            .value(ProjectRatings::ModeratedAt, now())
            .and_where(Expr::col(ProjectRatings::Id).eq(rating)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.comment_moderate", "project", row.project_id)
            .change(json!({"rating": rating, "from": "pending", "to": state}))
            .acting_as(actor, Permission::ManageProjects),
    )
    .await?;
    Ok(())
}
