//! `bangdu generate items` and `generate projects`: benchmark data, with a progress bar per stage.

use super::open;
use crate::cli::{
    GenerateAppealsArgs, GenerateCommand, GenerateItemsArgs, GenerateProjectsArgs, GenerateStoredAppealsArgs,
};
use bangdu_store::generate::projects::ProjectSpec;
use bangdu_store::generate::{self, Progress, Spec};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Instant;

struct Bars {
    bar: Option<ProgressBar>,
}

impl Progress for Bars {
    fn stage(&mut self, name: &'static str, total: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(name);
        self.bar = Some(bar);
    }

    fn advance(&mut self, by: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(by);
        }
    }
}

pub async fn run(url: &str, cmd: GenerateCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        GenerateCommand::Items(args) => items(url, args).await,
        GenerateCommand::Projects(args) => projects(url, args).await,
        GenerateCommand::AppealsExport(args) => appeals_export(url, args).await,
        GenerateCommand::Appeals(args) => stored_appeals(url, args).await,
    }
}

async fn projects(url: &str, args: GenerateProjectsArgs) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let started = Instant::now();
    let mut bars = Bars { bar: None };
    let generated = generate::as_of(&mut db.reader().await?.conn()).await?;
    let today = match generated {
        Some(day) => day,
        None => {
            // The province without items: 9 cities × 9 counties, as `generate items` makes it.
            let today = args.today.unwrap_or_else(bangdu_store::time::today);
            let spec = Spec {
                items: 0,
                events_per_item: 0,
                cities: 9,
                counties_per_city: 9,
                today,
                all_open: false,
                seed: args.seed,
            };
            generate::run(&db, &spec, &mut bars).await?;
            today
        }
    };
    let spec = ProjectSpec { projects: args.count, years: args.years.clamp(1, 50), today, seed: args.seed };
    let summary = generate::projects::run(&db, &spec, &mut bars).await?;
    if let Some(bar) = bars.bar.take() {
        bar.finish();
    }
    println!(
        "generated {} projects ({} a year from {}) with {} monthly reports, led by {} units (as of {today}) in {:.1} s",
        summary.projects,
        summary.projects / u64::from(spec.years),
        summary.first_year,
        summary.reports,
        summary.lead_units,
        started.elapsed().as_secs_f64()
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn items(url: &str, args: GenerateItemsArgs) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let spec = Spec {
        items: args.count,
        events_per_item: args.events,
        cities: args.cities.clamp(1, 99),
        counties_per_city: args.counties.clamp(1, 99),
        today: args.today.unwrap_or_else(bangdu_store::time::today),
        all_open: args.all_open,
        seed: args.seed,
    };
    let started = Instant::now();
    let mut bars = Bars { bar: None };
    let summary = generate::run(&db, &spec, &mut bars).await?;
    if let Some(bar) = bars.bar.take() {
        bar.finish();
    }
    println!(
        "generated {} units, {} people, {} items with {} unit links and {} audit events (as of {}) in {:.1} s",
        summary.units,
        summary.users,
        summary.items,
        summary.item_units,
        summary.events,
        spec.today,
        started.elapsed().as_secs_f64()
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn appeals_export(url: &str, args: GenerateAppealsArgs) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let started = Instant::now();
    let file = std::fs::File::create(&args.out)?;
    let mut out = std::io::BufWriter::new(file);
    let mut bars = Bars { bar: None };
    generate::appeals::export(&db, args.rows, args.until, args.days, args.seed, &mut out, &mut bars).await?;
    if let Some(bar) = bars.bar.take() {
        bar.finish();
    }
    println!("wrote {} rows to {} in {:.1} s", args.rows, args.out.display(), started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

async fn stored_appeals(url: &str, args: GenerateStoredAppealsArgs) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    let started = Instant::now();
    let mut bars = Bars { bar: None };
    let written = generate::appeals::store(&db, args.rows, args.until, args.days, args.seed, &mut bars).await?;
    if let Some(bar) = bars.bar.take() {
        bar.finish();
    }
    println!(
        "stored {written} appeals received over the {} days to {} in {:.1} s",
        args.days,
        args.until,
        started.elapsed().as_secs_f64()
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
