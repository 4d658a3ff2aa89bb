//! Checking unit fields as typed (API, form, CSV): one function per field, each naming its field.

use crate::units::NewUnit;
use bangdu_domain::UnitId;
use bangdu_domain::field_error::{FieldError, optional_text, required_text};
use bangdu_domain::region::parse_region_code;
use bangdu_domain::unit::{MAX_UNIT_NAME, UnitKind, parse_unit_code};

pub fn code(text: &str) -> Result<String, FieldError> {
    parse_unit_code("code", text)
}

pub fn name(text: &str) -> Result<String, FieldError> {
    required_text("name", "单位名称", text, MAX_UNIT_NAME)
}

pub fn kind(text: &str) -> Result<UnitKind, FieldError> {
    if text.trim().is_empty() {
        return Err(FieldError::new("kind", "单位类型不能为空"));
    }
    UnitKind::parse_field("kind", text)
}

/// An empty region means none.
pub fn region(text: &str) -> Result<Option<String>, FieldError> {
    match optional_text("region", "行政区划代码", text, 12)? {
        Some(code) => parse_region_code("region", &code).map(Some),
        None => Ok(None),
    }
}

pub fn new_unit(
    code_text: &str,
    name_text: &str,
    kind_text: &str,
    region_text: &str,
    parent: Option<UnitId>,
    sort_order: i64,
) -> Result<NewUnit, FieldError> {
    Ok(NewUnit {
        code: code(code_text)?,
        name: name(name_text)?,
        kind: kind(kind_text)?,
        parent,
        region: region(region_text)?,
        sort_order,
    })
}
