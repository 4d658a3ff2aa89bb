//! Appeals: a 12345 export imports as it comes, line-exact on bad rows, all or nothing when told to
//! abort, idempotently by 工单编号; an office sees its area's appeals, a unit those it handles; a
//! caller's phone is in clear only to those who call back.

use crate::support::{db, system, unit_in as unit};
use bangdu_domain::UserId;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::scope::Grant;
use bangdu_domain::unit::UnitKind;
use bangdu_store::appeals::import::{AppealImportReport, ImportOptions, OnError, import_file};
use bangdu_store::appeals::query::{self, AppealFilter};
use bangdu_store::paging::PageRequest;
use bangdu_store::units::Unit;
use bangdu_store::{Actor, Db, StoreError};

fn person(role: Role, unit: &Unit, id: i64, data_scope: DataScope) -> Actor {
    let grant = Grant { role, unit: unit.unit_id(), unit_path: unit.path.clone(), data_scope, custom_units: vec![] };
    Actor::person(UserId(id), format!("u{id}"), format!("用户{id}"), vec![grant], "session")
}

struct Org {
    city: Unit,
    jinjiang: Unit,
    shishi: Unit,
    housing: Unit,
}

async fn org(db: &Db) -> Org {
    let city = unit(db, "350500", "泉州市", UnitKind::Government, None, Some("350500")).await;
    let jinjiang = unit(db, "350582", "晋江市", UnitKind::Government, Some(&city), Some("350582")).await;
    let shishi = unit(db, "350581", "石狮市", UnitKind::Government, Some(&city), Some("350581")).await;
    let housing = unit(db, "JJ-ZJJ", "晋江市住建局", UnitKind::Department, Some(&jinjiang), Some("350582")).await;
    unit(db, "JJ-AH", "安海镇", UnitKind::Town, Some(&jinjiang), Some("350582102")).await;
    Org { city, jinjiang, shishi, housing }
}

const HEADER: &str = "工单编号,来电时间,诉求内容,诉求地址,所属区域,诉求分类,承办单位,办理状态,满意度,来电人,联系电话\n";

async fn run(db: &Db, actor: &Actor, csv: &str, on_error: OnError) -> Result<AppealImportReport, StoreError> {
    let options = ImportOptions { filename: "12345.csv".into(), on_error, ..Default::default() };
    import_file(db, actor, csv.as_bytes(), &options, &|_, _, _| {}).await
}

async fn count(db: &Db, actor: &Actor) -> i64 {
    let mut r = db.reader().await.unwrap();
    query::list(&mut r.conn(), actor, &AppealFilter::default(), PageRequest::default()).await.unwrap().total
}

