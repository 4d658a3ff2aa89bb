//! Monthly reports (月度记账): the report for a month is due by the N-th working day of the next
//! month (a setting); after that day, a project that should have reported and did not is missing
//! its report — one of the reasons for a yellow light ("3 月进展未按时报送").

use crate::calendar::{Calendar, CalendarError};
use chrono::{Datelike, NaiveDate};

/// A reporting period: a calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn of(date: NaiveDate) -> Period {
        Period { year: date.year(), month: date.month() }
    }

    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period { year: self.year - 1, month: 12 }
        } else {
            Period { month: self.month - 1, ..self }
        }
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn next(self) -> Period {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { month: self.month + 1, ..self }
        }
    }

    /// The last day of the month.
    pub fn last_day(self) -> Option<NaiveDate> {
        self.next().first_day().and_then(|d| d.pred_opt())
    }

    /// Reads "2025-03" (also "2025-3" and "2025年3月").
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim().trim_end_matches('月');
        let (year, month) = text.split_once(['-', '年', '/'])?;
        let period = Period { year: year.parse().ok()?, month: month.parse().ok()? };
        ((2000..=2100).contains(&period.year) && (1..=12).contains(&period.month)).then_some(period)
    }

    /// "2025-03", as the API writes periods.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// The day by which the report for `period` is due: the `nth` working day of the next month.
pub fn report_due(cal: &Calendar, period: Period, nth: u32) -> Result<NaiveDate, CalendarError> {
    let end = period.last_day().ok_or(CalendarError::ZeroDays)?;
    cal.add_workdays(end, nth.max(1))
}

/// The month whose report is overdue on `on`, if any: the latest month whose due day has passed,
/// when the project was already under way in it (planned to start by its end, not completed
/// before it began) and the latest report is for an earlier month.
pub fn missing_report(
    cal: &Calendar,
    on: NaiveDate,
    nth: u32,
    planned_start: NaiveDate,
    completed_on: Option<NaiveDate>,
    last_reported: Option<Period>,
) -> Result<Option<Period>, CalendarError> {
    let last_month = Period::of(on).previous();
    let required = if on > report_due(cal, last_month, nth)? { last_month } else { last_month.previous() };
    let (Some(first), Some(last)) = (required.first_day(), required.last_day()) else { return Ok(None) };
    let under_way = planned_start <= last && completed_on.is_none_or(|done| done >= first);
    let reported = last_reported.is_some_and(|p| p >= required);
    Ok((under_way && !reported).then_some(required))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn p(year: i32, month: u32) -> Period {
        Period { year, month }
    }

    #[test]
    fn periods_parse_as_people_write_them() {
        assert_eq!(Period::parse("2025-03"), Some(Period { year: 2025, month: 3 }));
        assert_eq!(Period::parse("2025年3月"), Some(Period { year: 2025, month: 3 }));
        assert_eq!(Period::parse("2025-13"), None);
        assert_eq!(Period::parse("2025"), None);
        assert_eq!(Period { year: 2025, month: 3 }.code(), "2025-03");
    }

    #[test]
    fn the_september_report_falls_due_after_the_national_day_holiday() {
        let cal = Calendar::builtin().unwrap();
        // October 2025: 1–8 off, Thursday 9 and Friday 10 worked, Saturday 11 a make-up working day.
        assert_eq!(report_due(&cal, p(2025, 9), 3).unwrap(), d("2025-10-11"));
        // An ordinary month: the 5th working day of April 2025 (Friday 4 April is 清明).
        assert_eq!(report_due(&cal, p(2025, 3), 5).unwrap(), d("2025-04-08"));
    }

    #[test]
    fn a_report_is_missing_only_after_its_due_day() {
        let cal = Calendar::builtin().unwrap();
        let start = d("2025-01-01");
        let august = Some(p(2025, 8));
        // On the due day itself the September report is not late yet; the August one is in.
        assert_eq!(missing_report(&cal, d("2025-10-11"), 3, start, None, august).unwrap(), None);
        assert_eq!(missing_report(&cal, d("2025-10-12"), 3, start, None, august).unwrap(), Some(p(2025, 9)));
        assert_eq!(missing_report(&cal, d("2025-10-12"), 3, start, None, Some(p(2025, 9))).unwrap(), None);
        // Before the due day, the month before must be in.
        assert_eq!(missing_report(&cal, d("2025-10-05"), 3, start, None, Some(p(2025, 7))).unwrap(), Some(p(2025, 8)));
        // January: the report for December of the year before.
        assert_eq!(
            missing_report(&cal, d("2026-01-20"), 3, start, None, Some(p(2025, 11))).unwrap(),
            Some(p(2025, 12))
        );
    }

    #[test]
    fn no_report_is_owed_before_the_start_or_after_completion() {
        let cal = Calendar::builtin().unwrap();
        // Planned to start in November: nothing owed for September.
        assert_eq!(missing_report(&cal, d("2025-10-20"), 3, d("2025-11-01"), None, None).unwrap(), None);
        // Started on the last day of September: September is owed.
        assert_eq!(missing_report(&cal, d("2025-10-20"), 3, d("2025-09-30"), None, None).unwrap(), Some(p(2025, 9)));
        // Completed in August: September owes nothing; completed on 1 September: it still does.
        let start = d("2025-01-01");
        assert_eq!(missing_report(&cal, d("2025-10-20"), 3, start, Some(d("2025-08-31")), None).unwrap(), None);
        assert_eq!(
            missing_report(&cal, d("2025-10-20"), 3, start, Some(d("2025-09-01")), None).unwrap(),
            Some(p(2025, 9))
        );
    }

    #[test]
    fn periods_step_back_across_years_and_know_their_ends() {
        assert_eq!(p(2025, 1).previous(), p(2024, 12));
        assert_eq!(p(2024, 2).last_day(), Some(d("2024-02-29")));
        assert_eq!(p(2025, 12).last_day(), Some(d("2025-12-31")));
        assert_eq!(p(2025, 3).code(), "2025-03");
    }
}
