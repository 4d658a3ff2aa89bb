//! Appeals as people ask for them: the list's filters, 转办, a phone-back rating, a 吐槽大会, a
//! category, an import's options. Each becomes the store's command through one function the API and
//! the pages share.

use crate::error::{WebError, WebResult};
use crate::extract::nonempty;
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::item::Priority;
use bangdu_domain::project::plan::parse_date;
use bangdu_domain::{AppealId, AppealImportId, CategoryId, ItemId, MeetingId, UnitId};
use bangdu_store::appeals::categories::CategoryInput;
use bangdu_store::appeals::import::{ImportOptions, OnError};
use bangdu_store::appeals::meetings::NewMeeting;
use bangdu_store::appeals::query::AppealFilter;
use bangdu_store::appeals::transfer::Transfer;
use bangdu_store::units::NamedUnit;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// The appeal list's filters (query string or the list page's form).
#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct AppealQuery {
    /// Number (exact), content or address (contains).
    pub q: Option<String>,
    /// received, handling or answered (已受理、办理中、已办结).
    pub status: Option<String>,
    /// phone, online, open311, web or meeting.
    pub channel: Option<String>,
    /// Category id.
    pub category: Option<String>,
    /// Region code starts with (`350582`).
    pub region: Option<String>,
    /// The owning office (unit id).
    pub owner: Option<String>,
    /// The handling unit (unit id).
    pub handling: Option<String>,
    /// Received on or after (YYYY-MM-DD, Beijing).
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD, Beijing).
    pub to: Option<String>,
    /// `true`: sent on as items; `false`: not yet.
    pub sent_on: Option<String>,
    /// The item they were sent on as (item id).
    pub item: Option<String>,
    /// One of the five levels (very_satisfied … very_dissatisfied).
    pub satisfaction: Option<String>,
    pub meeting: Option<String>,
    /// The import (its number).
    pub import: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn id<T>(field: &str, text: &Option<String>, make: impl Fn(i64) -> T) -> WebResult<Option<T>> {
    match nonempty(text) {
        None => Ok(None),
        Some(t) => t.parse::<i64>().map(|n| Some(make(n))).map_err(|_| WebError::invalid(field, "应为编号（数字）")),
    }
}

fn coded<T>(field: &str, text: &Option<String>, parse: impl Fn(&str) -> Option<T>, what: &str) -> WebResult<Option<T>> {
    match nonempty(text) {
        None => Ok(None),
        Some(t) => parse(t).map(Some).ok_or_else(|| WebError::invalid(field, format!("不认识的{what}“{t}”"))),
    }
}

impl AppealQuery {
    pub fn filter(&self) -> WebResult<AppealFilter> {
        let region = nonempty(&self.region).map(String::from);
        if region.as_deref().is_some_and(|r| !r.bytes().all(|b| b.is_ascii_digit()) || r.len() > 12) {
            return Err(WebError::invalid("region", "区划代码应为数字"));
        }
        let day = |field: &str, v: &Option<String>| -> WebResult<_> {
            Ok(match nonempty(v) {
                Some(d) => Some(parse_date(field, d)?),
                None => None,
            })
        };
        let sent_on = match nonempty(&self.sent_on) {
            None => None,
            Some("true" | "1" | "是") => Some(true),
            Some("false" | "0" | "否") => Some(false),
            Some(_) => return Err(WebError::invalid("sent_on", "应为 true 或 false")),
        };
        Ok(AppealFilter {
            q: nonempty(&self.q).map(String::from),
            status: coded("status", &self.status, AppealStatus::parse, "办理状态")?,
            channel: coded("channel", &self.channel, Channel::parse, "渠道")?,
            category: id("category", &self.category, CategoryId)?,
            region,
            owner: id("owner", &self.owner, UnitId)?,
            handling: id("handling", &self.handling, UnitId)?,
            from: day("from", &self.from)?,
            to: day("to", &self.to)?,
            sent_on,
            item: id("item", &self.item, ItemId)?,
            satisfaction: coded("satisfaction", &self.satisfaction, Satisfaction::parse, "满意度")?,
            meeting: id("meeting", &self.meeting, MeetingId)?,
            import: id("import", &self.import, AppealImportId)?,
        })
    }
}

