//! Argon2id password hashes (PHC strings). Hashing costs tens of milliseconds of CPU on purpose:
//! call these from `tokio::task::spawn_blocking`, never on the async threads.

use crate::error::{Result, StoreError};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hashes a password with Argon2id and a fresh random salt.
pub fn hash(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))
}

/// True when `password` matches the stored hash. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A real hash of a password nobody has, verified against when the user name is unknown, so that
/// "no such user" takes as long as "wrong password" and user names cannot be probed by timing.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Vh6eV/3s3nqXY1jh9ydT7mLwNEhsGMOgqIcyAnsr5Eo"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("Bangdu@2025").unwrap();
        let b = hash("Bangdu@2025").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("Bangdu@2025", &a));
        assert!(!verify("bangdu@2025", &a));
        assert!(!verify("x", "not a hash"));
        assert!(PasswordHash::new(decoy_hash()).is_ok());
        assert!(!verify("Bangdu@2025", decoy_hash()));
    }
}
