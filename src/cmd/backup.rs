use super::open;
use crate::cli::{BackupArgs, RestoreArgs};
use anyhow::Context;
use bangdu_store::backup;
use bangdu_store::files::LocalFiles;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

pub async fn backup(url: &str, attachments: &Path, args: BackupArgs) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    // Write next to the target and rename, so a failed backup never leaves a half file behind.
    let partial = args.output.with_extension("partial");
    let file = std::fs::File::create(&partial).with_context(|| format!("无法创建文件 {}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let files = LocalFiles::new(attachments);
    let summary = backup::dump(&db, Some(&files), &mut out).await?;
    out.flush()?;
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?.sync_all()?;
    std::fs::rename(&partial, &args.output)?;
    println!("已写入 {}：{} 行数据，{} 个附件文件", args.output.display(), summary.rows, summary.files);
    for (table, rows) in summary.tables {
        println!("  {table}: {rows}");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(url: &str, attachments: &Path, args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&args.file).with_context(|| format!("无法打开文件 {}", args.file.display()))?;
    let db = open(url).await?;
    if args.check {
        let summary = backup::check_restore(&db, BufReader::new(file)).await?;
        println!("检查通过：{} 可以恢复到此数据库（{} 行数据，未写入任何内容）", args.file.display(), summary.rows);
        for (table, rows) in summary.tables {
            println!("  {table}: {rows}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let files = LocalFiles::new(attachments);
    let (summary, report) = backup::restore(&db, Some(&files), BufReader::new(file)).await?;
    println!("已从 {1} 恢复 {0} 行数据", summary.rows, args.file.display());
    if report.ok {
        println!("审计链完好（共 {} 条事件）", report.events);
        Ok(ExitCode::SUCCESS)
    } else {
        println!("恢复后审计链已损坏：{:?}", report.broken);
        Ok(ExitCode::FAILURE)
    }
}
