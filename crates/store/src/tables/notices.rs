//! What goes out: the in-app inbox, units' webhooks and the outbox of deliveries.

use bangdu_domain::{ItemId, NotificationId, WebhookId};
use chrono::{DateTime, Utc};

tables! {
    NOTICES;

    "notifications" => Notifications, NotificationRow { key: id, serial: true, backup: true } {
        id: NotificationId,
        user_id: i64,
        kind: String,
        title: String,
        body: Option<String>,
        item_id: Option<ItemId>,
        created_at: DateTime<Utc>,
        read_at: Option<DateTime<Utc>>,
        /// The event a notice is about (`item.assign`, …), so answering it marks it read.
        #[serde(skip)]
        event: Option<String>,
    }

    "unit_webhooks" => UnitWebhooks, WebhookRow { key: id, serial: true, backup: true } {
        id: WebhookId,
        unit_id: i64,
        url: String,
        /// Signs each call (HMAC); shown once, when the webhook is made.
        #[serde(skip)]
        secret: String,
        active: bool,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
    }

    /// The outbox: webhook calls, e-mails and SMS waiting to go out, and their delivery log.
    "deliveries" => Deliveries, DeliveryRow { key: id, serial: true, backup: true } {
        id: i64,
        channel: String,
        target: String,
        webhook_id: Option<WebhookId>,
        subject: Option<String>,
        payload: String,
        status: String,
        attempts: i64,
        next_attempt_at: DateTime<Utc>,
        last_status: Option<i64>,
        last_error: Option<String>,
        created_at: DateTime<Utc>,
        delivered_at: Option<DateTime<Utc>>,
    }
}
