//! `bangdu jobs escalate`: the daily escalation ladder by hand, for an operator who must catch up a
//! day the server missed. A dry run unless `--apply`: it says what would be raised, and writes nothing.

use super::{open, operator};
use crate::cli::EscalateArgs;
use bangdu_store::items::escalate;
use bangdu_store::time;
use std::process::ExitCode;

pub async fn escalate(url: &str, args: EscalateArgs) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let today = time::today();
    let day = args.day.unwrap_or(today);
    if !args.apply {
        let preview = escalate::preview(&db, &operator(), day, today).await?;
        println!("试运行：{day} 的梯级督查（未写入任何数据；加 --apply 执行）");
        println!("检查在办事项 {} 件", preview.examined);
        print_counts(&preview.raised);
        for (code, title, steps) in &preview.items {
            println!("  {code}  {title}：{}", steps.join("、"));
        }
        let shown = preview.items.len() as u64;
        let total: u64 = preview.raised.values().sum();
        if total > shown {
            println!("  ……（仅列出前 {shown} 件）");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = escalate::run(&db, &operator(), day, today, "cli", args.force).await?;
    if report.skipped {
        println!("{day} 的梯级督查已运行过，未重复执行（加 --force 可再次运行，已发出的层级不会重复）");
        return Ok(ExitCode::SUCCESS);
    }
    println!("已执行 {day} 的梯级督查：检查在办事项 {} 件", report.examined);
    print_counts(&report.raised);
    Ok(ExitCode::SUCCESS)
}

fn print_counts(raised: &std::collections::BTreeMap<&'static str, u64>) {
    if raised.is_empty() {
        println!("没有需要发出的提醒、催办、督办或通报");
        return;
    }
    for step in bangdu_domain::item::Escalation::LADDER {
        if let Some(n) = raised.get(step.code()) {
            println!("{}：{n} 件", step.label());
        }
    }
}
