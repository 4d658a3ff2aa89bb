//! Deadline status (正常, 临期, 逾期, 已暂停) and the escalation ladder (梯级督查): 临近提醒 N working
//! days before the deadline, 催办 on the first working day after it, 督办 after M more, 通报 after K
//! more — all counted in Chinese working days.

use super::state::ItemState;
use crate::calendar::{Calendar, CalendarError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    Normal,
    DueSoon,
    Overdue,
    Paused,
}

impl DueStatus {
    pub fn code(self) -> &'static str {
        match self {
            DueStatus::Normal => "normal",
            DueStatus::DueSoon => "due_soon",
            DueStatus::Overdue => "overdue",
            DueStatus::Paused => "paused",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DueStatus::Normal => "正常",
            DueStatus::DueSoon => "临期",
            DueStatus::Overdue => "逾期",
            DueStatus::Paused => "已暂停",
        }
    }
}

/// The deadline status of an item on `today`; `None` when no clock runs (not yet assigned, waiting
/// for write-off, closed, cancelled) or there is no deadline.
pub fn due_status(
    cal: &Calendar,
    state: ItemState,
    deadline: Option<NaiveDate>,
    paused: bool,
    today: NaiveDate,
    due_soon_days: u32,
) -> Option<DueStatus> {
    if !state.is_running() {
        return None;
    }
    if paused {
        return Some(DueStatus::Paused);
    }
    let deadline = deadline?;
    if today > deadline {
        return Some(DueStatus::Overdue);
    }
    // Beyond the loaded years, fall back to calendar days rather than guess holidays.
    let remaining = cal.count_workdays(today, deadline).unwrap_or((deadline - today).num_days());
    Some(if remaining <= i64::from(due_soon_days) { DueStatus::DueSoon } else { DueStatus::Normal })
}

/// The steps of the ladder, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    None,
    Reminder,
    Urge,
    Supervise,
    Bulletin,
}

impl Escalation {
    pub const LADDER: [Escalation; 4] =
        [Escalation::Reminder, Escalation::Urge, Escalation::Supervise, Escalation::Bulletin];

    pub fn code(self) -> &'static str {
        match self {
            Escalation::None => "none",
            Escalation::Reminder => "reminder",
            Escalation::Urge => "urge",
            Escalation::Supervise => "supervise",
            Escalation::Bulletin => "bulletin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Escalation::None => "—",
            Escalation::Reminder => "临近提醒",
            Escalation::Urge => "催办",
            Escalation::Supervise => "督办",
            Escalation::Bulletin => "通报",
        }
    }

    pub fn level(self) -> i64 {
        self as i64
    }

    pub fn from_level(level: i64) -> Escalation {
        match level {
            1 => Escalation::Reminder,
            2 => Escalation::Urge,
            3 => Escalation::Supervise,
            4 => Escalation::Bulletin,
            _ => Escalation::None,
        }
    }

    pub fn parse(text: &str) -> Option<Escalation> {
        [Escalation::None, Escalation::Reminder, Escalation::Urge, Escalation::Supervise, Escalation::Bulletin]
            .into_iter()
            .find(|e| e.code() == text || e.label() == text)
    }
}

/// N, M, K of the ladder (settings; defaults 3, 3, 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EscalationSettings {
    /// 临近提醒 this many working days before the deadline (0: no reminders).
    pub reminder_days: u32,
    /// 督办 this many working days after 催办.
    pub supervise_after: u32,
    /// 通报 this many working days after 督办.
    pub bulletin_after: u32,
}

impl Default for EscalationSettings {
    fn default() -> Self {
        EscalationSettings { reminder_days: 3, supervise_after: 3, bulletin_after: 5 }
    }
}

