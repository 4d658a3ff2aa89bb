//! The current time as stored: UTC, truncated to microseconds (the precision PostgreSQL keeps), so
//! a value reads back exactly as it was written — which the audit hash chain depends on.
//!
//! A task may replay a dated history (the demo data, the benchmark generator) by running under
//! [`replay`]: within it, `now()` is the clock it sets, so records and audit events carry the dates
//! of the story, written once, and the hash chain stays intact. Outside a replay it is the real time.

use chrono::{DateTime, DurationRound, FixedOffset, NaiveDate, TimeDelta, Utc};
use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static REPLAY_CLOCK: Cell<Option<DateTime<Utc>>>;
}

pub fn now() -> DateTime<Utc> {
    let replayed = REPLAY_CLOCK.try_with(Cell::get).ok().flatten();
    truncate(replayed.unwrap_or_else(Utc::now))
}

pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Runs `work` with a clock that [`set_clock`] moves (starting at the real time).
pub async fn replay<F: Future>(work: F) -> F::Output {
    REPLAY_CLOCK.scope(Cell::new(None), work).await
}

/// Sets the replay clock; does nothing outside [`replay`].
pub fn set_clock(at: DateTime<Utc>) {
    let _ = REPLAY_CLOCK.try_with(|c| c.set(Some(at)));
}

/// Beijing time (UTC+8), as every user of Bangdu reads times.
pub fn beijing(t: &DateTime<Utc>, format: &str) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => t.with_timezone(&offset).format(format).to_string(),
        None => t.format(format).to_string(),
    }
}

/// Today's date in Beijing (on the replay clock within a replay).
pub fn today() -> NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => now().with_timezone(&offset).date_naive(),
        None => now().date_naive(),
    }
}

/// The day an instant falls on in Beijing.
pub fn beijing_date(t: &DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => t.with_timezone(&offset).date_naive(),
        None => t.date_naive(),
    }
}

/// The instant of `hour:minute` Beijing time on `day`.
pub fn beijing_at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    DateTime::<Utc>::from_naive_utc_and_offset(local - TimeDelta::hours(8), Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn replay_clock_applies_only_inside_the_replay() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        let at = beijing_at(day, 9, 30);
        assert_eq!(at.to_rfc3339(), "2025-03-14T01:30:00+00:00");
        replay(async {
            set_clock(at);
            assert_eq!(now(), at);
            assert_eq!(today(), day);
        })
        .await;
        set_clock(at);
        assert!(now() > at, "outside a replay the clock is the real one");
    }
}
