use super::{open, operator};
use crate::cli::CalendarCommand;
use anyhow::{Context, anyhow, bail};
use bangdu_domain::calendar::YearData;
use bangdu_store::calendar;
use chrono::NaiveDate;
use std::process::ExitCode;

fn date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| format!("{text}: expected a date as YYYY-MM-DD"))
}

pub async fn run(url: &str, cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let mut reader = db.reader().await?;
    match cmd {
        CalendarCommand::Add { date: from, days, json } => {
            if days == 0 {
                bail!("DAYS must be at least 1");
            }
            let cal = calendar::load(&mut reader.conn()).await?;
            let answer = cal.add_workdays(date(&from)?, days).map_err(|e| anyhow!("{e}"))?;
            if json {
                println!("{}", serde_json::json!({ "date": answer.to_string() }));
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
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let data =
                YearData::parse(&text).map_err(|e| anyhow!("{}: line {}: {}", file.display(), e.line, e.message))?;
            drop(reader);
            let mut tx = db.begin().await?;
            calendar::put_year(&mut tx.conn(), &operator(), &data, &format!("命令行载入 {}", file.display())).await?;
            tx.commit().await?;
            println!("loaded {}: {} special days", data.year, data.days.len());
        }
        CalendarCommand::Show { year } => {
            let data = calendar::year(&mut reader.conn(), year).await.map_err(|_| anyhow!("{year} is not loaded"))?;
            print!("{}", data.to_file_text());
        }
        CalendarCommand::Years => {
            for y in calendar::years(&mut reader.conn()).await? {
                println!("{}\t{}", y.year, y.note);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