/// The highest step an item with this deadline should have reached on `today`.
pub fn escalation_target(
    cal: &Calendar,
    deadline: NaiveDate,
    today: NaiveDate,
    settings: &EscalationSettings,
) -> Result<Escalation, CalendarError> {
    if today <= deadline {
        let remaining = cal.count_workdays(today, deadline)?;
        let remind = settings.reminder_days > 0 && remaining <= i64::from(settings.reminder_days);
        return Ok(if remind { Escalation::Reminder } else { Escalation::None });
    }
    // Working days past the deadline: the first one is 催办 (a weekend right after the deadline is
    // not yet a working day past it).
    let overdue = cal.count_workdays(deadline, today)?;
    let supervise = 1 + i64::from(settings.supervise_after);
    let bulletin = supervise + i64::from(settings.bulletin_after);
    Ok(match overdue {
        // Past the deadline, but no working day yet (a weekend or holiday right after it).
        0 if settings.reminder_days > 0 => Escalation::Reminder,
        0 => Escalation::None,
        d if d >= bulletin => Escalation::Bulletin,
        d if d >= supervise => Escalation::Supervise,
        _ => Escalation::Urge,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn cal() -> Calendar {
        Calendar::builtin().unwrap()
    }

    /// A deadline of Tuesday 30 September 2025, just before the National Day holiday (1–8 October)
    /// with make-up working days on Sunday 28 September and Saturday 11 October. Worked by hand:
    /// - 临近提醒 when ≤ 3 working days remain: on 26 Sep, (26, 30] holds 28 (make-up), 29, 30.
    ///   On 25 Sep four remain (26, 28, 29, 30).
    /// - 催办 on the first working day after the deadline: 9 October (1–8 October are holidays).
    /// - 督办 after 3 more working days: 10 Oct (2), Sat 11 Oct make-up (3), Mon 13 Oct (4) → 13 Oct.
    /// - 通报 after 5 more: 14 (5), 15 (6), 16 (7), 17 (8), Mon 20 Oct (9) → 20 Oct.
    #[test]
    fn the_ladder_across_national_day_2025() {
        let cal = cal();
        let settings = EscalationSettings::default();
        let deadline = d("2025-09-30");
        let expect = [
            ("2025-09-20", Escalation::None),
            ("2025-09-25", Escalation::None),
            ("2025-09-26", Escalation::Reminder),
            ("2025-09-28", Escalation::Reminder),
            ("2025-09-30", Escalation::Reminder),
            ("2025-10-01", Escalation::Reminder),
            ("2025-10-08", Escalation::Reminder),
            ("2025-10-09", Escalation::Urge),
            ("2025-10-11", Escalation::Urge),
            ("2025-10-12", Escalation::Urge),
            ("2025-10-13", Escalation::Supervise),
            ("2025-10-17", Escalation::Supervise),
            ("2025-10-19", Escalation::Supervise),
            ("2025-10-20", Escalation::Bulletin),
            ("2025-12-31", Escalation::Bulletin),
        ];
        for (today, level) in expect {
            assert_eq!(escalation_target(&cal, deadline, d(today), &settings), Ok(level), "{today}");
        }
    }

    #[test]
    fn settings_move_the_steps() {
        let cal = cal();
        let settings = EscalationSettings { reminder_days: 0, supervise_after: 1, bulletin_after: 1 };
        let deadline = d("2025-09-30");
        assert_eq!(escalation_target(&cal, deadline, d("2025-09-30"), &settings), Ok(Escalation::None));
        assert_eq!(escalation_target(&cal, deadline, d("2025-10-09"), &settings), Ok(Escalation::Urge));
        assert_eq!(escalation_target(&cal, deadline, d("2025-10-10"), &settings), Ok(Escalation::Supervise));
        assert_eq!(escalation_target(&cal, deadline, d("2025-10-11"), &settings), Ok(Escalation::Bulletin));
    }

    #[test]
    fn due_status_follows_the_clock() {
        let cal = cal();
        let deadline = Some(d("2025-09-30"));
        let status = |state, paused, today| due_status(&cal, state, deadline, paused, d(today), 3);
        assert_eq!(status(ItemState::InProgress, false, "2025-09-20"), Some(DueStatus::Normal));
        assert_eq!(status(ItemState::InProgress, false, "2025-09-26"), Some(DueStatus::DueSoon));
        assert_eq!(status(ItemState::Assigned, false, "2025-10-08"), Some(DueStatus::Overdue));
        assert_eq!(status(ItemState::InProgress, true, "2025-10-08"), Some(DueStatus::Paused));
        assert_eq!(status(ItemState::CloseRequested, false, "2025-10-08"), None);
        assert_eq!(status(ItemState::Closed, false, "2025-10-08"), None);
        assert_eq!(status(ItemState::Registered, false, "2025-10-08"), None);
    }
}
