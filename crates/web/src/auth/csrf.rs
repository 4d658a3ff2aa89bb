//! Cross-site request forgery defences.
//!
//! * The session cookie is `SameSite=Lax`: browsers do not send it with cross-site POSTs at all.
//! * Pages: every form carries the session's CSRF token in a hidden field (`csrf_token`), checked
//!   in constant time by `CsrfForm`. The sign-in form uses a pre-session cookie instead.
//! * API with the session cookie: changes coming from another origin are refused. Browsers always
//!   say where a cross-origin POST comes from (`Origin`, and `Sec-Fetch-Site`); a request from
//!   another origin passes only with the session's token in `X-CSRF-Token`.
//! * Bearer tokens are never sent by browsers on their own and need none of this.

use crate::error::WebError;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use subtle::ConstantTimeEq;

pub const HEADER: &str = "x-csrf-token";

/// Where Bangdu is reached, stored in request extensions: the configured public address
/// (`--public-url`), and whether this request came over https (TLS configured, or a trusted
/// proxy's `X-Forwarded-Proto`), so an origin is compared by scheme, host and port.
#[derive(Clone, Debug, Default)]
pub struct PublicOrigin {
    pub url: Option<String>,
    pub https: bool,
}

pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && expected.as_bytes().ct_eq(given.as_bytes()).into()
}

fn failed() -> WebError {
    WebError::new(StatusCode::FORBIDDEN, "csrf_failed", "请求来源校验失败，请刷新页面后重试")
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    match url[scheme_end..].find('/') {
        Some(i) => &url[..scheme_end + i],
        None => url,
    }
}

/// True when the browser tells us the request was made by another site or origin.
pub fn cross_site(headers: &HeaderMap, public: &PublicOrigin) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    if origin == "null" {
        return true;
    }
    if public.url.as_deref().is_some_and(|p| same_origin(origin_of(p), origin)) {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let scheme = if public.https { "https" } else { "http" };
    !same_origin(&format!("{scheme}://{host}"), origin)
}

/// Whether two origins are the same: scheme, host and port, a default port written or not.
fn same_origin(a: &str, b: &str) -> bool {
    fn normal(origin: &str) -> String {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        match origin.split_once("://") {
            Some(("http", rest)) => format!("http://{}", rest.strip_suffix(":80").unwrap_or(rest)),
            Some(("https", rest)) => format!("https://{}", rest.strip_suffix(":443").unwrap_or(rest)),
            _ => origin,
        }
    }
    normal(a) == normal(b)
}

pub fn check_api_request(parts: &Parts, session_csrf: &str) -> Result<(), WebError> {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let public = parts.extensions.get::<PublicOrigin>().cloned().unwrap_or_default();
    if cross_site(&parts.headers, &public) {
        let given = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !tokens_match(session_csrf, given) {
            return Err(failed());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn origins() {
        let none = PublicOrigin::default();
        assert!(!cross_site(&headers(&[("host", "a.gov.cn")]), &none));
        assert!(!cross_site(&headers(&[("host", "a.gov.cn"), ("origin", "http://a.gov.cn")]), &none));
        assert!(cross_site(&headers(&[("host", "a.gov.cn"), ("origin", "https://evil.a.gov.cn")]), &none));
        assert!(cross_site(&headers(&[("host", "a.gov.cn"), ("origin", "null")]), &none));
        assert!(cross_site(&headers(&[("host", "a.gov.cn"), ("sec-fetch-site", "cross-site")]), &none));
        let public = PublicOrigin { url: Some("https://bangdu.gov.cn/".into()), https: false };
        assert!(!cross_site(&headers(&[("host", "10.0.0.5:8080"), ("origin", "https://bangdu.gov.cn")]), &public));
        assert!(!cross_site(&headers(&[("host", "10.0.0.5:8080"), ("origin", "https://bangdu.gov.cn:443")]), &public));
        assert!(cross_site(&headers(&[("host", "10.0.0.5:8080"), ("origin", "http://bangdu.gov.cn")]), &public));
        assert!(cross_site(&headers(&[("host", "10.0.0.5:8080"), ("origin", "https://bangdu.gov.cn:8443")]), &public));
    }

    #[test]
    fn the_scheme_and_port_count_too() {
        let plain = PublicOrigin::default();
        let tls = PublicOrigin { url: None, https: true };
        assert!(!cross_site(&headers(&[("host", "a.gov.cn:8080"), ("origin", "http://a.gov.cn:8080")]), &plain));
        assert!(cross_site(&headers(&[("host", "a.gov.cn:8080"), ("origin", "https://a.gov.cn:8080")]), &plain));
        assert!(cross_site(&headers(&[("host", "a.gov.cn"), ("origin", "http://a.gov.cn:8080")]), &plain));
        assert!(!cross_site(&headers(&[("host", "a.gov.cn"), ("origin", "https://a.gov.cn")]), &tls));
        assert!(cross_site(&headers(&[("host", "a.gov.cn"), ("origin", "http://a.gov.cn")]), &tls));
        assert!(!cross_site(&headers(&[("host", "A.gov.cn:443"), ("origin", "https://a.gov.cn")]), &tls));
    }
}
