//! `Id`: a record id from the path. Anything that is not a positive integer answers 404, as a
//! missing record would — never 400 or 500.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

#[derive(Clone, Copy, Debug)]
pub struct Id(pub i64);

pub fn parse_id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|id| *id > 0)
}

/// Two ids from a path such as `/projects/{id}/files/{file}`; 404 unless both are ids.
pub fn two_ids(a: &str, b: &str) -> Result<(i64, i64), ApiError> {
    match (parse_id(a), parse_id(b)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(ApiError::not_found()),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::not_found())?;
        parse_id(&raw).map(Id).ok_or_else(ApiError::not_found)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_positive_integers() {
        assert_eq!(super::parse_id("42"), Some(42));
        for bad in ["0", "-1", "abc", "1.5", "99999999999999999999", ""] {
            assert_eq!(super::parse_id(bad), None, "{bad}");
        }
    }
}
