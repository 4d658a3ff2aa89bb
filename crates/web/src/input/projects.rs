//! Projects as people ask for them: the list's and the figures' filters, the import's options.

use crate::error::{WebError, WebResult};
use crate::extract::Parts;
use crate::extract::nonempty;
use bangdu_domain::project::{Level, Light, Status};
use bangdu_store::projects::files::FileFor;
use bangdu_store::projects::query::{ProjectFilter, ProjectSort};
use bangdu_store::units;
use bangdu_store::{Actor, Conn};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    pub year: Option<String>,
    /// 为民办实事, 民生微实事, 重点项目 …
    pub kind: Option<String>,
    /// `province`, `city`, `county`, `town`.
    pub level: Option<String>,
    pub series: Option<String>,
    /// One or several lights, comma-separated: `red,yellow`.
    pub light: Option<String>,
    /// One or several statuses, comma-separated.
    pub status: Option<String>,
    /// Projects this unit (code) leads or co-operates on.
    pub unit: Option<String>,
    /// Projects led by this unit (code) or a unit below it.
    pub under: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// `seq` (default), `light`, `planned_end`, `name`, `newest`.
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub async fn project_filter(c: &mut Conn<'_>, actor: &Actor, q: &ProjectQuery) -> WebResult<ProjectFilter> {
    let mut f = ProjectFilter::default();
    if let Some(y) = nonempty(&q.year) {
        f.year = Some(
            y.parse()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| WebError::invalid("year", "年度应为 2000–2100 的整数"))?,
        );
    }
    f.kind = nonempty(&q.kind).map(String::from);
    if let Some(l) = nonempty(&q.level) {
        f.level = Some(Level::parse_loose(l).ok_or_else(|| WebError::invalid("level", format!("未知层级“{l}”")))?);
    }
    f.series = nonempty(&q.series).map(String::from);
    if let Some(lights) = nonempty(&q.light) {
        for l in lights.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            f.lights.push(Light::parse(l).ok_or_else(|| WebError::invalid("light", format!("未知灯色“{l}”")))?);
        }
    }
    if let Some(statuses) = nonempty(&q.status) {
        for s in statuses.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            f.statuses.push(Status::parse(s).ok_or_else(|| WebError::invalid("status", format!("未知状态“{s}”")))?);
        }
    }
    // Units are named by code (the public pages, as the public, may name any unit).
    if let Some(unit) = nonempty(&q.unit) {
        f.unit = Some(units::resolve(c, actor, "unit", unit).await?.id);
    }
    if let Some(under) = nonempty(&q.under) {
        f.under_path = Some(units::resolve(c, actor, "under", under).await?.path.clone());
    }
    f.q = nonempty(&q.q).map(String::from);
    Ok(f)
}

pub fn project_sort(q: &ProjectQuery) -> WebResult<ProjectSort> {
    match nonempty(&q.sort) {
        Some(s) => ProjectSort::parse(s)
            .ok_or_else(|| WebError::invalid("sort", "排序应为 seq、light、planned_end、name 或 newest")),
        None => Ok(ProjectSort::Seq),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    pub year: Option<String>,
    pub level: Option<String>,
    pub kind: Option<String>,
    /// Projects this unit (code) leads or co-operates on.
    pub unit: Option<String>,
    /// Projects led by this unit (code) or below it.
    pub under: Option<String>,
    pub series: Option<String>,
}

impl StatsQuery {
    pub fn as_project_query(&self) -> ProjectQuery {
        ProjectQuery {
            year: self.year.clone(),
            level: self.level.clone(),
            kind: self.kind.clone(),
            unit: self.unit.clone(),
            under: self.under.clone(),
            series: self.series.clone(),
            ..ProjectQuery::default()
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The year, when the file has no 年度 column.
    pub year: Option<i32>,
    /// The kind, when the file has no 类别 column (a header such as 民生微实事 also gives it).
    pub kind: Option<String>,
    /// Lead units are looked for under this unit (code) first, and created under it with `create_units`.
    pub parent_unit: Option<String>,
    /// Create lead units that are not found (under `parent_unit`); otherwise each is a 422 naming its row.
    #[serde(default)]
    pub create_units: bool,
    /// Check the whole file and answer what it would create and change, storing nothing (预览).
    #[serde(default)]
    pub dry_run: bool,
    /// The registering office (code); yours by default.
    pub owner_unit: Option<String>,
    /// Extra column meanings, `列名=字段;列名=字段` (fields: name, lead_unit, seq, completion, …).
    pub map: Option<String>,
}

/// Parses `列名=字段;列名=字段`.
pub fn parse_mapping(text: Option<&str>) -> WebResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in text.unwrap_or("").split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (header, field) =
            pair.split_once('=').ok_or_else(|| WebError::invalid("map", format!("“{pair}”应写成 列名=字段")))?;
        out.push((header.trim().to_string(), field.trim().to_string()));
    }
    Ok(out)
}

/// Which report or check an upload is for, from its `period` or `check` field.
pub fn target_of(parts: &Parts) -> WebResult<FileFor> {
    match (parts.text("period"), parts.text("check")) {
        (Some(p), None) => Ok(FileFor::Report(p)),
        (None, Some(c)) => Ok(FileFor::Check(bangdu_domain::CheckId(
            crate::extract::id::parse_id(&c).ok_or_else(|| WebError::invalid("check", "运行检查编号无效"))?,
        ))),
        _ => Err(WebError::invalid("period", "请指明附件属于哪个月的报告（period）或哪次运行检查（check）")),
    }
}
