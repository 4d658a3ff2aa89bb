//! `GET tokens/{token}.{format}`: the request a token (given when it was posted) became.

use super::format::{Format, Open311Error, Record, list, text};
use crate::state::AppState;
use axum::response::Response;
use bangdu_store::Actor;
use bangdu_store::appeals::public;

pub async fn token(state: &AppState, token: &str, f: Format) -> Result<Response, Open311Error> {
    let mut reader = state.db.reader().await.map_err(|e| Open311Error::internal(f, e))?;
    let found = public::tracked(&mut reader.conn(), &Actor::public(), token)
        .await
        .map_err(|_| Open311Error::new(f, 404, "token not found"))?;
    let record: Record = vec![("service_request_id", text(found.number)), ("token", text(token.to_string()))];
    Ok(list(f, "service_requests", "request", &[record]))
}
