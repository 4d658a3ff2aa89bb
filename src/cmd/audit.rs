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
                    println!("完好：审计链未被改动（共 {} 条事件）", report.events);
                    Ok(ExitCode::SUCCESS)
                }
                Some(broken) => {
                    println!(
                        "已损坏：第 {} 条事件处断开：{}（此前 {} 条事件校验通过）",
                        broken.seq, broken.reason, report.events
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        AuditCommand::Purge { before } => {
            let date = NaiveDate::parse_from_str(&before, "%Y-%m-%d").context("--before：日期应为 YYYY-MM-DD")?;
            let before = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(8);
            match audit::purge(&db, &operator(), before).await {
                Ok(report) => {
                    println!("已清理 {} 条事件；此后从第 {} 条事件之后开始校验", report.deleted, report.base_seq);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e @ bangdu_store::StoreError::Conflict { .. }) => {
                    eprintln!("已拒绝：{e}");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}
