//! Benchmark data: a province-sized unit tree with its offices, leaders and unit liaisons, and a
//! million items with their whole histories (about ten audit events each), written in bulk but in
//! the same shapes the application writes — items, their unit links, and hash-chained audit events
//! that `audit verify` accepts. Deterministic for a given seed.
//!
//! Everything generated is marked as such: units are named "（生成）" at the root, accounts start
//! with `gen-`, and the audit actor of escalation steps is the system.

pub mod appeals;
mod plan;
pub mod projects;
mod tree;
mod write;

use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::tables::JobRuns;
use crate::{calendar, settings};
use chrono::NaiveDate;
use rand::SeedableRng;
use rand::rngs::StdRng;

pub use tree::Tree;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub items: u64,
    /// Audit events per item on average (create, assign, accept, reports, escalation steps…).
    pub events_per_item: u32,
    /// Cities of the province, and counties per city.
    pub cities: u32,
    pub counties_per_city: u32,
    /// The day the data is "as of": deadlines fall around it and the escalation ladder stands as
    /// the job left it the working day before.
    pub today: NaiveDate,
    /// Every item open and running (assigned or in progress) — for the escalation benchmark.
    pub all_open: bool,
    pub seed: u64,
}

/// Progress: which stage, how far, out of how much.
pub trait Progress: Send {
    fn stage(&mut self, name: &'static str, total: u64);
    fn advance(&mut self, by: u64);
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub units: u64,
    pub users: u64,
    pub items: u64,
    pub item_units: u64,
    pub events: u64,
}

/// Items written per transaction.
const BATCH: u64 = 2_000;

/// Generates into an empty database (no items yet), so that codes and ids start clean.
pub async fn run(db: &Db, spec: &Spec, progress: &mut dyn Progress) -> Result<Summary> {
    let cal = {
        let mut reader = db.reader().await?;
        let mut c = reader.conn();
        let existing = crate::items::query::list(
            &mut c,
            &crate::Actor::system("generate"),
            &Default::default(),
            Default::default(),
            crate::paging::PageRequest::new(Some(1), Some(1)),
        )
        .await?
        .total;
        if existing > 0 {
            return Err(StoreError::invalid(
                "database",
                format!("数据库里已有 {existing} 个督导事项；请在空数据库上生成"),
            ));
        }
        calendar::load(&mut c).await?
    };
    if cal.count_workdays(spec.today, spec.today).is_err() {
        return Err(StoreError::invalid("today", format!("{} 年的节假日安排未载入", spec.today)));
    }
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let tree = tree::build(db, spec, progress).await?;
    let prefix = {
        let mut reader = db.reader().await?;
        settings::get_text(&mut reader.conn(), settings::ITEM_CODE_PREFIX).await?
    };
    let ladder = {
        let mut reader = db.reader().await?;
        settings::escalation(&mut reader.conn()).await?
    };
    let planner = plan::Planner { cal: &cal, tree: &tree, spec, ladder, debt: Default::default() };
    let mut summary = Summary { units: tree.unit_count(), users: tree.user_count(), ..Summary::default() };
    progress.stage("items", spec.items);
    let mut writer = write::Writer::new(prefix);
    let mut done = 0;
    while done < spec.items {
        let n = BATCH.min(spec.items - done);
        let plans: Vec<plan::ItemPlan> = (0..n).map(|i| planner.item(&mut rng, done + i)).collect();
        let mut tx = db.begin().await?;
        let written = writer.batch(&mut tx.conn(), &plans).await?;
        tx.commit().await?;
        summary.items += n;
        summary.item_units += written.links;
        summary.events += written.events;
        done += n;
        progress.advance(n);
    }
    progress.stage("counters and statistics", 1);
    let mut tx = db.begin().await?;
    writer.finish(&mut tx.conn()).await?;
    record(&mut tx.conn(), spec, &summary).await?;
    tx.commit().await?;
    if db.backend() == crate::db::Backend::Postgres {
        // Bulk-loaded tables have no visibility map until vacuumed, so PostgreSQL's index-only
        // scans (the item list's counts) would visit every row; autovacuum gets there eventually,
        // a benchmark should not wait for it. VACUUM cannot run inside a transaction.
        db.reader().await?.conn().raw("VACUUM ANALYZE").await?;
    }
    progress.advance(1);
    Ok(summary)
}

/// Notes the generation in the job ledger, so that the benchmark knows the day the data is as of.
async fn record(c: &mut crate::db::Conn<'_>, spec: &Spec, summary: &Summary) -> Result<()> {
    let note = serde_json::json!({
        "today": spec.today, "items": summary.items, "events": summary.events, "all_open": spec.all_open,
        "units": summary.units, "users": summary.users,
    });
    let at = crate::time::now();
    c.execute(
        sea_query::Query::insert()
            .into_table(JobRuns::Table)
            .columns([
                JobRuns::Job,
                JobRuns::RunKey,
                JobRuns::Node,
                JobRuns::StartedAt,
                JobRuns::FinishedAt,
                JobRuns::Summary,
            ])
            .values_panic([
                JOB.into(),
                spec.today.to_string().into(),
                "cli".into(),
                at.into(),
                at.into(),
                note.to_string().into(),
            ]),
    )
    .await?;
    Ok(())
}

const JOB: &str = "generate";

/// The day the generated data is as of, if this database was generated.
pub async fn as_of(c: &mut crate::db::Conn<'_>) -> Result<Option<NaiveDate>> {
    use sea_query::ExprTrait;
    #[derive(sqlx::FromRow)]
    struct Key {
        run_key: String,
    }
    let row: Option<Key> = c
        .fetch_optional(
            sea_query::Query::select()
                .column(JobRuns::RunKey)
                .from(JobRuns::Table)
                .and_where(sea_query::Expr::col(JobRuns::Job).eq(JOB))
                .order_by(JobRuns::StartedAt, sea_query::Order::Desc)
                .limit(1),
        )
        .await?;
    Ok(row.and_then(|r| NaiveDate::parse_from_str(&r.run_key, "%Y-%m-%d").ok()))
}

/// A generated account, for the benchmark to act as.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub unit_id: i64,
}

