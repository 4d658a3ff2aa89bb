use super::{Auth, Authed, cookies};
use crate::error::WebError;
use crate::extract::ClientInfo;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bangdu_domain::UserId;
use bangdu_store::time::now;
use bangdu_store::{StoreError, sessions, tokens, users};
use std::sync::Arc;

/// Resolves the caller once per request (bearer token first, then the session cookie) and records
/// where the request came from.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let client = ClientInfo::from_parts(&parts, state.config.trust_proxy);
    let authed = match resolve(&state, &parts.headers, &client).await {
        Ok(authed) => authed,
        Err(e) => return WebError::from(e).into_response(),
    };
    parts.extensions.insert(client);
    let https = super::cookies::secure(&parts.headers, state.config.secure_cookies, state.config.trust_proxy);
    parts.extensions.insert(super::csrf::PublicOrigin { url: state.config.public_url.clone(), https });
    parts.extensions.insert(Auth(authed.map(Arc::new)));
    next.run(Request::from_parts(parts, body)).await
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

async fn resolve(state: &AppState, headers: &HeaderMap, client: &ClientInfo) -> Result<Option<Authed>, StoreError> {
    let at = now();
    if let Some(token) = bearer(headers) {
        let mut reader = state.db.reader().await?;
        let Some(row) = tokens::find_valid(&mut reader.conn(), token, at).await? else { return Ok(None) };
        let Some((actor, user)) =
            users::session_user(&mut reader.conn(), UserId(row.user_id), client.ip.clone(), "token").await?
        else {
            return Ok(None);
        };
        drop(reader);
        if row.last_used_at.is_none_or(|used| at - used >= sessions::TOUCH_INTERVAL) {
            let mut tx = state.db.begin().await?;
            tokens::touch(&mut tx.conn(), row.id, at).await?;
            tx.commit().await?;
        }
        return Ok(Some(Authed { actor, user, session: None, token_id: Some(row.id) }));
    }
    let Some(token) = cookies::read(headers, cookies::SESSION) else { return Ok(None) };
    let mut reader = state.db.reader().await?;
    let Some(session) = sessions::find_valid(&mut reader.conn(), &token, at).await? else { return Ok(None) };
    let Some((actor, user)) =
        users::session_user(&mut reader.conn(), UserId(session.user_id), client.ip.clone(), "session").await?
    else {
        return Ok(None);
    };
    drop(reader);
    if session.needs_touch(at) {
        let mut tx = state.db.begin().await?;
        sessions::touch(&mut tx.conn(), session.id, at).await?;
        tx.commit().await?;
    }
    Ok(Some(Authed { actor, user, session: Some(session), token_id: None }))
}
