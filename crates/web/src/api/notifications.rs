//! The inbox (站内通知), unit webhooks with their delivery logs, and running the escalation job.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery, Id, MaybeJson, parse_bool};
use crate::input::page_request;
use crate::output::ListOf;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bangdu_domain::{NotificationId, WebhookId};
use bangdu_domain::{UnitId, UserId};
use bangdu_store::deliveries::{self, DeliveryRow};
use bangdu_store::items::escalate;
use bangdu_store::items::notify::Kind;
use bangdu_store::{inbox, webhooks};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct NotificationOut {
    pub id: i64,
    /// `todo` 待办, `urge` 催办, `returned` 退回, `due` 到期, `info` 通知.
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub body: Option<String>,
    pub item_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl From<inbox::NotificationRow> for NotificationOut {
    fn from(n: inbox::NotificationRow) -> Self {
        NotificationOut {
            kind_label: Kind::parse(&n.kind).map(Kind::label).unwrap_or("通知").to_string(),
            id: i64::from(n.id),
            kind: n.kind,
            title: n.title,
            body: n.body,
            item_id: n.item_id.map(i64::from),
            created_at: n.created_at,
            read: n.read_at.is_some(),
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `true`: only unread.
    pub unread: Option<String>,
    pub kind: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// The signed-in user's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = ListOf<NotificationOut>)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> WebResult<Json<ListOf<NotificationOut>>> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(Kind::parse(k).ok_or_else(|| WebError::invalid("kind", format!("未知通知类型“{k}”")))?.code()),
        None => None,
    };
    let page = page_request(&q.page, &q.per_page)?;
    let mut reader = state.db.reader().await?;
    let unread = parse_bool("unread", &q.unread)?.unwrap_or(false);
    let paged = inbox::list(&mut reader.conn(), UserId(authed.user.id), unread, kind, page).await?;
    Ok(Json(ListOf::from(paged, NotificationOut::from)))
}

#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    pub unread: i64,
    /// Unread by kind.
    pub by_kind: BTreeMap<String, i64>,
}

/// Unread counts (for the badge in the top bar).
#[utoipa::path(get, path = "/api/v1/notifications/counts", tag = "notifications", responses((status = 200, body = CountsOut)))]
pub async fn notification_counts(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
) -> WebResult<Json<CountsOut>> {
    let mut reader = state.db.reader().await?;
    let by_kind = inbox::unread_counts(&mut reader.conn(), UserId(authed.user.id)).await?;
    Ok(Json(CountsOut { unread: by_kind.values().sum(), by_kind }))
}

/// Marks a notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn read_notification(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<NotificationId>,
) -> WebResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    inbox::mark_read(&mut tx.conn(), UserId(authed.user.id), id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MarkedOut {
    pub marked: u64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadMany {
    /// The notifications to mark read (yours; others' ids are ignored), at most 500.
    #[schema(value_type = Vec<i64>)]
    pub ids: Vec<NotificationId>,
}

/// Marks the chosen notifications read (批量已读).
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = ReadMany,
    responses((status = 200, body = MarkedOut), (status = 422, body = ErrorBody)))]
pub async fn read_many(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<ReadMany>,
) -> WebResult<Json<MarkedOut>> {
    let mut tx = state.db.begin().await?;
    let marked = inbox::mark_many_read(&mut tx.conn(), UserId(authed.user.id), &body.ids).await?;
    tx.commit().await?;
    Ok(Json(MarkedOut { marked }))
}

/// Marks every notification read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", responses((status = 200, body = MarkedOut)))]
pub async fn read_all(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<MarkedOut>> {
    let mut tx = state.db.begin().await?;
    let marked = inbox::mark_all_read(&mut tx.conn(), UserId(authed.user.id), None).await?;
    tx.commit().await?;
    Ok(Json(MarkedOut { marked }))
}

#[derive(Serialize, ToSchema)]
pub struct WebhookOut {
    pub id: i64,
    pub unit_id: i64,
    pub url: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Only when created: the HMAC key (header `X-Bangdu-Signature: sha256=<hex>` of the body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

fn webhook_out(w: webhooks::WebhookRow, with_secret: bool) -> WebhookOut {
    WebhookOut {
        secret: with_secret.then(|| w.secret.clone()),
        id: i64::from(w.id),
        unit_id: w.unit_id,
        url: w.url,
        active: w.active,
        created_at: w.created_at,
    }
}

/// A unit's webhooks (administrators and offices in scope).
#[utoipa::path(get, path = "/api/v1/units/{id}/webhooks", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<WebhookOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unit_webhooks(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
) -> WebResult<Json<Vec<WebhookOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = webhooks::list(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(rows.into_iter().map(|w| webhook_out(w, false)).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    /// Where to POST notices about the unit's items.
    pub url: String,
}

/// Adds a webhook to a unit; the answer carries its secret, shown only this once.
#[utoipa::path(post, path = "/api/v1/units/{id}/webhooks", tag = "notifications", params(("id" = i64, Path)), request_body = WebhookCreate,
    responses((status = 201, body = WebhookOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<UnitId>,
    ApiJson(body): ApiJson<WebhookCreate>,
) -> WebResult<(StatusCode, Json<WebhookOut>)> {
    let mut tx = state.db.begin().await?;
    let row = webhooks::create(&mut tx.conn(), &authed.actor, id, &body.url).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(webhook_out(row, true))))
}

/// Switches a webhook off.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<WebhookId>,
) -> WebResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    webhooks::deactivate(&mut tx.conn(), &authed.actor, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryOut {
    pub id: i64,
    pub channel: String,
    pub target: String,
    /// `pending`, `delivered`, `failed` (gave up after 8 attempts).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for DeliveryOut {
    fn from(d: DeliveryRow) -> Self {
        DeliveryOut {
            payload: serde_json::from_str(&d.payload).unwrap_or(serde_json::Value::String(d.payload.clone())),
            id: d.id,
            channel: d.channel,
            target: d.target,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// The delivery log of a webhook, newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DeliveryOut>), (status = 404, body = ErrorBody)))]
pub async fn webhook_deliveries(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<WebhookId>,
) -> WebResult<Json<Vec<DeliveryOut>>> {
    let mut reader = state.db.reader().await?;
    webhooks::get(&mut reader.conn(), &authed.actor, id).await?;
    let rows = deliveries::for_webhook(&mut reader.conn(), id, 200).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EscalationRun {
    /// The day to run for: today by default, or a past day the job missed; never a day to come.
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    /// Run even if the day's run was already claimed (it changes nothing that is already raised).
    #[serde(default)]
    pub force: bool,
}

/// Runs the escalation job now (administrators). It also runs by itself every day.
#[utoipa::path(post, path = "/api/v1/jobs/escalation", tag = "items", request_body = EscalationRun,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, description = "`date` after today", body = ErrorBody)))]
pub async fn run_escalation(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    MaybeJson(body): MaybeJson<EscalationRun>,
) -> WebResult<Json<escalate::Report>> {
    let body = body.unwrap_or_default();
    let node = format!("api:{}", authed.user.username);
    let today = state.today();
    let report = escalate::run(&state.db, &authed.actor, body.date.unwrap_or(today), today, &node, body.force).await?;
    Ok(Json(report))
}
