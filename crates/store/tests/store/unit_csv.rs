use crate::support::{self, system};
use bangdu_store::StoreError;
use bangdu_store::unit_csv::{self, ImportReport};
use bangdu_store::units::{self, UnitFilter};

const TREE: &str = "code,name,parent,kind,region
350582100,安海镇,350582,乡镇,350582100
350500,泉州市,,government,350500
350582,晋江市,350500,人民政府,350582
JJ-FGJ,发改局,350582,department,
";

async fn import(t: &bangdu_store::testing::TestDb, text: &str) -> Result<ImportReport, StoreError> {
    let mut tx = t.db.begin().await.unwrap();
    let result = unit_csv::import(&mut tx.conn(), &system(), text.as_bytes()).await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

async fn count(t: &bangdu_store::testing::TestDb) -> usize {
    let mut r = t.db.reader().await.unwrap();
    units::all(&mut r.conn(), &bangdu_store::Actor::system("cli"), &UnitFilter::default()).await.unwrap().len()
}

#[tokio::test]
async fn imports_in_any_order_and_reimport_changes_nothing() {
    let t = support::db().await;
    let first = import(&t, TREE).await.unwrap();
    assert_eq!(first, ImportReport { rows: 4, created: 4, updated: 0, unchanged: 0 });
    let again = import(&t, TREE).await.unwrap();
    assert_eq!(again, ImportReport { rows: 4, created: 0, updated: 0, unchanged: 4 });
    let mut r = t.db.reader().await.unwrap();
    let town = units::get_by_code(&mut r.conn(), &bangdu_store::Actor::system("cli"), "350582100").await.unwrap();
    assert_eq!(town.parent_code.as_deref(), Some("350582"));
    assert_eq!(town.kind, "town");
    assert_eq!(town.depth, 2);
}

#[tokio::test]
async fn export_then_import_round_trips() {
    let t = support::db().await;
    import(&t, TREE).await.unwrap();
    let mut r = t.db.reader().await.unwrap();
    let csv =
        unit_csv::export(&mut r.conn(), &bangdu_store::Actor::system("cli"), &UnitFilter::default()).await.unwrap();
    drop(r);
    assert!(
        csv.starts_with("单位代码,单位名称,上级单位代码,单位类型,行政区划代码\n350500,泉州市,,人民政府,350500\n"),
        "{csv}"
    );
    let other = support::db().await;
    assert_eq!(import(&other, &csv).await.unwrap().created, 4);
    assert_eq!(import(&t, &csv).await.unwrap().unchanged, 4);
}

#[tokio::test]
async fn a_bad_row_names_its_line_and_field_and_stores_nothing() {
    let t = support::db().await;
    import(&t, "code,name,parent,kind,region\n350500,泉州市,,government,350500\n").await.unwrap();
    let cases = [
        ("code,name,parent,kind,region\nA,甲,350500,town,\nB,乙,350500,county,\n", 3, "kind"),
        ("code,name,parent,kind,region\nA,甲,350500,town,12345\n", 2, "region"),
        ("code,name,parent,kind,region\nA,,350500,town,\n", 2, "name"),
        ("code,name,parent,kind,region\nA,甲,350500,town,\nA,乙,350500,town,\n", 3, "code"),
        // Found only after every row is read: named by the column's Chinese name.
        ("code,name,parent,kind,region\nA,甲,NOPE,town,\n", 2, "上级单位代码"),
        ("code,name,parent,kind,region\nA,甲,B,town,\nB,乙,A,town,\n", 2, "上级单位代码"),
        // A Chinese header is named as the file writes it.
        ("单位代码,名称,上级,类型\nA,甲,350500,县\n", 2, "类型"),
        ("code,name,parent,kind,region\n晋 江,甲,,town,\n", 2, "code"),
        ("code,name,colour\nA,甲,red\n", 1, "表头"),
    ];
    for (text, line, field) in cases {
        match import(&t, text).await {
            Err(StoreError::Import { line: l, field: f, message }) => {
                assert_eq!((l, f.as_str()), (line, field), "{text}: {message}")
            }
            other => panic!("{text}: expected an import error, got {other:?}"),
        }
    }
    assert_eq!(count(&t).await, 1, "nothing of a failed import is stored");
}

#[tokio::test]
async fn chinese_headers_bom_and_gbk_are_understood() {
    let t = support::db().await;
    let text = "\u{feff}单位代码,单位名称,上级单位代码,单位类型,行政区划代码\n350500,泉州市,,人民政府,350500\n";
    assert_eq!(import(&t, text).await.unwrap().created, 1);
    let (gbk, _, _) = encoding_rs::GBK.encode("单位代码,单位名称,上级单位代码,单位类型\nQZ-1,泉州经开区,350500,园区\n");
    let mut tx = t.db.begin().await.unwrap();
    let report = unit_csv::import(&mut tx.conn(), &system(), &gbk).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(report.created, 1);
    let mut r = t.db.reader().await.unwrap();
    assert_eq!(
        units::get_by_code(&mut r.conn(), &bangdu_store::Actor::system("cli"), "QZ-1").await.unwrap().name,
        "泉州经开区"
    );
}
