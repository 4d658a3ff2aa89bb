//! Query-string values arrive as text (HTML filter forms send empty strings for "any"); these
//! helpers turn them into typed values with a 422 naming the parameter when they do not parse.

use crate::error::WebError;
use std::str::FromStr;

/// `None` for a missing or empty value.
pub fn parse_opt<T: FromStr>(name: &str, value: &Option<String>, what: &str) -> Result<Option<T>, WebError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| WebError::invalid(name, format!("参数 {name} 应为{what}"))),
    }
}

/// A parameter's trimmed text, when it has any.
pub fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub fn parse_number(name: &str, value: &Option<String>) -> Result<Option<u64>, WebError> {
    parse_opt(name, value, "正整数")
}

pub fn parse_bool(name: &str, value: &Option<String>) -> Result<Option<bool>, WebError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some("true" | "1" | "yes") => Ok(Some(true)),
        Some("false" | "0" | "no") => Ok(Some(false)),
        Some(_) => Err(WebError::invalid(name, format!("参数 {name} 应为 true 或 false"))),
    }
}

/// Query parameters, with a 400 `invalid_query` in the API's error shape when they cannot be read.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query)
            .map(ApiQuery)
            .map_err(|e| WebError::bad_request("invalid_query", format!("查询参数无效：{e}")))
    }
}
