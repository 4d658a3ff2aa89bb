//! Small formatting helpers for pages: times in Beijing time, labels.

use chrono::{DateTime, Utc};

pub fn time(t: &DateTime<Utc>) -> String {
    bangdu_store::time::beijing(t, "%Y-%m-%d %H:%M")
}

pub fn time_opt(t: &Option<DateTime<Utc>>) -> String {
    t.as_ref().map(time).unwrap_or_else(|| "—".into())
}

pub fn or_dash(text: &Option<String>) -> String {
    text.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "—".into())
}
