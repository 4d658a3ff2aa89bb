//! A project, a monthly report and an operating check as the API sends them: JSON in which numbers
//! may arrive as numbers or as text ("3520万", "62.5%"). These types carry the API's documentation;
//! each becomes the store's input unchanged, and the store checks it (as it checks a row of an
//! imported table or a page's form).

use crate::input::serde_helpers::loose_text;
use bangdu_store::projects::checks::CheckInput;
use bangdu_store::projects::input::{MilestoneInput, ProjectInput};
use bangdu_store::projects::reports::ReportInput;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MilestoneInput)]
pub struct MilestoneBody {
    /// 节点名称, e.g. 完成设计.
    pub name: String,
    /// Planned date, YYYY-MM-DD.
    pub date: String,
    /// Planned cumulative progress in percent (0–100).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = f64)]
    pub progress: Option<String>,
}

/// A project as sent to `POST /api/v1/projects` (and `PUT` to change it). Amounts are in 元
/// (numbers or text such as "3520万"); percentages 0–100.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ProjectInput)]
pub struct ProjectBody {
    pub name: String,
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = i32)]
    pub year: Option<String>,
    /// `province` 省级, `city` 市级, `county` 县级 (default), `town` 镇级.
    pub level: Option<String>,
    /// 为民办实事, 民生微实事, 重点项目 or a kind the administrator added.
    pub kind: String,
    /// 系列 (e.g. 教育, 交通).
    pub series: Option<String>,
    /// 序号 in the published table.
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<i64>)]
    pub seq: Option<String>,
    /// 牵头单位: unit code.
    pub lead_unit: String,
    /// 配合单位: unit codes.
    #[serde(default)]
    pub cooperating_units: Vec<String>,
    /// The office that registers it (unit code); the caller's office unit by default.
    pub owner_unit: Option<String>,
    /// 建成后管理责任单位 (unit code).
    pub manager_unit: Option<String>,
    pub responsible_person: Option<String>,
    pub address: Option<String>,
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<f64>)]
    pub lat: Option<String>,
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<f64>)]
    pub lon: Option<String>,
    /// 年度目标 as text.
    pub target: Option<String>,
    /// The target's indicator: value and unit (e.g. 3000 停车位).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub indicator_value: Option<String>,
    pub indicator_unit: Option<String>,
    /// 计划投资 (元).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub funds_planned: Option<String>,
    /// 已下达 (元).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub funds_allocated: Option<String>,
    /// 已支出 (元).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub funds_spent: Option<String>,
    pub planned_start: String,
    pub planned_end: String,
    #[serde(default)]
    pub milestones: Vec<MilestoneBody>,
    /// `not_started` 未开工 (default), `in_progress` 在建, `completed` 已完工, `accepted` 已验收, `in_use` 已投用.
    pub status: Option<String>,
    /// Required when the status is completed, accepted or in use.
    pub completed_on: Option<String>,
}

/// A monthly report as sent to `POST /api/v1/projects/{id}/reports`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReportInput)]
pub struct ReportBody {
    /// The month reported on, "YYYY-MM".
    pub period: String,
    /// Cumulative progress in percent (0–100).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = f64)]
    pub progress: Option<String>,
    /// Required when progress is lower than the previous month's.
    pub progress_reason: Option<String>,
    /// How much of the indicator is achieved (e.g. 2400 of 3000 停车位).
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub indicator_achieved: Option<String>,
    /// Funds allocated (已下达) so far, 元.
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub funds_allocated: Option<String>,
    /// Funds spent so far, 元.
    #[serde(deserialize_with = "loose_text", default)]
    #[schema(value_type = Option<String>)]
    pub funds_spent: Option<String>,
    pub narrative: Option<String>,
    /// Problems met (存在问题).
    pub problems: Option<String>,
    /// The project's status now: `not_started`, `in_progress`, `completed`, `accepted`, `in_use`.
    pub status: Option<String>,
    /// The day it was completed (with a done status).
    pub completed_on: Option<String>,
}

/// An operating check as sent to `POST /api/v1/projects/{id}/checks`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CheckInput)]
pub struct OperatingCheckBody {
    /// The day of the check, "YYYY-MM-DD"; today when omitted.
    pub checked_on: Option<String>,
    /// `true` when the project is in use as intended; `false` when a problem was found.
    pub normal: bool,
    /// What was seen; required when a problem was found (it becomes the item's description).
    pub notes: Option<String>,
}

impl From<MilestoneBody> for MilestoneInput {
    fn from(b: MilestoneBody) -> Self {
        MilestoneInput { name: b.name, date: b.date, progress: b.progress }
    }
}

impl From<ProjectBody> for ProjectInput {
    fn from(b: ProjectBody) -> Self {
        ProjectInput {
            name: b.name,
            year: b.year,
            level: b.level,
            kind: b.kind,
            series: b.series,
            seq: b.seq,
            lead_unit: b.lead_unit,
            cooperating_units: b.cooperating_units,
            owner_unit: b.owner_unit,
            manager_unit: b.manager_unit,
            responsible_person: b.responsible_person,
            address: b.address,
            lat: b.lat,
            lon: b.lon,
            target: b.target,
            indicator_value: b.indicator_value,
            indicator_unit: b.indicator_unit,
            funds_planned: b.funds_planned,
            funds_allocated: b.funds_allocated,
            funds_spent: b.funds_spent,
            planned_start: b.planned_start,
            planned_end: b.planned_end,
            milestones: b.milestones.into_iter().map(Into::into).collect(),
            status: b.status,
            completed_on: b.completed_on,
        }
    }
}

impl From<ReportBody> for ReportInput {
    fn from(b: ReportBody) -> Self {
        ReportInput {
            period: b.period,
            progress: b.progress,
            progress_reason: b.progress_reason,
            indicator_achieved: b.indicator_achieved,
            funds_allocated: b.funds_allocated,
            funds_spent: b.funds_spent,
            narrative: b.narrative,
            problems: b.problems,
            status: b.status,
            completed_on: b.completed_on,
        }
    }
}

impl From<OperatingCheckBody> for CheckInput {
    fn from(b: OperatingCheckBody) -> Self {
        CheckInput { checked_on: b.checked_on, normal: b.normal, notes: b.notes }
    }
}
