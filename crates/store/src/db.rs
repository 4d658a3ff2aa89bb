//! The database handle. The backend (SQLite or PostgreSQL) is chosen from the URL at start;
//! every query is built once with sea-query and rendered for whichever backend runs.
//!
//! On SQLite, writes go through a one-connection pool with `BEGIN IMMEDIATE`, so writers queue
//! in-process instead of failing with SQLITE_BUSY, and reads use a separate pool (WAL lets them run
//! beside the writer). On PostgreSQL one pool serves both and several nodes may share the database.

use crate::error::{Result, StoreError};
use sea_query::{PostgresQueryBuilder, SchemaStatementBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, FromRow, PgPool, Postgres, Sqlite, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
enum Pools {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// A cloneable handle on the database.
#[derive(Clone, Debug)]
pub struct Db {
    pools: Pools,
}

/// A row type that decodes from both backends.
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// The default database: an SQLite file under `./bangdu-data/`.
pub const DEFAULT_URL: &str = "sqlite://bangdu-data/bangdu.sqlite3";

impl Db {
    /// Opens the database named by `url` (`sqlite://path`, `sqlite::memory:` is not supported
    /// because readers and the writer must share one file; `postgres://…`).
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            return Ok(Db { pools: Pools::Postgres(pool) });
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).ok_or_else(|| {
            StoreError::Internal(format!(
                "unsupported database URL (expected sqlite:// or postgres://): {}",
                redact(url)
            ))
        })?;
        if path.is_empty() || path.contains(":memory:") {
            return Err(StoreError::Internal("an in-memory SQLite database is not supported; give a file path".into()));
        }
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Internal(format!("cannot create {}: {e}", dir.display())))?;
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: every commit is fsync'd; an acknowledged action survives a power cut.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(15))
            .foreign_keys(true)
            // Read pages through a memory map (up to 64 GB of file; the build raises SQLite's 2 GB
            // ceiling, see .cargo/config.toml) and keep 32 MB of pages per connection: a reader's
            // cache is dropped whenever another connection writes, and a mapped page costs no
            // system call and no copy to read again.
            .pragma("mmap_size", "68719476736")
            .pragma("cache_size", "-32768");
        // The one writer keeps up to 256 MB of pages: a big import (a million 12345 rows) updates
        // several indexes at once, and with a small cache every row costs page reads (measured:
        // the import benchmark in BENCHMARKS.md).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.clone().pragma("cache_size", "-262144"))
            .await?;
        // Two readers per core: each SQLite connection works on its own thread, and more of them
        // than the cores can run only adds thread switches under load (measured with `bangdu bench`).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        let read = SqlitePoolOptions::new()
            .max_connections((2 * cores).clamp(2, 16))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.pragma("query_only", "1"))
            .await?;
        Ok(Db { pools: Pools::Sqlite { read, write } })
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a write transaction. Everything a request changes happens inside one.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match &self.pools {
            Pools::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A write transaction holding the cluster-wide bootstrap lock, for check-then-insert work that
    /// several nodes may start at the same moment (migrations, built-in data, demo data): the second
    /// node waits for the first to commit and then finds the work done. On SQLite, `BEGIN IMMEDIATE`
    /// already serialises writers.
    pub async fn begin_bootstrap(&self) -> Result<Tx> {
        // On SQLite the lock is the write lock itself. Another node may hold it for longer than
        // the busy timeout while it loads the demo or migrates (about 20 s in a debug build), so a
        // bootstrap keeps waiting for up to five minutes instead of failing.
        let give_up = std::time::Instant::now() + Duration::from_secs(300);
        let mut tx = loop {
            match self.begin().await {
                Err(e) if e.is_busy() && std::time::Instant::now() < give_up => continue,
                other => break other?,
            }
        };
        if self.backend() == Backend::Postgres {
            tx.conn().raw("SELECT pg_advisory_xact_lock(727274)").await?;
        }
        Ok(tx)
    }

    /// A connection for reading (on SQLite it refuses writes).
    pub async fn reader(&self) -> Result<Reader> {
        Ok(match &self.pools {
            Pools::Sqlite { read, .. } => Reader::Sqlite(read.acquire().await?),
            Pools::Postgres(pool) => Reader::Postgres(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

/// Hides the password of a database URL before it is printed or logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A write transaction.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Undoes everything the transaction did (dropping it does the same, without waiting).
    pub async fn rollback(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await?,
            Tx::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}

/// A pooled connection for reads.
pub enum Reader {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

impl Reader {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Reader::Sqlite(c) => Conn::Sqlite(c),
            Reader::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// A borrowed connection (inside a transaction or not) that runs sea-query statements.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

macro_rules! run {
    ($conn:expr, $stmt:expr, |$sql:ident, $values:ident, $c:ident| $body:expr) => {
        match $conn {
            Conn::Sqlite($c) => {
                let ($sql, $values) = $stmt.build_sqlx(SqliteQueryBuilder);
                $body
            }
            Conn::Postgres($c) => {
                let ($sql, $values) = $stmt.build_sqlx(PostgresQueryBuilder);
                $body
            }
        }
    };
}

impl Conn<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn fetch_all<T: Record>(&mut self, stmt: &impl SqlxBinder) -> Result<Vec<T>> {
        Ok(run!(self, stmt, |sql, values, c| sqlx::query_as_with(AssertSqlSafe(sql), values)
            .fetch_all(&mut **c)
            .await?))
    }

    pub async fn fetch_optional<T: Record>(&mut self, stmt: &impl SqlxBinder) -> Result<Option<T>> {
        Ok(run!(self, stmt, |sql, values, c| sqlx::query_as_with(AssertSqlSafe(sql), values)
            .fetch_optional(&mut **c)
            .await?))
    }

    /// The one row the statement must return; `NotFound` when there is none.
    pub async fn fetch_one<T: Record>(&mut self, stmt: &impl SqlxBinder) -> Result<T> {
        self.fetch_optional(stmt).await?.ok_or(StoreError::NotFound)
    }

    /// Runs an insert, update or delete; returns the number of rows it touched.
    pub async fn execute(&mut self, stmt: &impl SqlxBinder) -> Result<u64> {
        Ok(run!(self, stmt, |sql, values, c| sqlx::query_with(AssertSqlSafe(sql), values)
            .execute(&mut **c)
            .await?
            .rows_affected()))
    }

    /// Runs a schema statement (CREATE TABLE, CREATE INDEX, …) rendered for this backend.
    pub async fn schema(&mut self, stmt: &impl SchemaStatementBuilder) -> Result<()> {
        match self {
            Conn::Sqlite(c) => {
                sqlx::raw_sql(AssertSqlSafe(stmt.build(SqliteQueryBuilder))).execute(&mut **c).await?;
            }
            Conn::Postgres(c) => {
                sqlx::raw_sql(AssertSqlSafe(stmt.build(PostgresQueryBuilder))).execute(&mut **c).await?;
            }
        }
        Ok(())
    }

    /// Runs literal SQL for the few places where the backends truly differ (locks, sequences,
    /// maintenance). Never pass user input here.
    pub async fn raw(&mut self, sql: &'static str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => {
                sqlx::raw_sql(sql).execute(&mut **c).await?;
            }
            Conn::Postgres(c) => {
                sqlx::raw_sql(sql).execute(&mut **c).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://bd:secret@db:5432/bangdu"), "postgres://bd:***@db:5432/bangdu");
        assert_eq!(redact("postgres://root@127.0.0.1/test"), "postgres://root@127.0.0.1/test");
        assert_eq!(redact("sqlite://bangdu-data/bangdu.sqlite3"), "sqlite://bangdu-data/bangdu.sqlite3");
    }
}
