//! A provisional year (暂定): the holidays 《全国年节及纪念日放假办法》 (2024 revision, in force
//! from 2025) gives every citizen, for a year whose State Council notice is not loaded yet — so that a
//! deadline in December can run into January. It is a floor, not the notice: no 调休 (weekend days
//! worked), which only the notice decides; a holiday on a Saturday or Sunday is made up on the next
//! working day (补休, article 5 of the 办法). Deadlines computed on it are marked 暂定 and computed
//! again when the notice is loaded.
//!
//! The statutory days: 元旦 1 January; 春节 除夕 to 正月初三 (4 days); 清明 the 清明 solar term;
//! 劳动节 1–2 May; 端午 五月初五; 中秋 八月十五; 国庆节 1–3 October. The lunar dates and the solar
//! term come from the `tyme4rs` calendar library.

use super::year_file::{DayKind, SpecialDate, YearData};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeSet;
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

fn naive(day: SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(day.get_year()).ok()?, day.get_month() as u32, day.get_day() as u32)
}

fn lunar(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
    naive(LunarDay::from_ymd(year as isize, month, day).get_solar_day())
}

/// The statutory holidays of `year` (name, days), before weekends are made up.
pub fn statutory_days(year: i32) -> Vec<(&'static str, Vec<NaiveDate>)> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let run = |first: Option<NaiveDate>, days: i64| -> Vec<NaiveDate> {
        first.map(|f| (0..days).map(|i| f + Duration::days(i)).collect()).unwrap_or_default()
    };
    // 除夕 is the day before 正月初一 (the 29th or the 30th of the twelfth month).
    let eve = lunar(year, 1, 1).map(|d| d - Duration::days(1));
    let qingming = naive(SolarTerm::from_name(year as isize, "清明").get_solar_day());
    vec![
        ("元旦", run(ymd(1, 1), 1)),
        ("春节", run(eve, 4)),
        ("清明节", run(qingming, 1)),
        ("劳动节", run(ymd(5, 1), 2)),
        ("端午节", run(lunar(year, 5, 5), 1)),
        ("中秋节", run(lunar(year, 8, 15), 1)),
        ("国庆节", run(ymd(10, 1), 3)),
    ]
}

/// The provisional year: the statutory days off, each one falling on a weekend made up on the
/// next working day that is not already off.
pub fn provisional_year(year: i32) -> YearData {
    let holidays = statutory_days(year);
    let mut off: BTreeSet<NaiveDate> = holidays.iter().flat_map(|(_, days)| days.iter().copied()).collect();
    let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let mut days = Vec::new();
    let mut listed = BTreeSet::new();
    for (name, dates) in &holidays {
        // 中秋 can fall on 1 October (2020): one day off, listed once.
        for date in dates.iter().filter(|d| listed.insert(**d)) {
            days.push(SpecialDate { date: *date, kind: DayKind::Holiday, name: (*name).to_string() });
        }
        // Made up after the whole holiday, in the same year.
        let owed = dates.iter().filter(|d| weekend(**d)).count();
        let mut next = dates.last().copied().unwrap_or_default();
        for _ in 0..owed {
            next += Duration::days(1);
            while weekend(next) || off.contains(&next) {
                next += Duration::days(1);
            }
            if next.year() != year {
                break;
            }
            off.insert(next);
            days.push(SpecialDate { date: next, kind: DayKind::Holiday, name: format!("{name}（补休）") });
        }
    }
    days.sort_by_key(|d| d.date);
    YearData { year, days }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// The lunar and solar-term dates of years whose notices we hold, read from those notices:
    /// 2025 (除夕 28 January, 清明 4 April, 端午 31 May, 中秋 6 October) and 2026 (除夕 16 February,
    /// 清明 5 April, 端午 19 June, 中秋 25 September).
    #[test]
    fn the_lunar_holidays_fall_where_the_notices_put_them() {
        let on = |year, name: &str| {
            statutory_days(year).into_iter().find(|(n, _)| *n == name).map(|(_, days)| days).unwrap()
        };
        assert_eq!(on(2025, "春节"), [d("2025-01-28"), d("2025-01-29"), d("2025-01-30"), d("2025-01-31")]);
        assert_eq!(on(2025, "清明节"), [d("2025-04-04")]);
        assert_eq!(on(2025, "端午节"), [d("2025-05-31")]);
        assert_eq!(on(2025, "中秋节"), [d("2025-10-06")]);
        assert_eq!(on(2026, "春节")[0], d("2026-02-16"));
        assert_eq!(on(2026, "清明节"), [d("2026-04-05")]);
        assert_eq!(on(2026, "端午节"), [d("2026-06-19")]);
        assert_eq!(on(2026, "中秋节"), [d("2026-09-25")]);
    }

    /// 2027, worked by hand: 元旦 Friday 1 January; 春节 除夕 Friday 5 February to 初三 Monday 8,
    /// its Saturday and Sunday made up on Tuesday 9 and Wednesday 10; 清明 Monday 5 April; 劳动节
    /// Saturday 1 and Sunday 2 May, made up on Monday 3 and Tuesday 4; 端午 Wednesday 9 June; 中秋
    /// Wednesday 15 September; 国庆 Friday 1 to Sunday 3 October, made up on Monday 4 and Tuesday 5.
    #[test]
    fn a_provisional_2027_by_hand() {
        let year = provisional_year(2027);
        let off: Vec<String> = year.days.iter().map(|d| format!("{} {}", d.date, d.name)).collect();
        assert_eq!(
            off,
            [
                "2027-01-01 元旦",
                "2027-02-05 春节",
                "2027-02-06 春节",
                "2027-02-07 春节",
                "2027-02-08 春节",
                "2027-02-09 春节（补休）",
                "2027-02-10 春节（补休）",
                "2027-04-05 清明节",
                "2027-05-01 劳动节",
                "2027-05-02 劳动节",
                "2027-05-03 劳动节（补休）",
                "2027-05-04 劳动节（补休）",
                "2027-06-09 端午节",
                "2027-09-15 中秋节",
                "2027-10-01 国庆节",
                "2027-10-02 国庆节",
                "2027-10-03 国庆节",
                "2027-10-04 国庆节（补休）",
                "2027-10-05 国庆节（补休）",
            ]
        );
        assert!(year.days.iter().all(|d| d.kind == DayKind::Holiday), "no 调休 working days");
    }
}
