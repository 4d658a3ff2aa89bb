use super::{open, operator};
use crate::cli::{ExportCommand, ImportCommand};
use anyhow::Context;
use bangdu_store::unit_csv;
use bangdu_store::units::UnitFilter;
use std::process::ExitCode;

pub async fn import(url: &str, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Units { file } = cmd else {
        anyhow::bail!("not a unit import");
    };
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = open(url).await?;
    let mut tx = db.begin().await?;
    match unit_csv::import(&mut tx.conn(), &operator(), &bytes).await {
        Ok(report) => {
            tx.commit().await?;
            println!(
                "imported {}: {} rows, {} created, {} updated, {} unchanged",
                file.display(),
                report.rows,
                report.created,
                report.updated,
                report.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(bangdu_store::StoreError::Import { line, field, message }) => {
            eprintln!("error: {}: line {line}, field {field}: {message}", file.display());
            eprintln!("nothing was imported");
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
            std::fs::write(&path, csv).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{csv}"),
    }
    Ok(ExitCode::SUCCESS)
}
