//! Units (单位): the organisation tree of governments, departments, towns, villages and others.

use crate::field_error::FieldError;
use serde::{Deserialize, Serialize};

/// What kind of organisation a unit is. The code is stable (API, CSV, database);
/// the label is what users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Government,
    Party,
    Department,
    Congress,
    Cppcc,
    MassOrg,
    Town,
    Street,
    Village,
    Community,
    Park,
    Enterprise,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 13] = [
        UnitKind::Government,
        UnitKind::Party,
        UnitKind::Department,
        UnitKind::Congress,
        UnitKind::Cppcc,
        UnitKind::MassOrg,
        UnitKind::Town,
        UnitKind::Street,
        UnitKind::Village,
        UnitKind::Community,
        UnitKind::Park,
        UnitKind::Enterprise,
        UnitKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Government => "government",
            UnitKind::Party => "party",
            UnitKind::Department => "department",
            UnitKind::Congress => "congress",
            UnitKind::Cppcc => "cppcc",
            UnitKind::MassOrg => "mass_org",
            UnitKind::Town => "town",
            UnitKind::Street => "street",
            UnitKind::Village => "village",
            UnitKind::Community => "community",
            UnitKind::Park => "park",
            UnitKind::Enterprise => "enterprise",
            UnitKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Government => "人民政府",
            UnitKind::Party => "党委",
            UnitKind::Department => "部门",
            UnitKind::Congress => "人大",
            UnitKind::Cppcc => "政协",
            UnitKind::MassOrg => "群团",
            UnitKind::Town => "乡镇",
            UnitKind::Street => "街道",
            UnitKind::Village => "村",
            UnitKind::Community => "社区",
            UnitKind::Park => "园区",
            UnitKind::Enterprise => "企业",
            UnitKind::Other => "其他",
        }
    }

    /// Accepts the code (`town`) or the Chinese label (`乡镇`), as the CSV import does.
    pub fn parse(text: &str) -> Option<UnitKind> {
        let text = text.trim();
        UnitKind::ALL.into_iter().find(|k| k.code() == text || k.label() == text)
    }

    pub fn parse_field(field: &str, text: &str) -> Result<UnitKind, FieldError> {
        UnitKind::parse(text).ok_or_else(|| {
            FieldError::new(
                field,
                format!("未知的单位类型“{}”，应为 government、town 等代码或“人民政府”“乡镇”等名称", text.trim()),
            )
        })
    }
}

/// A unit's own code: what CSV files and scripts use to refer to it (e.g. `350582`, `JJ-FGJ`).
/// Letters, digits, `-`, `_` and `.`, 1 to 64 characters, so it survives CSV, URLs and shells.
pub fn parse_unit_code(field: &str, text: &str) -> Result<String, FieldError> {
    let code = text.trim();
    if code.is_empty() {
        return Err(FieldError::new(field, "单位代码不能为空"));
    }
    if code.len() > 64 {
        return Err(FieldError::new(field, "单位代码不能超过 64 个字符"));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(FieldError::new(field, format!("单位代码“{code}”只能包含字母、数字和 - _ .")));
    }
    Ok(code.to_string())
}

/// The materialised path of a unit: its parent's path (or `/` for a root) followed by its own id,
/// zero-padded to 10 digits so that sorting by path lists the tree depth-first with siblings in
/// the order they were created (`/0000000001/0000000012/`).
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    format!("{}{id:010}/", parent_path.unwrap_or("/"))
}

/// Longest unit name accepted (the longest real one in the Jinjiang table is 25 characters).
pub const MAX_UNIT_NAME: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_code_and_chinese_label() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.code()), Some(kind));
            assert_eq!(UnitKind::parse(kind.label()), Some(kind));
        }
        assert_eq!(UnitKind::parse(" 街道 "), Some(UnitKind::Street));
        assert_eq!(UnitKind::parse("mass_org"), Some(UnitKind::MassOrg));
        assert_eq!(UnitKind::parse("群团"), Some(UnitKind::MassOrg));
        assert_eq!(UnitKind::parse("county"), None);
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(serde_json::to_string(&UnitKind::MassOrg).unwrap(), "\"mass_org\"");
    }

    #[test]
    fn paths_sort_depth_first_in_creation_order() {
        let city = child_path(None, 1);
        assert_eq!(city, "/0000000001/");
        let mut paths = vec![child_path(Some(&city), 100), child_path(Some(&city), 28), city.clone()];
        paths.push(child_path(Some(&child_path(Some(&city), 28)), 300));
        paths.sort();
        assert_eq!(
            paths,
            [
                "/0000000001/",
                "/0000000001/0000000028/",
                "/0000000001/0000000028/0000000300/",
                "/0000000001/0000000100/"
            ]
        );
    }

    #[test]
    fn unit_codes_are_checked() {
        assert_eq!(parse_unit_code("code", " 350582 ").unwrap(), "350582");
        assert!(parse_unit_code("code", "JJ-FGJ_1.a").is_ok());
        assert!(parse_unit_code("code", "").is_err());
        assert!(parse_unit_code("code", "晋江").is_err());
        assert!(parse_unit_code("code", "a b").is_err());
        assert!(parse_unit_code("code", &"x".repeat(65)).is_err());
    }
}
