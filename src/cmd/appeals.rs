//! `bangdu import appeals FILE`: a 12345 export, with a progress bar, bad rows named by line and
//! column, and the choice to skip them or abort (the default: nothing is written).

use super::{open, operator};
use crate::cli::ImportAppealsArgs;
use anyhow::Context;
use bangdu_store::appeals::import::{self, ImportOptions, OnError};
use bangdu_store::units::NamedUnit;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

pub async fn import(url: &str, args: ImportAppealsArgs) -> anyhow::Result<ExitCode> {
    let file = args.file.display().to_string();
    let Some(on_error) = OnError::parse(&args.on_error) else {
        eprintln!("错误：--on-error 应为 abort 或 skip");
        return Ok(ExitCode::FAILURE);
    };
    let mut mapping = Vec::new();
    for pair in &args.mapping {
        match bangdu_store::settings::parse_mapping(pair) {
            Ok(parsed) => mapping.extend(parsed),
            Err(message) => {
                eprintln!("错误：--map {pair}：{message}");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取文件 {file}"))?;
    let db = open(url).await?;
    let options = ImportOptions {
        filename: args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        owner_unit: args.unit.map(NamedUnit::named),
        mapping,
        on_error,
        dry_run: args.dry_run,
    };
    let bar = if args.quiet { ProgressBar::hidden() } else { ProgressBar::new(0) };
    bar.set_style(
        ProgressStyle::with_template("{msg:6} [{bar:40}] {pos}/{len} 行 {elapsed_precise}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let progress = |stage: &'static str, done: usize, of: usize| {
        bar.set_message(match stage {
            "check" => "检查",
            "lookup" => "比对",
            "update" => "更新",
            _ => "写入",
        });
        bar.set_length(of as u64);
        bar.set_position(done as u64);
    };
    let result = import::import_file(&db, &operator(), &bytes, &options, &progress).await;
    bar.finish_and_clear();
    match result {
        Ok(r) => {
            for e in &r.errors {
                eprintln!("{file} 第 {} 行，“{}”列：{}", e.line, e.column, e.message);
            }
            if r.error_count > r.errors.len() {
                eprintln!("……另有 {} 行有误未列出", r.error_count - r.errors.len());
            }
            if r.aborted {
                eprintln!("{} 行有误，未导入任何数据（可用 --on-error skip 跳过有误的行）", r.error_count);
                return Ok(ExitCode::FAILURE);
            }
            let verb = if r.dry_run { "预览（未写入任何数据）" } else { "已导入" };
            println!(
                "{verb} {file}：共 {} 行，新增 {} 条，更新 {} 条，未变 {} 条，跳过 {} 行{}",
                r.rows,
                r.added,
                r.updated,
                r.unchanged,
                r.skipped,
                if r.units_unmatched > 0 {
                    format!("；{} 条的承办单位不在本系统单位中（保留原文）", r.units_unmatched)
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => super::import_refused(&file, e),
    }
}
