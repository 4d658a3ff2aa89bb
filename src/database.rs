//! The database a command works on: opened (created and migrated if needed) with its address in
//! any error, passwords in it masked.

use anyhow::Context;
use bangdu_store::Db;
use bangdu_store::db::redact;

pub async fn open(url: &str) -> anyhow::Result<Db> {
    bangdu_store::open(url).await.with_context(|| format!("无法打开数据库 {}", redact(url)))
}
