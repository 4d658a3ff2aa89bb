//! The window of dates the system accepts. A plan, deadline or completion outside it is a typing
//! mistake (20250-06-30, 0025-06-30), never a real one, and unchecked it made a year's wall chart
//! 13.7 MB of SVG. The calendar's years (built in and loaded) lie well inside it.

use crate::FieldError;
use chrono::NaiveDate;

/// The first and the last day accepted.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("2000-01-01"),
};
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("2100-12-31"),
};

/// The date, when it lies in the window; else the error naming `field`.
pub fn in_window(field: &str, date: NaiveDate) -> Result<NaiveDate, FieldError> {
    if (EARLIEST..=LATEST).contains(&date) {
        Ok(date)
    } else {
        Err(FieldError::new(field, format!("日期 {date} 超出可用范围，应在 {EARLIEST} 至 {LATEST} 之间")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_includes_its_ends_only() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for good in ["2000-01-01", "2025-12-31", "2100-12-31"] {
            assert!(in_window("deadline", d(good)).is_ok(), "{good}");
        }
        for bad in ["1999-12-31", "2101-01-01", "9999-12-31", "0001-01-01"] {
            assert_eq!(in_window("deadline", d(bad)).unwrap_err().field, "deadline", "{bad}");
        }
        let e = in_window("planned_end", NaiveDate::from_ymd_opt(-1, 1, 1).unwrap()).unwrap_err();
        assert!(e.message.contains("2000-01-01 至 2100-12-31"), "{}", e.message);
    }
}
