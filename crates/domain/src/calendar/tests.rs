//! Every holiday and every make-up working day of 2024–2026, typed in from the State Council notices
//! (not from our data files), checked against the calendar built from the data files.

use super::*;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn cal() -> Calendar {
    Calendar::builtin().unwrap()
}

/// (first day, last day, name) of each holiday period, as the notice words it.
const HOLIDAYS: &[(&str, &str, &str)] = &[
    // 2024：元旦1月1日放假；春节2月10日至17日；清明4月4日至6日；劳动节5月1日至5日；端午6月10日；
    // 中秋9月15日至17日；国庆10月1日至7日。
    ("2024-01-01", "2024-01-01", "元旦"),
    ("2024-02-10", "2024-02-17", "春节"),
    ("2024-04-04", "2024-04-06", "清明节"),
    ("2024-05-01", "2024-05-05", "劳动节"),
    ("2024-06-10", "2024-06-10", "端午节"),
    ("2024-09-15", "2024-09-17", "中秋节"),
    ("2024-10-01", "2024-10-07", "国庆节"),
    // 2025：元旦1月1日；春节1月28日至2月4日；清明4月4日至6日；劳动节5月1日至5日；端午5月31日至6月2日；
    // 国庆节、中秋节10月1日至8日（10月6日中秋）。
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-05", "国庆节"),
    ("2025-10-06", "2025-10-06", "中秋节"),
    ("2025-10-07", "2025-10-08", "国庆节"),
    // 2026：元旦1月1日至3日；春节2月15日至23日；清明4月4日至6日；劳动节5月1日至5日；端午6月19日至21日；
    // 中秋9月25日至27日；国庆10月1日至7日。
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
];

/// Weekend days worked instead (调休上班), with the holiday each pays for.
const MAKEUP_DAYS: &[(&str, &str)] = &[
    ("2024-02-04", "春节"),
    ("2024-02-18", "春节"),
    ("2024-04-07", "清明节"),
    ("2024-04-28", "劳动节"),
    ("2024-05-11", "劳动节"),
    ("2024-09-14", "中秋节"),
    ("2024-09-29", "国庆节"),
    ("2024-10-12", "国庆节"),
    ("2025-01-26", "春节"),
    ("2025-02-08", "春节"),
    ("2025-04-27", "劳动节"),
    ("2025-09-28", "国庆节"),
    ("2025-10-11", "国庆节"),
    ("2026-01-04", "元旦"),
    ("2026-02-14", "春节"),
    ("2026-02-28", "春节"),
    ("2026-05-09", "劳动节"),
    ("2026-09-20", "国庆节"),
    ("2026-10-10", "国庆节"),
];

#[test]
fn builtin_files_parse_and_cover_2020_to_2026() {
    let years = builtin_years().unwrap();
    assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), (2020..=2026).collect::<Vec<_>>());
}

#[test]
fn every_holiday_of_2024_to_2026_is_a_day_off_with_its_name() {
    let cal = cal();
    let mut count = 0;
    for (first, last, name) in HOLIDAYS {
        let mut date = d(first);
        while date <= d(last) {
            let info = cal.day(date).unwrap();
            assert!(!info.workday, "{date} should be a day off");
            assert_eq!(info.holiday.as_deref(), Some(*name), "{date}");
            assert!(!info.adjusted_workday);
            count += 1;
            date = date.succ_opt().unwrap();
        }
    }
    // 2024: 1+8+3+5+1+3+7 = 28; 2025: 1+8+3+5+3+8 = 28; 2026: 3+9+3+5+3+3+7 = 33.
    assert_eq!(count, 28 + 28 + 33);
}

#[test]
fn every_makeup_day_of_2024_to_2026_is_a_working_weekend_day() {
    let cal = cal();
    for (date, name) in MAKEUP_DAYS {
        let date = d(date);
        assert!(matches!(date.weekday(), Weekday::Sat | Weekday::Sun), "{date} is not a weekend day");
        let info = cal.day(date).unwrap();
        assert!(info.workday, "{date} should be worked");
        assert!(info.adjusted_workday);
        assert_eq!(info.holiday, None);
        assert_eq!(cal.adjusted_for(date), Some(*name));
    }
}

#[test]
fn no_other_special_days_in_2024_to_2026() {
    // Every weekday is a working day and every weekend day a rest day, except the days listed above.
    let cal = cal();
    let mut date = d("2024-01-01");
    let listed_off = |x: NaiveDate| HOLIDAYS.iter().any(|(a, b, _)| d(a) <= x && x <= d(b));
    let listed_on = |x: NaiveDate| MAKEUP_DAYS.iter().any(|(a, _)| d(a) == x);
    while date <= d("2026-12-31") {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let expected = if listed_off(date) {
            false
        } else if listed_on(date) {
            true
        } else {
            !weekend
        };
        assert_eq!(cal.is_workday(date).unwrap(), expected, "{date}");
        date = date.succ_opt().unwrap();
    }
}

#[test]
fn new_years_eve_2024_was_a_working_day() {
    // 2024 notice: 除夕（2月9日）只是鼓励休息，不是假日。
    let info = cal().day(d("2024-02-09")).unwrap();
    assert!(info.workday);
    assert_eq!(info.holiday, None);
}

