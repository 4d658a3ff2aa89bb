//! `bangdu import pool FILE` and `bangdu inspect …`: the personnel pool from a file, and a round's
//! draw re-run from what the round stored (双随机、一公开: anyone may check it).

use super::{open, operator};
use crate::cli::{ImportPoolArgs, InspectCommand};
use anyhow::Context;
use bangdu_domain::RoundId;
use bangdu_store::StoreError;
use bangdu_store::inspections::{pool_import, targets, teams};
use std::process::ExitCode;

pub async fn import_pool(url: &str, args: ImportPoolArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取文件 {}", args.file.display()))?;
    let db = open(url).await?;
    let file = args.file.display();
    match pool_import::import_file(&db, &operator(), &bytes, Some(&args.owner), args.dry_run).await {
        Ok(r) => {
            let verb = if r.dry_run { "预览（未写入任何数据）" } else { "已导入" };
            println!(
                "{verb} {file}：共 {} 行，新增 {} 人，更新 {} 人，未变 {} 人",
                r.rows, r.created, r.updated, r.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => super::import_refused(&file.to_string(), e),
    }
}

pub async fn run(url: &str, cmd: InspectCommand) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    match cmd {
        InspectCommand::Redraw { round } => {
            let mut r = db.reader().await?;
            let check = match targets::redraw(&mut r.conn(), &operator(), RoundId(round)).await {
                Ok(check) => check,
                Err(StoreError::NotFound) => {
                    eprintln!("错误：没有第 {round} 号批次");
                    return Ok(ExitCode::FAILURE);
                }
                Err(StoreError::Conflict { message, .. }) => {
                    eprintln!("错误：{message}");
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            };
            println!("批次 {round}：种子 {}，算法 {}", check.seed, check.algorithm);
            println!("保存的抽取结果（{} 个）：{}", check.stored.len(), check.stored.join(" "));
            println!("重新抽取结果（{} 个）：{}", check.again.len(), check.again.join(" "));
            if check.same {
                println!("一致");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("不一致");
                Ok(ExitCode::FAILURE)
            }
        }
        InspectCommand::Teams { round } => {
            let mut tx = db.begin().await?;
            let formed = match teams::form_teams(&mut tx.conn(), &operator(), RoundId(round)).await {
                Ok(f) => f,
                Err(StoreError::NotFound) => {
                    eprintln!("错误：没有第 {round} 号批次");
                    return Ok(ExitCode::FAILURE);
                }
                Err(StoreError::Conflict { message, .. }) => {
                    eprintln!("错误：{message}");
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            };
            tx.commit().await?;
            for team in &formed.teams {
                let members: Vec<String> = team.members.iter().map(|m| format!("{}({})", m.name, m.role)).collect();
                println!("{} {}：{}", team.target.visit_on, team.target.name, members.join("、"));
                for b in &team.explanation.blocked {
                    println!("  缺 {}：{}", b.seat, b.hint);
                }
            }
            if let Some(q) = &formed.quality {
                println!(
                    "共 {} 组 {} 人次；最高批次 {}，下界 {}；平方和 {}（{}）",
                    q.teams, q.seats, q.max_load, q.max_load_lower_bound, q.load_squares, q.solver
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
