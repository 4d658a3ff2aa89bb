//! `CsrfForm<T>`: a URL-encoded form from a signed-in page, accepted only when its hidden
//! `csrf_token` matches the session's (compared in constant time).

use crate::auth::{Auth, csrf};
use crate::error::WebError;
use crate::error::WebResult;
use crate::extract::json::body_bytes;
use crate::input::fields::Fields;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

pub struct CsrfForm<T>(pub T);

/// A form that is only a button: nothing but its CSRF token.
#[derive(Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf_token: String,
}

pub fn expired() -> WebError {
    WebError::new(StatusCode::FORBIDDEN, "csrf_failed", "页面已过期或来源不明，请返回刷新后重试")
}

/// A `multipart/form-data` form (one that carries a file) from a signed-in page: its parts, once
/// its `csrf_token` part matches the session's.
pub async fn csrf_parts(
    authed: &crate::auth::Authed,
    multipart: axum::extract::Multipart,
) -> WebResult<crate::extract::Parts> {
    let parts = crate::extract::Parts::read(multipart).await?;
    let expected = authed.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("");
    if csrf::tokens_match(expected, parts.fields.get("csrf_token").map(String::as_str).unwrap_or("")) {
        Ok(parts)
    } else {
        Err(expired())
    }
}

/// A URL-encoded form's fields (repeated ones kept in order, for forms with rows), once its
/// `csrf_token` matches the session's.
pub struct CsrfFields(pub Fields);

impl<S: Send + Sync> FromRequest<S> for CsrfFields {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(CsrfFields(Fields::from_urlencoded(&checked_body(req, state).await?)))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = checked_body(req, state).await?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::bad_request("invalid_form", format!("表单内容无效：{e}")))?;
        Ok(CsrfForm(form))
    }
}

/// A same-site form's body, once its `csrf_token` matches the session's.
async fn checked_body<S: Send + Sync>(req: Request, state: &S) -> Result<axum::body::Bytes, WebError> {
    {
        let session_csrf = req
            .extensions()
            .get::<Auth>()
            .and_then(|a| a.0.as_ref())
            .and_then(|a| a.session.as_ref())
            .map(|s| s.csrf_token.clone())
            .ok_or_else(WebError::unauthenticated)?;
        let public = req.extensions().get::<csrf::PublicOrigin>().cloned().unwrap_or_default();
        if csrf::cross_site(req.headers(), &public) {
            return Err(expired());
        }
        let bytes = body_bytes(req, state).await?;
        let token: Token = serde_urlencoded::from_bytes(&bytes).map_err(|_| expired())?;
        if !csrf::tokens_match(&session_csrf, &token.csrf_token) {
            return Err(expired());
        }
        crate::extract::text::check_urlencoded(&bytes)?;
        Ok(bytes)
    }
}
