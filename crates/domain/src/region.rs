//! Region codes (行政区划代码): GB/T 2260 six digits down to county level, and the 9- or 12-digit
//! statistical codes (统计用区划代码) below it. The region decides 本地回避 in team formation.

use crate::field_error::FieldError;

/// Checks a region code and returns it trimmed. Valid: 6, 9 or 12 ASCII digits whose first two
/// digits are a province-level code (11 to 82).
pub fn parse_region_code(field: &str, text: &str) -> Result<String, FieldError> {
    let code = text.trim();
    let well_formed = matches!(code.len(), 6 | 9 | 12) && code.bytes().all(|b| b.is_ascii_digit());
    let province_ok = code.get(..2).and_then(|p| p.parse::<u8>().ok()).is_some_and(|p| (11..=82).contains(&p));
    if well_formed && province_ok {
        Ok(code.to_string())
    } else {
        Err(FieldError::new(field, format!("行政区划代码“{code}”无效，应为 6、9 或 12 位数字（如 350582）")))
    }
}

/// The GB/T 2260 name of the county-level (or higher) division a code lies in — "晋江市" for
/// 350582 or 350582001 — from any revision the `gb2260` crate carries (2002–2016). `None` for a
/// code it does not know, which may still be real if newer: callers accept codes their own units use.
pub fn region_name(code: &str) -> Option<&'static str> {
    let county = code.get(..6)?;
    gb2260::Division::search(county).map(|d| d.name)
}

/// True when `inner` lies inside `outer` (a region is inside itself): 350582001 is inside 350582.
pub fn region_contains(outer: &str, inner: &str) -> bool {
    inner.starts_with(significant_prefix(outer))
}

/// The digits that identify a region at its own level: 省 2, 市 4, 县 6, 乡 9, 村 12
/// (`350500` → `3505`, `350582001000` → `350582001`).
pub fn significant_prefix(code: &str) -> &str {
    let mut s = code;
    if s.len() == 12 && s.ends_with("000") {
        s = &s[..9];
    }
    if s.len() == 9 && s.ends_with("000") {
        s = &s[..6];
    }
    if s.len() == 6 && s.ends_with("00") {
        s = &s[..4];
    }
    if s.len() == 4 && s.ends_with("00") {
        s = &s[..2];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_come_from_gb2260() {
        assert_eq!(region_name("350582"), Some("晋江市"));
        assert_eq!(region_name("350582001000"), Some("晋江市"));
        assert_eq!(region_name("350500"), Some("泉州市"));
        assert_eq!(region_name("350599"), None);
        assert_eq!(region_name("35"), None);
    }

    #[test]
    fn region_codes() {
        assert_eq!(parse_region_code("region", "350582").unwrap(), "350582");
        assert!(parse_region_code("region", "350582001").is_ok());
        assert!(parse_region_code("region", "350582001000").is_ok());
        assert!(parse_region_code("region", "35058").is_err());
        assert!(parse_region_code("region", "3505820").is_err());
        assert!(parse_region_code("region", "99058200").is_err());
        assert!(parse_region_code("region", "990582").is_err());
        assert!(parse_region_code("region", "35o582").is_err());
    }

    #[test]
    fn containment_follows_the_code_hierarchy() {
        assert!(region_contains("350500", "350582"));
        assert!(region_contains("350582", "350582001000"));
        assert!(region_contains("350582", "350582"));
        assert!(!region_contains("350582", "350583"));
        assert!(!region_contains("350500", "350100"));
        assert!(region_contains("350000", "350582"));
        assert!(region_contains("350582000000", "350582001000"));
    }
}
