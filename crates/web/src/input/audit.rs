//! The audit log's filters (`/api/v1/audit` and 审计日志).

use crate::error::WebResult;
use crate::extract::parse_opt;
use bangdu_store::audit::EventFilter;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

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
