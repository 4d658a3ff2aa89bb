//! Server-side sessions: the cookie holds a random token, the database holds its digest. Sessions
//! live in the database, so any node of a cluster can serve any request and sign-out is immediate.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::secrets::{Secret, random_token, token_digest};
pub use crate::tables::SessionRow;
use crate::tables::Sessions;
use crate::time::now;
use bangdu_domain::{SessionId, UserId};
use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, Order, Query};

/// Signed out after 30 minutes without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// Signed out 12 hours after signing in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, not on every request.
pub const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// A new session: the token goes into the cookie and is never stored.
pub struct NewSession {
    pub id: SessionId,
    pub token: String,
    pub csrf_token: String,
}

impl SessionRow {
    pub fn is_valid(&self, at: DateTime<Utc>) -> bool {
        at < self.expires_at && at - self.last_seen_at < IDLE_TIMEOUT
    }

    pub fn needs_touch(&self, at: DateTime<Utc>) -> bool {
        at - self.last_seen_at >= TOUCH_INTERVAL
    }
}

pub async fn create(
    c: &mut Conn<'_>,
    user: UserId,
    source_ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<NewSession> {
    let token = random_token()?;
    let csrf_token = random_token()?;
    let at = now();
    let agent: Option<String> = user_agent.map(|a| a.chars().take(200).collect());
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: SessionId,
    }
    let session = SessionRow {
        id: SessionId(0),
        token_hash: Secret(token_digest(&token)),
        user_id: user.0,
        csrf_token: csrf_token.clone(),
        created_at: at,
        last_seen_at: at,
        expires_at: at + ABSOLUTE_TIMEOUT,
        source_ip: source_ip.map(str::to_string),
        user_agent: agent,
    };
    let inserted: Inserted = c.fetch_one(session.insert().returning_col(Sessions::Id)).await?;
    Ok(NewSession { id: inserted.id, token, csrf_token })
}

/// The session a cookie token names, if it has neither idled out nor expired.
pub async fn find_valid(c: &mut Conn<'_>, token: &str, at: DateTime<Utc>) -> Result<Option<SessionRow>> {
    let row: Option<SessionRow> = c
        .fetch_optional(
            Query::select()
                .columns(Sessions::COLUMNS.iter().copied())
                .from(Sessions::Table)
                .and_where(Expr::col(Sessions::TokenHash).eq(token_digest(token))),
        )
        .await?;
    Ok(row.filter(|s| s.is_valid(at)))
}

pub async fn touch(c: &mut Conn<'_>, id: SessionId, at: DateTime<Utc>) -> Result<()> {
    c.execute(
        Query::update()
            .table(Sessions::Table)
            .value(Sessions::LastSeenAt, at)
            .and_where(Expr::col(Sessions::Id).eq(id)),
    )
    .await?;
    Ok(())
}

/// A user's sessions that are still valid, newest first.
pub async fn list_for_user(c: &mut Conn<'_>, user: UserId) -> Result<Vec<SessionRow>> {
    let at = now();
    let rows: Vec<SessionRow> = c
        .fetch_all(
            Query::select()
                .columns(Sessions::COLUMNS.iter().copied())
                .from(Sessions::Table)
                .and_where(Expr::col(Sessions::UserId).eq(user.0))
                .order_by(Sessions::CreatedAt, Order::Desc),
        )
        .await?;
    Ok(rows.into_iter().filter(|s| s.is_valid(at)).collect())
}

/// Ends one of the actor's own sessions (sign-out, or "end that session" from the list).
pub async fn end_own(c: &mut Conn<'_>, actor: &Actor, session_id: SessionId, reason: &'static str) -> Result<()> {
    let user = actor.user_id.ok_or(StoreError::Forbidden)?;
    let deleted = c
        .execute(
            Query::delete()
                .from_table(Sessions::Table)
                .and_where(Expr::col(Sessions::Id).eq(session_id))
                .and_where(Expr::col(Sessions::UserId).eq(user.0)),
        )
        .await?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(c, actor, AuditEvent::new(reason, "session", session_id)).await?;
    Ok(())
}

pub async fn end_all_for_user(c: &mut Conn<'_>, user: UserId) -> Result<u64> {
    end_all_for_user_except(c, user, None).await
}

pub async fn end_all_for_user_except(c: &mut Conn<'_>, user: UserId, keep: Option<SessionId>) -> Result<u64> {
    let mut delete = Query::delete();
    delete.from_table(Sessions::Table).and_where(Expr::col(Sessions::UserId).eq(user.0));
    if let Some(keep) = keep {
        delete.and_where(Expr::col(Sessions::Id).ne(keep));
    }
    c.execute(&delete).await
}

/// Deletes sessions that can no longer be used (housekeeping; not a change to any record).
pub async fn purge_expired(c: &mut Conn<'_>) -> Result<u64> {
    let at = now();
    c.execute(
        Query::delete().from_table(Sessions::Table).cond_where(
            sea_query::Cond::any()
                .add(Expr::col(Sessions::ExpiresAt).lte(at))
                .add(Expr::col(Sessions::LastSeenAt).lte(at - IDLE_TIMEOUT)),
        ),
    )
    .await
}
