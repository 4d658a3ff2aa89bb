//! What people send about a project — from the API's JSON (see the web's `input::project_json`), a
//! page's form or a row of an imported table — as text, and its checking into typed values.
//! Numbers may arrive as text ("4056.5", "3520万", "62.5%"); every failure names the field as the
//! API spells it.

use bangdu_domain::FieldError;
use bangdu_domain::field_error::{optional_text, required_text};
use bangdu_domain::project::plan::{check_plan, parse_date, parse_percent};
use bangdu_domain::project::{Level, Milestone, Status, money};
use chrono::NaiveDate;

#[derive(Clone, Debug, Default)]
pub struct MilestoneInput {
    /// 节点名称, e.g. 完成设计.
    pub name: String,
    /// Planned date, YYYY-MM-DD.
    pub date: String,
    /// Planned cumulative progress in percent (0–100).
    pub progress: Option<String>,
}

/// A project as sent to `POST /api/v1/projects` (and `PUT` to change it). Amounts are in 元
/// (numbers or text such as "3520万"); percentages 0–100.
#[derive(Clone, Debug, Default)]
pub struct ProjectInput {
    pub name: String,
    pub year: Option<String>,
    /// `province` 省级, `city` 市级, `county` 县级 (default), `town` 镇级.
    pub level: Option<String>,
    /// 为民办实事, 民生微实事, 重点项目 or a kind the administrator added.
    pub kind: String,
    /// 系列 (e.g. 教育, 交通).
    pub series: Option<String>,
    /// 序号 in the published table.
    pub seq: Option<String>,
    /// 牵头单位: unit code.
    pub lead_unit: String,
    /// 配合单位: unit codes.
    pub cooperating_units: Vec<String>,
    /// The office that registers it (unit code); the caller's office unit by default.
    pub owner_unit: Option<String>,
    /// 建成后管理责任单位 (unit code).
    pub manager_unit: Option<String>,
    pub responsible_person: Option<String>,
    pub address: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// 年度目标 as text.
    pub target: Option<String>,
    /// The target's indicator: value and unit (e.g. 3000 停车位).
    pub indicator_value: Option<String>,
    pub indicator_unit: Option<String>,
    /// 计划投资 (元).
    pub funds_planned: Option<String>,
    /// 已下达 (元).
    pub funds_allocated: Option<String>,
    /// 已支出 (元).
    pub funds_spent: Option<String>,
    pub planned_start: String,
    pub planned_end: String,
    pub milestones: Vec<MilestoneInput>,
    /// `not_started` 未开工 (default), `in_progress` 在建, `completed` 已完工, `accepted` 已验收, `in_use` 已投用.
    pub status: Option<String>,
    /// Required when the status is completed, accepted or in use.
    pub completed_on: Option<String>,
}

/// A checked project, with unit codes still to resolve.
#[derive(Clone, Debug)]
pub struct CheckedProject {
    pub name: String,
    pub year: i32,
    pub level: Level,
    pub kind: String,
    pub series: Option<String>,
    pub seq: Option<i64>,
    pub lead_unit: String,
    pub cooperating_units: Vec<String>,
    pub owner_unit: Option<String>,
    pub manager_unit: Option<String>,
    pub responsible_person: Option<String>,
    pub address: Option<String>,
    pub lat_e6: Option<i64>,
    pub lon_e6: Option<i64>,
    pub target: Option<String>,
    pub indicator_value: Option<String>,
    pub indicator_unit: Option<String>,
    pub funds_planned: i64,
    pub funds_allocated: i64,
    pub funds_spent: i64,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub status: Status,
    pub completed_on: Option<NaiveDate>,
}

pub(crate) fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// An indicator figure (3000 停车位): a non-negative number, kept as its shortest decimal text.
pub(crate) fn indicator(field: &str, label: &str, v: &Option<String>) -> Result<Option<String>, FieldError> {
    let Some(v) = blank(v) else { return Ok(None) };
    let n: rust_decimal::Decimal = v.parse().map_err(|_| FieldError::new(field, format!("{label}“{v}”不是数字")))?;
    if n.is_sign_negative() {
        return Err(FieldError::new(field, format!("{label}不能为负数")));
    }
    Ok(Some(n.normalize().to_string()))
}

fn amount(field: &str, v: &Option<String>) -> Result<i64, FieldError> {
    blank(v).map_or(Ok(0), |t| money::parse_yuan(field, t))
}

/// Degrees to millionths, within `limit` degrees.
fn coordinate(field: &str, v: &Option<String>, limit: f64) -> Result<Option<i64>, FieldError> {
    let Some(text) = blank(v) else { return Ok(None) };
    let value: f64 = text.parse().map_err(|_| FieldError::new(field, format!("坐标“{text}”不是数字")))?;
    if !value.is_finite() || value.abs() > limit {
        return Err(FieldError::new(field, format!("坐标应在 ±{limit} 度之间")));
    }
    Ok(Some((value * 1e6).round() as i64))
}

