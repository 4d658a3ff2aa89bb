//! The cookies Bangdu sets: the session (HttpOnly, SameSite=Lax, Secure over TLS) and a
//! short-lived pre-sign-in CSRF cookie for the sign-in form.

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

pub const SESSION: &str = "bangdu_session";
pub const LOGIN_CSRF: &str = "bangdu_login_csrf";

pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers).get(name).map(|c| c.value().to_string())
}

/// A cookie only the server reads, sent back only by same-site navigation.
pub fn build(name: &'static str, value: String, secure: bool, max_age_secs: Option<i64>) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(secure);
    if let Some(age) = max_age_secs {
        cookie = cookie.max_age(time_duration(age));
    }
    cookie.build()
}

/// A cookie that deletes `name` in the browser.
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    build(name, String::new(), secure, Some(0))
}

fn time_duration(secs: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(secs)
}

/// Whether this request arrived over TLS (directly, or via a trusted proxy that says so).
pub fn secure(headers: &HeaderMap, configured: bool, trust_proxy: bool) -> bool {
    configured
        || (trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.eq_ignore_ascii_case("https")))
}
