//! 全记录: the audit log, for administrators.

use crate::api::dto::ListOf;
use crate::api::units::{page_request, require};
use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiQuery, parse_opt};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::permission::Permission;
use bangdu_store::audit::{self, EventFilter, EventRow, VerifyReport};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub actor_role: Option<String>,
    pub source_ip: Option<String>,
    /// e.g. `unit.create`, `session.sign_in`.
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// What changed (JSON).
    #[schema(value_type = Object)]
    pub change: serde_json::Value,
    /// `ok`, or why an attempt failed (`failed`, `locked`, …).
    pub result: String,
    pub algorithm: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<EventRow> for EventOut {
    fn from(e: EventRow) -> Self {
        EventOut {
            change: serde_json::from_str(&e.change).unwrap_or(serde_json::Value::String(e.change.clone())),
            seq: e.seq,
            at: e.at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            actor_role: e.actor_role,
            source_ip: e.source_ip,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            result: e.result,
            algorithm: e.algorithm,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Actor's user id.
    pub actor: Option<String>,
    /// An action (`unit.create`) or a prefix ending in `.` (`unit.`).
    pub action: Option<String>,
    /// From this date (YYYY-MM-DD, Beijing time).
    pub since: Option<String>,
    /// Up to and including this date.
    pub until: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn beijing_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(8)
}

pub fn event_filter(q: &EventQuery) -> WebResult<EventFilter> {
    let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let since: Option<NaiveDate> = parse_opt("since", &q.since, "日期（YYYY-MM-DD）")?;
    let until: Option<NaiveDate> = parse_opt("until", &q.until, "日期（YYYY-MM-DD）")?;
    Ok(EventFilter {
        object_type: nonempty(&q.object_type),
        object_id: nonempty(&q.object_id),
        actor_id: parse_opt("actor", &q.actor, "用户编号")?,
        action: nonempty(&q.action),
        since: since.map(beijing_midnight),
        until: until.and_then(|d| d.succ_opt()).map(beijing_midnight),
    })
}

/// Audit events, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/audit/events", tag = "audit", params(EventQuery),
    responses((status = 200, body = ListOf<EventOut>), (status = 403, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> WebResult<Json<ListOf<EventOut>>> {
    require(&authed, Permission::ViewAudit)?;
    let filter = event_filter(&q)?;
    let page = page_request(&q.page, &q.per_page)?;
    let mut reader = state.db.reader().await?;
    let paged = audit::list(&mut reader.conn(), &filter, page).await?;
    Ok(Json(ListOf::from(paged, EventOut::from)))
}

#[derive(Serialize, ToSchema)]
pub struct ChainBreakOut {
    pub seq: i64,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyOut {
    pub ok: bool,
    /// Events checked (up to the first broken one).
    pub events: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<ChainBreakOut>,
}

impl From<VerifyReport> for VerifyOut {
    fn from(r: VerifyReport) -> Self {
        VerifyOut {
            ok: r.ok,
            events: r.events,
            broken: r.broken.map(|b| ChainBreakOut { seq: b.seq, reason: b.reason }),
        }
    }
}

/// Re-walks the hash chain: `{"ok":true,"events":N}`, or the first broken event.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 403, body = ErrorBody)))]
pub async fn verify(State(state): State<AppState>, ApiUser(authed): ApiUser) -> WebResult<Json<VerifyOut>> {
    require(&authed, Permission::ViewAudit)?;
    let report = audit::verify(&state.db).await.map_err(WebError::from)?;
    Ok(Json(report.into()))
}
