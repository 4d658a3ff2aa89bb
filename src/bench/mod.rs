//! `bangdu bench`: the speed targets of the items issue, measured through the real HTTP API on a
//! database made by `bangdu generate items`. The server runs in this process on 127.0.0.1 (so it
//! shares the machine's cores with the clients, as a small deployment would with its users' load),
//! as generated accounts holding API tokens made for the run.
//!
//! - list: `GET /api/v1/items?state=in_progress&sort=deadline&per_page=25`, each request as a
//!   random person — a unit liaison, a county office, a city office or the province office — so
//!   each is filtered by that person's scope;
//! - get: `GET /api/v1/items/{id}` of a random item, as its county's office;
//! - actions: progress reports (`report`) posted by the liaisons of in-progress items, each a
//!   committed transaction with its audit event (SQLite: WAL with synchronous=FULL; PostgreSQL:
//!   synchronous_commit as the server has it);
//! - escalation: the daily escalation job over every open item, forced to run for the data's day.
//!
//! On a database made by `bangdu generate projects`, the projects' figures (see `projects.rs`).

mod load;
mod open311;
mod projects;
mod teams;

use crate::cli::BenchArgs;
use crate::database::open;
use anyhow::{Context, anyhow};
use bangdu_domain::UserId;
use bangdu_store::files::LocalFiles;
use bangdu_store::generate::{self, Account};
use bangdu_store::items::escalate;
use bangdu_store::{Actor, Db, tokens};
use bangdu_web::{AppState, WebConfig};
use load::Sample;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// People the list requests are sent as, with how often.
const CLASSES: [(&str, f64); 4] =
    [("unit liaison", 0.60), ("county office", 0.30), ("city office", 0.08), ("province office", 0.02)];

struct People {
    /// Tokens by class, in the order of `CLASSES`.
    by_class: [Vec<String>; 4],
    /// County offices' tokens in county order (the generator assigns items to counties round-robin).
    counties: Vec<String>,
    /// Liaison tokens by unit id.
    liaisons: std::collections::HashMap<i64, String>,
}

fn class_of(a: &Account) -> Option<usize> {
    let code = a.username.strip_prefix("gen-office-");
    match (a.role.as_str(), code.map(str::len)) {
        ("unit", _) => Some(0),
        ("office", Some(6)) => Some(1),
        ("office", Some(4)) => Some(2),
        ("office", Some(2)) => Some(3),
        _ => None,
    }
}

async fn people(db: &Db, accounts: &[Account], liaisons_wanted: usize) -> anyhow::Result<People> {
    let mut rng = StdRng::seed_from_u64(7);
    let liaisons: Vec<&Account> = accounts.iter().filter(|a| class_of(a) == Some(0)).collect();
    let chosen: Vec<&Account> = liaisons.choose_multiple(&mut rng, liaisons_wanted).copied().collect();
    let offices: Vec<&Account> = accounts.iter().filter(|a| matches!(class_of(a), Some(1..=3))).collect();
    let actor = Actor::system("bench");
    let expires = bangdu_store::time::now() + chrono::Duration::days(1);
    let mut people = People { by_class: Default::default(), counties: Vec::new(), liaisons: Default::default() };
    let mut tx = db.begin().await?;
    for account in offices.into_iter().chain(chosen) {
        let (token, _) = tokens::create(&mut tx.conn(), &actor, UserId(account.id), "bench", Some(expires)).await?;
        let class = class_of(account).unwrap_or(0);
        if class == 1 {
            people.counties.push(token.clone());
        }
        if class == 0 {
            people.liaisons.insert(account.unit_id, token.clone());
        }
        people.by_class[class].push(token);
    }
    tx.commit().await?;
    Ok(people)
}

struct Figure {
    name: &'static str,
    value: f64,
    unit: &'static str,
    target: f64,
    /// Lower is better (latency, time) or higher (throughput).
    lower_is_better: bool,
}

impl Figure {
    fn ratio(&self) -> f64 {
        if self.lower_is_better { self.target / self.value.max(1e-9) } else { self.value / self.target }
    }
}

async fn check(response: reqwest::Result<reqwest::Response>) -> Result<(), String> {
    match response {
        Ok(r) if r.status().is_success() => r.bytes().await.map(|_| ()).map_err(|e| e.to_string()),
        Ok(r) => Err(format!("HTTP {}: {}", r.status(), r.text().await.unwrap_or_default())),
        Err(e) => Err(e.to_string()),
    }
}

