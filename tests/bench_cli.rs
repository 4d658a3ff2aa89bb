//! The benchmark tools (`--features bench`): `bangdu generate` makes data the rest of the product
//! accepts, and `bangdu bench` measures it. Built and run by the README's test command.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use bangdu_store::testing::TestDb;
use common::{bangdu, stderr, stdout};

/// The benchmark tools on a small province: `generate items` writes the number of items and about
/// ten audit events per item asked for, a chain that verifies and a visibility index equal to a
/// fresh rebuild; it refuses a database that already has items; `bench` then measures through the
/// API without a single failed request and prints its table of targets.
#[tokio::test]
async fn generate_makes_verifiable_data_and_bench_measures_it() {
    use bangdu_store::item_access as access;
    let db = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().display().to_string();
    let args = ["generate", "items", "--count", "1500", "--cities", "1", "--counties", "2", "--today", "2025-11-20"];
    let out = bangdu(&db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    // "generated U units, P people, 1500 items with L unit links and E audit events (as of …)"
    let line = stdout(&out);
    let number_before = |word: &str| -> u64 {
        let head = &line[..line.find(word).unwrap_or_else(|| panic!("{word} in {line}"))];
        head.split_whitespace().last().unwrap().parse().unwrap()
    };
    assert_eq!(number_before(" items with"), 1500, "{line}");
    let events = number_before(" audit events");
    assert!((14_700..=15_300).contains(&events), "about 10 events per item: {events}");
    assert!(stdout(&bangdu(&db, &["audit", "verify"])).starts_with("完好"));

    let again = bangdu(&db, &args);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("已有 1500 个督导事项"), "{}", stderr(&again));

    let sample: Vec<bangdu_domain::ItemId> = (1..=1500).step_by(37).map(bangdu_domain::ItemId).collect();
    let mut tx = db.db.begin().await.unwrap();
    let mut before = Vec::new();
    for id in &sample {
        before.push(access::rows(&mut tx.conn(), *id).await.unwrap());
    }
    access::rebuild_all(&mut tx.conn()).await.unwrap();
    for (id, rows) in sample.iter().zip(&before) {
        assert!(!rows.is_empty(), "item {id} is visible to someone");
        assert_eq!(&access::rows(&mut tx.conn(), *id).await.unwrap(), rows, "item {id}");
    }
    drop(tx);

    let bench = ["bench", "--attachments", &files, "--clients", "2", "--seconds", "1"];
    let out = bangdu(&db, &bench);
    let text = stdout(&out);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{text}{}", stderr(&out));
    for figure in ["item list p99", "GET item p99", "durable actions", "escalation run"] {
        assert!(text.contains(figure), "{figure} in {text}");
    }
    assert!(!text.contains("first error"), "{text}");
    assert_eq!(text.matches("; 0 errors").count(), text.matches(" errors").count(), "{text}");
}

/// `generate appeals` stores the appeals asked for over the database's regions and categories, in
/// order of receipt; `bench --only open311` reads them through Open311 without a failed request.
#[tokio::test]
async fn generated_appeals_are_read_through_open311_by_the_bench() {
    let db = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo/quanzhou-units.csv")).unwrap();
    std::fs::write(&units, demo.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n")).unwrap();
    let out = bangdu(&db, &["import", "units", &units.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = bangdu(&db, &["generate", "appeals", "--rows", "3000", "--days", "400", "--until", "2026-11-30"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("stored 3000 appeals"), "{}", stdout(&out));
    let mut reader = db.db.reader().await.unwrap();
    assert_eq!(bangdu_store::generate::appeals::count(&mut reader.conn()).await.unwrap(), 3000);
    let newest = bangdu_store::generate::appeals::newest(&mut reader.conn()).await.unwrap().unwrap();
    assert!(newest.date_naive() <= chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), "{newest}");
    drop(reader);

    let files = dir.path().display().to_string();
    let out = bangdu(&db, &["bench", "--only", "open311", "--attachments", &files, "--clients", "2", "--seconds", "1"]);
    let text = stdout(&out);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{text}{}", stderr(&out));
    assert!(text.contains("3000 appeals stored") && text.contains("Open311 GET p99"), "{text}");
    assert!(text.contains("one request answers "), "{text}");
    assert!(text.contains("; 0 errors"), "{text}");
}
