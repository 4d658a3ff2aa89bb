use super::{open, operator};
use crate::cli::{ExportCommand, ImportCommand};
use anyhow::Context;
use bangdu_store::unit_csv;
use bangdu_store::units::UnitFilter;
use std::process::ExitCode;

pub async fn import(url: &str, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Units { file } = cmd else {
        anyhow::bail!("不是单位导入");
    };
    let bytes = std::fs::read(&file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let db = open(url).await?;
    let mut tx = db.begin().await?;
    match unit_csv::import(&mut tx.conn(), &operator(), &bytes).await {
        Ok(report) => {
            tx.commit().await?;
            println!(
                "已导入 {}：共 {} 行，新建 {} 个，更新 {} 个，未变 {} 个",
                file.display(),
                report.rows,
                report.created,
                report.updated,
                report.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(bangdu_store::StoreError::Import { line, field, message }) => {
            eprintln!("错误：{} 第 {line} 行，“{field}”列：{message}", file.display());
            eprintln!("未导入任何数据");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn export(url: &str, cmd: ExportCommand) -> anyhow::Result<ExitCode> {
    let ExportCommand::Units { output } = cmd;
    let db = open(url).await?;
    let mut reader = db.reader().await?;
    let csv = unit_csv::export(&mut reader.conn(), &super::operator(), &UnitFilter::default()).await?;
    match output {
        Some(path) => {
            std::fs::write(&path, csv).with_context(|| format!("无法写入文件 {}", path.display()))?;
            eprintln!("已写入 {}", path.display());
        }
        None => print!("{csv}"),
    }
    Ok(ExitCode::SUCCESS)
}