#[tokio::test]
async fn an_export_imports_as_it_comes_and_again_changes_nothing() {
    let t = db().await;
    let o = org(&t.db).await;
    let office = person(Role::Office, &o.jinjiang, 1, DataScope::UnitAndBelow);
    let csv = format!(
        "{HEADER}\
         G001,2025-01-06 20:44,路灯不亮,安海镇中山路,晋江市,市容环境,晋江市住建局,办理中,,陈先生,13812341234\n\
         G002,2025/1/7 8:05:00,噪音扰民,安海镇,安海镇,城乡建设>市容环境,外省某局,已办结,满意,,\n\
         G003,2025-01-07T09:00:00+08:00,停水,石狮,350581,水电气,,已受理,,,\n"
    );
    // The Jinjiang office cannot import Shishi's appeal.
    let refused = run(&t.db, &office, &csv, OnError::Abort).await.unwrap();
    assert!(refused.aborted);
    assert_eq!(refused.errors.len(), 1);
    assert_eq!((refused.errors[0].line, refused.errors[0].column.as_str()), (4, "所属区域"));
    assert_eq!(count(&t.db, &system()).await, 0, "an aborted import writes nothing");

    let city_office = person(Role::Office, &o.city, 2, DataScope::UnitAndBelow);
    let first = run(&t.db, &city_office, &csv, OnError::Abort).await.unwrap();
    assert_eq!((first.added, first.updated, first.unchanged, first.units_unmatched), (3, 0, 0, 1));
    let again = run(&t.db, &city_office, &csv, OnError::Abort).await.unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    let changed = csv.replace("办理中,,陈先生", "已办结,非常满意,陈先生");
    let third = run(&t.db, &city_office, &changed, OnError::Abort).await.unwrap();
    assert_eq!((third.added, third.updated, third.unchanged), (0, 1, 2));

    // Scope: Jinjiang's office sees its two, Shishi's its one, the housing bureau the one it handles.
    assert_eq!(count(&t.db, &office).await, 2);
    assert_eq!(count(&t.db, &person(Role::Office, &o.shishi, 3, DataScope::UnitAndBelow)).await, 1);
    let bureau = person(Role::Unit, &o.housing, 4, DataScope::Unit);
    assert_eq!(count(&t.db, &bureau).await, 1);

    let mut r = t.db.reader().await.unwrap();
    let list = query::list(&mut r.conn(), &office, &AppealFilter::default(), PageRequest::default()).await.unwrap();
    let g001 = list.data.iter().find(|a| a.external_id == "G001").unwrap();
    assert_eq!(g001.status, "answered");
    assert_eq!(g001.satisfaction.as_deref(), Some("very_satisfied"));
    assert_eq!(g001.caller_phone_masked().as_deref(), Some("138****1234"));
    assert_eq!(g001.owner_unit_id, o.jinjiang.id, "a town's appeal is the county office's");
    assert_eq!(g001.handling_unit_id, Some(o.housing.id));
    let g002 = list.data.iter().find(|a| a.external_id == "G002").unwrap();
    assert_eq!(g002.region.as_deref(), Some("350582102"));
    assert_eq!(g002.category_name.as_deref(), Some("市容环境"), "the last part of a path names the category");
    assert_eq!(g002.handling_shown(), Some("外省某局"), "a unit we do not keep stays as text");

    // The phone in clear: the office and the handling unit; a leader sees the appeal but not the phone.
    let detail = query::detail(&mut r.conn(), &office, g001.id).await.unwrap();
    assert_eq!(detail.caller.unwrap().phone.as_deref(), Some("13812341234"));
    let detail = query::detail(&mut r.conn(), &bureau, g001.id).await.unwrap();
    assert_eq!(detail.caller.unwrap().name.as_deref(), Some("陈先生"));
    let leader = person(Role::Leader, &o.jinjiang, 5, DataScope::UnitAndBelow);
    assert!(query::detail(&mut r.conn(), &leader, g001.id).await.unwrap().caller.is_none());
    // The bureau does not see what it does not handle.
    let g003 = list.data.iter().find(|a| a.external_id == "G002").unwrap().id;
    assert!(matches!(query::get(&mut r.conn(), &bureau, g003).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn bad_rows_are_named_by_line_and_column_and_skipped_or_abort_everything() {
    let t = db().await;
    let o = org(&t.db).await;
    let office = person(Role::Office, &o.city, 1, DataScope::UnitAndBelow);
    let csv = format!(
        "{HEADER}\
         G1,2025-01-06 20:44,好的一行,,晋江市,,,,,,\n\
         G2,2025-02-30 10:00,日期不存在,,晋江市,,,,,,\n\
         G3,2025-01-06 10:00,区域不认识,,火星,,,,,,\n\
         G4,2025-01-06 10:00,分类不认识,,晋江市,飞碟,,,,,\n\
         G1,2025-01-06 10:00,编号重复,,晋江市,,,,,,\n\
         G5,2025-01-06 10:00,,,晋江市,,,,,,\n"
    );
    let aborted = run(&t.db, &office, &csv, OnError::Abort).await.unwrap();
    assert!(aborted.aborted);
    let found: Vec<(usize, &str)> = aborted.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(found, [(3, "来电时间"), (4, "所属区域"), (5, "诉求分类"), (6, "工单编号"), (7, "诉求内容")]);
    assert!(aborted.errors[3].message.contains("第 2 行"), "{:?}", aborted.errors[3]);
    assert_eq!(count(&t.db, &system()).await, 0);
    let skipped = run(&t.db, &office, &csv, OnError::Skip).await.unwrap();
    assert_eq!((skipped.added, skipped.skipped), (1, 5));
    assert_eq!(count(&t.db, &system()).await, 1);

    // A file without the number column says so on its header line; a truncated XLSX too.
    let Err(StoreError::Import { line, .. }) =
        run(&t.db, &office, "来电时间,诉求内容\n2025-01-06,x\n", OnError::Skip).await
    else {
        panic!("a missing column is refused")
    };
    assert_eq!(line, 1);
    let mut xlsx = b"PK\x03\x04".to_vec();
    xlsx.extend_from_slice(&[0u8; 64]);
    let options = ImportOptions { filename: "cut.xlsx".into(), ..Default::default() };
    assert!(matches!(
        import_file(&t.db, &office, &xlsx, &options, &|_, _, _| {}).await,
        Err(StoreError::Import { .. })
    ));
    // GBK (as Excel on Windows saves CSV) reads the same.
    let text = format!("{HEADER}G9,2025-01-08 09:00,井盖缺失,,晋江市,,,,,,\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let report = import_file(&t.db, &office, &gbk, &ImportOptions::default(), &|_, _, _| {}).await.unwrap();
    assert_eq!(report.added, 1);
    // A unit liaison may not import.
    let liaison = person(Role::Unit, &o.housing, 9, DataScope::Unit);
    assert!(matches!(run(&t.db, &liaison, &csv, OnError::Skip).await, Err(StoreError::Forbidden)));
}