/// 转办: appeals sent on as one item.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// The appeals (ids), 1–200.
    pub appeals: Vec<i64>,
    /// The item's title; by default the first appeal's content, shortened.
    pub title: Option<String>,
    /// The responsible unit (code or name); by default the first appeal's handling unit.
    pub responsible_unit: Option<String>,
    /// normal, high or urgent.
    pub priority: Option<String>,
}

impl TransferBody {
    pub fn into_command(self) -> WebResult<Transfer> {
        Ok(Transfer {
            appeals: self.appeals.into_iter().map(AppealId).collect(),
            title: self.title.filter(|t| !t.trim().is_empty()),
            responsible_unit: self.responsible_unit.filter(|u| !u.trim().is_empty()).map(NamedUnit::named),
            priority: coded("priority", &self.priority, Priority::parse, "优先级")?,
        })
    }
}

/// A 好差评 rating: one of the five levels and what the citizen said.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(as = AppealRatingInput)]
pub struct RatingBody {
    /// very_satisfied, satisfied, basic, dissatisfied or very_dissatisfied (or the Chinese labels).
    pub level: String,
    pub comment: Option<String>,
}

impl RatingBody {
    pub fn level(&self) -> WebResult<Satisfaction> {
        Satisfaction::parse(self.level.trim())
            .ok_or_else(|| WebError::invalid("level", "满意度应为非常满意、满意、基本满意、不满意或非常不满意"))
    }
}

/// A 吐槽大会 as recorded.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    /// The unit that held it (code or name); the caller's office by default.
    pub unit: Option<String>,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub place: String,
    pub host: String,
    pub attendees: i64,
    /// The units that attended, by name.
    #[serde(default)]
    pub attendee_units: Vec<String>,
    pub summary: Option<String>,
    /// The issues raised, one per entry.
    pub issues: Vec<MeetingIssueBody>,
    /// The category of the issues (service code).
    pub category: Option<String>,
}

/// One issue raised at a meeting.
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct MeetingIssueBody {
    pub content: String,
    pub address: Option<String>,
}

impl MeetingBody {
    pub fn into_command(self) -> WebResult<NewMeeting> {
        Ok(NewMeeting {
            unit: self.unit.filter(|u| !u.trim().is_empty()).map(NamedUnit::named),
            held_on: Some(parse_date("held_on", &self.held_on)?),
            place: self.place,
            host: self.host,
            attendees: self.attendees,
            attendee_units: self.attendee_units,
            summary: self.summary,
            issues: self.issues.into_iter().map(|i| (i.content, i.address)).collect(),
            category: self.category.filter(|c| !c.trim().is_empty()),
        })
    }
}

/// A category as the administrator edits it.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    /// Open311's service_code: letters, digits, - _ .
    pub code: String,
    pub name: String,
    /// Open311's group.
    pub group_name: String,
    pub description: Option<String>,
    /// Working days to answer, 1–365.
    pub time_limit_days: i64,
    /// Open311 attribute definitions (a JSON list as `services/{code}` serves them).
    pub attributes: Option<serde_json::Value>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub sort_order: i64,
}

fn yes() -> bool {
    true
}

impl From<CategoryBody> for CategoryInput {
    fn from(b: CategoryBody) -> CategoryInput {
        CategoryInput {
            code: b.code,
            name: b.name,
            group_name: b.group_name,
            description: b.description,
            time_limit_days: b.time_limit_days,
            attributes: b.attributes.filter(|v| !v.is_null()).map(|v| v.to_string()),
            active: b.active,
            sort_order: b.sort_order,
        }
    }
}

/// An import's options (query string of the API, fields of the upload page).
#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct AppealImportQuery {
    /// abort (default: nothing is written when a row is bad) or skip (bad rows are left out).
    pub on_error: Option<String>,
    /// `true`: check and report, store nothing.
    pub dry_run: Option<String>,
    /// The office owning rows with no region of ours (unit code); the caller's office by default.
    pub unit: Option<String>,
    /// Extra column mappings, 列名=字段, separated by commas.
    pub map: Option<String>,
    /// The file's name, for the import's record.
    pub filename: Option<String>,
}

