use super::{open, operator};
use crate::cli::CalendarCommand;
use anyhow::{Context, anyhow, bail};
use bangdu_domain::calendar::YearData;
use bangdu_store::calendar;
use chrono::NaiveDate;
use std::process::ExitCode;

fn date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| format!("日期“{text}”无效，应为 YYYY-MM-DD"))
}

pub async fn run(url: &str, cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let mut reader = db.reader().await?;
    match cmd {
        CalendarCommand::Add { date: from, days, json } => {
            if days == 0 {
                bail!("工作日数至少为 1");
            }
            let cal = calendar::load(&mut reader.conn()).await?;
            let from = date(&from)?;
            let answer = cal.add_workdays(from, days).map_err(|e| anyhow!("{e}"))?;
            let provisional = cal.provisional_in(from, answer);
            if json {
                println!("{}", serde_json::json!({ "date": answer.to_string(), "provisional": provisional.is_some() }));
            } else if let Some(year) = provisional {
                println!("{answer}（暂定：{year} 年节假日安排尚未载入，按法定节假日计算）");
            } else {
                println!("{answer}");
            }
        }
        CalendarCommand::Count { from, to } => {
            let cal = calendar::load(&mut reader.conn()).await?;
            println!("{}", cal.count_workdays(date(&from)?, date(&to)?).map_err(|e| anyhow!("{e}"))?);
        }
        CalendarCommand::Day { date: day } => {
            let cal = calendar::load(&mut reader.conn()).await?;
            let info = cal.day(date(&day)?).map_err(|e| anyhow!("{e}"))?;
            println!("{}", serde_json::to_string(&info)?);
        }
        CalendarCommand::Load { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取文件 {}", file.display()))?;
            let data =
                YearData::parse(&text).map_err(|e| anyhow!("{} 第 {} 行：{}", file.display(), e.line, e.message))?;
            drop(reader);
            let mut tx = db.begin().await?;
            calendar::put_year(&mut tx.conn(), &operator(), &data, &format!("命令行载入 {}", file.display())).await?;
            tx.commit().await?;
            println!("已载入 {} 年节假日安排：{} 个放假或调休日期", data.year, data.days.len());
        }
        CalendarCommand::Show { year } => {
            let data =
                calendar::year(&mut reader.conn(), year).await.map_err(|_| anyhow!("{year} 年节假日安排尚未载入"))?;
            print!("{}", data.to_file_text());
        }
        CalendarCommand::Statutory { year } => {
            // The statutory holidays of the law (no 调休), as a provisional year uses them.
            for (name, days) in bangdu_domain::calendar::provisional::statutory_days(year) {
                for day in days {
                    println!("{day}\t{name}");
                }
            }
        }
        CalendarCommand::Years => {
            for y in calendar::years(&mut reader.conn()).await? {
                println!("{}\t{}", y.year, y.note);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