#[test]
fn add_workdays_across_national_day_2025() {
    let cal = cal();
    // After 30 Sep 2025: 1–8 Oct off; 9 Oct (1), 10 Oct (2), Sat 11 Oct make-up (3), Mon 13 (4), Tue 14 (5).
    assert_eq!(cal.add_workdays(d("2025-09-30"), 5).unwrap(), d("2025-10-14"));
    assert_eq!(cal.add_workdays(d("2025-09-30"), 1).unwrap(), d("2025-10-09"));
    assert_eq!(cal.add_workdays(d("2025-09-30"), 3).unwrap(), d("2025-10-11"));
    // From a Friday: Sat 27 Sep is a rest day, Sun 28 Sep is a make-up working day.
    assert_eq!(cal.add_workdays(d("2025-09-26"), 1).unwrap(), d("2025-09-28"));
    // `from` itself never counts, even when it is a working day.
    assert_eq!(cal.add_workdays(d("2025-10-09"), 1).unwrap(), d("2025-10-10"));
    assert_eq!(cal.add_workdays(d("2025-10-09"), 0), Err(CalendarError::ZeroDays));
}

#[test]
fn count_workdays_is_half_open_and_signed() {
    let cal = cal();
    // (26 Sep, 10 Oct 2025]: Sun 28 Sep, Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    assert_eq!(cal.count_workdays(d("2025-09-26"), d("2025-10-10")).unwrap(), 5);
    assert_eq!(cal.count_workdays(d("2025-10-10"), d("2025-09-26")).unwrap(), -5);
    assert_eq!(cal.count_workdays(d("2025-10-01"), d("2025-10-08")).unwrap(), 0);
    assert_eq!(cal.count_workdays(d("2025-10-09"), d("2025-10-09")).unwrap(), 0);
    // The whole of 2025, by hand: 261 weekdays, minus the 18 holidays that fall on weekdays
    // (元旦 1, 春节 6, 清明 1, 劳动节 3, 端午 1, 国庆中秋 6), plus 5 make-up weekend days = 248.
    assert_eq!(cal.count_workdays(d("2024-12-31"), d("2025-12-31")).unwrap(), 248);
}

#[test]
fn add_and_count_agree() {
    let cal = cal();
    let mut from = d("2024-01-01");
    while from <= d("2026-11-30") {
        for n in [1u32, 3, 5, 10] {
            let to = cal.add_workdays(from, n).unwrap();
            assert_eq!(cal.count_workdays(from, to).unwrap(), i64::from(n), "{from} + {n}");
            assert!(cal.is_workday(to).unwrap());
        }
        from = from.succ_opt().unwrap();
    }
}

#[test]
fn unloaded_years_are_errors_not_guesses() {
    let cal = cal();
    assert_eq!(cal.day(d("2027-01-04")), Err(CalendarError::NotLoaded(2027)));
    assert_eq!(cal.day(d("2019-12-31")), Err(CalendarError::NotLoaded(2019)));
    assert_eq!(cal.add_workdays(d("2026-12-30"), 5), Err(CalendarError::NotLoaded(2027)));
    assert_eq!(cal.count_workdays(d("2026-12-01"), d("2027-01-05")), Err(CalendarError::NotLoaded(2027)));
}

#[test]
fn a_gap_between_loaded_years_is_an_error() {
    let mut years = builtin_years().unwrap();
    years.retain(|y| y.year != 2025);
    let cal = Calendar::new(&years);
    assert_eq!(cal.add_workdays(d("2024-12-20"), 20), Err(CalendarError::NotLoaded(2025)));
    assert_eq!(cal.count_workdays(d("2024-06-01"), d("2026-06-01")), Err(CalendarError::NotLoaded(2025)));
}

#[test]
fn year_file_errors_name_the_line() {
    let e = YearData::parse("year 2027\nholiday 2027-02-30 春节\n").unwrap_err();
    assert_eq!(e.line, 2);
    let e = YearData::parse("year 2027\n\nworkday 2027-02-03 春节\n").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(YearData::parse("holiday 2027-01-01 元旦\n").is_err());
    assert!(YearData::parse("year 2027\nholiday 2027-01-01 元旦\nholiday 2027-01-01 元旦\n").is_err());
    assert!(YearData::parse("year 2027\nvacation 2027-01-01 元旦\n").is_err());
    assert!(YearData::parse("year 2027\nholiday 2027-05-05..2027-05-01 劳动节\n").is_err());
    assert!(YearData::parse("year 2027\nholiday 2025-05-05 劳动节\n").is_err());
}

#[test]
fn year_file_round_trips() {
    for year in builtin_years().unwrap() {
        assert_eq!(YearData::parse(&year.to_file_text()).unwrap(), year);
    }
}

#[test]
fn a_loaded_2027_extends_the_calendar() {
    let mut years = builtin_years().unwrap();
    years.push(YearData::parse("year 2027\nholiday 2027-01-01 元旦\n").unwrap());
    let cal = Calendar::new(&years);
    assert_eq!(cal.day(d("2027-01-01")).unwrap().holiday.as_deref(), Some("元旦"));
    assert_eq!(cal.add_workdays(d("2026-12-31"), 1).unwrap(), d("2027-01-04"));
}
