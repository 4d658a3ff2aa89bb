//! Units as people ask for them: the list's filters.

use crate::error::WebResult;
use crate::extract::parse_bool;
use bangdu_domain::unit::UnitKind;
use bangdu_store::units::{self, UnitFilter};
use bangdu_store::{Actor, Conn};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Name or code contains this text.
    pub q: Option<String>,
    /// Unit kind code or Chinese name.
    pub kind: Option<String>,
    /// Direct children of this unit (id or code).
    pub parent: Option<String>,
    /// This unit and everything below it (id or code).
    pub under: Option<String>,
    pub active: Option<String>,
    /// Region code prefix.
    pub region: Option<String>,
    /// `tree` (default), `code`, `name` or `updated`.
    pub sort: Option<String>,
    pub page: Option<String>,
    /// 1–500, default 20.
    pub per_page: Option<String>,
}

/// The filter a unit list asks for; units it names must be visible to the actor.
pub async fn unit_filter(c: &mut Conn<'_>, actor: &Actor, q: &UnitQuery) -> WebResult<UnitFilter> {
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(UnitKind::parse_field("kind", k)?),
        None => None,
    };
    let mut filter = UnitFilter {
        q: q.q.clone(),
        kind,
        active: parse_bool("active", &q.active)?,
        region: q.region.clone().filter(|r| !r.trim().is_empty()),
        ..UnitFilter::default()
    };
    if let Some(p) = q.parent.as_deref().filter(|p| !p.trim().is_empty()) {
        filter.parent = Some(units::resolve(c, actor, "parent", p).await?.unit_id());
    }
    if let Some(u) = q.under.as_deref().filter(|u| !u.trim().is_empty()) {
        filter.under = Some(units::resolve(c, actor, "under", u).await?.unit_id());
    }
    Ok(filter)
}
