//! The actions on an item and what each needs from the person taking it.

use crate::field_error::{FieldError, optional_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Register,
    Assign,
    Decline,
    Accept,
    Report,
    RequestClose,
    ApproveClose,
    Return,
    Confirm,
    Reopen,
    RequestExtension,
    ApproveExtension,
    RejectExtension,
    Pause,
    Resume,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::Register,
        Action::Assign,
        Action::Decline,
        Action::Accept,
        Action::Report,
        Action::RequestClose,
        Action::ApproveClose,
        Action::Return,
        Action::Confirm,
        Action::Reopen,
        Action::RequestExtension,
        Action::ApproveExtension,
        Action::RejectExtension,
        Action::Pause,
        Action::Resume,
        Action::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Assign => "assign",
            Action::Decline => "decline",
            Action::Accept => "accept",
            Action::Report => "report",
            Action::RequestClose => "request_close",
            Action::ApproveClose => "approve_close",
            Action::Return => "return",
            Action::Confirm => "confirm",
            Action::Reopen => "reopen",
            Action::RequestExtension => "request_extension",
            Action::ApproveExtension => "approve_extension",
            Action::RejectExtension => "reject_extension",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Cancel => "cancel",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Register => "立项",
            Action::Assign => "交办",
            Action::Decline => "退回",
            Action::Accept => "签收",
            Action::Report => "报送进展",
            Action::RequestClose => "申请销号",
            Action::ApproveClose => "销号",
            Action::Return => "退回重办",
            Action::Confirm => "回头看通过",
            Action::Reopen => "回头看重启",
            Action::RequestExtension => "申请延期",
            Action::ApproveExtension => "同意延期",
            Action::RejectExtension => "不同意延期",
            Action::Pause => "暂停计时",
            Action::Resume => "恢复计时",
            Action::Cancel => "撤销",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        let text = text.trim();
        Action::ALL.into_iter().find(|a| a.code() == text || a.label() == text)
    }

    /// Whether the action must say why.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::Decline
                | Action::Return
                | Action::Reopen
                | Action::RequestExtension
                | Action::RejectExtension
                | Action::Pause
                | Action::Resume
                | Action::Cancel
        )
    }
}

/// What an action request carries besides its name and version. Each action uses some fields;
/// `check` says which are missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub reason: Option<String>,
    pub note: Option<String>,
    pub measures: Option<String>,
    pub result: Option<String>,
    /// `approve_close`: the office's 审核意见 on the rectification it writes off.
    pub opinion: Option<String>,
    /// `assign`: the responsible unit (resolved elsewhere; here only whether it was given).
    pub has_unit: bool,
    /// `assign`, `request_extension`: a deadline date, or a number of working days.
    pub deadline: Option<NaiveDate>,
    pub deadline_workdays: Option<u32>,
}

fn required(field: &str, label: &str, value: &Option<String>, max: usize) -> Result<(), FieldError> {
    match optional_text(field, label, value.as_deref().unwrap_or(""), max)? {
        Some(_) => Ok(()),
        None => Err(FieldError::new(field, format!("{label}不能为空"))),
    }
}

impl ActionInput {
    /// Checks that the fields the action needs are there and well-formed.
    pub fn check(&self, action: Action) -> Result<(), FieldError> {
        if action.needs_reason() {
            required("reason", "理由", &self.reason, 2000)?;
        } else {
            optional_text("reason", "理由", self.reason.as_deref().unwrap_or(""), 2000)?;
        }
        match action {
            Action::Report => required("note", "进展说明", &self.note, 5000)?,
            Action::RequestClose => {
                required("measures", "整改措施", &self.measures, 5000)?;
                required("result", "办理结果", &self.result, 5000)?;
            }
            Action::Assign => {
                if !self.has_unit {
                    return Err(FieldError::new("unit", "请指定责任单位"));
                }
                self.check_deadline("deadline")?;
            }
            // A write-off is final for the record: the office says what it verified.
            Action::ApproveClose => required("opinion", "审核意见", &self.opinion, 5000)?,
            Action::RequestExtension => self.check_deadline("deadline")?,
            // A reopened item gets a new deadline: given here, or the setting's working days.
            Action::Reopen if self.deadline.is_some() || self.deadline_workdays.is_some() => {
                self.check_deadline("deadline")?
            }
            _ => {}
        }
        Ok(())
    }

    fn check_deadline(&self, field: &str) -> Result<(), FieldError> {
        if let Some(date) = self.deadline {
            crate::dates::in_window(field, date)?;
        }
        match (self.deadline, self.deadline_workdays) {
            (Some(_), Some(_)) => Err(FieldError::new(field, "期限只能给出日期或工作日数之一")),
            (None, None) => Err(FieldError::new(field, "请给出期限：日期（deadline）或工作日数（deadline_workdays）")),
            (None, Some(0)) => Err(FieldError::new("deadline_workdays", "工作日数至少为 1")),
            (None, Some(n)) if n > 3650 => Err(FieldError::new("deadline_workdays", "工作日数不能超过 3650")),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.code()), Some(action));
            assert_eq!(serde_json::to_value(action).unwrap(), action.code());
        }
    }

    #[test]
    fn inputs_are_checked_per_action() {
        let empty = ActionInput::default();
        assert!(empty.check(Action::Accept).is_ok());
        assert_eq!(empty.check(Action::Decline).unwrap_err().field, "reason");
        assert_eq!(empty.check(Action::Report).unwrap_err().field, "note");
        assert_eq!(empty.check(Action::RequestClose).unwrap_err().field, "measures");
        assert_eq!(empty.check(Action::Assign).unwrap_err().field, "unit");
        let unit_only = ActionInput { has_unit: true, ..ActionInput::default() };
        assert_eq!(unit_only.check(Action::Assign).unwrap_err().field, "deadline");
        let both = ActionInput {
            has_unit: true,
            deadline_workdays: Some(5),
            deadline: NaiveDate::from_ymd_opt(2025, 1, 1),
            ..ActionInput::default()
        };
        assert!(both.check(Action::Assign).is_err());
        let ok = ActionInput { has_unit: true, deadline_workdays: Some(5), ..ActionInput::default() };
        assert!(ok.check(Action::Assign).is_ok());
        // 回头看 may give the new deadline or leave it to the setting, not both ways at once.
        let reason = ActionInput { reason: Some("复查发现反弹".into()), ..ActionInput::default() };
        assert!(reason.check(Action::Reopen).is_ok());
        let zero = ActionInput { deadline_workdays: Some(0), ..reason.clone() };
        assert_eq!(zero.check(Action::Reopen).unwrap_err().field, "deadline_workdays");
        let twice = ActionInput { deadline_workdays: Some(5), deadline: NaiveDate::from_ymd_opt(2025, 1, 1), ..reason };
        assert!(twice.check(Action::Reopen).is_err());
        let blank_reason = ActionInput { reason: Some("   ".into()), ..ActionInput::default() };
        assert!(blank_reason.check(Action::Cancel).is_err());
    }
}
