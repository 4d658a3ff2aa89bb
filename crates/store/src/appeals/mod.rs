//! Citizens' appeals (诉求, DESIGN.md §6): intake from 12345 exports, Open311 clients, the public
//! form and 吐槽大会 meetings; 转办 into items and the answer back when the item is written off;
//! 好差评 ratings. An office sees the appeals of its area (`owner_unit_id`), a unit those it
//! handles; callers' personal data is kept apart and shown only to those who call back.

pub mod categories;
pub mod create;
pub mod import;
pub mod keys;
pub mod meetings;
pub mod photos;
pub mod places;
pub mod public;
pub mod query;
pub mod ratings;
pub mod transfer;

use crate::db::Conn;
use crate::error::Result;
use crate::tables::{AppealCallers, CallerRecord};
use chrono::{DateTime, Utc};

/// When an answer is due: the received day (Beijing) plus the category's working days, at 18:00.
pub(crate) fn answer_due(
    cal: &bangdu_domain::calendar::Calendar,
    received_at: DateTime<Utc>,
    days: u32,
) -> std::result::Result<DateTime<Utc>, bangdu_domain::calendar::CalendarError> {
    let day = cal.add_workdays(crate::time::beijing_date(&received_at), days)?;
    Ok(crate::time::beijing_at(day, 18, 0))
}

/// Stores the callers of appeals (personal data, apart from the appeals); callers who left nothing
/// are not stored.
pub(crate) async fn insert_callers(c: &mut Conn<'_>, callers: &[CallerRecord]) -> Result<()> {
    let given: Vec<&CallerRecord> =
        callers.iter().filter(|r| r.name.is_some() || r.phone.is_some() || r.email.is_some()).collect();
    // 4 columns × 5,000 rows stays under SQLite's 32,766 parameters a statement.
    for chunk in given.chunks(5_000) {
        let mut insert = sea_query::Query::insert();
        insert.into_table(AppealCallers::Table).columns(AppealCallers::COLUMNS.iter().copied());
        for caller in chunk {
            insert.values_panic(caller.values(AppealCallers::COLUMNS));
        }
        c.execute(&insert).await?;
    }
    Ok(())
}
