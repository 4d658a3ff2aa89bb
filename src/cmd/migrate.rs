use crate::cli::MigrateArgs;
use anyhow::Context;
use bangdu_store::db::redact;
use bangdu_store::{Db, schema};
use std::process::ExitCode;

pub async fn run(url: &str, args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let db = Db::connect(url).await.with_context(|| format!("无法打开数据库 {}", redact(url)))?;
    if args.status {
        println!("数据库结构版本 {}", schema::current_version(&db).await?);
    } else if let Some(target) = args.down_to {
        let reverted = schema::revert_to(&db, target).await?;
        println!("已回退 {} 个迁移：{reverted:?}", reverted.len());
    } else {
        let applied = schema::migrate(&db).await?;
        println!("已执行 {} 个迁移；数据库结构版本 {}", applied.len(), schema::current_version(&db).await?);
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
