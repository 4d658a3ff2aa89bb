//! An item as read from the database, with the codes and names of its units.

use crate::tables::ItemRecord;
use bangdu_domain::ItemId;
use bangdu_domain::item::{Escalation, ItemState, Priority, Source};
use serde::Serialize;

joined_row! {
    /// An item with the codes and names of its units and the name of its project.
    pub struct ItemRow {
        item: ItemRecord,
        owner_code: Option<String>,
        owner_name: Option<String>,
        responsible_code: Option<String>,
        responsible_name: Option<String>,
        lead_code: Option<String>,
        lead_name: Option<String>,
        /// Whether any item was split off from this one (剥笋), so lists fetch children only when
        /// there are some.
        has_children: bool,
        /// The name of the project the item was raised from (source 项目滞后).
        project_name: Option<String>,
    }
}

impl ItemRow {
    pub fn state(&self) -> ItemState {
        ItemState::parse(&self.state).unwrap_or(ItemState::Draft)
    }

    pub fn source(&self) -> Source {
        Source::parse(&self.source).unwrap_or(Source::Other)
    }

    pub fn priority(&self) -> Priority {
        Priority::parse(&self.priority).unwrap_or(Priority::Normal)
    }

    pub fn escalation(&self) -> Escalation {
        Escalation::from_level(self.escalation)
    }

    pub fn tag_list(&self) -> Vec<String> {
        self.tags
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect()
    }
}

/// A unit linked to an item.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct UnitLink {
    pub item_id: ItemId,
    pub unit_id: i64,
    pub role: String,
    pub code: String,
    pub name: String,
    pub path: String,
}
