//! `bangdu import projects FILE`: a published project table into the database, all or nothing.

use super::{open, operator};
use crate::cli::ImportProjectsArgs;
use anyhow::Context;
use bangdu_store::projects::import::{ImportOptions, import as import_table};
use bangdu_store::projects::lights::LightRules;
use std::process::ExitCode;

pub async fn import(url: &str, args: ImportProjectsArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut mapping = Vec::new();
    for pair in &args.map {
        let Some((header, field)) = pair.split_once('=') else {
            eprintln!("error: --map {pair}: write it as 列名=字段");
            return Ok(ExitCode::FAILURE);
        };
        mapping.push((header.trim().to_string(), field.trim().to_string()));
    }
    let options = ImportOptions {
        year: args.year,
        kind: args.kind,
        owner_unit: args.owner_unit.or(args.parent_unit.clone()),
        parent_unit: args.parent_unit,
        mapping,
    };
    let db = open(url).await?;
    let cal = {
        let mut r = db.reader().await?;
        bangdu_store::calendar::load(&mut r.conn()).await?
    };
    let mut tx = db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), &cal).await?;
    match import_table(&mut tx.conn(), &operator(), &rules, &bytes, &options, bangdu_store::time::today()).await {
        Ok(r) => {
            tx.commit().await?;
            println!(
                "imported {}: {} rows, {} created, {} updated, {} unchanged; {} done (已完成); {} lead units created",
                args.file.display(),
                r.rows,
                r.created,
                r.updated,
                r.unchanged,
                r.completed,
                r.units_created
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(bangdu_store::StoreError::Import { line, field, message }) => {
            eprintln!("error: {}: line {line}, field {field}: {message}", args.file.display());
            eprintln!("nothing was imported");
            Ok(ExitCode::FAILURE)
        }
        Err(bangdu_store::StoreError::Invalid(f)) => {
            eprintln!("error: {}: {}: {}", args.file.display(), f.field, f.message);
            eprintln!("nothing was imported");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}
