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
    unit_in(db, code, name, kind, parent, None).await
}

/// A unit with its region (行政区划代码).
pub async fn unit_in(
    db: &Db,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent: Option<&Unit>,
    region: Option<&str>,
) -> Unit {
    let mut tx = db.begin().await.unwrap();
    let new = NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        parent: parent.map(|p| UnitId(p.id)),
        region: region.map(str::to_string),
        sort_order: 0,
    };
    let unit = units::create(&mut tx.conn(), &system(), new).await.unwrap();
    tx.commit().await.unwrap();
    unit
}
