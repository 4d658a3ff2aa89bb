//! The outbox: webhook calls, e-mails and SMS to send, and the log of how each went. Rows are
//! written in the transaction of the change that causes them; a sender (in the `bangdu` binary)
//! claims due rows, sends, and records the result, retrying with exponential back-off.
//!
//! Claiming is an update guarded by the row's `next_attempt_at`, so when several nodes send, each
//! row is taken by one of them; a crashed sender's claim lapses after five minutes.

use crate::db::Conn;
use crate::error::Result;
use crate::settings;
use crate::tables::Deliveries;
pub use crate::tables::DeliveryRow;
use crate::time::now;
use bangdu_domain::WebhookId;
use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::Value;

/// After this many failed attempts a delivery is given up (marked `failed`).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claim lasts before another sender may take the row.
pub const CLAIM: Duration = Duration::minutes(5);

#[derive(Clone, Debug)]
pub enum Outgoing {
    Webhook { webhook_id: WebhookId, url: String, secret: String, payload: Value },
    Email { to: String, subject: String, body: String },
    Sms { to: String, text: String },
}

/// Which channels are configured (in 系统设置).
#[derive(Clone, Debug, Default)]
pub struct Channels {
    pub email: bool,
    pub sms: bool,
}

impl Channels {
    pub async fn load(c: &mut Conn<'_>) -> Result<Channels> {
        let set = |v: Value| v.as_str().is_some_and(|s| !s.trim().is_empty());
        Ok(Channels {
            email: set(settings::get(c, settings::SMTP_HOST).await?),
            sms: set(settings::get(c, settings::SMS_URL).await?),
        })
    }
}

pub async fn enqueue(c: &mut Conn<'_>, outgoing: Vec<Outgoing>) -> Result<()> {
    if outgoing.is_empty() {
        return Ok(());
    }
    let at = now();
    let columns = Deliveries::insert_columns();
    let mut insert = Query::insert();
    insert.into_table(Deliveries::Table).columns(columns.clone());
    for out in outgoing {
        let (channel, target, webhook_id, subject, payload) = match out {
            // The secret stays with the webhook; the sender looks it up when signing.
            Outgoing::Webhook { webhook_id, url, secret: _, payload } => {
                ("webhook", url, Some(webhook_id), None, payload.to_string())
            }
            Outgoing::Email { to, subject, body } => ("email", to, None, Some(subject), body),
            Outgoing::Sms { to, text } => ("sms", to, None, None, text),
        };
        let row = DeliveryRow {
            id: 0,
            channel: channel.into(),
            target,
            webhook_id,
            subject,
            payload,
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: at,
            last_status: None,
            last_error: None,
            created_at: at,
            delivered_at: None,
        };
        insert.values_panic(row.values(&columns));
    }
    c.execute(&insert).await?;
    Ok(())
}

/// Due deliveries (pending, next attempt reached), oldest first.
pub async fn due(c: &mut Conn<'_>, at: DateTime<Utc>, limit: u64) -> Result<Vec<DeliveryRow>> {
    c.fetch_all(
        Query::select()
            .columns(Deliveries::COLUMNS.iter().copied())
            .from(Deliveries::Table)
            .and_where(Expr::col(Deliveries::Status).eq("pending"))
            .and_where(Expr::col(Deliveries::NextAttemptAt).lte(at))
            .order_by(Deliveries::NextAttemptAt, Order::Asc)
            .limit(limit),
    )
    .await
}

/// Takes a due row for sending; false when another sender took it first.
pub async fn claim(c: &mut Conn<'_>, row: &DeliveryRow, at: DateTime<Utc>) -> Result<bool> {
    let n = c
        .execute(
            Query::update()
                .table(Deliveries::Table)
                .value(Deliveries::NextAttemptAt, at + CLAIM)
                .and_where(Expr::col(Deliveries::Id).eq(row.id))
                .and_where(Expr::col(Deliveries::Status).eq("pending"))
                .and_where(Expr::col(Deliveries::NextAttemptAt).eq(row.next_attempt_at)),
        )
        .await?;
    Ok(n == 1)
}

/// The wait before attempt `n + 1`: 1, 2, 4, … minutes, at most six hours.
pub fn backoff(attempts: i64) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(0, 9)).min(Duration::hours(6))
}

/// Records the result of an attempt.
pub async fn record(
    c: &mut Conn<'_>,
    row: &DeliveryRow,
    outcome: std::result::Result<i64, (Option<i64>, String)>,
) -> Result<()> {
    let at = now();
    let attempts = row.attempts + 1;
    let mut update = Query::update();
    update
        .table(Deliveries::Table)
        .value(Deliveries::Attempts, attempts)
        .and_where(Expr::col(Deliveries::Id).eq(row.id));
    match outcome {
        Ok(status) => {
            update
                .value(Deliveries::Status, "delivered")
                .value(Deliveries::LastStatus, status)
                .value(Deliveries::LastError, Option::<String>::None)
                .value(Deliveries::DeliveredAt, at);
        }
        Err((status, error)) => {
            let gave_up = attempts >= MAX_ATTEMPTS;
            update
                .value(Deliveries::Status, if gave_up { "failed" } else { "pending" })
                .value(Deliveries::LastStatus, status)
                .value(Deliveries::LastError, error.chars().take(500).collect::<String>())
                .value(Deliveries::NextAttemptAt, at + backoff(attempts));
        }
    }
    c.execute(&update).await?;
    Ok(())
}

/// The delivery log of one webhook, newest first.
pub async fn for_webhook(c: &mut Conn<'_>, webhook: WebhookId, limit: u64) -> Result<Vec<DeliveryRow>> {
    c.fetch_all(
        Query::select()
            .columns(Deliveries::COLUMNS.iter().copied())
            .from(Deliveries::Table)
            .and_where(Expr::col(Deliveries::WebhookId).eq(webhook))
            .order_by(Deliveries::Id, Order::Desc)
            .limit(limit),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(1), Duration::minutes(2));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(9), Duration::hours(6));
        assert_eq!(backoff(40), Duration::hours(6));
    }
}
