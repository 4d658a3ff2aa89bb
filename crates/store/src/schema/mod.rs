//! Schema migrations, written once with sea-query's schema builder and rendered for each backend.
//!
//! All pending migrations run in one transaction (both SQLite and PostgreSQL have transactional
//! DDL), under an advisory lock on PostgreSQL so that several nodes starting together migrate once.
//! Every migration has a `down`, and a test runs them up, down and up again on both backends.

mod columns;
mod m0001_foundation;
mod m0002_items;
mod m0003_notification_events;
mod m0004_item_access;
mod m0005_projects;
mod m0006_project_feedback;
mod m0007_project_files;
mod m0008_item_access_after_assignment;
mod m0009_provisional_deadlines;
mod m0010_inspections;
mod m0011_findings;
mod m0012_appeals;
mod m0013_appeal_photos;

use crate::db::{Conn, Db};
use crate::error::{Result, StoreError};
use crate::tables::SchemaMigrations;
use crate::time::now;
use columns::*;
use sea_query::{Expr, ExprTrait, Order, Query, Table};

/// (version, name) of every migration, oldest first.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, "foundation"),
    (2, "items"),
    (3, "notification_events"),
    (4, "item_access"),
    (5, "projects"),
    (6, "project_feedback"),
    (7, "project_files"),
    (8, "item_access_after_assignment"),
    (9, "provisional_deadlines"),
    (10, "inspections"),
    (11, "findings"),
    (12, "appeals"),
    (13, "appeal_photos"),
];

async fn up(version: i64, c: &mut Conn<'_>) -> Result<()> {
    match version {
        1 => m0001_foundation::up(c).await,
        2 => m0002_items::up(c).await,
        3 => m0003_notification_events::up(c).await,
        4 => m0004_item_access::up(c).await,
        5 => m0005_projects::up(c).await,
        6 => m0006_project_feedback::up(c).await,
        7 => m0007_project_files::up(c).await,
        8 => m0008_item_access_after_assignment::up(c).await,
        9 => m0009_provisional_deadlines::up(c).await,
        10 => m0010_inspections::up(c).await,
        11 => m0011_findings::up(c).await,
        12 => m0012_appeals::up(c).await,
        13 => m0013_appeal_photos::up(c).await,
        _ => Err(StoreError::Internal(format!("unknown migration {version}"))),
    }
}

async fn down(version: i64, c: &mut Conn<'_>) -> Result<()> {
    match version {
        1 => m0001_foundation::down(c).await,
        2 => m0002_items::down(c).await,
        3 => m0003_notification_events::down(c).await,
        4 => m0004_item_access::down(c).await,
        5 => m0005_projects::down(c).await,
        6 => m0006_project_feedback::down(c).await,
        7 => m0007_project_files::down(c).await,
        8 => m0008_item_access_after_assignment::down(c).await,
        9 => m0009_provisional_deadlines::down(c).await,
        10 => m0010_inspections::down(c).await,
        11 => m0011_findings::down(c).await,
        12 => m0012_appeals::down(c).await,
        13 => m0013_appeal_photos::down(c).await,
        _ => Err(StoreError::Internal(format!("unknown migration {version}"))),
    }
}

#[derive(sqlx::FromRow)]
struct Applied {
    version: i64,
}

async fn prepare(c: &mut Conn<'_>) -> Result<Vec<i64>> {
    c.schema(
        Table::create()
            .table(SchemaMigrations::Table)
            .if_not_exists()
            .col(big(SchemaMigrations::Version).primary_key())
            .col(text(SchemaMigrations::Name))
            .col(ts(SchemaMigrations::AppliedAt)),
    )
    .await?;
    let rows: Vec<Applied> = c
        .fetch_all(
            Query::select()
                .column(SchemaMigrations::Version)
                .from(SchemaMigrations::Table)
                .order_by(SchemaMigrations::Version, Order::Asc),
        )
        .await?;
    let applied: Vec<i64> = rows.into_iter().map(|r| r.version).collect();
    if let Some(newest) = applied.last()
        && !MIGRATIONS.iter().any(|(v, _)| v == newest)
    {
        return Err(StoreError::Internal(format!(
            "the database has schema version {newest}, newer than this bangdu binary knows; upgrade bangdu"
        )));
    }
    Ok(applied)
}

/// Applies every pending migration; returns the versions applied.
pub async fn migrate(db: &Db) -> Result<Vec<i64>> {
    // Several nodes may start at once; the first migrates, the others wait and find nothing to do.
    let mut tx = db.begin_bootstrap().await?;
    let applied = prepare(&mut tx.conn()).await?;
    let mut done = Vec::new();
    for (version, name) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        up(*version, &mut tx.conn()).await?;
        tx.conn()
            .execute(
                Query::insert()
                    .into_table(SchemaMigrations::Table)
                    .columns([SchemaMigrations::Version, SchemaMigrations::Name, SchemaMigrations::AppliedAt])
                    .values_panic([(*version).into(), (*name).into(), now().into()]),
            )
            .await?;
        done.push(*version);
    }
    tx.commit().await?;
    Ok(done)
}

/// Reverts migrations newer than `target` (0 reverts everything); returns the versions reverted.
pub async fn revert_to(db: &Db, target: i64) -> Result<Vec<i64>> {
    let mut tx = db.begin_bootstrap().await?;
    let applied = prepare(&mut tx.conn()).await?;
    let mut done = Vec::new();
    for version in applied.iter().rev().filter(|v| **v > target) {
        down(*version, &mut tx.conn()).await?;
        tx.conn()
            .execute(
                Query::delete()
                    .from_table(SchemaMigrations::Table)
                    .and_where(Expr::col(SchemaMigrations::Version).eq(*version)),
            )
            .await?;
        done.push(*version);
    }
    tx.commit().await?;
    Ok(done)
}

/// The newest applied schema version (0 for an empty database).
pub async fn current_version(db: &Db) -> Result<i64> {
    let mut tx = db.begin().await?;
    let applied = prepare(&mut tx.conn()).await?;
    tx.commit().await?;
    Ok(applied.last().copied().unwrap_or(0))
}

/// Answers when the database does (for health checks).
pub async fn ping(db: &Db) -> Result<()> {
    let mut reader = db.reader().await?;
    let _: Vec<Applied> = reader
        .conn()
        .fetch_all(Query::select().column(SchemaMigrations::Version).from(SchemaMigrations::Table).limit(1))
        .await?;
    Ok(())
}
