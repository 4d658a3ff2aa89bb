//! An item as read from the database, with the codes and names of its units.

use bangdu_domain::item::{Escalation, ItemState, Priority, Source};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub source: String,
    pub source_link: Option<String>,
    pub tags: Option<String>,
    pub related_projects: Option<String>,
    pub priority: String,
    pub parent_id: Option<i64>,
    pub owner_unit_id: i64,
    pub responsible_unit_id: Option<i64>,
    pub lead_unit_id: Option<i64>,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub completion_standard: Option<String>,
    pub state: String,
    pub version: i64,
    pub assigned_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub deadline_workdays: Option<i64>,
    pub paused_since: Option<NaiveDate>,
    pub paused_workdays: i64,
    pub ext_deadline: Option<NaiveDate>,
    pub ext_reason: Option<String>,
    pub ext_requested_by: Option<i64>,
    pub escalation: i64,
    pub escalated_on: Option<NaiveDate>,
    pub reopen_count: i64,
    pub close_measures: Option<String>,
    pub close_result: Option<String>,
    pub close_requested_by: Option<i64>,
    pub close_requested_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<i64>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub owner_code: Option<String>,
    pub owner_name: Option<String>,
    pub responsible_code: Option<String>,
    pub responsible_name: Option<String>,
    pub lead_code: Option<String>,
    pub lead_name: Option<String>,
    /// Whether any item was split off from this one (剥笋), so lists fetch children only when
    /// there are some.
    pub has_children: bool,
    /// The project the item was raised from (source 项目滞后), and its name.
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
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
    pub item_id: i64,
    pub unit_id: i64,
    pub role: String,
    pub code: String,
    pub name: String,
    pub path: String,
}
