//! Where an appeal stands, and how a 12345 export's 办理状态 reads as one.

coded_enum!(
    /// The state of an appeal. Only `Answered` is closed (Open311's `closed`).
    AppealStatus {
        Received = "received" / "已受理",
        Handling = "handling" / "办理中",
        Answered = "answered" / "已办结",
    }
);

impl AppealStatus {
    /// Open311's two states.
    pub fn open311(self) -> &'static str {
        match self {
            AppealStatus::Answered => "closed",
            _ => "open",
        }
    }

    /// The state a 办理状态 cell names, in the words the platforms use; a blank cell is 已受理.
    pub fn from_export(field: &str, text: &str) -> Result<AppealStatus, crate::field_error::FieldError> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(AppealStatus::Received);
        }
        if let Some(status) = AppealStatus::parse(t) {
            return Ok(status);
        }
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["办结", "完成", "已回复", "已答复", "归档", "已回访", "结案", "关闭"]) {
            Ok(AppealStatus::Answered)
        } else if has(&["办理中", "处理中", "派单", "转办", "签收", "退回", "延期", "督办"]) {
            Ok(AppealStatus::Handling)
        } else if has(&["受理", "待办", "待处理", "待派", "新建", "登记"]) {
            Ok(AppealStatus::Received)
        } else {
            Err(crate::field_error::FieldError::new(
                field,
                format!("办理状态“{t}”不认识，应为已受理、办理中或已办结之类"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_states_read_as_three() {
        let read = |t: &str| AppealStatus::from_export("status", t);
        assert_eq!(read(""), Ok(AppealStatus::Received));
        assert_eq!(read("已办结"), Ok(AppealStatus::Answered));
        assert_eq!(read("已归档"), Ok(AppealStatus::Answered));
        assert_eq!(read("待受理"), Ok(AppealStatus::Received));
        assert_eq!(read("已派单"), Ok(AppealStatus::Handling));
        assert_eq!(read("处理中"), Ok(AppealStatus::Handling));
        assert_eq!(read("answered"), Ok(AppealStatus::Answered));
        assert_eq!(read("作废").unwrap_err().field, "status");
        assert_eq!(AppealStatus::Handling.open311(), "open");
        assert_eq!(AppealStatus::Answered.open311(), "closed");
    }
}
