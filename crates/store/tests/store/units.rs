use crate::support::{self, system};
use bangdu_domain::UnitId;
use bangdu_domain::unit::{UnitKind, child_path};
use bangdu_store::StoreError;
use bangdu_store::paging::PageRequest;
use bangdu_store::units::{self, UnitChanges, UnitFilter, UnitSort};

#[tokio::test]
async fn paths_and_depths_follow_the_tree() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let county = support::unit(&t.db, "350582", "晋江市", UnitKind::Government, Some(&city)).await;
    let town = support::unit(&t.db, "350582100", "安海镇", UnitKind::Town, Some(&county)).await;
    assert_eq!(city.path, child_path(None, city.id));
    assert_eq!(town.path, child_path(Some(&child_path(Some(&city.path), county.id)), town.id));
    assert_eq!(town.path, format!("/{:010}/{:010}/{:010}/", city.id, county.id, town.id));
    assert_eq!((city.depth, county.depth, town.depth), (0, 1, 2));
    assert_eq!(town.parent_code.as_deref(), Some("350582"));
}

#[tokio::test]
async fn moving_a_unit_moves_its_subtree() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let jinjiang = support::unit(&t.db, "350582", "晋江市", UnitKind::Government, Some(&city)).await;
    let shishi = support::unit(&t.db, "350581", "石狮市", UnitKind::Government, Some(&city)).await;
    let town = support::unit(&t.db, "T1", "某镇", UnitKind::Town, Some(&jinjiang)).await;
    let village = support::unit(&t.db, "V1", "某村", UnitKind::Village, Some(&town)).await;

    let mut tx = t.db.begin().await.unwrap();
    let moved = units::update(
        &mut tx.conn(),
        &system(),
        UnitId(town.id),
        UnitChanges { parent: Some(Some(UnitId(shishi.id))), ..Default::default() },
    )
    .await
    .unwrap();
    let village_after =
        units::get(&mut tx.conn(), &bangdu_store::Actor::system("cli"), UnitId(village.id)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(moved.path, child_path(Some(&shishi.path), town.id));
    assert_eq!(village_after.path, child_path(Some(&moved.path), village.id));
    assert_eq!(village_after.depth, 3);
    assert_eq!(moved.version, town.version + 1);

    // A unit cannot go under its own descendant.
    let mut tx = t.db.begin().await.unwrap();
    let err = units::update(
        &mut tx.conn(),
        &system(),
        UnitId(town.id),
        UnitChanges { parent: Some(Some(UnitId(village.id))), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref f) if f.field == "parent"), "{err:?}");
}

#[tokio::test]
async fn codes_are_unique_and_versions_guard_updates() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let mut tx = t.db.begin().await.unwrap();
    let err = units::create(
        &mut tx.conn(),
        &system(),
        units::NewUnit {
            code: "350500".into(),
            name: "重复".into(),
            kind: UnitKind::Other,
            parent: None,
            region: None,
            sort_order: 0,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "duplicate_code", .. }));
    drop(tx);

    let mut tx = t.db.begin().await.unwrap();
    let renamed = units::update(
        &mut tx.conn(),
        &system(),
        UnitId(city.id),
        UnitChanges { name: Some("泉州市人民政府".into()), version: Some(1), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(renamed.version, 2);
    let stale = units::update(
        &mut tx.conn(),
        &system(),
        UnitId(city.id),
        UnitChanges { name: Some("又改".into()), version: Some(1), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict));
}

#[tokio::test]
async fn deactivation_needs_children_inactive_first() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let county = support::unit(&t.db, "350582", "晋江市", UnitKind::Government, Some(&city)).await;
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    let err = units::set_active(&mut c, &system(), UnitId(city.id), false, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "unit_has_active_children", .. }));
    units::set_active(&mut c, &system(), UnitId(county.id), false, None).await.unwrap();
    let city_off = units::set_active(&mut c, &system(), UnitId(city.id), false, None).await.unwrap();
    assert!(!city_off.active);
    let err = units::set_active(&mut c, &system(), UnitId(county.id), true, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "parent_inactive", .. }));
}

#[tokio::test]
async fn list_filters_paginates_and_counts() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let county = support::unit(&t.db, "350582", "晋江市", UnitKind::Government, Some(&city)).await;
    for (i, name) in ["安海镇", "磁灶镇", "陈埭镇", "池店镇", "内坑镇"].iter().enumerate() {
        support::unit(&t.db, &format!("T{i}"), name, UnitKind::Town, Some(&county)).await;
    }
    support::unit(&t.db, "S1", "青阳街道", UnitKind::Street, Some(&county)).await;
    let mut r = t.db.reader().await.unwrap();
    let everything = system();
    let towns = units::list(
        &mut r.conn(),
        &everything,
        &UnitFilter { kind: Some(UnitKind::Town), ..Default::default() },
        UnitSort::Code,
        PageRequest::new(Some(2), Some(2)),
    )
    .await
    .unwrap();
    assert_eq!(towns.total, 5);
    assert_eq!(towns.data.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["T2", "T3"]);
    let found = units::list(
        &mut r.conn(),
        &everything,
        &UnitFilter { q: Some("街道".into()), ..Default::default() },
        UnitSort::Tree,
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 1);
    // A search for a LIKE wildcard matches it literally, not everything.
    let wildcard = units::list(
        &mut r.conn(),
        &everything,
        &UnitFilter { q: Some("%".into()), ..Default::default() },
        UnitSort::Tree,
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(wildcard.total, 0);
    let under =
        units::all(&mut r.conn(), &everything, &UnitFilter { under: Some(UnitId(county.id)), ..Default::default() })
            .await
            .unwrap();
    assert_eq!(under.len(), 7);
    assert_eq!(under[0].code, "350582", "tree order puts the root of the subtree first");
}
