//! The light (亮灯) of a project on a day, with its reason in Chinese. DESIGN.md §3:
//! blue when done, gray before the planned start, red past the planned end or far behind plan,
//! yellow somewhat behind plan or with the month's report missing, green otherwise.

use super::progress::{Milestone, Percent, planned_progress};
use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Light {
    Green,
    Yellow,
    Red,
    Blue,
    Gray,
}

impl Light {
    pub const ALL: [Light; 5] = [Light::Green, Light::Yellow, Light::Red, Light::Blue, Light::Gray];

    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
            Light::Blue => "blue",
            Light::Gray => "gray",
        }
    }

    pub fn parse(code: &str) -> Option<Light> {
        Light::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The colour alone: 绿灯, 黄灯 … (legends, history rows).
    pub fn word(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
            Light::Blue => "蓝灯",
            Light::Gray => "灰灯",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "绿灯 按时序推进",
            Light::Yellow => "黄灯 进度滞后",
            Light::Red => "红灯 超时序",
            Light::Blue => "蓝灯 已完成",
            Light::Gray => "灰灯 未开始",
        }
    }
}

/// Thresholds, in percentage points behind plan (settings; defaults 5 and 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LightSettings {
    pub yellow_behind: Percent,
    pub red_behind: Percent,
}

impl Default for LightSettings {
    fn default() -> Self {
        LightSettings { yellow_behind: Percent::whole(5), red_behind: Percent::whole(15) }
    }
}

/// What the light depends on, as of one day.
#[derive(Clone, Debug)]
pub struct LightInput<'a> {
    pub on: NaiveDate,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub milestones: &'a [Milestone],
    /// Cumulative progress in the latest report up to `on`.
    pub actual: Percent,
    /// When the project was completed (完工), if it has been by `on`.
    pub completed_on: Option<NaiveDate>,
    /// The month (1–12) whose report is missing after the reporting deadline, if one is.
    pub missing_report: Option<u32>,
    /// The day `actual` describes (the last day of the reported month). The plan is read at this
    /// day, capped by `on`, so that a report for March is compared with the plan for the end of
    /// March, not with where the plan is weeks later. `None`: at `on`.
    pub measured_on: Option<NaiveDate>,
}

/// A computed light with everything a page or a figure needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lit {
    pub light: Light,
    pub reason: String,
    pub planned: Percent,
    pub actual: Percent,
    /// Done before the planned end (提前完工).
    pub completed_early: bool,
}

