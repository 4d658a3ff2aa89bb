//! A year of the working-day calendar as people upload it.

use crate::error::{WebError, WebResult};
use axum::http::StatusCode;
use bangdu_domain::calendar::YearData;

pub fn parse_year_file(text: &str) -> WebResult<YearData> {
    YearData::parse(text).map_err(|e| {
        let mut err = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_year_file", e.to_string());
        err.line = Some(e.line);
        err.field = Some("file".into());
        err
    })
}
