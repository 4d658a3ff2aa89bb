//! Bangdu storage: one set of queries for SQLite and PostgreSQL (built with sea-query), with the
//! caller's data scope applied here, once, for every list and get, and an audit event appended in
//! the same transaction as every change.

#[macro_use]
pub mod tables;
pub mod actor;
pub mod appeals;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod db;
pub mod deliveries;
pub mod error;
pub mod files;
#[cfg(feature = "bench")]
pub mod generate;
pub mod grants;
pub mod inbox;
pub mod inspections;
pub mod item_access;
pub mod items;
pub mod paging;
pub mod passwords;
pub mod projects;
pub mod schema;
pub(crate) mod scope_sql;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod text_match;
pub mod time;
pub mod tokens;
pub mod unit_csv;
pub mod unit_input;
pub mod units;
pub mod user_input;
pub mod users;
pub mod webhooks;

pub use actor::{Actor, ActorKind};
pub use db::{Conn, Db};
pub use error::{Result, StoreError};
pub use sqlx;

/// Opens the database, applies pending migrations and inserts the built-in calendar years:
/// everything `serve` and the CLI need before they can work.
pub async fn open(url: &str) -> Result<Db> {
    let db = Db::connect(url).await?;
    schema::migrate(&db).await?;
    let mut tx = db.begin_bootstrap().await?;
    calendar::seed_builtin(&mut tx.conn(), &Actor::system("system")).await?;
    tx.commit().await?;
    Ok(db)
}

#[cfg(feature = "testing")]
pub mod testing;
