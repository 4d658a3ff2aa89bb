//! Appeals as the API answers them and the pages show them: a list row with the caller masked, one
//! appeal with its history, ratings and (for those who call back) the caller in clear, an import's
//! report, categories, meetings, satisfaction figures, and the XLSX list (never with personal data).

use crate::output::lists::{Cell, table_workbook};
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_store::appeals::categories::Category;
use bangdu_store::appeals::import::AppealImportReport;
use bangdu_store::appeals::meetings::{MeetingRow, Outcome};
use bangdu_store::appeals::query::{AppealDetail, AppealRow};
use bangdu_store::appeals::ratings::{SatisfactionRow, Via};
use bangdu_store::time::beijing;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A unit named on an appeal: ours (with its id) or as the export wrote it.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealUnitOut {
    pub id: Option<i64>,
    pub name: String,
}

/// An appeal in a list. The caller is masked (张*, 138****1234) for everyone.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealOut {
    pub id: i64,
    /// 工单编号.
    pub number: String,
    pub channel: String,
    pub channel_label: String,
    pub received_at: DateTime<Utc>,
    pub content: String,
    pub address: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    pub category_code: Option<String>,
    pub owner: AppealUnitOut,
    pub handling: Option<AppealUnitOut>,
    pub status: String,
    pub status_label: String,
    pub status_notes: Option<String>,
    pub expected_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub satisfaction: Option<String>,
    pub satisfaction_label: Option<String>,
    /// The item it was sent on as (转办).
    pub item_id: Option<i64>,
    pub item_code: Option<String>,
    pub meeting_id: Option<i64>,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub version: i64,
}

impl From<&AppealRow> for AppealOut {
    fn from(a: &AppealRow) -> Self {
        AppealOut {
            id: a.id.0,
            number: a.external_id.clone(),
            channel: a.channel.clone(),
            channel_label: a.channel().map(Channel::label).unwrap_or("其他").to_string(),
            received_at: a.received_at,
            content: a.content.clone(),
            address: a.address.clone(),
            region: a.region.clone(),
            category: a.category_name.clone(),
            category_code: a.category_code.clone(),
            owner: AppealUnitOut { id: Some(a.owner_unit_id), name: a.owner_name.clone() },
            handling: a.handling_shown().map(|name| AppealUnitOut { id: a.handling_unit_id, name: name.to_string() }),
            status: a.status.clone(),
            status_label: a.status().label().to_string(),
            status_notes: a.status_notes.clone(),
            expected_at: a.expected_at,
            answered_at: a.answered_at,
            satisfaction: a.appeal.satisfaction.clone(),
            satisfaction_label: a.satisfaction().map(|s| s.label().to_string()),
            item_id: a.item_id.map(|i| i.0),
            item_code: a.item_code.clone(),
            meeting_id: a.meeting_id.map(|m| m.0),
            caller_name: a.caller_name_masked(),
            caller_phone: a.caller_phone_masked(),
            lat: a.lat_e6.map(|v| v as f64 / 1e6),
            lon: a.lon_e6.map(|v| v as f64 / 1e6),
            version: a.version,
        }
    }
}

/// An event of an appeal's history.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealEventOut {
    pub action: String,
    pub label: String,
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The Chinese name of an appeal event.
pub fn event_label(action: &str) -> &'static str {
    match action {
        "received" => "受理",
        "reimported" => "重新导入",
        "transferred" => "转办",
        "answered" => "答复",
        "reopened" => "重新办理",
        "rated" => "评价",
        _ => "其他",
    }
}

/// A 好差评 rating.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealRatingOut {
    pub level: String,
    pub label: String,
    pub comment: Option<String>,
    pub via: String,
    pub via_label: String,
    pub at: DateTime<Utc>,
}

/// A caller in clear: only for those who call back.
#[derive(Serialize, ToSchema, Clone)]
pub struct CallerOut {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A photo sent with an appeal; `url` serves it to whoever may see the appeal.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealPhotoOut {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub url: String,
    pub uploaded_at: DateTime<Utc>,
}

/// One appeal with its history.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealDetailOut {
    #[serde(flatten)]
    pub appeal: AppealOut,
    pub events: Vec<AppealEventOut>,
    pub ratings: Vec<AppealRatingOut>,
    /// Photos the citizen sent (from the public form).
    pub photos: Vec<AppealPhotoOut>,
    /// Present only for the office and the handling unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<CallerOut>,
    /// Whether the caller may send it on or enter a phone-back rating.
    pub can_manage: bool,
    /// The import it came from, when imported.
    pub import_id: Option<i64>,
}

