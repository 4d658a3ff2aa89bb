//! `ApiJson<T>`: a JSON body, or the right error — 415 when it is not JSON, 413 when too large,
//! 400 `invalid_json` when it does not parse, 422 `invalid_field` naming the field when a field is
//! missing, unknown or of the wrong type.

use crate::error::WebError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

pub fn is_json_content_type(value: Option<&str>) -> bool {
    value
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// The body of an import: a CSV (text) or XLSX file, read within the configured limit. Any other
/// content type answers 415 before the body is read.
pub async fn table_file<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, WebError> {
    const ACCEPTED: [&str; 4] = [
        "text/csv",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
    ];
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ACCEPTED.iter().any(|a| content_type.starts_with(a)) {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 text/csv 或 XLSX 提交文件内容",
        ));
    }
    body_bytes(req, state).await
}

/// Reads the body within the configured limit: 413 when over it.
pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, WebError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "请求内容过大")
        } else {
            WebError::bad_request("invalid_body", "无法读取请求内容")
        }
    })
}

/// Turns a serde error at `path` into the API's error.
pub fn json_error(path: &str, error: &serde_json::Error) -> WebError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => WebError::bad_request(
            "invalid_json",
            format!("请求不是有效的 JSON：第 {} 行第 {} 列", error.line(), error.column()),
        ),
        Category::Data => {
            let text = error.to_string();
            // For an unknown field the path already ends with its name; for a missing one it does not.
            let at = |name: &str| {
                if path == "." || path == name {
                    name.to_string()
                } else if path.ends_with(&format!(".{name}")) {
                    path.to_string()
                } else {
                    format!("{path}.{name}")
                }
            };
            if let Some(name) = between(&text, "unknown field `", "`") {
                WebError::invalid(at(name), format!("未知字段“{name}”"))
            } else if let Some(name) = between(&text, "missing field `", "`") {
                WebError::invalid(at(name), format!("缺少必填字段“{name}”"))
            } else {
                let detail = text.split(" at line ").next().unwrap_or(&text);
                WebError::invalid(path.trim_start_matches('.'), format!("字段“{path}”的值无效（{detail}）"))
            }
        }
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// Parses JSON bytes into `T`, naming the field at fault. Its text is checked first
/// (`text::check_json`): a string that cannot be stored is refused whatever field it is in.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    let document: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| json_error(".", &e))?;
    super::text::check_json(&document)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| json_error(&e.path().to_string(), e.inner()))?;
    de.end().map_err(|e| json_error(".", &e))?;
    Ok(value)
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if !is_json_content_type(content_type) {
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求内容须为 JSON（Content-Type: application/json）",
            ));
        }
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// An optional JSON body: none at all is fine (`None`); anything sent must be valid JSON.
pub struct MaybeJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MaybeJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(MaybeJson(None));
        }
        if !is_json_content_type(content_type.as_deref()) {
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求内容须为 JSON（Content-Type: application/json）",
            ));
        }
        parse_json(&bytes).map(|v| MaybeJson(Some(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Input {
        #[allow(dead_code)]
        name: String,
        #[allow(dead_code)]
        #[serde(default)]
        order: i64,
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse_json::<Input>(b"{\"name\":1}").err().unwrap();
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (422, Some("name")));
        let e = parse_json::<Input>(b"{\"name\":\"a\",\"colour\":1}").err().unwrap();
        assert_eq!((e.code, e.field.as_deref()), ("invalid_field", Some("colour")));
        let e = parse_json::<Input>(b"{}").err().unwrap();
        assert_eq!(e.field.as_deref(), Some("name"));
        let e = parse_json::<Input>(b"{\"name\":").err().unwrap();
        assert_eq!((e.status.as_u16(), e.code), (400, "invalid_json"));
        let e = parse_json::<Input>(b"{\"name\":\"a\"} x").err().unwrap();
        assert_eq!(e.code, "invalid_json");
        assert!(parse_json::<Input>(b"{\"name\":\"a\",\"order\":2}").is_ok());
    }

    #[test]
    fn content_types() {
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some("application/json; charset=utf-8")));
        assert!(is_json_content_type(Some("application/merge-patch+json")));
        assert!(!is_json_content_type(Some("text/plain")));
        assert!(!is_json_content_type(None));
    }
}
