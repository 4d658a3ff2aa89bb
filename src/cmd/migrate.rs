use crate::cli::MigrateArgs;
use anyhow::Context;
use bangdu_store::db::redact;
use bangdu_store::{Db, schema};
use std::process::ExitCode;

pub async fn run(url: &str, args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let db = Db::connect(url).await.with_context(|| format!("cannot open the database {}", redact(url)))?;
    if args.status {
        println!("schema version {}", schema::current_version(&db).await?);
    } else if let Some(target) = args.down_to {
        let reverted = schema::revert_to(&db, target).await?;
        println!("reverted {} migration(s): {reverted:?}", reverted.len());
    } else {
        let applied = schema::migrate(&db).await?;
        println!("applied {} migration(s); schema version {}", applied.len(), schema::current_version(&db).await?);
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
