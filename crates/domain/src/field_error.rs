//! A validation failure that names the field it is about, so callers can answer
//! "422, field `region`: 行政区划代码应为 6、9 或 12 位数字" instead of a vague error.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the API and the CSV header spell it.
    pub field: String,
    /// A Chinese sentence for the person who typed the value.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Checks a required free-text field: trimmed, not empty, at most `max` characters, no control
/// characters (they break CSV exports and terminals). Returns the trimmed text.
pub fn required_text(field: &str, label: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, format!("{label}不能为空")));
    }
    optional_text(field, label, trimmed, max).map(|v| v.unwrap_or_default())
}

/// Like [`required_text`] but an empty value means "none".
pub fn optional_text(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(field, format!("{label}不能超过 {max} 个字")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(field, format!("{label}不能包含控制字符")));
    }
    if let Some(c) = crate::text::first_unstorable(trimmed) {
        return Err(FieldError::new(field, format!("{label}{}", crate::text::refusal(c))));
    }
    Ok(Some(trimmed.to_string()))
}

/// Like [`optional_text`] for text of several lines (suggestions, a finding's description): line
/// breaks are kept (CRLF made LF), other control characters refused.
pub fn optional_prose(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let text = value.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    let joined = lines.join("\n");
    let mut out = None;
    for line in &lines {
        optional_text(field, label, line, max)?;
    }
    if !joined.trim().is_empty() {
        if joined.chars().count() > max {
            return Err(FieldError::new(field, format!("{label}不能超过 {max} 个字")));
        }
        out = Some(joined);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_its_lines_and_refuses_other_controls() {
        assert_eq!(optional_prose("s", "建议", "一、甲\r\n二、乙  \n", 50).unwrap().as_deref(), Some("一、甲\n二、乙"));
        assert!(optional_prose("s", "建议", "a\u{7}b", 50).is_err());
        assert_eq!(optional_prose("s", "建议", " \n ", 50).unwrap(), None);
        assert_eq!(optional_prose("s", "建议", "一二\n三四", 4).unwrap_err().message, "建议不能超过 4 个字");
    }

    #[test]
    fn required_text_trims_and_rejects_blank_long_and_control() {
        assert_eq!(required_text("name", "名称", "  晋江市  ", 10).unwrap(), "晋江市");
        assert_eq!(required_text("name", "名称", "   ", 10).unwrap_err().message, "名称不能为空");
        assert_eq!(required_text("name", "名称", "一二三四", 3).unwrap_err().field, "name");
        assert!(required_text("name", "名称", "a\u{7}b", 10).is_err());
        assert_eq!(optional_text("x", "备注", " ", 10).unwrap(), None);
    }
}