impl From<&AppealDetail> for AppealDetailOut {
    fn from(d: &AppealDetail) -> Self {
        let mut events: Vec<AppealEventOut> = Vec::new();
        if let Some(import) = d.row.import_id {
            events.push(AppealEventOut {
                action: "imported".into(),
                label: "导入".into(),
                note: Some(format!("由导入批次 #{} 导入", import.0)),
                by: None,
                at: d.row.created_at,
            });
        }
        events.extend(d.events.iter().map(|e| AppealEventOut {
            action: e.event.action.clone(),
            label: event_label(&e.event.action).into(),
            note: e.event.note.clone(),
            by: e.actor_name.clone(),
            at: e.event.at,
        }));
        AppealDetailOut {
            appeal: AppealOut::from(&d.row),
            events,
            photos: d
                .photos
                .iter()
                .map(|p| AppealPhotoOut {
                    id: p.id.0,
                    filename: p.filename.clone(),
                    content_type: p.content_type.clone(),
                    size_bytes: p.size_bytes,
                    url: format!("/api/v1/appeals/{}/photos/{}", p.appeal_id.0, p.id.0),
                    uploaded_at: p.uploaded_at,
                })
                .collect(),
            ratings: d
                .ratings
                .iter()
                .map(|r| AppealRatingOut {
                    level: r.level.clone(),
                    label: Satisfaction::parse(&r.level).map(Satisfaction::label).unwrap_or("").into(),
                    comment: r.comment.clone(),
                    via: r.via.clone(),
                    via_label: Via::label(&r.via).into(),
                    at: r.rated_at,
                })
                .collect(),
            caller: d.caller.as_ref().map(|c| CallerOut {
                name: c.name.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
            }),
            can_manage: d.can_manage,
            import_id: d.row.import_id.map(|i| i.0),
        }
    }
}

/// A bad row of an import.
#[derive(Serialize, ToSchema, Clone)]
pub struct ImportRowErrorOut {
    pub line: usize,
    pub column: String,
    pub message: String,
}

/// What an import did, or (aborted) found.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealImportOut {
    pub import_id: Option<i64>,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub units_unmatched: usize,
    pub errors: Vec<ImportRowErrorOut>,
    pub error_count: usize,
    pub aborted: bool,
    pub dry_run: bool,
}

impl From<&AppealImportReport> for AppealImportOut {
    fn from(r: &AppealImportReport) -> Self {
        AppealImportOut {
            import_id: r.import_id.map(|i| i.0),
            rows: r.rows,
            added: r.added,
            updated: r.updated,
            unchanged: r.unchanged,
            skipped: r.skipped,
            units_unmatched: r.units_unmatched,
            errors: r
                .errors
                .iter()
                .map(|e| ImportRowErrorOut { line: e.line, column: e.column.clone(), message: e.message.clone() })
                .collect(),
            error_count: r.error_count,
            aborted: r.aborted,
            dry_run: r.dry_run,
        }
    }
}

/// An appeal category (an Open311 service).
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealCategoryOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub group_name: String,
    pub description: Option<String>,
    pub time_limit_days: i64,
    pub attributes: serde_json::Value,
    pub active: bool,
    pub sort_order: i64,
    pub version: i64,
}

impl From<&Category> for AppealCategoryOut {
    fn from(c: &Category) -> Self {
        AppealCategoryOut {
            id: c.id.0,
            code: c.code.clone(),
            name: c.name.clone(),
            group_name: c.group_name.clone(),
            description: c.description.clone(),
            time_limit_days: c.time_limit_days,
            attributes: serde_json::to_value(&c.attributes).unwrap_or_default(),
            active: c.active,
            sort_order: c.sort_order,
            version: c.version,
        }
    }
}

/// A 吐槽大会.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealMeetingOut {
    pub id: i64,
    pub unit: AppealUnitOut,
    pub held_on: chrono::NaiveDate,
    pub place: String,
    pub host: String,
    pub attendees: i64,
    pub attendee_units: Vec<String>,
    pub summary: Option<String>,
    /// How many issues were raised.
    pub issues_raised: i64,
    /// How many of them were sent on as items.
    pub sent_on: i64,
    /// How many of them were answered.
    pub answered: i64,
}

