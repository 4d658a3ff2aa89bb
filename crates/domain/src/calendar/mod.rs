//! 工作日: the Chinese working-day calendar. Saturdays and Sundays are rest days and Monday to Friday
//! working days, except where the State Council's yearly notice says otherwise: statutory holidays
//! (法定节假日) and the weekend days worked instead (调休上班).
//!
//! Holidays are data, loaded per year ([`YearData`]); a date in a year that is not loaded is an error,
//! never a guess — unless the calendar was built `with_provisional` years after the last loaded one:
//! those hold the statutory holidays of the law (see [`provisional`]), and every answer that reaches
//! into one says so (`provisional_in`), so that a deadline computed on it is shown as 暂定.

mod builtin;
pub mod provisional;
mod year_file;

pub use builtin::builtin_years;
pub use year_file::{DayKind, ParseError, SpecialDate, YearData};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("{0} 年的节假日安排尚未载入")]
    NotLoaded(i32),
    #[error("工作日数必须至少为 1")]
    ZeroDays,
}

/// What the calendar says about one date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub workday: bool,
    /// The holiday's name when the date is a statutory day off (e.g. 国庆节).
    pub holiday: Option<String>,
    /// True for a weekend day worked instead of a holiday (调休上班).
    pub adjusted_workday: bool,
    /// The year's notice is not loaded: the day is counted on the statutory holidays alone (暂定).
    pub provisional: bool,
}

/// The working-day calendar over the loaded years.
#[derive(Clone, Debug)]
pub struct Calendar {
    loaded: BTreeSet<i32>,
    /// Of the loaded years, those computed from the law rather than loaded from a notice.
    provisional: BTreeSet<i32>,
    special: BTreeMap<NaiveDate, (DayKind, String)>,
    /// 1 January of the first loaded year; `workday` and `prefix` are indexed by days from here.
    first_day: NaiveDate,
    workday: Vec<bool>,
    /// `prefix[i]` = number of working days among the first `i` days of the index.
    prefix: Vec<u32>,
}

impl Calendar {
    /// Builds the calendar from year data; a later entry for the same date wins.
    pub fn new(years: &[YearData]) -> Calendar {
        let loaded: BTreeSet<i32> = years.iter().map(|y| y.year).collect();
        let mut special = BTreeMap::new();
        for year in years {
            for day in &year.days {
                special.insert(day.date, (day.kind, day.name.clone()));
            }
        }
        let (first, last) = match (loaded.first(), loaded.last()) {
            (Some(first), Some(last)) => (*first, *last),
            _ => (1970, 1969),
        };
        let first_day = NaiveDate::from_ymd_opt(first, 1, 1).unwrap_or_default();
        let mut workday = Vec::new();
        let mut date = first_day;
        while date.year() <= last {
            workday.push(match special.get(&date) {
                Some((DayKind::Holiday, _)) => false,
                Some((DayKind::Workday, _)) => true,
                None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
            });
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        let mut prefix = Vec::with_capacity(workday.len() + 1);
        let mut running = 0u32;
        prefix.push(0);
        for is_workday in &workday {
            running += u32::from(*is_workday);
            prefix.push(running);
        }
        Calendar { loaded, provisional: BTreeSet::new(), special, first_day, workday, prefix }
    }

    /// The calendar over `years`, followed by `ahead` provisional years after the last of them
    /// (the statutory holidays of the law, no 调休), for deadlines that run past the notices loaded.
    pub fn with_provisional(years: &[YearData], ahead: i32) -> Calendar {
        let last = years.iter().map(|y| y.year).max();
        let extra: Vec<YearData> = match last {
            Some(last) => (last + 1..=last + ahead).map(provisional::provisional_year).collect(),
            None => Vec::new(),
        };
        let all: Vec<YearData> = years.iter().cloned().chain(extra.iter().cloned()).collect();
        let mut cal = Calendar::new(&all);
        cal.provisional = extra.iter().map(|y| y.year).collect();
        cal
    }

    /// Whether `year` is provisional (computed from the law, its notice not loaded).
    pub fn is_provisional(&self, year: i32) -> bool {
        self.provisional.contains(&year)
    }

    pub fn provisional_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.provisional.iter().copied()
    }

    /// The first provisional year an answer spanning `a`..`b` relies on, if any.
    pub fn provisional_in(&self, a: NaiveDate, b: NaiveDate) -> Option<i32> {
        let (lo, hi) = if a <= b { (a.year(), b.year()) } else { (b.year(), a.year()) };
        (lo..=hi).find(|y| self.provisional.contains(y))
    }

    /// The calendar with the built-in years (2020 onwards), for tests and tools without a database.
    pub fn builtin() -> Result<Calendar, ParseError> {
        Ok(Calendar::new(&builtin_years()?))
    }

    pub fn loaded_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.loaded.iter().copied()
    }

    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        if !self.loaded.contains(&date.year()) {
            return Err(CalendarError::NotLoaded(date.year()));
        }
        usize::try_from((date - self.first_day).num_days()).map_err(|_| CalendarError::NotLoaded(date.year()))
    }

    /// Every year from `a` to `b` must be loaded for an answer that spans them to be trusted.
    fn require_span(&self, a: NaiveDate, b: NaiveDate) -> Result<(), CalendarError> {
        let (lo, hi) = if a <= b { (a.year(), b.year()) } else { (b.year(), a.year()) };
        match (lo..=hi).find(|y| !self.loaded.contains(y)) {
            Some(missing) => Err(CalendarError::NotLoaded(missing)),
            None => Ok(()),
        }
    }

    pub fn is_workday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let i = self.index(date)?;
        Ok(self.workday.get(i).copied().unwrap_or(false))
    }

    pub fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        let workday = self.is_workday(date)?;
        let (holiday, adjusted_workday) = match self.special.get(&date) {
            Some((DayKind::Holiday, name)) => (Some(name.clone()), false),
            Some((DayKind::Workday, _)) => (None, true),
            None => (None, false),
        };
        Ok(DayInfo { date, workday, holiday, adjusted_workday, provisional: self.is_provisional(date.year()) })
    }

    /// The name of the holiday a make-up working day pays for (e.g. 国庆节 for 2025-09-28).
    pub fn adjusted_for(&self, date: NaiveDate) -> Option<&str> {
        match self.special.get(&date) {
            Some((DayKind::Workday, name)) => Some(name),
            _ => None,
        }
    }

    /// The `days`-th working day after `from` (`from` itself never counts).
    pub fn add_workdays(&self, from: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
        if days == 0 {
            return Err(CalendarError::ZeroDays);
        }
        let start = self.index(from)?;
        let target = self.prefix[start + 1] + days;
        // First index j > start with prefix[j + 1] >= target, i.e. the day that reaches the count.
        let found = self.prefix[start + 2..].partition_point(|&count| count < target);
        let offset = start + 1 + found;
        if offset >= self.workday.len() {
            let last = self.loaded.last().copied().unwrap_or(from.year());
            return Err(CalendarError::NotLoaded(last + 1));
        }
        let date = self.first_day + chrono::Days::new(offset as u64);
        self.require_span(from, date)?;
        Ok(date)
    }

    /// Working days in (`from`, `to`]; negative when `to` is before `from` (days overdue).
    pub fn count_workdays(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        let a = self.index(from)?;
        let b = self.index(to)?;
        self.require_span(from, to)?;
        Ok(i64::from(self.prefix[b + 1]) - i64::from(self.prefix[a + 1]))
    }
}

#[cfg(test)]
mod tests;
