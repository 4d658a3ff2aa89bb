//! `bangdu import projects FILE`: a published project table into the database, all or nothing.

use super::{open, operator};
use crate::cli::ImportProjectsArgs;
use anyhow::Context;
use bangdu_store::projects::import::{ImportOptions, import_file};
use std::process::ExitCode;

pub async fn import(url: &str, args: ImportProjectsArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取文件 {}", args.file.display()))?;
    let mut mapping = Vec::new();
    for pair in &args.map {
        let Some((header, field)) = pair.split_once('=') else {
            eprintln!("错误：--map {pair}：应写成 列名=字段");
            return Ok(ExitCode::FAILURE);
        };
        mapping.push((header.trim().to_string(), field.trim().to_string()));
    }
    let options = ImportOptions {
        year: args.year,
        kind: args.kind,
        owner_unit: args.owner_unit.or(args.parent_unit.clone()),
        parent_unit: args.parent_unit,
        create_units: args.create_units,
        dry_run: args.dry_run,
        mapping,
    };
    let db = open(url).await?;
    let cal = {
        let mut r = db.reader().await?;
        bangdu_store::calendar::load(&mut r.conn()).await?
    };
    let file = args.file.display();
    match import_file(&db, &operator(), &cal, &bytes, &options, bangdu_store::time::today()).await {
        Ok(r) => {
            let verb = if r.dry_run { "预览（未写入任何数据）" } else { "已导入" };
            println!(
                "{verb} {file}：共 {} 行，新建 {} 个，更新 {} 个，未变 {} 个；其中已完成 {} 个；新建牵头单位 {} 个",
                r.rows, r.created, r.updated, r.unchanged, r.completed, r.units_created
            );
            if !r.new_units.is_empty() {
                println!("新建的牵头单位：{}", r.new_units.join("、"));
            }
            if !r.updated_projects.is_empty() {
                println!("更新的项目：{}", r.updated_projects.join("、"));
            }
            if !r.uncompleted.is_empty() {
                println!("注意：以下项目原为已完工，文件标为未完成：{}", r.uncompleted.join("、"));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => super::import_refused(&file.to_string(), e),
    }
}
