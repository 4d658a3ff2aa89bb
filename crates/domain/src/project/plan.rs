//! Checks on what people type about a project's schedule and progress: dates in order, milestones
//! inside the schedule and never going backwards, percentages within 0–100, and progress that goes
//! backwards only with a reason. Each failure names the field as the API spells it.

use super::progress::{Milestone, Percent};
use crate::FieldError;
use crate::field_error::required_text;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

/// "62.5" → 62.5 %. Accepts 0–100 with at most two decimals (and a trailing %).
pub fn parse_percent(field: &str, text: &str) -> Result<Percent, FieldError> {
    let text = text.trim().trim_end_matches(['%', '％']);
    let value = Decimal::from_str(text).map_err(|_| FieldError::new(field, format!("进度“{text}”不是数字")))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(FieldError::new(field, "进度不能为负数"));
    }
    if value > Decimal::ONE_HUNDRED {
        return Err(FieldError::new(field, "进度不能超过 100%"));
    }
    if value.normalize().scale() > 2 {
        return Err(FieldError::new(field, "进度最多保留两位小数"));
    }
    let hundredths = (value * Decimal::ONE_HUNDRED).trunc();
    Ok(Percent(i64::try_from(hundredths).unwrap_or(0)))
}

/// A date as people and the API write it: 2025-03-31 (also 2025/3/31 and 2025年3月31日). A day
/// that does not exist (2025-02-30) is refused.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, FieldError> {
    let text = text.trim();
    let normalised: String = text.replace(['年', '月', '/', '.'], "-").replace('日', "");
    let date = NaiveDate::parse_from_str(&normalised, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, format!("日期“{text}”无效，应为 YYYY-MM-DD 且确有此日")))?;
    crate::dates::in_window(field, date)
}

/// Checks the schedule: the end is not before the start; every milestone has a name, lies within
/// the schedule, comes after the previous one and plans no less progress than it.
pub fn check_plan(start: NaiveDate, end: NaiveDate, milestones: &mut [Milestone]) -> Result<(), FieldError> {
    if end < start {
        return Err(FieldError::new("planned_end", "计划完工日期不能早于计划开工日期"));
    }
    if milestones.len() > 24 {
        return Err(FieldError::new("milestones", "时序节点最多 24 个"));
    }
    let mut previous: Option<&Milestone> = None;
    for (i, m) in milestones.iter_mut().enumerate() {
        m.name = required_text(&format!("milestones[{i}].name"), "节点名称", &m.name, 50)?;
        let field = |name: &str| format!("milestones[{i}].{name}");
        if m.date > end {
            return Err(FieldError::new(field("date"), format!("节点日期 {} 晚于计划完工日期 {end}", m.date)));
        }
        if m.date < start {
            return Err(FieldError::new(field("date"), format!("节点日期 {} 早于计划开工日期 {start}", m.date)));
        }
        if !(Percent::ZERO..=Percent::FULL).contains(&m.progress) {
            return Err(FieldError::new(field("progress"), "节点进度应在 0–100% 之间"));
        }
        if let Some(p) = previous {
            if m.date <= p.date {
                return Err(FieldError::new(field("date"), "节点应按日期先后排列，且日期不能相同"));
            }
            if m.progress < p.progress {
                return Err(FieldError::new(
                    field("progress"),
                    format!("节点进度 {}% 小于前一节点的 {}%", m.progress, p.progress),
                ));
            }
        }
        previous = Some(m);
    }
    Ok(())
}

/// Progress may go backwards (a survey found less done than thought), but only with a reason.
pub fn check_progress(previous: Option<Percent>, new: Percent, reason: Option<&str>) -> Result<(), FieldError> {
    match previous {
        Some(before) if new < before && reason.is_none_or(|r| r.trim().is_empty()) => Err(FieldError::new(
            "progress",
            format!("累计进度从 {before}% 降为 {new}%，请在 progress_reason 中说明原因"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn m(name: &str, date: &str, p: i64) -> Milestone {
        Milestone { name: name.into(), date: d(date), progress: Percent::whole(p) }
    }

    #[test]
    fn percentages_within_0_to_100_with_two_decimals() {
        assert_eq!(parse_percent("progress", "62.5").unwrap(), Percent(6250));
        assert_eq!(parse_percent("progress", "100%").unwrap(), Percent::FULL);
        assert_eq!(parse_percent("progress", "100.01").unwrap_err().message, "进度不能超过 100%");
        assert_eq!(parse_percent("progress", "-3").unwrap_err().message, "进度不能为负数");
        assert_eq!(parse_percent("progress", "1.234").unwrap_err().field, "progress");
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("planned_end", "2025/3/31").unwrap(), d("2025-03-31"));
        assert_eq!(parse_date("planned_end", "2025年3月1日").unwrap(), d("2025-03-01"));
        let e = parse_date("planned_end", "2025-02-30").unwrap_err();
        assert_eq!(e.field, "planned_end");
        assert!(e.message.contains("2025-02-30"));
    }

    #[test]
    fn a_milestone_after_the_end_is_named() {
        let mut ms = vec![m("设计", "2025-03-31", 20), m("主体", "2026-01-10", 80)];
        let e = check_plan(d("2025-01-01"), d("2025-12-31"), &mut ms).unwrap_err();
        assert_eq!(e.field, "milestones[1].date");
        assert_eq!(e.message, "节点日期 2026-01-10 晚于计划完工日期 2025-12-31");
    }

    #[test]
    fn milestones_in_order_and_never_planning_less() {
        let mut back = vec![m("设计", "2025-03-31", 50), m("主体", "2025-06-30", 40)];
        assert_eq!(
            check_plan(d("2025-01-01"), d("2025-12-31"), &mut back).unwrap_err().field,
            "milestones[1].progress"
        );
        let mut unordered = vec![m("主体", "2025-06-30", 40), m("设计", "2025-03-31", 50)];
        assert_eq!(
            check_plan(d("2025-01-01"), d("2025-12-31"), &mut unordered).unwrap_err().field,
            "milestones[1].date"
        );
        let mut fine = vec![m(" 设计 ", "2025-03-31", 20), m("主体", "2025-06-30", 60)];
        check_plan(d("2025-01-01"), d("2025-12-31"), &mut fine).unwrap();
        assert_eq!(fine[0].name, "设计");
        assert_eq!(check_plan(d("2025-02-01"), d("2025-01-31"), &mut []).unwrap_err().field, "planned_end");
    }

    #[test]
    fn progress_goes_backwards_only_with_a_reason() {
        let e = check_progress(Some(Percent::whole(60)), Percent::whole(40), None).unwrap_err();
        assert_eq!(e.message, "累计进度从 60% 降为 40%，请在 progress_reason 中说明原因");
        check_progress(Some(Percent::whole(60)), Percent::whole(40), Some("复核后调减")).unwrap();
        check_progress(Some(Percent::whole(60)), Percent::whole(60), None).unwrap();
        check_progress(None, Percent::whole(10), None).unwrap();
    }
}
