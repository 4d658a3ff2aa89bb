//! Signing in: password check off the async threads, lockout after repeated failures, a fresh
//! session, and an audit event for every attempt, successful or not.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::grants;
use crate::passwords;
use crate::sessions::{self, NewSession};
use crate::time::now;
use crate::users;
use bangdu_domain::UserId;
use chrono::Duration;
use serde_json::json;

/// From the twentieth failed sign-in in a row, from anywhere, the account waits before the next
/// try is checked …
pub const MAX_FAILURES: i64 = 20;

/// … one minute, doubling with each further failure, at most fifteen: a guesser with many
/// addresses is slowed to four tries an hour, while the owner is held up minutes, not locked out
/// (and an administrator can lift the wait at once). A guesser with one address meets the web
/// layer's per-address limits long before this.
pub fn lock_duration(failures: i64) -> Duration {
    let doublings = (failures - MAX_FAILURES).clamp(0, 4) as u32;
    (Duration::minutes(1) * 2i32.pow(doublings)).min(Duration::minutes(15))
}

pub struct SignedIn {
    pub user: UserId,
    pub session: NewSession,
}

/// Where a sign-in attempt comes from, for the session record and the audit log.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

fn attempt_actor(username: &str, user: Option<UserId>, origin: &Origin) -> Actor {
    Actor {
        kind: crate::actor::ActorKind::Person,
        user_id: user,
        // What was typed, cut short: the audit log must show who tried, not store essays.
        username: username.trim().chars().take(64).collect(),
        display_name: String::new(),
        grants: Vec::new(),
        source_ip: origin.ip.clone(),
        via: "session",
    }
}

async fn verify_blocking(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || passwords::verify(&password, &hash))
        .await
        .map_err(|e| StoreError::Internal(format!("password check failed: {e}")))
}

pub async fn sign_in(db: &Db, username: &str, password: &str, origin: &Origin) -> Result<SignedIn> {
    // No account can be named with text a database cannot keep (PostgreSQL refuses NUL outright):
    // such a name is simply unknown, and the attempt is recorded with the name escaped.
    let credentials = if bangdu_domain::text::first_unstorable(username).is_some() {
        None
    } else {
        let mut reader = db.reader().await?;
        users::credentials(&mut reader.conn(), username).await?
    };
    let Some(credentials) = credentials else {
        // Spend the same time as a real check, then record the failed attempt.
        verify_blocking(password.to_string(), passwords::decoy_hash().to_string()).await?;
        let mut tx = db.begin().await?;
        let actor = attempt_actor(username, None, origin);
        audit::append(&mut tx.conn(), &actor, AuditEvent::new("session.sign_in", "session", "-").result("failed"))
            .await?;
        tx.commit().await?;
        return Err(StoreError::InvalidCredentials);
    };
    let user = UserId(credentials.id);
    let actor = attempt_actor(&credentials.username, Some(user), origin);
    if let Some(until) = credentials.locked_until.filter(|until| *until > now()) {
        let mut tx = db.begin().await?;
        audit::append(&mut tx.conn(), &actor, AuditEvent::new("session.sign_in", "session", "-").result("locked"))
            .await?;
        tx.commit().await?;
        return Err(StoreError::AccountLocked { until });
    }
    let matches = verify_blocking(password.to_string(), credentials.password_hash.clone()).await?;
    let mut tx = db.begin().await?;
    let mut c = tx.conn();
    if !matches || !credentials.active {
        let locked = users::register_failure(&mut c, user, MAX_FAILURES, lock_duration).await?;
        let result = if credentials.active { "failed" } else { "inactive" };
        audit::append(&mut c, &actor, AuditEvent::new("session.sign_in", "session", "-").result(result)).await?;
        if let Some(until) = locked {
            audit::append(
                &mut c,
                &actor,
                AuditEvent::new("user.lock", "user", user.0).change(json!({"locked_until": until})),
            )
            .await?;
        }
        tx.commit().await?;
        return Err(StoreError::InvalidCredentials);
    }
    users::register_success(&mut c, user).await?;
    let session = sessions::create(&mut c, user, origin.ip.as_deref(), origin.user_agent.as_deref()).await?;
    let signed_in = Actor { grants: grants::domain_grants(&mut c, user).await?, ..actor };
    audit::append(&mut c, &signed_in, AuditEvent::new("session.sign_in", "session", session.id)).await?;
    tx.commit().await?;
    Ok(SignedIn { user, session })
}
