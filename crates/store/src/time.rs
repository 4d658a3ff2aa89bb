//! The current time as stored: UTC, truncated to microseconds (the precision PostgreSQL keeps), so
//! a value reads back exactly as it was written — which the audit hash chain depends on.

use chrono::{DateTime, DurationRound, FixedOffset, TimeDelta, Utc};

pub fn now() -> DateTime<Utc> {
    truncate(Utc::now())
}

pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Beijing time (UTC+8), as every user of Bangdu reads times.
pub fn beijing(t: &DateTime<Utc>, format: &str) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => t.with_timezone(&offset).format(format).to_string(),
        None => t.format(format).to_string(),
    }
}

/// Today's date in Beijing.
pub fn today() -> chrono::NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => Utc::now().with_timezone(&offset).date_naive(),
        None => Utc::now().date_naive(),
    }
}
