//! What citizens say about projects on the public pages: ratings (五星, an optional comment the
//! office moderates) and likes. Nothing identifies a person: `visitor` is a per-project digest of
//! an anonymous browser token.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ForeignKey, ForeignKeyAction, Index, IntoIden, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(ProjectRatings::Table)
            .col(id(ProjectRatings::Id))
            .col(big(ProjectRatings::ProjectId))
            .col(text(ProjectRatings::Visitor))
            .col(big(ProjectRatings::Stars))
            .col(text_null(ProjectRatings::Comment))
            .col(text(ProjectRatings::CommentState))
            .col(ts(ProjectRatings::CreatedAt))
            .col(big_null(ProjectRatings::ModeratedBy))
            .col(ts_null(ProjectRatings::ModeratedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectRatings::Table, ProjectRatings::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_project_ratings_visitor")
            .table(ProjectRatings::Table)
            .col(ProjectRatings::ProjectId)
            .col(ProjectRatings::Visitor)
            .unique(),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_project_ratings_state")
            .table(ProjectRatings::Table)
            .col(ProjectRatings::CommentState)
            .col(ProjectRatings::ProjectId),
    )
    .await?;
    c.schema(
        Table::create()
            .table(ProjectLikes::Table)
            .col(big(ProjectLikes::ProjectId))
            .col(text(ProjectLikes::Visitor))
            .col(ts(ProjectLikes::CreatedAt))
            .primary_key(Index::create().col(ProjectLikes::ProjectId).col(ProjectLikes::Visitor))
            .foreign_key(
                ForeignKey::create()
                    .from(ProjectLikes::Table, ProjectLikes::ProjectId)
                    .to(Projects::Table, Projects::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    for table in [ProjectLikes::Table.into_iden(), ProjectRatings::Table.into_iden()] {
        c.schema(Table::drop().table(table)).await?;
    }
    Ok(())
}
