//! Typed record ids from the path: `Id(item): Id<ItemId>` for `/items/{id}`, and
//! `Ids(project, file): Ids<ProjectId, FileId>` for `/projects/{id}/files/{file}`. Anything that is
//! not a positive integer answers 404, as a missing record would — never 400 or 500.

use crate::error::WebError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// One id from the path.
#[derive(Clone, Copy, Debug)]
pub struct Id<T>(pub T);

/// Two ids from the path, in their order.
#[derive(Clone, Copy, Debug)]
pub struct Ids<A, B>(pub A, pub B);

/// An id as the server writes it: digits, no sign, no leading zero — so each record has one address
/// (`/items/+1` and `/items/0001` name nothing).
pub fn parse_id(text: &str) -> Option<i64> {
    let canonical = text.starts_with(|c: char| ('1'..='9').contains(&c)) && text.bytes().all(|b| b.is_ascii_digit());
    if !canonical {
        return None;
    }
    text.parse::<i64>().ok().filter(|id| *id > 0)
}

fn typed<T: From<i64>>(text: &str) -> Result<T, WebError> {
    parse_id(text).map(T::from).ok_or_else(WebError::not_found)
}

impl<S: Send + Sync, T: From<i64> + Send> FromRequestParts<S> for Id<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| WebError::not_found())?;
        typed(&raw).map(Id)
    }
}

impl<S: Send + Sync, A: From<i64> + Send, B: From<i64> + Send> FromRequestParts<S> for Ids<A, B> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((a, b)) =
            Path::<(String, String)>::from_request_parts(parts, state).await.map_err(|_| WebError::not_found())?;
        Ok(Ids(typed(&a)?, typed(&b)?))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_positive_integers() {
        assert_eq!(super::parse_id("42"), Some(42));
        for bad in ["0", "-1", "+1", "00000000001", "01", " 1", "1 ", "abc", "1.5", "99999999999999999999", ""] {
            assert_eq!(super::parse_id(bad), None, "{bad}");
        }
    }
}