impl AppealImportQuery {
    pub fn options(&self) -> WebResult<ImportOptions> {
        let on_error = match nonempty(&self.on_error) {
            None => OnError::Abort,
            Some(t) => OnError::parse(t).ok_or_else(|| WebError::invalid("on_error", "应为 abort 或 skip"))?,
        };
        let dry_run = match nonempty(&self.dry_run) {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(_) => return Err(WebError::invalid("dry_run", "应为 true 或 false")),
        };
        let mapping = bangdu_store::settings::parse_mapping(nonempty(&self.map).unwrap_or(""))
            .map_err(|m| WebError::invalid("map", m))?;
        Ok(ImportOptions {
            filename: nonempty(&self.filename).unwrap_or("12345.csv").chars().take(200).collect(),
            owner_unit: nonempty(&self.unit).map(NamedUnit::named),
            mapping,
            on_error,
            dry_run,
        })
    }
}

/// The satisfaction figures' grouping and days.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct SatisfactionQuery {
    /// unit (the handling unit, default) or category.
    pub by: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    pub to: Option<String>,
}

impl SatisfactionQuery {
    pub fn read(
        &self,
    ) -> WebResult<(bangdu_store::appeals::ratings::GroupBy, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>
    {
        let by = match nonempty(&self.by) {
            None | Some("unit") => bangdu_store::appeals::ratings::GroupBy::Unit,
            Some("category") => bangdu_store::appeals::ratings::GroupBy::Category,
            Some(_) => return Err(WebError::invalid("by", "应为 unit 或 category")),
        };
        let day = |field: &str, v: &Option<String>| -> WebResult<_> {
            Ok(match nonempty(v) {
                Some(d) => Some(parse_date(field, d)?),
                None => None,
            })
        };
        Ok((by, day("from", &self.from)?, day("to", &self.to)?))
    }
}

/// The meeting page's form: the issues typed one per line, each optionally `内容｜地点`.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MeetingForm {
    pub unit: String,
    pub held_on: String,
    pub place: String,
    pub host: String,
    pub attendees: String,
    /// The attending units, separated by 、 or commas.
    pub attendee_units: String,
    pub summary: String,
    pub issues: String,
    pub category: String,
}

impl MeetingForm {
    pub fn into_body(self) -> WebResult<MeetingBody> {
        let attendees = match self.attendees.trim() {
            "" => 0,
            n => n.parse().map_err(|_| WebError::invalid("attendees", "参会人数应为整数"))?,
        };
        let issues = self
            .issues
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| match line.split_once(['｜', '|']) {
                Some((content, place)) => MeetingIssueBody {
                    content: content.trim().to_string(),
                    address: Some(place.trim().to_string()).filter(|p| !p.is_empty()),
                },
                None => MeetingIssueBody { content: line.to_string(), address: None },
            })
            .collect();
        Ok(MeetingBody {
            unit: Some(self.unit),
            held_on: self.held_on,
            place: self.place,
            host: self.host,
            attendees,
            attendee_units: crate::input::fields::split_list(&self.attendee_units),
            summary: Some(self.summary),
            issues,
            category: Some(self.category),
        })
    }
}

/// The category page's form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CategoryForm {
    pub code: String,
    pub name: String,
    pub group_name: String,
    pub description: String,
    pub time_limit_days: String,
    pub attributes: String,
    /// A ticked checkbox sends "on".
    pub active: Option<String>,
    pub sort_order: String,
    pub version: Option<i64>,
}

impl CategoryForm {
    pub fn into_input(self) -> WebResult<CategoryInput> {
        let number = |field: &'static str, text: &str, message: &'static str| match text.trim() {
            "" => Ok(0),
            n => n.parse::<i64>().map_err(|_| WebError::invalid(field, message)),
        };
        Ok(CategoryInput {
            time_limit_days: number("time_limit_days", &self.time_limit_days, "办理时限应为整数（工作日）")?,
            sort_order: number("sort_order", &self.sort_order, "排序应为整数")?,
            code: self.code,
            name: self.name,
            group_name: self.group_name,
            description: Some(self.description),
            attributes: Some(self.attributes),
            active: self.active.is_some(),
        })
    }
}