impl ProjectInput {
    /// Checks every field; `kinds` are the kinds the settings allow.
    pub fn check(&self, kinds: &[String]) -> Result<CheckedProject, FieldError> {
        let name = required_text("name", "项目名称", &self.name, 200)?;
        let year_text = blank(&self.year).ok_or_else(|| FieldError::new("year", "请填写年度"))?;
        let year: i32 = year_text
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| FieldError::new("year", format!("年度“{year_text}”应为 2000–2100 的整数")))?;
        let level = match blank(&self.level) {
            Some(l) => Level::parse_loose(l).ok_or_else(|| FieldError::new("level", format!("未知层级“{l}”")))?,
            None => Level::County,
        };
        let kind = required_text("kind", "项目类别", &self.kind, 30)?;
        if !kinds.contains(&kind) {
            return Err(FieldError::new(
                "kind",
                format!("项目类别“{kind}”不在系统设置的类别中（{}）", kinds.join("、")),
            ));
        }
        let seq = match blank(&self.seq) {
            Some(s) => Some(
                s.parse::<i64>()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .ok_or_else(|| FieldError::new("seq", format!("序号“{s}”应为正整数")))?,
            ),
            None => None,
        };
        let planned_start = parse_date("planned_start", &self.planned_start)?;
        let planned_end = parse_date("planned_end", &self.planned_end)?;
        let mut milestones = Vec::new();
        for (i, m) in self.milestones.iter().enumerate() {
            let progress_text = blank(&m.progress)
                .ok_or_else(|| FieldError::new(format!("milestones[{i}].progress"), "请填写节点计划进度"))?;
            milestones.push(Milestone {
                name: m.name.clone(),
                date: parse_date(&format!("milestones[{i}].date"), &m.date)?,
                progress: parse_percent(&format!("milestones[{i}].progress"), progress_text)?,
            });
        }
        check_plan(planned_start, planned_end, &mut milestones)?;
        let status = match blank(&self.status) {
            Some(s) => Status::parse(s).ok_or_else(|| FieldError::new("status", format!("未知状态“{s}”")))?,
            None => Status::NotStarted,
        };
        let completed_on = blank(&self.completed_on).map(|d| parse_date("completed_on", d)).transpose()?;
        match (status.is_done(), completed_on) {
            (true, None) => return Err(FieldError::new("completed_on", "已完工的项目请填写完工日期")),
            (false, Some(_)) => return Err(FieldError::new("completed_on", "项目尚未完工，不能填写完工日期")),
            (true, Some(d)) if d < planned_start => {
                return Err(FieldError::new("completed_on", "完工日期不能早于计划开工日期"));
            }
            _ => {}
        }
        let funds_planned = amount("funds_planned", &self.funds_planned)?;
        let funds_allocated = amount("funds_allocated", &self.funds_allocated)?;
        let funds_spent = amount("funds_spent", &self.funds_spent)?;
        let lat_e6 = coordinate("lat", &self.lat, 90.0)?;
        let lon_e6 = coordinate("lon", &self.lon, 180.0)?;
        if lat_e6.is_some() != lon_e6.is_some() {
            return Err(FieldError::new(if lat_e6.is_some() { "lon" } else { "lat" }, "经纬度应同时填写"));
        }
        let indicator_value = indicator("indicator_value", "指标值", &self.indicator_value)?;
        let unit_code = |field: &str, v: &str| required_text(field, "单位代码", v, 40);
        let mut cooperating_units = Vec::new();
        for code in &self.cooperating_units {
            let code = unit_code("cooperating_units", code)?;
            if !cooperating_units.contains(&code) {
                cooperating_units.push(code);
            }
        }
        Ok(CheckedProject {
            name,
            year,
            level,
            kind,
            series: optional_text("series", "系列", self.series.as_deref().unwrap_or(""), 30)?,
            seq,
            lead_unit: unit_code("lead_unit", &self.lead_unit)?,
            cooperating_units,
            owner_unit: blank(&self.owner_unit).map(String::from),
            manager_unit: blank(&self.manager_unit).map(String::from),
            responsible_person: optional_text(
                "responsible_person",
                "责任人",
                self.responsible_person.as_deref().unwrap_or(""),
                50,
            )?,
            address: optional_text("address", "地址", self.address.as_deref().unwrap_or(""), 200)?,
            lat_e6,
            lon_e6,
            target: optional_text("target", "年度目标", self.target.as_deref().unwrap_or(""), 2000)?,
            indicator_value,
            indicator_unit: optional_text(
                "indicator_unit",
                "指标单位",
                self.indicator_unit.as_deref().unwrap_or(""),
                20,
            )?,
            funds_planned,
            funds_allocated,
            funds_spent,
            planned_start,
            planned_end,
            milestones,
            status,
            completed_on,
        })
    }
}
