//! A project as read from the database, with the codes and names of its lead and owner units.

use bangdu_domain::project::{Level, Light, Milestone, Percent, Status, money};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: i64,
    pub year: i64,
    pub level: String,
    pub kind: String,
    pub series: Option<String>,
    pub seq: Option<i64>,
    pub name: String,
    pub owner_unit_id: i64,
    pub lead_unit_id: i64,
    pub manager_unit_id: Option<i64>,
    pub responsible_person: Option<String>,
    pub address: Option<String>,
    pub lat_e6: Option<i64>,
    pub lon_e6: Option<i64>,
    pub target_text: Option<String>,
    pub indicator_value: Option<String>,
    pub indicator_unit: Option<String>,
    pub funds_planned: i64,
    pub funds_allocated: i64,
    pub funds_spent: i64,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub milestones: String,
    pub status: String,
    pub completed_on: Option<NaiveDate>,
    pub actual_progress: i64,
    pub indicator_achieved: Option<String>,
    pub last_reported: Option<String>,
    pub light: String,
    pub light_reason: String,
    pub planned_progress: i64,
    pub completed_early: bool,
    pub lit_on: NaiveDate,
    pub version: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lead_code: String,
    pub lead_name: String,
    pub owner_code: String,
    pub owner_name: String,
}

/// A milestone as stored in the `milestones` JSON column (progress in hundredths of a percent).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredMilestone {
    pub name: String,
    pub date: NaiveDate,
    pub progress: i64,
}

pub fn milestones_json(milestones: &[Milestone]) -> String {
    let stored: Vec<StoredMilestone> = milestones
        .iter()
        .map(|m| StoredMilestone { name: m.name.clone(), date: m.date, progress: m.progress.0 })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

pub fn parse_milestones(json: &str) -> Vec<Milestone> {
    serde_json::from_str::<Vec<StoredMilestone>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|m| Milestone { name: m.name, date: m.date, progress: Percent(m.progress) })
        .collect()
}

impl ProjectRow {
    pub fn milestone_list(&self) -> Vec<Milestone> {
        parse_milestones(&self.milestones)
    }

    pub fn light(&self) -> Light {
        Light::parse(&self.light).unwrap_or(Light::Gray)
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::NotStarted)
    }

    pub fn level(&self) -> Level {
        Level::parse(&self.level).unwrap_or(Level::County)
    }

    pub fn actual(&self) -> Percent {
        Percent(self.actual_progress)
    }

    pub fn planned(&self) -> Percent {
        Percent(self.planned_progress)
    }

    pub fn funds_planned_yuan(&self) -> Decimal {
        money::yuan(self.funds_planned)
    }

    pub fn funds_allocated_yuan(&self) -> Decimal {
        money::yuan(self.funds_allocated)
    }

    pub fn funds_spent_yuan(&self) -> Decimal {
        money::yuan(self.funds_spent)
    }

    /// WGS84 latitude and longitude, when the project has a location.
    pub fn location(&self) -> Option<(f64, f64)> {
        Some((self.lat_e6? as f64 / 1e6, self.lon_e6? as f64 / 1e6))
    }

    /// Whether the project is done (completed, accepted or in use).
    pub fn is_done(&self) -> bool {
        self.status().is_done()
    }
}
