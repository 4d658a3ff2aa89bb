//! Builders shared by the storage tests.

use bangdu_domain::UnitId;
use bangdu_domain::unit::UnitKind;
use bangdu_store::testing::TestDb;
use bangdu_store::units::{self, NewUnit, Unit};
use bangdu_store::{Actor, Db};

pub async fn db() -> TestDb {
    TestDb::new().await.expect("test database")
}

pub fn system() -> Actor {
    Actor::system("cli")
}

pub async fn unit(db: &Db, code: &str, name: &str, kind: UnitKind, parent: Option<&Unit>) -> Unit {
    let mut tx = db.begin().await.unwrap();
    let unit = units::create(
        &mut tx.conn(),
        &system(),
        NewUnit {
            code: code.into(),
            name: name.into(),
            kind,
            parent: parent.map(|p| UnitId(p.id)),
            region: None,
            sort_order: 0,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    unit
}
