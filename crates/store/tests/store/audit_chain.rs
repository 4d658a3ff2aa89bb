//! The audit chain detects an event edited, deleted, inserted or reordered directly in the database.

use crate::support;
use bangdu_domain::unit::UnitKind;
use bangdu_store::audit;
use bangdu_store::tables::AuditEvents;
use sea_query::{Expr, ExprTrait, Query};

async fn chain_of_five() -> bangdu_store::testing::TestDb {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    support::unit(&t.db, "350582", "晋江市", UnitKind::Government, Some(&city)).await;
    support::unit(&t.db, "350581", "石狮市", UnitKind::Government, Some(&city)).await;
    t
}

async fn events(t: &bangdu_store::testing::TestDb) -> u64 {
    let report = audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap();
    assert!(report.ok, "{report:?}");
    report.events
}

#[tokio::test]
async fn intact_chain_verifies() {
    let t = chain_of_five().await;
    // 7 built-in calendar years + 3 units.
    assert_eq!(events(&t).await, 10);
}

#[tokio::test]
async fn an_edited_event_is_detected() {
    let t = chain_of_five().await;
    let mut tx = t.db.begin().await.unwrap();
    tx.conn()
        .execute(
            Query::update()
                .table(AuditEvents::Table)
                .value(AuditEvents::Change, r#"{"after":{"name":"篡改"}}"#)
                .and_where(Expr::col(AuditEvents::Seq).eq(9)),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.broken.unwrap().seq, 9);
    assert_eq!(report.events, 8);
}

#[tokio::test]
async fn a_deleted_event_is_detected() {
    let t = chain_of_five().await;
    let mut tx = t.db.begin().await.unwrap();
    tx.conn()
        .execute(Query::delete().from_table(AuditEvents::Table).and_where(Expr::col(AuditEvents::Seq).eq(8)))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.broken.unwrap().seq, 8);
}

#[tokio::test]
async fn a_deleted_last_event_is_detected() {
    let t = chain_of_five().await;
    let mut tx = t.db.begin().await.unwrap();
    tx.conn()
        .execute(Query::delete().from_table(AuditEvents::Table).and_where(Expr::col(AuditEvents::Seq).eq(10)))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap().ok);
}

#[tokio::test]
async fn an_inserted_event_is_detected() {
    let t = chain_of_five().await;
    // Shift events 9 and 10 up by one and put a forged event in at 9, copying a real event's links.
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    for seq in [10i64, 9] {
        c.execute(
            Query::update()
                .table(AuditEvents::Table)
                .value(AuditEvents::Seq, seq + 1)
                .and_where(Expr::col(AuditEvents::Seq).eq(seq)),
        )
        .await
        .unwrap();
    }
    let mut forged = Query::insert();
    forged
        .into_table(AuditEvents::Table)
        .columns([
            AuditEvents::Seq,
            AuditEvents::At,
            AuditEvents::ActorName,
            AuditEvents::Action,
            AuditEvents::ObjectType,
            AuditEvents::Change,
            AuditEvents::Result,
            AuditEvents::Algorithm,
            AuditEvents::PrevHash,
            AuditEvents::Hash,
        ])
        .values_panic([
            9i64.into(),
            chrono::Utc::now().into(),
            "admin".into(),
            "unit.delete".into(),
            "unit".into(),
            "{}".into(),
            "ok".into(),
            "sha256".into(),
            "00".into(),
            "00".into(),
        ]);
    c.execute(&forged).await.unwrap();
    tx.commit().await.unwrap();
    let report = audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.broken.unwrap().seq, 9);
}

#[tokio::test]
async fn reordered_events_are_detected() {
    let t = chain_of_five().await;
    // Swap the sequence numbers of events 8 and 9.
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    for (from, to) in [(8i64, -8i64), (9, 8), (-8, 9)] {
        c.execute(
            Query::update()
                .table(AuditEvents::Table)
                .value(AuditEvents::Seq, to)
                .and_where(Expr::col(AuditEvents::Seq).eq(from)),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let report = audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.broken.unwrap().seq, 8);
}

#[tokio::test]
async fn purge_refuses_events_younger_than_184_days() {
    let t = chain_of_five().await;
    let recent = chrono::Utc::now() - chrono::Duration::days(183);
    let err = audit::purge(&t.db, &support::system(), recent).await.unwrap_err();
    assert!(matches!(err, bangdu_store::StoreError::Conflict { code: "audit_retention", .. }), "{err:?}");
    // Older than 184 days is allowed; here nothing is that old, so nothing goes and the chain holds.
    let old = chrono::Utc::now() - chrono::Duration::days(200);
    let report = audit::purge(&t.db, &support::system(), old).await.unwrap();
    assert_eq!(report.deleted, 0);
    assert_eq!(events(&t).await, 10);
}

#[tokio::test]
async fn purge_keeps_the_rest_of_the_chain_verifiable() {
    let t = chain_of_five().await;
    // Age the first five events by a year, directly in the database.
    let mut tx = t.db.begin().await.unwrap();
    tx.conn()
        .execute(
            Query::update()
                .table(AuditEvents::Table)
                .value(AuditEvents::At, chrono::Utc::now() - chrono::Duration::days(365))
                .and_where(Expr::col(AuditEvents::Seq).lte(5)),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Aging changed what the hashes cover, so the chain is now (rightly) broken at event 1 …
    assert!(!audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap().ok);
    // … and purging the aged events leaves a chain that verifies from event 6 on.
    let report =
        audit::purge(&t.db, &support::system(), chrono::Utc::now() - chrono::Duration::days(300)).await.unwrap();
    assert_eq!(report.deleted, 5);
    assert_eq!(report.base_seq, 5);
    // Events 6–10 plus the purge's own event.
    assert_eq!(events(&t).await, 6);
}
