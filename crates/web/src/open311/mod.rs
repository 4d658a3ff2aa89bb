//! Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), served exactly: `discovery`,
//! `services`, `services/{code}`, `requests` (GET and POST), `requests/{id}` and `tokens/{token}`,
//! each as `.json` or `.xml` with the spec's element names. Errors are the spec's list of
//! `{code, description}` with the HTTP status as the code. Services are the appeal categories;
//! requests are appeals, read as the public (never who appealed). Posting needs an API key the
//! administrator issued; reading does not.

pub mod discovery;
pub mod format;
pub mod requests;
pub mod services;
pub mod tokens;

use format::{Format, Open311Error};

/// Splits `requests.json` into (`requests`, format); a name without a suffix is JSON.
pub fn split(file: &str) -> Result<(&str, Format), Open311Error> {
    match file.rsplit_once('.') {
        Some((stem, "json")) => Ok((stem, Format::Json)),
        Some((stem, "xml")) => Ok((stem, Format::Xml)),
        Some((_, other)) => Err(Open311Error::new(Format::Json, 404, format!("unsupported format: {other}"))),
        None => Ok((file, Format::Json)),
    }
}

/// Reads a jurisdiction_id: absent, or a region code one of our units has.
pub async fn jurisdiction(
    state: &crate::state::AppState,
    given: Option<&str>,
    f: Format,
) -> Result<Option<String>, Open311Error> {
    let Some(id) = given.map(str::trim).filter(|j| !j.is_empty()) else { return Ok(None) };
    let mut reader = state.db.reader().await.map_err(|e| Open311Error::internal(f, e))?;
    let known = bangdu_store::appeals::places::is_jurisdiction(&mut reader.conn(), id)
        .await
        .map_err(|e| Open311Error::internal(f, e))?;
    if known { Ok(Some(id.to_string())) } else { Err(Open311Error::new(f, 404, "jurisdiction_id not found")) }
}

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

fn answer(result: Result<Response, Open311Error>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /open311/v2/{discovery|services|requests}.{format}`.
pub async fn get_root(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    answer(
        async {
            let (stem, f) = split(&file)?;
            match stem {
                "discovery" => Ok(discovery::discovery(&state, f).await),
                "services" => services::services(&state, f).await,
                "requests" => requests::search(&state, &q, f).await,
                _ => Err(Open311Error::new(f, 404, "not found")),
            }
        }
        .await,
    )
}

/// `POST /open311/v2/requests.{format}`.
pub async fn post_root(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(
        async {
            let (stem, f) = split(&file)?;
            match stem {
                "requests" => requests::create(&state, &headers, body, f).await,
                _ => Err(Open311Error::new(f, 404, "not found")),
            }
        }
        .await,
    )
}

/// `GET /open311/v2/services/{service_code}.{format}`.
pub async fn get_service(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    answer(
        async {
            let (code, f) = split(&file)?;
            services::definition(&state, code, f).await
        }
        .await,
    )
}

/// `GET /open311/v2/requests/{service_request_id}.{format}`.
pub async fn get_request(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    answer(
        async {
            let (id, f) = split(&file)?;
            requests::one(&state, id, f).await
        }
        .await,
    )
}

/// `GET /open311/v2/tokens/{token}.{format}`.
pub async fn get_token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    answer(
        async {
            let (token, f) = split(&file)?;
            tokens::token(&state, token, f).await
        }
        .await,
    )
}
