//! A fresh, migrated database for each test, on SQLite by default or on PostgreSQL when
//! `BANGDU_TEST_DATABASE_URL` names a server (`postgres://root@127.0.0.1:5432/postgres`): each test
//! gets its own database there, dropped when the test ends.

use crate::db::Db;
use crate::error::Result;
use std::sync::atomic::{AtomicU32, Ordering};

pub const ENV: &str = "BANGDU_TEST_DATABASE_URL";

pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn postgres_server() -> Option<String> {
    std::env::var(ENV).ok().filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

/// True when tests run against PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_server().is_some()
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server.split_once('?').map_or((server, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

impl TestDb {
    /// An empty database with the schema and the built-in calendar, like a first `bangdu serve`.
    pub async fn new() -> Result<TestDb> {
        let (url, dir, postgres) = match postgres_server() {
            Some(server) => {
                let name = format!(
                    "bangdu_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    crate::secrets::random_token()?
                        .to_lowercase()
                        .replace(['-', '_'], "")
                        .chars()
                        .take(6)
                        .collect::<String>()
                );
                let admin = Db::connect(&server).await?;
                admin_sql(&admin, &format!("CREATE DATABASE {name}")).await?;
                admin.close().await;
                (with_database(&server, &name), None, Some((server, name)))
            }
            None => {
                let dir = tempfile::tempdir().map_err(|e| crate::StoreError::Internal(e.to_string()))?;
                let url = format!("sqlite://{}", dir.path().join("test.sqlite3").display());
                (url, Some(dir), None)
            }
        };
        let db = crate::open(&url).await?;
        Ok(TestDb { db, url, _dir: dir, postgres })
    }
}

async fn admin_sql(admin: &Db, sql: &str) -> Result<()> {
    let mut reader = admin.reader().await?;
    if let crate::db::Conn::Postgres(c) = reader.conn() {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut *c).await?;
    }
    Ok(())
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a helper thread with its own runtime drops the database.
        let handle = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(admin) = Db::connect(&server).await {
                    let _ = admin_sql(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                    admin.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(with_database("postgres://root@127.0.0.1:5432/postgres", "t1"), "postgres://root@127.0.0.1:5432/t1");
        assert_eq!(with_database("postgres://root@h/db?sslmode=disable", "t1"), "postgres://root@h/t1?sslmode=disable");
        assert_eq!(with_database("postgres://root@h", "t1"), "postgres://root@h/t1");
    }
}
