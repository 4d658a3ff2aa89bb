//! A generated 12345 export for the import benchmark: rows as the hotline's platform writes them
//! (工单编号, 来电时间 in the export's format, 诉求内容, 诉求地址, 所属区域, 诉求分类, 承办单位, 办理状态,
//! 满意度, 来电人, 联系电话), over the regions, categories and units of the database it is made for,
//! so that every row imports. Deterministic for a given seed.

use super::Progress;
use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::tables::{AppealCategories, Units};
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_query::{Expr, ExprTrait, Query};
use std::io::Write;

const PROBLEMS: &[&str] = &[
    "小区门口道路破损积水，雨天无法通行，希望尽快修复",
    "夜间施工噪音扰民，影响居民休息，请有关部门查处",
    "路灯已损坏多日，夜间出行存在安全隐患",
    "垃圾清运不及时，气味难闻，蚊蝇滋生",
    "自来水水压不足，高层住户经常停水",
    "农民工工资被拖欠三个月，请求帮助追讨",
    "学校周边占道经营严重，上下学时段交通拥堵",
    "商家销售过期食品，要求市场监管部门处理",
    "公交线路调整后老人出行不便，建议恢复原站点",
    "河道有污水直排，水体发黑发臭",
    "小区电梯频繁故障，物业推诿不修",
    "社保卡补办流程复杂，希望简化手续",
];
const PLACES: &[&str] = &["安海镇", "青阳街道", "梅岭街道", "磁灶镇", "陈埭镇", "西园街道", "罗山街道", "池店镇"];
const SURNAMES: &[&str] = &["陈", "林", "黄", "张", "李", "王", "吴", "刘", "蔡", "许", "郑", "洪", "施", "苏"];
const STATES: &[&str] = &["已办结", "已办结", "已办结", "办理中", "已受理", "已归档"];
const LEVELS: &[&str] = &["非常满意", "满意", "满意", "基本满意", "不满意", "", ""];

#[derive(sqlx::FromRow)]
struct Named {
    name: String,
    region: Option<String>,
}

/// Writes `rows` rows to `out`, received over the `days` days before `until`.
pub async fn export(
    db: &Db,
    rows: u64,
    until: NaiveDate,
    days: i64,
    seed: u64,
    out: &mut dyn Write,
    progress: &mut dyn Progress,
) -> Result<()> {
    let mut reader = db.reader().await?;
    let units: Vec<Named> = reader
        .conn()
        .fetch_all(
            Query::select()
                .columns([Units::Name, Units::Region])
                .from(Units::Table)
                .and_where(Expr::col(Units::Active).eq(true)),
        )
        .await?;
    let regions: Vec<String> = {
        let mut r: Vec<String> = units.iter().filter_map(|u| u.region.clone()).collect();
        r.sort();
        r.dedup();
        r
    };
    if regions.is_empty() {
        return Err(StoreError::invalid("units", "数据库中没有带行政区划代码的单位，请先导入单位"));
    }
    #[derive(sqlx::FromRow)]
    struct Cat {
        name: String,
    }
    let categories: Vec<Cat> =
        reader.conn().fetch_all(Query::select().column(AppealCategories::Name).from(AppealCategories::Table)).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let io = |e: std::io::Error| StoreError::Internal(format!("写入失败：{e}"));
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "工单编号",
        "来电时间",
        "诉求内容",
        "诉求地址",
        "所属区域",
        "诉求分类",
        "承办单位",
        "办理状态",
        "满意度",
        "来电人",
        "联系电话",
    ])
    .map_err(|e| StoreError::Internal(e.to_string()))?;
    progress.stage("12345 rows", rows);
    let days = Ord::max(days, 1);
    let start = until - Duration::days(days);
    for n in 0..rows {
        let at = start.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(rng.random_range(0..days * 86_400));
        let unit = &units[rng.random_range(0..units.len())];
        let state = STATES[rng.random_range(0..STATES.len())];
        let level = if state.contains("办结") || state.contains("归档") {
            LEVELS[rng.random_range(0..LEVELS.len())]
        } else {
            ""
        };
        let phone = format!("1{}{:09}", [3, 5, 8][rng.random_range(0..3)], rng.random_range(0..1_000_000_000u64));
        let name =
            format!("{}{}", SURNAMES[rng.random_range(0..SURNAMES.len())], ["先生", "女士"][rng.random_range(0..2)]);
        let place = PLACES[rng.random_range(0..PLACES.len())];
        let record = [
            format!("G{}{:08}", at.format("%Y%m%d"), n),
            // Half as the platform's export writes times, half as Excel re-saves them.
            if n % 2 == 0 {
                at.format("%Y-%m-%d %H:%M").to_string()
            } else {
                at.format("%Y/%-m/%-d %H:%M:%S").to_string()
            },
            format!("{}（{}附近）", PROBLEMS[rng.random_range(0..PROBLEMS.len())], place),
            format!("{place}{}号", rng.random_range(1..400)),
            regions[rng.random_range(0..regions.len())].clone(),
            categories.get(rng.random_range(0..categories.len().max(1))).map(|c| c.name.clone()).unwrap_or_default(),
            unit.name.clone(),
            state.to_string(),
            level.to_string(),
            name,
            phone,
        ];
        csv.write_record(&record).map_err(|e| StoreError::Internal(e.to_string()))?;
        if n % 10_000 == 9_999 {
            progress.advance(10_000);
        }
    }
    csv.flush().map_err(io)?;
    Ok(())
}

