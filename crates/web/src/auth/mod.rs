//! Authentication: who is asking. A middleware resolves the session cookie or bearer token once per
//! request and stores the result in the request's extensions; the extractors here read it.

pub mod cookies;
pub mod csrf;
mod middleware;
pub mod throttle;

pub use middleware::authenticate;

use crate::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use bangdu_store::Actor;
use bangdu_store::sessions::SessionRow;
use bangdu_store::users::UserRow;
use std::sync::Arc;

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct Authed {
    pub actor: Actor,
    pub user: UserRow,
    /// Set when signed in with the session cookie (the browser), with its CSRF token.
    pub session: Option<SessionRow>,
    /// Set when signed in with a bearer token.
    pub token_id: Option<bangdu_domain::TokenId>,
}

/// What the middleware found: a signed-in user or nobody.
#[derive(Clone, Debug)]
pub struct Auth(pub Option<Arc<Authed>>);

fn from_extensions(parts: &Parts) -> Option<Arc<Authed>> {
    parts.extensions.get::<Auth>().and_then(|a| a.0.clone())
}

/// A signed-in user for an API handler: 401 otherwise. Cookie-authenticated requests that a
/// cross-site form could send must also carry the CSRF token (see `csrf`).
pub struct ApiUser(pub Arc<Authed>);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let authed = from_extensions(parts).ok_or_else(WebError::unauthenticated)?;
        if let Some(session) = &authed.session {
            csrf::check_api_request(parts, &session.csrf_token)?;
        }
        Ok(ApiUser(authed))
    }
}

/// A signed-in user for a page: a redirect to the sign-in page otherwise.
pub struct PageUser(pub Arc<Authed>);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match from_extensions(parts) {
            Some(authed) => Ok(PageUser(authed)),
            None => {
                let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let next: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
                Err(Redirect::to(&format!("/login?next={next}")).into_response())
            }
        }
    }
}

/// Anybody, signed in or not (the sign-in page, public pages).
pub struct MaybeUser(pub Option<Arc<Authed>>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(from_extensions(parts)))
    }
}
