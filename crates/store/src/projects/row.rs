//! A project as read from the database, with the codes and names of its lead and owner units.

use crate::tables::ProjectRecord;
use bangdu_domain::project::{Level, Light, Milestone, Percent, Status, money};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

joined_row! {
    /// A project with the codes and names of its lead and owner units.
    pub struct ProjectRow {
        project: ProjectRecord,
        lead_code: String,
        lead_name: String,
        owner_code: String,
        owner_name: String,
    }
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
