//! Audit events and the chain's verification as the API and the page show them.

use bangdu_store::audit::{EventRow, VerifyReport};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

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
