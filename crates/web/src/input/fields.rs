//! A form's fields, whether URL-encoded or multipart, with the same parsing rules for every page:
//! blank means absent, lists may be separated by commas (either width), 、 or spaces, dates are
//! YYYY-MM-DD, and a field that does not parse names itself in the error.

use crate::error::{WebError, WebResult};
use crate::extract::Parts;
use chrono::NaiveDate;
use std::str::FromStr;

#[derive(Clone, Debug, Default)]
pub struct Fields {
    pairs: Vec<(String, String)>,
}

impl Fields {
    pub fn from_urlencoded(bytes: &[u8]) -> Fields {
        Fields { pairs: form_urlencoded::parse(bytes).into_owned().collect() }
    }

    pub fn from_parts(parts: &Parts) -> Fields {
        Fields { pairs: parts.fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect() }
    }

    /// The first value of a field, trimmed; `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// Every value of a repeated field (rows of a table form), trimmed, blanks kept in place.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim().to_string()).collect()
    }

    /// A list typed into one field.
    pub fn list(&self, key: &str) -> Vec<String> {
        split_list(&self.text(key).unwrap_or_default())
    }

    /// Whether a checkbox was ticked.
    pub fn flag(&self, key: &str) -> bool {
        self.text(key).is_some()
    }

    pub fn date(&self, key: &str) -> WebResult<Option<NaiveDate>> {
        match self.text(key) {
            Some(v) => NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| WebError::invalid(key, "日期格式应为 YYYY-MM-DD")),
            None => Ok(None),
        }
    }

    /// A number, or the field's own message when it is not one.
    pub fn number<T: FromStr>(&self, key: &str, message: &str) -> WebResult<Option<T>> {
        self.text(key).map(|v| v.parse().map_err(|_| WebError::invalid(key, message))).transpose()
    }
}

/// A list as people type it into one field: 甲,乙，丙、丁 戊.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_absent_and_lists_split_every_way() {
        let f = Fields::from_urlencoded(
            "a=+&b=%E7%94%B2%2C%E4%B9%99%EF%BC%8C%E4%B8%99%E3%80%81%E4%B8%81&d=2025-13-01&r=x&r=&r=y".as_bytes(),
        );
        assert_eq!(f.text("a"), None);
        assert_eq!(f.list("b"), ["甲", "乙", "丙", "丁"]);
        assert_eq!(f.all("r"), ["x", "", "y"]);
        assert_eq!(f.date("d").unwrap_err().field.as_deref(), Some("d"));
        assert_eq!(f.number::<u32>("missing", "?").unwrap(), None);
    }
}