pub async fn run(url: &str, attachments: &Path, args: BenchArgs) -> anyhow::Result<ExitCode> {
    // Team formation is pure computation: measured without a database when it is all that is asked.
    if !args.only.is_empty() && args.only.iter().all(|o| o == "teams") {
        let mut figures = Vec::new();
        teams::run(&mut figures);
        return Ok(verdict(&figures));
    }
    let db = open(url).await?;
    // The Open311 read needs only stored appeals (no generated province): measured alone.
    if !args.only.is_empty() && args.only.iter().all(|o| o == "open311") {
        let app = bangdu_web::app(AppState::with_files(
            db.clone(),
            WebConfig::default(),
            Arc::new(LocalFiles::new(attachments)),
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await
        });
        let http = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;
        let mut figures = Vec::new();
        open311::requests(&db, &http, &base, args.clients, args.seconds, &mut figures).await?;
        db.close().await;
        return Ok(verdict(&figures));
    }
    let (today, accounts, (lo, hi), projects_total) = {
        let mut reader = db.reader().await?;
        let mut c = reader.conn();
        let today = generate::as_of(&mut c).await?.ok_or_else(|| {
            anyhow!(
                "this database was not made by `bangdu generate items` or `generate projects`; generate the data first"
            )
        })?;
        let projects =
            bangdu_store::projects::stats::figures(&mut c, &Actor::system("bench"), &Default::default()).await?.total;
        (today, generate::accounts(&mut c).await?, generate::item_ids(&mut c).await?, projects)
    };
    // By default, every measurement the data allows; `--only` names them.
    let wants = |name: &str, has_data: bool| {
        if args.only.is_empty() { has_data } else { args.only.iter().any(|o| o == name) }
    };
    let has_items = hi > 0;
    let item_phases = ["list", "get", "actions", "escalation"].iter().any(|n| wants(n, has_items));
    println!(
        "bench on {} items (ids {lo}–{hi}) and {projects_total} projects, data as of {today}, {} clients",
        if has_items { hi - lo + 1 } else { 0 },
        args.clients
    );
    let people = Arc::new(if item_phases {
        people(&db, &accounts, 200).await?
    } else {
        People { by_class: Default::default(), counties: Vec::new(), liaisons: Default::default() }
    });
    let config = WebConfig { today: Some(today), ..WebConfig::default() };
    let app = bangdu_web::app(AppState::with_files(db.clone(), config, Arc::new(LocalFiles::new(attachments))));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await
    });
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;
    let warmup = Duration::from_secs(3);
    let measure = Duration::from_secs(args.seconds);
    let mut figures = Vec::new();

    if wants("list", has_items) {
        let (http, base, people) = (http.clone(), base.clone(), people.clone());
        let sample = load::run(args.clients, warmup, measure, move |client, n| {
            let (http, base, people) = (http.clone(), base.clone(), people.clone());
            async move {
                let mut rng = StdRng::seed_from_u64((client as u64) << 32 | n);
                let roll: f64 = rng.random();
                let mut acc = 0.0;
                let class = CLASSES
                    .iter()
                    .position(|(_, p)| {
                        acc += p;
                        roll < acc
                    })
                    .unwrap_or(0);
                let token = people.by_class[class].choose(&mut rng).ok_or("no account of this kind")?;
                let page = rng.random_range(1..=3);
                let url = format!("{base}/api/v1/items?state=in_progress&sort=deadline&per_page=25&page={page}");
                check(http.get(url).bearer_auth(token).send().await).await.map(|()| class as u8)
            }
        })
        .await;
        report("list", &sample);
        for (i, (name, _)) in CLASSES.iter().enumerate() {
            let part = sample.tagged(i as u8);
            println!("  as {name:<16} {}", part.line());
        }
        figures.push(Figure {
            name: "item list p99",
            value: ms(sample.quantile(0.99)),
            unit: "ms",
            target: 50.0,
            lower_is_better: true,
        });
    }

    if wants("get", has_items) {
        let (http, base, people) = (http.clone(), base.clone(), people.clone());
        let sample = load::run(args.clients, warmup, measure, move |client, n| {
            let (http, base, people) = (http.clone(), base.clone(), people.clone());
            async move {
                let mut rng = StdRng::seed_from_u64((client as u64) << 32 | n);
                let id = rng.random_range(lo..=hi);
                let county = ((id - lo) as usize) % people.counties.len().max(1);
                let token = people.counties.get(county).ok_or("no county office")?;
                check(http.get(format!("{base}/api/v1/items/{id}")).bearer_auth(token).send().await).await.map(|()| 0)
            }
        })
        .await;
        report("get", &sample);
        figures.push(Figure {
            name: "GET item p99",
            value: ms(sample.quantile(0.99)),
            unit: "ms",
            target: 20.0,
            lower_is_better: true,
        });
    }

    if wants("actions", has_items) {
        let units: Vec<i64> = people.liaisons.keys().copied().collect();
        let items = {
            let mut reader = db.reader().await?;
            generate::running_items(&mut reader.conn(), &units, 50_000).await?
        };
        anyhow::ensure!(items.len() >= args.clients, "too few items in progress to act on ({})", items.len());
        println!("actions: progress reports on {} items in progress of {} units", items.len(), units.len());
        // Each client owns its items (no two clients race for one) and remembers their versions.
        let owned: Arc<Vec<Vec<(i64, AtomicI64, String)>>> = Arc::new(
            (0..args.clients)
                .map(|client| {
                    items
                        .iter()
                        .skip(client)
                        .step_by(args.clients)
                        .map(|(id, version, unit)| {
                            (*id, AtomicI64::new(*version), people.liaisons.get(unit).cloned().unwrap_or_default())
                        })
                        .collect()
                })
                .collect(),
        );
        let (http, base) = (http.clone(), base.clone());
        let sample = load::run(args.clients, warmup, measure, move |client, n| {
            let (http, base, owned) = (http.clone(), base.clone(), owned.clone());
            async move {
                let mine = &owned[client];
                let (id, version, token) = &mine[(n as usize) % mine.len()];
                let v = version.load(Ordering::Relaxed);
                let body = serde_json::json!({"action": "report", "version": v, "note": format!("基准测试进展 {n}")});
                let response = http
                    .post(format!("{base}/api/v1/items/{id}/actions"))
                    .bearer_auth(token)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.to_string())
                    .send()
                    .await;
                check(response).await?;
                version.store(v + 1, Ordering::Relaxed);
                Ok(0)
            }
        })
        .await;
        report("actions", &sample);
        figures.push(Figure {
            name: "durable actions",
            value: sample.per_second(),
            unit: "/s",
            target: 500.0,
            lower_is_better: false,
        });
    }

    if wants("escalation", has_items) {
        let started = Instant::now();
        let day = args.escalation_day.unwrap_or(today);
        let result =
            escalate::run(&db, &Actor::system("bench"), day, day, "bench", true).await.context("escalation run")?;
        let took = started.elapsed().as_secs_f64();
        println!(
            "escalation for {day}: examined {} open items, raised {:?} in {took:.1} s",
            result.examined, result.raised
        );
        figures.push(Figure { name: "escalation run", value: took, unit: "s", target: 30.0, lower_is_better: true });
        if result.examined < 1_000_000 {
            println!("  (the target is for 1,000,000 open items: generate with --all-open to measure it)");
        }
    }

    let has_projects = projects_total > 0;
    if wants("relight", has_projects) {
        projects::relight(&db, today, &mut figures).await?;
    }
    if wants("stats", has_projects) || wants("public", has_projects) {
        let year = chrono::Datelike::year(&today);
        if wants("stats", has_projects) {
            let office = accounts
                .iter()
                .find(|a| a.username == "gen-office-35")
                .ok_or_else(|| anyhow!("the generated province office (gen-office-35) is missing"))?;
            let expires = bangdu_store::time::now() + chrono::Duration::days(1);
            let mut tx = db.begin().await?;
            let (token, _) =
                tokens::create(&mut tx.conn(), &Actor::system("bench"), UserId(office.id), "bench", Some(expires))
                    .await?;
            tx.commit().await?;
            projects::stats(&http, &base, &token, year, args.seconds, &mut figures).await?;
        }
        if wants("public", has_projects) {
            projects::public(&http, &base, year, args.seconds, &mut figures).await?;
        }
    }
    if wants("import", has_projects) {
        projects::import_rows(&db, today, args.import_rows, &mut figures).await?;
    }

    if wants("teams", false) {
        teams::run(&mut figures);
    }
    db.close().await;
    Ok(verdict(&figures))
}

/// Prints each figure against its target; exit status 2 when one is missed.
fn verdict(figures: &[Figure]) -> ExitCode {
    println!("\n{:<18} {:>12} {:>10} {:>8}  verdict", "figure", "measured", "target", "ratio");
    let mut all_met = true;
    for f in figures {
        let met = f.ratio() >= 1.0;
        all_met &= met;
        let cmp = if f.lower_is_better { "≤" } else { "≥" };
        println!(
            "{:<18} {:>9.1} {:<2} {cmp}{:>7.1} {:<2} {:>7.2}×  {}",
            f.name,
            f.value,
            f.unit,
            f.target,
            f.unit,
            f.ratio(),
            if met { "met" } else { "MISSED" }
        );
    }
    if all_met { ExitCode::SUCCESS } else { ExitCode::from(2) }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, sample: &Sample) {
    println!("{name}: {}", sample.line());
    if let Some(e) = &sample.first_error {
        println!("  first error: {e}");
    }
}