/// The generated accounts (`gen-…`) with their one grant, by username.
pub async fn accounts(c: &mut crate::db::Conn<'_>) -> Result<Vec<Account>> {
    use crate::tables::{RoleGrants, Users};
    use sea_query::{Expr, ExprTrait, Order, Query};
    c.fetch_all(
        Query::select()
            .columns([(Users::Table, Users::Id), (Users::Table, Users::Username)])
            .columns([(RoleGrants::Table, RoleGrants::Role), (RoleGrants::Table, RoleGrants::UnitId)])
            .from(Users::Table)
            .inner_join(
                RoleGrants::Table,
                Expr::col((RoleGrants::Table, RoleGrants::UserId)).equals((Users::Table, Users::Id)),
            )
            .and_where(crate::text_match::starts_with((Users::Table, Users::Username), "gen-"))
            .order_by((Users::Table, Users::Username), Order::Asc),
    )
    .await
}

/// The smallest and largest item id.
pub async fn item_ids(c: &mut crate::db::Conn<'_>) -> Result<(i64, i64)> {
    use crate::tables::Items;
    use sea_query::{Expr, ExprTrait, Query};
    #[derive(sqlx::FromRow)]
    struct Range {
        lo: Option<i64>,
        hi: Option<i64>,
    }
    let r: Range = c
        .fetch_one(
            Query::select()
                .expr_as(Expr::col(Items::Id).min(), "lo")
                .expr_as(Expr::col(Items::Id).max(), "hi")
                .from(Items::Table),
        )
        .await?;
    Ok((r.lo.unwrap_or(0), r.hi.unwrap_or(0)))
}

/// Items in progress (not paused, no extension pending) of these responsible units: (id, version, unit).
pub async fn running_items(c: &mut crate::db::Conn<'_>, units: &[i64], limit: u64) -> Result<Vec<(i64, i64, i64)>> {
    use crate::tables::Items;
    use sea_query::{Expr, ExprTrait, Order, Query};
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        version: i64,
        responsible_unit_id: Option<i64>,
    }
    let rows: Vec<Row> = c
        .fetch_all(
            Query::select()
                .columns([Items::Id, Items::Version, Items::ResponsibleUnitId])
                .from(Items::Table)
                .and_where(Expr::col(Items::State).eq(bangdu_domain::item::ItemState::InProgress.code()))
                .and_where(Expr::col(Items::PausedSince).is_null())
                .and_where(Expr::col(Items::ExtDeadline).is_null())
                .and_where(Expr::col(Items::ResponsibleUnitId).is_in(units.iter().copied()))
                .order_by(Items::Id, Order::Asc)
                .limit(limit),
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.version, r.responsible_unit_id.unwrap_or(0))).collect())
}
