//! Text in requests is checked once, where it is decoded: query strings (every route, by
//! [`refuse_unstorable_query`]), JSON bodies, URL-encoded and multipart forms. A NUL, another C0
//! control (tab and newlines aside) or a Unicode noncharacter is refused — 400 naming the query
//! parameter, 422 naming the field — before any handler or the database sees it, so SQLite and
//! PostgreSQL answer alike (PostgreSQL cannot store NUL in text at all).

use crate::error::WebError;
use axum::extract::{FromRequest, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bangdu_domain::text::{escape_unstorable, first_unstorable, refusal};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Middleware: refuses a request whose query string decodes to unstorable text.
pub async fn refuse_unstorable_query(req: Request, next: Next) -> Response {
    match req.uri().query().map(check_query).unwrap_or(Ok(())) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// 400 `invalid_query` naming the first parameter whose name or value cannot be stored.
pub fn check_query(query: &str) -> Result<(), WebError> {
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if let Some(c) = first_unstorable(&name).or_else(|| first_unstorable(&value)) {
            let name = escape_unstorable(&name);
            let mut e = WebError::bad_request("invalid_query", format!("查询参数 {name} {}", refusal(c)));
            e.field = Some(name);
            return Err(e);
        }
    }
    Ok(())
}

/// 422 naming the first form field whose name or value cannot be stored.
pub fn check_fields<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), WebError> {
    for (name, value) in pairs {
        if let Some(c) = first_unstorable(name).or_else(|| first_unstorable(value)) {
            return Err(refused(escape_unstorable(name), c));
        }
    }
    Ok(())
}

/// Checks a URL-encoded body.
pub fn check_urlencoded(bytes: &[u8]) -> Result<(), WebError> {
    let pairs: Vec<_> = form_urlencoded::parse(bytes).collect();
    check_fields(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
}

/// 422 naming the first string of a JSON document (or key) that cannot be stored, by its path as
/// serde names fields: `cooperating_units[1]`, `milestones[0].name`.
pub fn check_json(value: &Value) -> Result<(), WebError> {
    walk(value, &mut String::new())
}

fn walk(value: &Value, path: &mut String) -> Result<(), WebError> {
    match value {
        Value::String(s) => match first_unstorable(s) {
            Some(c) => Err(refused(if path.is_empty() { ".".to_string() } else { path.clone() }, c)),
            None => Ok(()),
        },
        Value::Array(values) => values.iter().enumerate().try_for_each(|(i, v)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let result = walk(v, path);
            path.truncate(len);
            result
        }),
        Value::Object(map) => map.iter().try_for_each(|(key, v)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&escape_unstorable(key));
            let result = match first_unstorable(key) {
                Some(c) => Err(refused(path.clone(), c)),
                None => walk(v, path),
            };
            path.truncate(len);
            result
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn refused(field: String, c: char) -> WebError {
    WebError::invalid(field.clone(), format!("字段“{field}”{}", refusal(c)))
}

/// A URL-encoded form without sign-in (signing in, rating a project): its text checked as above.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = super::json::body_bytes(req, state).await?;
        check_urlencoded(&bytes)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(Form)
            .map_err(|e| WebError::bad_request("invalid_form", format!("表单内容无效：{e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_name_the_parameter() {
        assert!(check_query("q=%E6%99%8B%E6%B1%9F&page=2&kind=").is_ok());
        let e = check_query("kind=%00").unwrap_err();
        assert_eq!((e.status.as_u16(), e.code, e.field.as_deref()), (400, "invalid_query", Some("kind")));
        assert!(e.message.contains("U+0000"), "{}", e.message);
        let e = check_query("q=a%EF%BF%BFb").unwrap_err();
        assert!(e.message.contains("U+FFFF"), "{}", e.message);
        // A bad name is shown escaped, never raw.
        let e = check_query("a%00b=1").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("a\\u{0}b"));
    }

    #[test]
    fn json_names_the_path() {
        let ok: Value = serde_json::json!({"name": "晋江\t市\n", "list": ["a", 1, null], "n": {"x": true}});
        assert!(check_json(&ok).is_ok());
        let bad: Value = serde_json::json!({"cooperating_units": ["JJ-001", "JJ-\u{0}027"]});
        let e = check_json(&bad).unwrap_err();
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (422, Some("cooperating_units[1]")));
        let bad: Value = serde_json::json!({"milestones": [{"name": "a\u{ffff}"}]});
        assert_eq!(check_json(&bad).unwrap_err().field.as_deref(), Some("milestones[0].name"));
        assert_eq!(check_json(&Value::String("\u{1}".into())).unwrap_err().field.as_deref(), Some("."));
    }

    #[test]
    fn forms_name_the_field() {
        assert!(check_urlencoded(b"username=admin&password=a%09b").is_ok());
        let e = check_urlencoded(b"username=a%00b&password=x").unwrap_err();
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (422, Some("username")));
    }
}
