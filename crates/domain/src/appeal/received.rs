//! When an appeal came in, as 12345 exports write it: 2025-01-06 20:44, 2025/1/6 20:44:00,
//! 2025年1月6日 20:44, ISO 8601 with or without an offset, or an Excel serial day number. A time with
//! no offset is Beijing time. Anything else is refused (never guessed), as is a time outside the
//! window the system accepts.

use crate::field_error::FieldError;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

fn beijing() -> Option<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
}

/// The instant a cell names.
pub fn parse(field: &str, text: &str) -> Result<DateTime<Utc>, FieldError> {
    let t = text.trim();
    let refuse = || FieldError::new(field, format!("时间“{t}”无法识别，应如 2025-01-06 20:44"));
    if t.is_empty() {
        return Err(FieldError::new(field, "请填写时间"));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return window(field, at.with_timezone(&Utc));
    }
    // Excel's serial days (from 1899-12-30), with the time as the fraction.
    if let Ok(serial) = t.parse::<f64>() {
        if !(1.0..=80_000.0).contains(&serial) {
            return Err(refuse());
        }
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|d| d.and_hms_opt(0, 0, 0)).ok_or_else(refuse)?;
        let local = base + chrono::Duration::seconds((serial * 86_400.0).round() as i64);
        return window(field, to_utc(local).ok_or_else(refuse)?);
    }
    let normal: String = t
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', " ")
        .replace(['时', '点'], ":")
        .replace('分', ":")
        .replace('秒', "")
        .replace('T', " ");
    let normal = normal.split_whitespace().collect::<Vec<_>>().join(" ");
    let normal = normal.trim_end_matches(':').to_string();
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(&normal, format) {
            return window(field, to_utc(local).ok_or_else(refuse)?);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(&normal, "%Y-%m-%d") {
        let local = day.and_hms_opt(0, 0, 0).ok_or_else(refuse)?;
        return window(field, to_utc(local).ok_or_else(refuse)?);
    }
    Err(refuse())
}

fn to_utc(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    beijing()?.from_local_datetime(&local).single().map(|at| at.with_timezone(&Utc))
}

fn window(field: &str, at: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    let day = match beijing() {
        Some(offset) => at.with_timezone(&offset).date_naive(),
        None => at.date_naive(),
    };
    crate::dates::in_window(field, day)?;
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_usual_export_formats_are_beijing_time() {
        let want = utc("2025-01-06T12:44:00Z"); // 20:44 in Beijing
        for text in [
            "2025-01-06 20:44",
            "2025/1/6 20:44:00",
            "2025年1月6日 20:44",
            "2025年1月6日20时44分",
            "2025-01-06T20:44:00+08:00",
            "2025-01-06T12:44:00Z",
            " 2025.01.06 20:44 ",
        ] {
            assert_eq!(parse("received_at", text).unwrap(), want, "{text}");
        }
        // Excel: 45663 is 2025-01-06; .5 is noon.
        assert_eq!(parse("received_at", "45663.5").unwrap(), utc("2025-01-06T04:00:00Z"));
        assert_eq!(parse("received_at", "2025-01-06").unwrap(), utc("2025-01-05T16:00:00Z"));
    }

    #[test]
    fn impossible_and_unreadable_times_are_refused_by_field() {
        for text in ["2025-02-30 10:00", "2025-01-06 25:00", "昨天", "", "20250-01-06 10:00", "1.5e9"] {
            let e = parse("received_at", text).unwrap_err();
            assert_eq!(e.field, "received_at", "{text}");
        }
    }
}
