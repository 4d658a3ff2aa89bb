//! The projects' speed targets, on a database made by `bangdu generate projects` (100,000 projects
//! over ten years, about 24 monthly reports each):
//!
//! - relight: every light recomputed in one transaction, as the daily job does — first with every
//!   light unlit as generated, so all 100,000 are written (with a history row each), then for the
//!   next day, when only the planned progress of projects under way moves;
//! - stats: `GET /api/v1/projects/stats?year=` for the data's year (10,000 projects) as the
//!   province office;
//! - public: the public completion table of that year, 500 rows a page, no sign-in;
//! - import: a generated XLSX of 100,000 rows (序号, 牵头单位, 项目, 完成情况, 计划投资, 建设地点)
//!   imported for a new year in one transaction, then imported again (every row unchanged).

use super::{Figure, load, ms, report};
use anyhow::Context;
use bangdu_store::projects::import::{ImportOptions, import};
use bangdu_store::projects::lights::{LightRules, relight as relight_all};
use bangdu_store::{Actor, Db};
use chrono::{Datelike, NaiveDate};
use std::time::{Duration, Instant};

pub async fn relight(db: &Db, today: NaiveDate, figures: &mut Vec<Figure>) -> anyhow::Result<()> {
    let cal = bangdu_store::calendar::load(&mut db.reader().await?.conn()).await?;
    for (day, what) in [(today, "every light"), (today.succ_opt().unwrap_or(today), "the next day")] {
        let started = Instant::now();
        let mut tx = db.begin().await?;
        let rules = LightRules::load(&mut tx.conn(), &cal).await?;
        let relit = relight_all(&mut tx.conn(), &rules, None, day).await?;
        tx.commit().await?;
        let took = started.elapsed().as_secs_f64();
        println!(
            "relight for {day} ({what}): examined {}, wrote {}, {} changed colour, in {took:.2} s",
            relit.examined, relit.updated, relit.changed_colour
        );
        if day == today {
            figures.push(Figure { name: "relight all", value: took, unit: "s", target: 2.0, lower_is_better: true });
            if relit.updated < 100_000 {
                println!("  (the target is for writing 100,000 lights: measure on freshly generated data)");
            }
        }
    }
    Ok(())
}

pub async fn stats(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    year: i32,
    seconds: u64,
    figures: &mut Vec<Figure>,
) -> anyhow::Result<()> {
    let url = format!("{base}/api/v1/projects/stats?year={year}");
    let body = http.get(&url).bearer_auth(token).send().await?.error_for_status()?.bytes().await?;
    let total: serde_json::Value = serde_json::from_slice(&body)?;
    println!(
        "stats for {year}: total {}, completed {}, by light {}",
        total["total"], total["completed"], total["by_light"]
    );
    let (http, token) = (http.clone(), token.to_string());
    let sample = load::run(1, Duration::from_secs(1), Duration::from_secs(seconds), move |_, _| {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        async move { super::check(http.get(url).bearer_auth(token).send().await).await.map(|()| 0) }
    })
    .await;
    report("stats", &sample);
    figures.push(Figure {
        name: "stats, a year p99",
        value: ms(sample.quantile(0.99)),
        unit: "ms",
        target: 100.0,
        lower_is_better: true,
    });
    Ok(())
}

pub async fn public(
    http: &reqwest::Client,
    base: &str,
    year: i32,
    seconds: u64,
    figures: &mut Vec<Figure>,
) -> anyhow::Result<()> {
    let (http, base) = (http.clone(), base.to_string());
    // Pages 1–20 of 500 rows: the whole 10,000 projects of the year.
    let sample = load::run(1, Duration::from_secs(1), Duration::from_secs(seconds), move |_, n| {
        let url = format!("{base}/public/projects?year={year}&per_page=500&page={}", n % 20 + 1);
        let http = http.clone();
        async move { super::check(http.get(url).send().await).await.map(|()| 0) }
    })
    .await;
    report("public table", &sample);
    figures.push(Figure {
        name: "public table p99",
        value: ms(sample.quantile(0.99)),
        unit: "ms",
        target: 200.0,
        lower_is_better: true,
    });
    Ok(())
}

/// A table of `rows` projects led by the units under the generated county, as an XLSX file.
fn table(rows: u64, units: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["序号", "牵头单位", "项目", "完成情况", "计划投资", "建设地点"].iter().enumerate()
    {
        sheet.write_string(0, col as u16, *header)?;
    }
    for i in 0..rows {
        let row = (i + 1) as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, &units[(i as usize) % units.len()])?;
        sheet.write_string(row, 2, format!("导入测试项目（生成）{:06}", i + 1))?;
        sheet.write_string(row, 3, if i % 10 < 7 { "已完成" } else { "未完成" })?;
        sheet.write_number(row, 4, ((i % 500 + 1) * 10_000) as f64)?;
        sheet.write_string(row, 5, "（生成）")?;
    }
    Ok(book.save_to_buffer()?)
}

pub async fn import_rows(db: &Db, today: NaiveDate, rows: u64, figures: &mut Vec<Figure>) -> anyhow::Result<()> {
    let (county, units) = bangdu_store::generate::projects::import_fixture(&mut db.reader().await?.conn()).await?;
    let started = Instant::now();
    let bytes = table(rows, &units)?;
    println!(
        "import: an XLSX of {rows} rows ({:.1} MB, written in {:.1} s), lead units the {} units under {county}",
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        units.len()
    );
    let cal = bangdu_store::calendar::load(&mut db.reader().await?.conn()).await?;
    let options = ImportOptions {
        year: Some(today.year() + 1),
        kind: Some("民生微实事".into()),
        parent_unit: Some(county.clone()),
        owner_unit: Some(county),
        create_units: true,
        ..ImportOptions::default()
    };
    for pass in ["first", "again"] {
        let started = Instant::now();
        let mut tx = db.begin().await?;
        let rules = LightRules::load(&mut tx.conn(), &cal).await?;
        let r =
            import(&mut tx.conn(), &Actor::system("bench"), &rules, &bytes, &options, today).await.context("import")?;
        tx.commit().await?;
        let took = started.elapsed().as_secs_f64();
        println!(
            "import ({pass}): {} rows, {} created, {} updated, {} unchanged in {took:.1} s ({:.0} rows/s)",
            r.rows,
            r.created,
            r.updated,
            r.unchanged,
            r.rows as f64 / took
        );
        if pass == "first" {
            figures.push(Figure { name: "import XLSX", value: took, unit: "s", target: 30.0, lower_is_better: true });
            if r.created == 0 {
                println!("  (the rows were there already: the target is for a first import)");
            }
        }
    }
    Ok(())
}