/// Rows per multi-row insert (29 columns × 500 stays under SQLite's 32,766 parameters).
const STORE_BATCH: usize = 500;
/// Rows per transaction.
const STORE_COMMIT: u64 = 100_000;

/// Stores `rows` appeals straight into the database, for the Open311 read benchmark: received in
/// order over the `days` days before `until`, across the database's regions (each owned by the
/// office whose area it lies in), categories and units; most answered, the rest in hand. Callers,
/// events and imports are not written (the Open311 read touches none of them). Returns the rows
/// written.
pub async fn store(
    db: &Db,
    rows: u64,
    until: NaiveDate,
    days: i64,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<u64> {
    use crate::appeals::places::Places;
    use crate::tables::{AppealRecord, Appeals};
    use bangdu_domain::appeal::channel::Channel;
    use bangdu_domain::appeal::status::AppealStatus;
    use bangdu_domain::{AppealId, CategoryId};

    #[derive(sqlx::FromRow)]
    struct Cat {
        id: CategoryId,
    }
    #[derive(sqlx::FromRow)]
    struct Unit {
        id: i64,
        name: String,
        region: Option<String>,
    }
    let (places, categories, units) = {
        let mut reader = db.reader().await?;
        let mut c = reader.conn();
        let places = Places::load(&mut c).await?;
        let categories: Vec<Cat> =
            c.fetch_all(Query::select().column(AppealCategories::Id).from(AppealCategories::Table)).await?;
        let units: Vec<Unit> = c
            .fetch_all(
                Query::select()
                    .columns([Units::Id, Units::Name, Units::Region])
                    .from(Units::Table)
                    .and_where(Expr::col(Units::Active).eq(true)),
            )
            .await?;
        (places, categories, units)
    };
    let regions: Vec<&str> = {
        let mut r: Vec<&str> = units.iter().filter_map(|u| u.region.as_deref()).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    if regions.is_empty() || categories.is_empty() {
        return Err(StoreError::invalid("units", "数据库中没有带行政区划代码的单位或诉求分类，请先导入单位"));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let days = Ord::max(days, 1);
    let start = until - Duration::days(days);
    let start = crate::time::beijing_at(start, 0, 0);
    // Rows are spread evenly over the span, in order (as a platform receives them).
    let step_ms = (days * 86_400_000) as f64 / Ord::max(rows, 1) as f64;
    let columns = Appeals::insert_columns();
    let now = crate::time::now();
    progress.stage("appeals", rows);
    let mut written = 0u64;
    while written < rows {
        let mut tx = db.begin().await?;
        let end = Ord::min(written + STORE_COMMIT, rows);
        let mut n = written;
        while n < end {
            let upto = Ord::min(n + STORE_BATCH as u64, end);
            let mut insert = Query::insert();
            insert.into_table(Appeals::Table).columns(columns.clone());
            for i in n..upto {
                let received_at = start + Duration::milliseconds((i as f64 * step_ms) as i64);
                let region = regions[rng.random_range(0..regions.len())];
                let handler = &units[rng.random_range(0..units.len())];
                let roll = rng.random_range(0..100);
                let status = match roll {
                    0..60 => AppealStatus::Answered,
                    60..85 => AppealStatus::Handling,
                    _ => AppealStatus::Received,
                };
                let answered = status == AppealStatus::Answered;
                let place = PLACES[rng.random_range(0..PLACES.len())];
                let record = AppealRecord {
                    id: AppealId(0),
                    external_id: format!("G{:010}", i + 1),
                    channel: if i % 3 == 0 { Channel::Online } else { Channel::Phone }.code().into(),
                    received_at,
                    content: format!("{}（{}附近）", PROBLEMS[rng.random_range(0..PROBLEMS.len())], place),
                    address: Some(format!("{place}{}号", rng.random_range(1..400))),
                    lat_e6: None,
                    lon_e6: None,
                    region: Some(region.to_string()),
                    category_id: Some(categories[rng.random_range(0..categories.len())].id),
                    owner_unit_id: places.owner(Some(region)).unwrap_or(handler.id),
                    handling_unit_id: Some(handler.id),
                    handling_unit_name: Some(handler.name.clone()),
                    status: status.code().into(),
                    status_notes: answered.then(|| "已按诉求办理完毕，并电话回复来电人。".to_string()),
                    answered_at: answered.then(|| received_at + Duration::days(3)),
                    expected_at: Some(received_at + Duration::days(7)),
                    satisfaction: None,
                    item_id: None,
                    meeting_id: None,
                    attributes: None,
                    media_url: None,
                    tracking_digest: None,
                    import_id: None,
                    row_digest: None,
                    created_by: None,
                    created_at: now,
                    updated_at: if answered { received_at + Duration::days(3) } else { received_at },
                    version: 1,
                };
                insert.values_panic(record.values(&columns));
            }
            tx.conn().execute(&insert).await?;
            progress.advance(upto - n);
            n = upto;
        }
        tx.commit().await?;
        written = end;
    }
    Ok(written)
}

/// The newest appeal's received time, for benchmarks reading the data where it is.
pub async fn newest(c: &mut crate::db::Conn<'_>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    use crate::tables::Appeals;
    #[derive(sqlx::FromRow)]
    struct Newest {
        received_at: chrono::DateTime<chrono::Utc>,
    }
    let row: Option<Newest> = c
        .fetch_optional(
            Query::select()
                .column(Appeals::ReceivedAt)
                .from(Appeals::Table)
                .order_by(Appeals::ReceivedAt, sea_query::Order::Desc)
                .limit(1),
        )
        .await?;
    Ok(row.map(|r| r.received_at))
}

/// How many appeals are stored.
pub async fn count(c: &mut crate::db::Conn<'_>) -> Result<i64> {
    #[derive(sqlx::FromRow)]
    struct Count {
        n: i64,
    }
    let row: Count = c
        .fetch_one(
            Query::select()
                .expr_as(Expr::cust("COUNT(*)"), sea_query::Alias::new("n"))
                .from(crate::tables::Appeals::Table),
        )
        .await?;
    Ok(row.n)
}
