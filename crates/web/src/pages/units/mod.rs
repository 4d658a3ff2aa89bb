//! 组织机构 pages: the unit tree, a unit, the create/edit form, activation, CSV import and export,
//! one file per action; this file holds what several of them show (a unit's row, the pickers).

pub mod active;
pub mod edit;
pub mod import;
pub mod list;
pub mod show;

use super::choice::Choice;
use super::view;
use crate::auth::Authed;
use crate::error::WebError;
use crate::state::AppState;
use bangdu_domain::unit::UnitKind;
use bangdu_store::units::{self, Picking, Unit};

pub fn kind_options(selected: &str) -> Vec<Choice> {
    UnitKind::ALL.iter().map(|k| Choice { code: k.code(), label: k.label(), selected: k.code() == selected }).collect()
}

/// A unit as a row of a table.
pub struct UnitLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub indent: i64,
    pub kind: String,
    pub parent: String,
    pub region: String,
    pub active: bool,
}

impl UnitLine {
    fn from(u: &Unit, base_depth: i64) -> UnitLine {
        UnitLine {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            indent: (u.depth - base_depth).clamp(0, 8),
            kind: u.kind_label().to_string(),
            parent: view::or_dash(&u.parent_name),
            region: view::or_dash(&u.region),
            active: u.active,
        }
    }
}

/// A unit for pickers: `<datalist>` options of code and name.
pub struct UnitChoice {
    pub code: String,
    pub label: String,
}

pub async fn choices(state: &AppState, authed: &Authed, picking: Picking) -> Result<Vec<UnitChoice>, WebError> {
    let mut reader = state.db.reader().await?;
    let all = units::pickable(&mut reader.conn(), &authed.actor, picking).await?;
    Ok(all
        .into_iter()
        .map(|u| UnitChoice {
            label: match &u.parent_name {
                Some(parent) => format!("{}（{}）", u.name, parent),
                None => u.name.clone(),
            },
            code: u.code.clone(),
        })
        .collect())
}
