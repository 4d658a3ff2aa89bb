//! Planned progress: piecewise-linear through (planned start, 0 %), the milestones (时序节点) and
//! (planned end, 100 %), by calendar day.

use chrono::NaiveDate;
use std::fmt;

/// A percentage in hundredths (6250 = 62.5 %): exact, so that "落后 20 个百分点" is never
/// 19.999999.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(pub i64);

impl Percent {
    pub const ZERO: Percent = Percent(0);
    /// 100.00 %.
    pub const FULL: Percent = Percent(10_000);

    pub fn whole(p: i64) -> Percent {
        Percent(p * 100)
    }
}

impl fmt::Display for Percent {
    /// "60", "62.5", "62.25": no trailing zeros, as people write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (whole, frac) = (self.0.abs() / 100, self.0.abs() % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{sign}{whole}.{}", f10 / 10),
            _ => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

/// A 时序节点: by this date, this much of the project should be done (cumulative).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub name: String,
    pub date: NaiveDate,
    pub progress: Percent,
}

/// The progress the plan expects on `on`. Milestones must lie within [start, end] with progress
/// not decreasing (input checks enforce it); out-of-order points are ignored rather than trusted.
pub fn planned_progress(start: NaiveDate, end: NaiveDate, milestones: &[Milestone], on: NaiveDate) -> Percent {
    if on <= start {
        return Percent::ZERO;
    }
    if on >= end {
        return Percent::FULL;
    }
    let mut points = vec![(start, Percent::ZERO)];
    let mut sorted: Vec<&Milestone> = milestones.iter().filter(|m| m.date > start && m.date < end).collect();
    sorted.sort_by_key(|m| m.date);
    for m in sorted {
        let (last_date, last_progress) = points[points.len() - 1];
        if m.date > last_date && m.progress >= last_progress && m.progress <= Percent::FULL {
            points.push((m.date, m.progress));
        }
    }
    points.push((end, Percent::FULL));
    for pair in points.windows(2) {
        let ((d0, p0), (d1, p1)) = (pair[0], pair[1]);
        if on <= d1 {
            let span = (d1 - d0).num_days();
            let done = (on - d0).num_days();
            // Rounded to the nearest hundredth of a percent.
            let rise = (p1.0 - p0.0) * done;
            return Percent(p0.0 + (2 * rise + span) / (2 * span));
        }
    }
    Percent::FULL
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn m(date: &str, p: i64) -> Milestone {
        Milestone { name: "节点".into(), date: d(date), progress: Percent::whole(p) }
    }

    #[test]
    fn percentages_print_as_people_write_them() {
        assert_eq!(Percent::whole(60).to_string(), "60");
        assert_eq!(Percent(6250).to_string(), "62.5");
        assert_eq!(Percent(6225).to_string(), "62.25");
        assert_eq!(Percent(-2000).to_string(), "-20");
    }

    #[test]
    fn without_milestones_the_plan_is_a_straight_line() {
        // 1 January to 31 December 2025: 364 days; 1 July is day 181.
        let (s, e) = (d("2025-01-01"), d("2025-12-31"));
        assert_eq!(planned_progress(s, e, &[], d("2024-12-01")), Percent::ZERO);
        assert_eq!(planned_progress(s, e, &[], s), Percent::ZERO);
        // 181 / 364 = 49.725… % → 49.73 %
        assert_eq!(planned_progress(s, e, &[], d("2025-07-01")), Percent(4973));
        assert_eq!(planned_progress(s, e, &[], e), Percent::FULL);
        assert_eq!(planned_progress(s, e, &[], d("2026-03-01")), Percent::FULL);
    }

    #[test]
    fn milestones_bend_the_line() {
        // 30 % by 31 March, 80 % by 30 June, done by 30 September.
        let (s, e) = (d("2025-01-01"), d("2025-09-30"));
        let plan = [m("2025-03-31", 30), m("2025-06-30", 80)];
        assert_eq!(planned_progress(s, e, &plan, d("2025-03-31")), Percent::whole(30));
        assert_eq!(planned_progress(s, e, &plan, d("2025-06-30")), Percent::whole(80));
        // 31 March → 30 June is 91 days; 15 May is day 45: 30 + 50 × 45 / 91 = 54.725… → 54.73
        assert_eq!(planned_progress(s, e, &plan, d("2025-05-15")), Percent(5473));
        // Order of input does not matter.
        let reversed = [m("2025-06-30", 80), m("2025-03-31", 30)];
        assert_eq!(planned_progress(s, e, &reversed, d("2025-05-15")), Percent(5473));
    }

    #[test]
    fn impossible_milestones_are_ignored_not_trusted() {
        let (s, e) = (d("2025-01-01"), d("2025-12-31"));
        let plan = [m("2025-06-01", 90), m("2025-09-01", 40), m("2026-02-01", 50)];
        // 40 % after 90 % is dropped; the one after the end too: 90 % by 1 June, then to 100 %.
        assert_eq!(planned_progress(s, e, &plan, d("2025-06-01")), Percent::whole(90));
        let straight = planned_progress(s, e, &plan[..1], d("2025-09-01"));
        assert_eq!(planned_progress(s, e, &plan, d("2025-09-01")), straight);
    }
}