impl AppealMeetingOut {
    pub fn new(m: &MeetingRow, outcome: Outcome) -> Self {
        AppealMeetingOut {
            issues_raised: outcome.issues,
            sent_on: outcome.sent_on,
            answered: outcome.answered,
            id: m.id.0,
            unit: AppealUnitOut { id: Some(m.unit_id), name: m.unit_name.clone() },
            held_on: m.held_on,
            place: m.place.clone(),
            host: m.host.clone(),
            attendees: m.attendees,
            attendee_units: m.attendee_units.split('、').filter(|u| !u.is_empty()).map(str::to_string).collect(),
            summary: m.summary.clone(),
        }
    }
}

/// A meeting with the issues raised at it.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppealMeetingDetailOut {
    #[serde(flatten)]
    pub meeting: AppealMeetingOut,
    pub issues: Vec<AppealOut>,
}

impl AppealMeetingDetailOut {
    pub fn new(meeting: &MeetingRow, issues: &[AppealRow]) -> Self {
        AppealMeetingDetailOut {
            meeting: AppealMeetingOut::new(meeting, Outcome::of(issues)),
            issues: issues.iter().map(AppealOut::from).collect(),
        }
    }
}

/// Satisfaction of one unit or category.
#[derive(Serialize, ToSchema, Clone)]
pub struct SatisfactionOut {
    pub name: String,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    pub very_dissatisfied: i64,
    pub rated: i64,
    /// 满意率 (非常满意 + 满意 + 基本满意 over all rated), in per cent with one decimal.
    pub satisfied_percent: Option<f64>,
}

impl From<&SatisfactionRow> for SatisfactionOut {
    fn from(r: &SatisfactionRow) -> Self {
        SatisfactionOut {
            name: r.name.clone(),
            very_satisfied: r.very_satisfied,
            satisfied: r.satisfied,
            basic: r.basic,
            dissatisfied: r.dissatisfied,
            very_dissatisfied: r.very_dissatisfied,
            rated: r.rated(),
            satisfied_percent: r.rate_permille().map(|p| p as f64 / 10.0),
        }
    }
}

/// The XLSX list of appeals: everything an office works with, and never the caller.
pub fn workbook(rows: &[AppealRow], subtitle: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let columns: &[(&str, f64)] = &[
        ("工单编号", 20.0),
        ("受理时间", 17.0),
        ("渠道", 11.0),
        ("诉求内容", 50.0),
        ("诉求地址", 24.0),
        ("区划代码", 11.0),
        ("诉求分类", 12.0),
        ("所属单位", 14.0),
        ("承办单位", 20.0),
        ("办理状态", 9.0),
        ("答复", 36.0),
        ("满意度", 10.0),
        ("督导事项", 16.0),
    ];
    let text = |s: Option<&str>| s.map(Cell::text).unwrap_or(Cell::Empty);
    let data: Vec<Vec<Cell>> = rows
        .iter()
        .map(|a| {
            vec![
                Cell::text(a.external_id.clone()),
                Cell::text(beijing(&a.received_at, "%Y-%m-%d %H:%M")),
                Cell::text(a.channel().map(Channel::label).unwrap_or("其他")),
                Cell::text(a.content.clone()),
                text(a.address.as_deref()),
                text(a.region.as_deref()),
                text(a.category_name.as_deref()),
                Cell::text(a.owner_name.clone()),
                text(a.handling_shown()),
                Cell::text(a.status().label()),
                text(a.status_notes.as_deref()),
                text(a.satisfaction().map(Satisfaction::label)),
                text(a.item_code.as_deref()),
            ]
        })
        .collect();
    table_workbook("诉求清单", columns, subtitle, &data)
}

/// At most this many rows in one export.
pub const MAX_EXPORT_ROWS: u64 = 200_000;

/// The filtered list as a workbook, for the API and the list page alike.
pub async fn export_xlsx(
    state: &crate::state::AppState,
    authed: &crate::auth::Authed,
    q: &crate::input::appeals::AppealQuery,
) -> crate::error::WebResult<Vec<u8>> {
    let filter = q.filter()?;
    let mut reader = state.db.reader().await?;
    let rows = bangdu_store::appeals::query::all(&mut reader.conn(), &authed.actor, &filter, MAX_EXPORT_ROWS).await?;
    drop(reader);
    let subtitle = format!("截至 {}，共 {} 条", state.today(), rows.len());
    workbook(&rows, &subtitle).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        crate::error::WebError::internal()
    })
}
