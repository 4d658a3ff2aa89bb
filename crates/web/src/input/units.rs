//! Units as people send them: the list's filters, a new unit and a change, from the API's JSON or
//! the pages' form, each made into the store's command in one place.

use crate::error::{WebError, WebResult};
use crate::extract::parse_bool;
use crate::input::serde_helpers::double_option;
use bangdu_domain::unit::UnitKind;
use bangdu_store::unit_input;
use bangdu_store::units::{self, NewUnit, UnitChanges, UnitFilter};
use bangdu_store::{Actor, Conn};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

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

/// A new unit as the API sends it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitCreate {
    /// Letters, digits, `-`, `_`, `.`; unique.
    pub code: String,
    pub name: String,
    /// Kind code (`town`) or Chinese name (`乡镇`).
    pub kind: String,
    /// The parent unit's code; omitted for a root (administrators of everything only).
    pub parent: Option<String>,
    /// 行政区划代码, 6, 9 or 12 digits.
    pub region: Option<String>,
    pub sort_order: Option<i64>,
}

impl UnitCreate {
    /// The store's command: the parent found among the units the actor manages, then each field
    /// checked in the form's order.
    pub async fn into_command(self, c: &mut Conn<'_>, actor: &Actor) -> WebResult<NewUnit> {
        let parent = match self.parent.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(code) => Some(units::resolve_to_manage(c, actor, "parent", code).await?.unit_id()),
            None => None,
        };
        Ok(unit_input::new_unit(
            &self.code,
            &self.name,
            &self.kind,
            self.region.as_deref().unwrap_or(""),
            parent,
            self.sort_order.unwrap_or(0),
        )?)
    }
}

/// A change to a unit as the API sends it; what is absent stays.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// `null` clears the region.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub region: Option<Option<String>>,
    pub sort_order: Option<i64>,
    /// Moves the unit under the unit with this code; `null` makes it a root.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    /// The version you read; a stale one answers 409 `version_conflict`.
    pub version: Option<i64>,
}

impl UnitPatch {
    pub async fn into_command(self, c: &mut Conn<'_>, actor: &Actor) -> WebResult<UnitChanges> {
        let parent = match self.parent {
            Some(Some(code)) => Some(Some(units::resolve_to_manage(c, actor, "parent", &code).await?.unit_id())),
            Some(None) => Some(None),
            None => None,
        };
        Ok(UnitChanges {
            code: self.code.as_deref().map(unit_input::code).transpose()?,
            name: self.name.as_deref().map(unit_input::name).transpose()?,
            kind: self.kind.as_deref().map(unit_input::kind).transpose()?,
            region: match self.region {
                Some(Some(r)) => Some(unit_input::region(&r)?),
                Some(None) => Some(None),
                None => None,
            },
            sort_order: self.sort_order,
            parent,
            version: self.version,
        })
    }
}

/// The unit form of the pages: every field as text.
#[derive(Deserialize, Default, Clone)]
pub struct UnitForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub sort_order: String,
    #[serde(default)]
    pub version: String,
}

impl UnitForm {
    fn sort_order(&self) -> WebResult<i64> {
        match self.sort_order.trim() {
            "" => Ok(0),
            text => text.parse().map_err(|_| WebError::invalid("sort_order", "排序号应为整数")),
        }
    }

    /// The form as the API's new unit. The sort order is read first, as the form shows it last but
    /// a number that is not one cannot wait for the store.
    pub fn to_create(&self) -> WebResult<UnitCreate> {
        Ok(UnitCreate {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            parent: Some(self.parent.clone()),
            region: Some(self.region.clone()),
            sort_order: Some(self.sort_order()?),
        })
    }

    /// The form as a change to `current`: every field is sent, and only a changed parent is a move
    /// (the current parent may lie outside the editor's scope).
    pub fn to_patch(&self, current_parent: Option<&str>) -> WebResult<UnitPatch> {
        let parent = match self.parent.trim() {
            p if p == current_parent.unwrap_or("") => None,
            "" => Some(None),
            p => Some(Some(p.to_string())),
        };
        Ok(UnitPatch {
            code: Some(self.code.clone()),
            name: Some(self.name.clone()),
            kind: Some(self.kind.clone()),
            region: Some(Some(self.region.clone())),
            sort_order: Some(self.sort_order()?),
            parent,
            version: self.version.trim().parse().ok(),
        })
    }
}
