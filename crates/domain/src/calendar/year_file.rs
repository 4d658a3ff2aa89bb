//! The year file: a plain-text transcription of one State Council holiday notice that an
//! administrator can write and load (`bangdu calendar load 2027.txt`).
//!
//! ```text
//! # 国务院办公厅关于2025年部分节假日安排的通知
//! year 2025
//! holiday 2025-01-28..2025-02-04 春节
//! workday 2025-01-26 春节
//! ```
//! `holiday` lines are days off (a single date or an inclusive range); `workday` lines are weekend
//! days worked instead, named for the holiday they pay for. `#` starts a comment.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假
    Holiday,
    /// 调休上班
    Workday,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(text: &str) -> Option<DayKind> {
        match text {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDate {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// One year's holiday arrangement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearData {
    pub year: i32,
    pub days: Vec<SpecialDate>,
}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("第 {line} 行：{message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError { line, message: message.into() }
}

fn parse_date(line: usize, text: &str) -> Result<NaiveDate, ParseError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| err(line, format!("日期“{text}”无效，应为 YYYY-MM-DD")))
}

impl YearData {
    pub fn parse(text: &str) -> Result<YearData, ParseError> {
        let mut year: Option<i32> = None;
        let mut days: BTreeMap<NaiveDate, SpecialDate> = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let parts: Vec<&str> = content.split_whitespace().collect();
            match parts.as_slice() {
                ["year", y] => {
                    if year.is_some() {
                        return Err(err(line, "year 只能出现一次"));
                    }
                    let y: i32 = y.parse().map_err(|_| err(line, format!("年份“{y}”无效")))?;
                    if !(2000..=2100).contains(&y) {
                        return Err(err(line, format!("年份 {y} 超出 2000–2100")));
                    }
                    year = Some(y);
                }
                [kind, dates, name] => {
                    let Some(y) = year else {
                        return Err(err(line, "文件须先写 year 行"));
                    };
                    let kind = DayKind::parse(kind)
                        .ok_or_else(|| err(line, format!("未知的类型“{kind}”，应为 holiday 或 workday")))?;
                    let name = name.trim();
                    if name.chars().count() > 20 {
                        return Err(err(line, "节日名称不能超过 20 个字"));
                    }
                    let (first, last) = match dates.split_once("..") {
                        Some((a, b)) => (parse_date(line, a)?, parse_date(line, b)?),
                        None => {
                            let d = parse_date(line, dates)?;
                            (d, d)
                        }
                    };
                    if last < first {
                        return Err(err(line, "日期区间的结束早于开始"));
                    }
                    if (last - first).num_days() > 31 {
                        return Err(err(line, "一个假期不能超过 31 天"));
                    }
                    if kind == DayKind::Workday && first != last {
                        return Err(err(line, "调休上班须逐日列出"));
                    }
                    let mut date = first;
                    while date <= last {
                        // A holiday may begin in the last days of the previous year (2023 元旦 began 2022-12-31).
                        if (date.year() - y).abs() > 1 || (date.year() != y && date.month() != 1 && date.month() != 12)
                        {
                            return Err(err(line, format!("日期 {date} 不属于 {y} 年的安排")));
                        }
                        if kind == DayKind::Workday && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                            return Err(err(line, format!("{date} 不是周末，无需调休上班")));
                        }
                        if days.contains_key(&date) {
                            return Err(err(line, format!("日期 {date} 重复")));
                        }
                        days.insert(date, SpecialDate { date, kind, name: name.to_string() });
                        date = date.succ_opt().ok_or_else(|| err(line, "日期超出范围"))?;
                    }
                }
                _ => {
                    return Err(err(line, format!("无法识别“{content}”，应为 year、holiday 或 workday 行")));
                }
            }
        }
        let year = year.ok_or_else(|| err(1, "缺少 year 行"))?;
        Ok(YearData { year, days: days.into_values().collect() })
    }

    /// Writes the year back in the file format, one date per line.
    pub fn to_file_text(&self) -> String {
        let mut out = format!("year {}\n", self.year);
        for day in &self.days {
            let _ = writeln!(out, "{} {} {}", day.kind.code(), day.date, day.name);
        }
        out
    }
}
