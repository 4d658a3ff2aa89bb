//! The in-app inbox: each user's notifications, unread counts by kind, marking read.

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
pub use crate::tables::NotificationRow;
use crate::tables::Notifications;
use crate::time::now;
use bangdu_domain::{ItemId, NotificationId, UserId};

use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use std::collections::BTreeMap;

/// A user's notifications, newest first.
pub async fn list(
    c: &mut Conn<'_>,
    user: UserId,
    unread_only: bool,
    kind: Option<&str>,
    page: PageRequest,
) -> Result<Paged<NotificationRow>> {
    let mut select = Query::select();
    select
        .columns(Notifications::COLUMNS.iter().copied())
        .from(Notifications::Table)
        .and_where(Expr::col(Notifications::UserId).eq(user.0));
    if unread_only {
        select.and_where(Expr::col(Notifications::ReadAt).is_null());
    }
    if let Some(kind) = kind {
        select.and_where(Expr::col(Notifications::Kind).eq(kind));
    }
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    select.order_by(Notifications::Id, Order::Desc).limit(page.per_page).offset(page.offset());
    let data = c.fetch_all(&select).await?;
    Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
}

/// Unread notifications by kind.
pub async fn unread_counts(c: &mut Conn<'_>, user: UserId) -> Result<BTreeMap<String, i64>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        n: i64,
    }
    let rows: Vec<Row> = c
        .fetch_all(
            Query::select()
                .column(Notifications::Kind)
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                .from(Notifications::Table)
                .and_where(Expr::col(Notifications::UserId).eq(user.0))
                .and_where(Expr::col(Notifications::ReadAt).is_null())
                .group_by_col(Notifications::Kind),
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.n)).collect())
}

pub async fn unread_total(c: &mut Conn<'_>, user: UserId) -> Result<i64> {
    let row: CountRow = c
        .fetch_one(
            Query::select()
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                .from(Notifications::Table)
                .and_where(Expr::col(Notifications::UserId).eq(user.0))
                .and_where(Expr::col(Notifications::ReadAt).is_null()),
        )
        .await?;
    Ok(row.n)
}

/// Marks one of the user's notifications read (not found when it is someone else's).
pub async fn mark_read(c: &mut Conn<'_>, user: UserId, id: NotificationId) -> Result<()> {
    let exists: Option<CountRow> = c
        .fetch_optional(
            Query::select()
                .expr_as(Expr::col(Notifications::Id), Alias::new("n"))
                .from(Notifications::Table)
                .and_where(Expr::col(Notifications::Id).eq(id))
                .and_where(Expr::col(Notifications::UserId).eq(user.0)),
        )
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    c.execute(
        Query::update()
            .table(Notifications::Table)
            .value(Notifications::ReadAt, now())
            .and_where(Expr::col(Notifications::Id).eq(id))
            .and_where(Expr::col(Notifications::ReadAt).is_null()),
    )
    .await?;
    Ok(())
}

/// Marks the user's notifications among `ids` read (others' are left alone); returns how many changed.
pub async fn mark_many_read(c: &mut Conn<'_>, user: UserId, ids: &[NotificationId]) -> Result<u64> {
    if ids.is_empty() {
        return Err(StoreError::invalid("ids", "请至少选择一条消息"));
    }
    if ids.len() > 500 {
        return Err(StoreError::invalid("ids", "一次最多 500 条"));
    }
    c.execute(
        Query::update()
            .table(Notifications::Table)
            .value(Notifications::ReadAt, now())
            .and_where(Expr::col(Notifications::Id).is_in(ids.iter().copied()))
            .and_where(Expr::col(Notifications::UserId).eq(user.0))
            .and_where(Expr::col(Notifications::ReadAt).is_null()),
    )
    .await
}

/// Marks all the user's notifications read (about one item when given); returns how many.
pub async fn mark_all_read(c: &mut Conn<'_>, user: UserId, item: Option<ItemId>) -> Result<u64> {
    let mut update = Query::update();
    update
        .table(Notifications::Table)
        .value(Notifications::ReadAt, now())
        .and_where(Expr::col(Notifications::UserId).eq(user.0))
        .and_where(Expr::col(Notifications::ReadAt).is_null());
    if let Some(item) = item {
        update.and_where(Expr::col(Notifications::ItemId).eq(item));
    }
    c.execute(&update).await
}