pub fn light(input: &LightInput<'_>, settings: &LightSettings) -> Lit {
    let measured = input.measured_on.map_or(input.on, |d| d.min(input.on));
    let planned = planned_progress(input.planned_start, input.planned_end, input.milestones, measured);
    let actual = input.actual;
    let lit = |light: Light, reason: String| Lit { light, reason, planned, actual, completed_early: false };
    if let Some(done) = input.completed_on.filter(|d| *d <= input.on) {
        let early = done < input.planned_end;
        let reason = if early {
            format!("已完工，比计划提前 {} 天", (input.planned_end - done).num_days())
        } else if done > input.planned_end {
            format!("已完工，比计划晚 {} 天", (done - input.planned_end).num_days())
        } else {
            "已按计划完工".to_string()
        };
        return Lit { completed_early: early, ..lit(Light::Blue, reason) };
    }
    if input.on < input.planned_start {
        return lit(Light::Gray, format!("计划 {} 开工，尚未开始", input.planned_start));
    }
    if input.on > input.planned_end {
        return lit(Light::Red, format!("超过计划完工日期 {} 天", (input.on - input.planned_end).num_days()));
    }
    let behind = Percent(planned.0 - actual.0);
    let lag = || format!("计划进度 {planned}%，实际 {actual}%，落后 {behind} 个百分点");
    if behind > settings.red_behind {
        return lit(Light::Red, lag());
    }
    if behind > settings.yellow_behind {
        return lit(Light::Yellow, lag());
    }
    if let Some(month) = input.missing_report {
        return lit(Light::Yellow, format!("{month} 月进展未按时报送"));
    }
    let reason = if behind.0 > 0 {
        format!("计划进度 {planned}%，实际 {actual}%，按时序推进")
    } else {
        format!("计划进度 {planned}%，实际 {actual}%，进度正常")
    };
    lit(Light::Green, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 1 January – 31 December 2025 with 60 % planned by 30 June (day 180 of 180 to the milestone).
    fn plan() -> Vec<Milestone> {
        vec![Milestone { name: "主体完工".into(), date: d("2025-06-30"), progress: Percent::whole(60) }]
    }

    fn input<'a>(milestones: &'a [Milestone], on: &str, actual: i64) -> LightInput<'a> {
        LightInput {
            on: d(on),
            planned_start: d("2025-01-01"),
            planned_end: d("2025-12-31"),
            milestones,
            actual: Percent::whole(actual),
            completed_on: None,
            missing_report: None,
            measured_on: None,
        }
    }

    fn lit(i: &LightInput<'_>) -> Lit {
        light(i, &LightSettings::default())
    }

    #[test]
    fn a_report_is_compared_with_the_plan_of_its_own_month() {
        // March reported at 25 %; on 3 April the plan stands at 30.67 %, but at the end of March at
        // 60 × 89 / 180 = 29.67 %: 4.67 points behind, within the yellow threshold.
        let ms = plan();
        let mut i = input(&ms, "2025-04-03", 25);
        assert_eq!(lit(&i).light, Light::Yellow);
        i.measured_on = Some(d("2025-03-31"));
        let l = lit(&i);
        assert_eq!((l.light, l.reason.as_str()), (Light::Green, "计划进度 29.67%，实际 25%，按时序推进"));
        // Never read the plan later than the day itself.
        i.measured_on = Some(d("2025-05-31"));
        assert_eq!(lit(&i).planned, Percent(3067));
    }

    #[test]
    fn the_articles_reason_for_a_red_light() {
        let m = plan();
        let l = lit(&input(&m, "2025-06-30", 40));
        assert_eq!((l.light, l.reason.as_str()), (Light::Red, "计划进度 60%，实际 40%，落后 20 个百分点"));
        assert_eq!((l.planned, l.actual), (Percent::whole(60), Percent::whole(40)));
    }

    #[test]
    fn thresholds_are_strictly_more_than_the_setting() {
        let m = plan();
        // Exactly 15 behind is yellow, not red; exactly 5 behind is green, not yellow.
        assert_eq!(lit(&input(&m, "2025-06-30", 45)).light, Light::Yellow);
        assert_eq!(lit(&input(&m, "2025-06-30", 44)).light, Light::Red);
        assert_eq!(lit(&input(&m, "2025-06-30", 55)).light, Light::Green);
        assert_eq!(lit(&input(&m, "2025-06-30", 54)).light, Light::Yellow);
        let strict = LightSettings { yellow_behind: Percent::whole(1), red_behind: Percent::whole(3) };
        assert_eq!(light(&input(&m, "2025-06-30", 56), &strict).light, Light::Red);
    }

    #[test]
    fn past_the_planned_end_and_not_done_is_red_with_the_days() {
        let m = plan();
        let l = lit(&input(&m, "2026-01-12", 95));
        assert_eq!((l.light, l.reason.as_str()), (Light::Red, "超过计划完工日期 12 天"));
    }

    #[test]
    fn a_missing_report_turns_an_otherwise_green_project_yellow() {
        let m = plan();
        let mut i = input(&m, "2025-04-10", 60);
        assert_eq!(lit(&i).light, Light::Green);
        i.missing_report = Some(3);
        let l = lit(&i);
        assert_eq!((l.light, l.reason.as_str()), (Light::Yellow, "3 月进展未按时报送"));
        // Being far behind says more than a missing report.
        i.actual = Percent::whole(0);
        assert_eq!(lit(&i).light, Light::Red);
    }

    #[test]
    fn before_the_start_is_gray_and_done_is_blue() {
        let m = plan();
        assert_eq!(lit(&input(&m, "2024-12-31", 0)).light, Light::Gray);
        let mut i = input(&m, "2025-11-20", 100);
        i.completed_on = Some(d("2025-11-01"));
        let l = lit(&i);
        assert_eq!((l.light, l.completed_early), (Light::Blue, true));
        assert_eq!(l.reason, "已完工，比计划提前 60 天");
        // A completion date after the day asked about does not count yet.
        i.on = d("2025-10-01");
        i.actual = Percent::whole(90);
        assert_eq!(lit(&i).light, Light::Green);
        // Done late is blue, not early.
        i.on = d("2026-02-01");
        i.completed_on = Some(d("2026-01-10"));
        let l = lit(&i);
        assert_eq!((l.light, l.completed_early, l.reason.as_str()), (Light::Blue, false, "已完工，比计划晚 10 天"));
    }

    #[test]
    fn codes_round_trip() {
        for l in Light::ALL {
            assert_eq!(Light::parse(l.code()), Some(l));
        }
        assert_eq!(Light::parse("purple"), None);
    }
}
