//! Campaigns (专项行动) and their rounds: the kinds of round, how a target came to be chosen, and the
//! kinds of target (DESIGN.md §5).

coded_enum!(
    /// How a round inspects.
    RoundKind {
        OnSite = "on_site" / "实地帮",
        Written = "written" / "书面督",
        Unannounced = "unannounced" / "四不两直",
        Joint = "joint" / "党政联合督查",
        Departmental = "departmental" / "职能部门联查",
        Special = "special" / "专查",
    }
);

coded_enum!(
    /// Why a target is in a round: the planner's three pools (双随机、一公开) or the office's hand.
    Basis {
        Key = "key" / "重点督",
        Random = "random" / "随机查",
        Lookback = "lookback" / "回头看",
        Manual = "manual" / "人工添加",
    }
);

coded_enum!(
    /// What a target is.
    TargetKind {
        Project = "project" / "项目",
        Unit = "unit" / "单位",
        Item = "item" / "督导事项",
    }
);

coded_enum!(
    /// What became of a finding: still to decide, solved on the spot, or raised as an item.
    Outcome {
        Pending = "pending" / "待处理",
        Solved = "solved" / "当场协调解决",
        Item = "item" / "转为督导事项",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_code_or_label() {
        assert_eq!(RoundKind::parse("四不两直"), Some(RoundKind::Unannounced));
        assert_eq!(RoundKind::parse("on_site"), Some(RoundKind::OnSite));
        assert_eq!(RoundKind::ALL.len(), 6);
        assert_eq!(Basis::parse("回头看"), Some(Basis::Lookback));
        assert_eq!(TargetKind::parse("item"), Some(TargetKind::Item));
        assert_eq!(RoundKind::parse("巡视"), None);
    }
}
