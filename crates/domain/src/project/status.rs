//! The administrative level a project belongs to and where its construction stands.

coded_enum!(
    /// 省/市/县/镇: whose promise the project is.
    Level {
        Province = "province" / "省级",
        City = "city" / "市级",
        County = "county" / "县级",
        Town = "town" / "镇级",
    }
);

coded_enum!(
    /// 未开工/在建/已完工/已验收/已投用 (DESIGN §3). The last three count as done.
    Status {
        NotStarted = "not_started" / "未开工",
        InProgress = "in_progress" / "在建",
        Completed = "completed" / "已完工",
        Accepted = "accepted" / "已验收",
        InUse = "in_use" / "已投用",
    }
);

coded_enum!(
    /// The office's verdict on a monthly report: accept it, or return it with a note.
    ReportVerdict {
        Accept = "accept" / "通过",
        Return = "return" / "退回",
    }
);

coded_enum!(
    /// The office's decision on a citizen's comment before it is shown.
    Moderation {
        Approve = "approve" / "公开",
        Reject = "reject" / "不公开",
    }
);

impl Status {
    /// Built: completed, accepted or in use.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Completed | Status::Accepted | Status::InUse)
    }
}

impl Level {
    /// Also accepts the short forms people write in tables: 省, 市, 县, 区, 镇, 街道.
    pub fn parse_loose(text: &str) -> Option<Level> {
        Level::parse(text).or(match text.trim() {
            "省" => Some(Level::Province),
            "市" => Some(Level::City),
            "县" | "区" | "县级市" | "区级" => Some(Level::County),
            "镇" | "乡" | "街道" | "镇街" => Some(Level::Town),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_statuses_and_loose_levels() {
        let done: Vec<_> = Status::ALL.iter().filter(|s| s.is_done()).map(|s| s.label()).collect();
        assert_eq!(done, ["已完工", "已验收", "已投用"]);
        assert_eq!(Status::parse("在建"), Some(Status::InProgress));
        assert_eq!(Level::parse_loose("街道"), Some(Level::Town));
        assert_eq!(Level::parse_loose("市级"), Some(Level::City));
        assert_eq!(Level::parse_loose("村"), None);
    }
}
