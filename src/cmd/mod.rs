//! One module per command; each opens the database it needs and reports in plain text.

mod admin;
mod appeals;
mod audit;
mod backup;
mod calendar;
#[cfg(feature = "bench")]
mod generate;
mod inspect;
mod jobs;
mod migrate;
mod projects;
mod serve;
mod units;

use crate::cli::{Cli, Command};
pub use crate::database::open;
use bangdu_store::db::DEFAULT_URL;
use std::process::ExitCode;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let url = cli.database.clone().unwrap_or_else(|| DEFAULT_URL.to_string());
    match cli.command {
        Command::Serve(args) => serve::run(&url, &cli.attachments, args).await,
        Command::Migrate(args) => migrate::run(&url, args).await,
        Command::Import(crate::cli::ImportCommand::Projects(args)) => projects::import(&url, args).await,
        Command::Import(crate::cli::ImportCommand::Pool(args)) => inspect::import_pool(&url, args).await,
        Command::Import(crate::cli::ImportCommand::Appeals(args)) => appeals::import(&url, args).await,
        Command::Inspect(cmd) => inspect::run(&url, cmd).await,
        Command::Import(cmd) => units::import(&url, cmd).await,
        Command::Export(cmd) => units::export(&url, cmd).await,
        Command::Admin(cmd) => admin::run(&url, cmd).await,
        Command::Audit(cmd) => audit::run(&url, cmd).await,
        Command::Jobs(crate::cli::JobsCommand::Escalate(args)) => jobs::escalate(&url, args).await,
        Command::Calendar(cmd) => calendar::run(&url, cmd).await,
        Command::Backup(args) => backup::backup(&url, &cli.attachments, args).await,
        Command::Restore(args) => backup::restore(&url, &cli.attachments, args).await,
        #[cfg(feature = "bench")]
        Command::Generate(cmd) => generate::run(&url, cmd).await,
        #[cfg(feature = "bench")]
        Command::Bench(args) => crate::bench::run(&url, &cli.attachments, args).await,
    }
}

/// An import the store refused as a whole: the line and column at fault (or the field), and that
/// nothing was written; exit status 1. Any other error goes up as it is.
pub fn import_refused(file: &str, error: bangdu_store::StoreError) -> anyhow::Result<std::process::ExitCode> {
    match error {
        bangdu_store::StoreError::Import { line, field, message } => {
            eprintln!("错误：{file} 第 {line} 行，“{field}”列：{message}");
        }
        bangdu_store::StoreError::Invalid(f) => eprintln!("错误：{file}：{}：{}", f.field, f.message),
        other => return Err(other.into()),
    }
    eprintln!("未导入任何数据");
    Ok(std::process::ExitCode::FAILURE)
}

/// The operator at the command line acts as the system, recorded in the audit log as `cli`.
pub fn operator() -> bangdu_store::Actor {
    bangdu_store::Actor::system("cli")
}
