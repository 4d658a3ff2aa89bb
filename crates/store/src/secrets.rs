//! Random secrets (session tokens, CSRF tokens, API tokens) and the digests stored in their place.
//! Only digests are stored, so a copy of the database does not let anyone sign in.

use crate::error::{Result, StoreError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, URL-safe base64 (43 characters).
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The digest under which a token is stored and looked up.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A stored secret (a password hash, a token digest): read and written like text, but never
/// printed by `Debug` nor serialised, so a logged or returned row cannot carry it.
#[derive(Clone, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct Secret(pub String);

impl Secret {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<Secret> for sea_query::Value {
    fn from(secret: Secret) -> Self {
        secret.0.into()
    }
}

impl crate::tables::ColumnType for Secret {
    const KIND: crate::tables::Kind = crate::tables::Kind::Text;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret("$argon2id$v=19$m=19456".into())), "Secret(***)");
    }
}
