//! The working-day calendar's years as stored: the built-in years are inserted on first start, and
//! an administrator can load a new year (or a corrected one) from a year file.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
pub use crate::tables::YearRow;
use crate::tables::{CalendarDayRecord, CalendarDays, CalendarYears};
use crate::time::now;
use bangdu_domain::calendar::{Calendar, DayKind, SpecialDate, YearData, builtin_years};
use bangdu_domain::permission::Permission;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;

async fn load_years(c: &mut Conn<'_>, only: Option<i32>) -> Result<Vec<YearData>> {
    let mut years_query = Query::select();
    years_query.columns(CalendarYears::COLUMNS.iter().copied()).from(CalendarYears::Table);
    let mut days_query = Query::select();
    days_query
        .columns(CalendarDays::COLUMNS.iter().copied())
        .from(CalendarDays::Table)
        .order_by(CalendarDays::Year, Order::Asc)
        .order_by(CalendarDays::Date, Order::Asc);
    if let Some(year) = only {
        years_query.and_where(Expr::col(CalendarYears::Year).eq(i64::from(year)));
        days_query.and_where(Expr::col(CalendarDays::Year).eq(i64::from(year)));
    }
    let years: Vec<YearRow> = c.fetch_all(years_query.order_by(CalendarYears::Year, Order::Asc)).await?;
    let days: Vec<CalendarDayRecord> = c.fetch_all(&days_query).await?;
    Ok(years
        .iter()
        .map(|y| YearData {
            year: y.year as i32,
            days: days
                .iter()
                .filter(|d| d.year == y.year)
                .filter_map(|d| {
                    Some(SpecialDate { date: d.date, kind: DayKind::parse(&d.kind)?, name: d.name.clone() })
                })
                .collect(),
        })
        .collect())
}

/// Years after the last loaded one that deadlines may run into, on the statutory holidays alone
/// (暂定) until their notices are loaded.
pub const PROVISIONAL_YEARS: i32 = 2;

/// The calendar over every loaded year, and the provisional years after them.
pub async fn load(c: &mut Conn<'_>) -> Result<Calendar> {
    Ok(Calendar::with_provisional(&load_years(c, None).await?, PROVISIONAL_YEARS))
}

/// One loaded year, to show or export.
pub async fn year(c: &mut Conn<'_>, year: i32) -> Result<YearData> {
    load_years(c, Some(year)).await?.pop().ok_or(StoreError::NotFound)
}

pub async fn years(c: &mut Conn<'_>) -> Result<Vec<YearRow>> {
    c.fetch_all(
        Query::select()
            .columns(CalendarYears::COLUMNS.iter().copied())
            .from(CalendarYears::Table)
            .order_by(CalendarYears::Year, Order::Asc),
    )
    .await
}

/// Loads a year from its file as people upload it (UTF-8 text), replacing what was loaded for it
/// before. When the year is named elsewhere (the API's path), the file's `year` line must match.
/// Refused before the file is read to whoever may not manage the calendar.
pub async fn load_year_file(
    c: &mut Conn<'_>,
    actor: &Actor,
    bytes: &[u8],
    expected: Option<i32>,
    note: &str,
) -> Result<YearData> {
    actor.require(Permission::ManageCalendar)?;
    let text = std::str::from_utf8(bytes).map_err(|_| StoreError::invalid("file", "年度文件须为 UTF-8 文本"))?;
    if let Some((line, c)) = bangdu_domain::text::first_unstorable_line(text) {
        let refusal = bangdu_domain::text::refusal(c);
        return Err(StoreError::Import {
            line,
            field: "file".into(),
            message: format!("年度文件第 {line} 行{refusal}"),
        });
    }
    let data = YearData::parse(text)?;
    if let Some(year) = expected.filter(|y| *y != data.year) {
        return Err(StoreError::invalid("year", format!("文件中的年份 {} 与地址中的 {year} 不一致", data.year)));
    }
    put_year(c, actor, &data, note).await?;
    Ok(data)
}

/// Stores a year, replacing what was loaded for it before.
pub async fn put_year(c: &mut Conn<'_>, actor: &Actor, data: &YearData, note: &str) -> Result<()> {
    actor.require(Permission::ManageCalendar)?;
    let before = load(c).await?;
    let year = i64::from(data.year);
    let replaced = c
        .execute(Query::delete().from_table(CalendarYears::Table).and_where(Expr::col(CalendarYears::Year).eq(year)))
        .await?
        > 0;
    // Days go with their year (ON DELETE CASCADE), but say so for backends that were restored without it.
    c.execute(Query::delete().from_table(CalendarDays::Table).and_where(Expr::col(CalendarDays::Year).eq(year)))
        .await?;
    c.execute(
        Query::insert()
            .into_table(CalendarYears::Table)
            .columns([CalendarYears::Year, CalendarYears::Note, CalendarYears::LoadedAt, CalendarYears::LoadedBy])
            .values_panic([
                year.into(),
                note.chars().take(200).collect::<String>().into(),
                now().into(),
                actor.user_id.map(|u| u.0).into(),
            ]),
    )
    .await?;
    for day in &data.days {
        c.execute(
            Query::insert()
                .into_table(CalendarDays::Table)
                .columns([CalendarDays::Year, CalendarDays::Date, CalendarDays::Kind, CalendarDays::Name])
                .values_panic([year.into(), day.date.into(), day.kind.code().into(), day.name.clone().into()]),
        )
        .await?;
    }
    let holidays = data.days.iter().filter(|d| d.kind == DayKind::Holiday).count();
    let workdays = data.days.len() - holidays;
    audit::append(
        c,
        actor,
        AuditEvent::new(
            if replaced { "calendar.replace_year" } else { "calendar.load_year" },
            "calendar_year",
            data.year,
        )
        .change(json!({"holidays": holidays, "workdays": workdays, "note": note, "days": data.to_file_text()}))
        .acting_as(actor, Permission::ManageCalendar),
    )
    .await?;
    // Deadlines counted into this year while it was provisional are counted again on the notice.
    if before.is_provisional(data.year) {
        let after = load(c).await?;
        crate::items::recount::after_year_loaded(c, actor, &before, &after, data.year).await?;
    }
    Ok(())
}

/// Inserts the built-in years that are not loaded yet (never overwrites an administrator's year).
pub async fn seed_builtin(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<i32>> {
    let loaded: Vec<i64> = years(c).await?.into_iter().map(|y| y.year).collect();
    let mut added = Vec::new();
    let builtin = builtin_years().map_err(|e| StoreError::Internal(format!("built-in calendar: {e}")))?;
    for data in builtin.iter().filter(|y| !loaded.contains(&i64::from(y.year))) {
        put_year(c, actor, data, &format!("内置：国务院办公厅关于{}年部分节假日安排的通知", data.year)).await?;
        added.push(data.year);
    }
    Ok(added)
}
