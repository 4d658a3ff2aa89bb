//! The states of an item, where it came from and how urgent it is.

coded_enum!(
    /// The lifecycle states (fixed names: the API and tests rely on them).
    ItemState {
        Draft = "draft" / "草稿",
        Registered = "registered" / "已立项",
        Assigned = "assigned" / "已交办",
        InProgress = "in_progress" / "办理中",
        CloseRequested = "close_requested" / "申请销号",
        Closed = "closed" / "已销号",
        Cancelled = "cancelled" / "已撤销",
    }
);

impl ItemState {
    /// Not yet closed or cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, ItemState::Closed | ItemState::Cancelled)
    }

    /// States in which the responsible unit is working against the deadline.
    pub fn is_running(self) -> bool {
        matches!(self, ItemState::Assigned | ItemState::InProgress)
    }
}

coded_enum!(
    /// Where an item came from (DESIGN §4).
    Source {
        Inspection = "inspection" / "督查发现",
        Helping = "helping" / "帮督发现",
        Project = "project" / "项目滞后",
        Hotline = "hotline" / "12345 诉求",
        Instruction = "instruction" / "领导批示",
        Meeting = "meeting" / "调度会",
        Suggestion = "suggestion" / "群众建议",
        Enterprise = "enterprise" / "企业诉求",
        Walkthrough = "walkthrough" / "走流程",
        Operation = "operation" / "运行检查",
        Other = "other" / "其他",
    }
);

coded_enum!(
    /// How urgent an item is.
    Priority {
        Normal = "normal" / "一般",
        High = "high" / "重要",
        Urgent = "urgent" / "紧急",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_labels_and_openness() {
        for state in ItemState::ALL {
            assert_eq!(ItemState::parse(state.code()), Some(*state));
            assert_eq!(ItemState::parse(state.label()), Some(*state));
            assert_eq!(serde_json::to_value(state).unwrap(), state.code());
        }
        assert!(ItemState::CloseRequested.is_open());
        assert!(!ItemState::Closed.is_open() && !ItemState::Cancelled.is_open());
        assert_eq!(Source::parse("领导批示"), Some(Source::Instruction));
        assert_eq!(Priority::parse("urgent"), Some(Priority::Urgent));
    }
}
