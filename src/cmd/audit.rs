use super::{open, operator};
use crate::cli::AuditCommand;
use anyhow::Context;
use bangdu_store::audit;
use chrono::NaiveDate;
use std::process::ExitCode;

pub async fn run(url: &str, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    match cmd {
        AuditCommand::Verify => {
            let report = audit::verify(&db, &operator()).await?;
            match &report.broken {
                None => {
                    println!("ok: the audit chain is intact ({} events)", report.events);
                    Ok(ExitCode::SUCCESS)
                }
                Some(broken) => {
                    println!(
                        "BROKEN at event {}: {} ({} events verified before it)",
                        broken.seq, broken.reason, report.events
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        AuditCommand::Purge { before } => {
            let date = NaiveDate::parse_from_str(&before, "%Y-%m-%d").context("--before: expected YYYY-MM-DD")?;
            let before = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(8);
            match audit::purge(&db, &operator(), before).await {
                Ok(report) => {
                    println!(
                        "deleted {} events; verification now starts after event {}",
                        report.deleted, report.base_seq
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e @ bangdu_store::StoreError::Conflict { .. }) => {
                    eprintln!("refused: {e}");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}
