use crate::support;
use bangdu_store::schema::{self, MIGRATIONS};

#[tokio::test]
async fn migrations_run_down_and_up_again() {
    let t = support::db().await;
    let newest = MIGRATIONS.last().unwrap().0;
    assert_eq!(schema::current_version(&t.db).await.unwrap(), newest);
    // Applying again does nothing.
    assert!(schema::migrate(&t.db).await.unwrap().is_empty());
    let reverted = schema::revert_to(&t.db, 0).await.unwrap();
    assert_eq!(reverted.len(), MIGRATIONS.len());
    assert_eq!(schema::current_version(&t.db).await.unwrap(), 0);
    let applied = schema::migrate(&t.db).await.unwrap();
    assert_eq!(applied.len(), MIGRATIONS.len());
    // The schema works after the round trip: a unit can be created.
    support::unit(&t.db, "350500", "泉州市", bangdu_domain::unit::UnitKind::Government, None).await;
}

#[tokio::test]
async fn several_nodes_can_start_on_one_database_at_once() {
    let t = support::db().await;
    // A second database handle per "node", all opening (migrating, seeding) at the same moment.
    let (a, b, c) = tokio::join!(bangdu_store::open(&t.url), bangdu_store::open(&t.url), bangdu_store::open(&t.url));
    let (a, _b, _c) = (a.unwrap(), b.unwrap(), c.unwrap());
    let mut reader = a.reader().await.unwrap();
    assert_eq!(bangdu_store::calendar::years(&mut reader.conn()).await.unwrap().len(), 7, "the built-in years once");
    assert!(bangdu_store::audit::verify(&a, &bangdu_store::Actor::system("test")).await.unwrap().ok);
}

#[tokio::test]
async fn backups_cover_every_table_and_column() {
    let t = support::db().await;
    let live = bangdu_store::backup::live_columns(&t.db).await.unwrap();
    for (table, columns) in &live {
        let spec = bangdu_store::tables::all()
            .find(|s| s.name == table)
            .unwrap_or_else(|| panic!("table {table} exists but has no description in `tables`"));
        let described: std::collections::BTreeMap<String, bool> =
            spec.columns.iter().map(|c| (c.name.to_string(), c.nullable)).collect();
        assert_eq!(&described, columns, "columns of {table} (name → may be NULL)");
    }
    for spec in bangdu_store::tables::all() {
        assert!(live.contains_key(spec.name), "{} is described but does not exist", spec.name);
    }
    let left_out: Vec<&str> = bangdu_store::tables::all().filter(|s| !s.backup).map(|s| s.name).collect();
    assert_eq!(left_out, ["sessions", "item_access", "schema_migrations"], "the tables backups leave out");
}
