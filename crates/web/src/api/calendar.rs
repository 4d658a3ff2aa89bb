//! 工作日历: the working-day calendar. Reading it needs no sign-in (it is the State Council's public
//! schedule); loading a year is for administrators.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::json::body_bytes;
use crate::extract::{ApiQuery, parse_opt};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use bangdu_domain::calendar::{Calendar, DayInfo, DayKind, YearData};
use bangdu_store::calendar;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub async fn load(state: &AppState) -> WebResult<std::sync::Arc<Calendar>> {
    Ok(state.calendar().await?)
}

fn parse_date(field: &str, text: &str) -> WebResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| WebError::invalid(field, format!("日期“{}”无效，应为 YYYY-MM-DD", text.trim())))
}

fn required_date(field: &str, value: &Option<String>) -> WebResult<NaiveDate> {
    match value.as_deref().filter(|v| !v.trim().is_empty()) {
        Some(v) => parse_date(field, v),
        None => Err(WebError::invalid(field, format!("缺少参数 {field}"))),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DayOut {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub workday: bool,
    /// The holiday's name on a statutory day off (e.g. 国庆节).
    pub holiday: Option<String>,
    /// A weekend day worked instead of a holiday (调休上班).
    pub adjusted_workday: bool,
    /// The year's State Council notice is not loaded: the day follows the statutory holidays alone (暂定).
    pub provisional: bool,
}

impl From<DayInfo> for DayOut {
    fn from(d: DayInfo) -> Self {
        DayOut {
            date: d.date,
            workday: d.workday,
            holiday: d.holiday,
            adjusted_workday: d.adjusted_workday,
            provisional: d.provisional,
        }
    }
}

/// What the calendar says about one date.
#[utoipa::path(get, path = "/api/v1/calendar/days/{date}", tag = "calendar",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = DayOut), (status = 404, body = ErrorBody), (status = 422, description = "`calendar_not_loaded`", body = ErrorBody)))]
pub async fn day(State(state): State<AppState>, Path(date): Path<String>) -> WebResult<Json<DayOut>> {
    // A path that is not a date names no resource: 404, as any unknown path.
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| WebError::not_found())?;
    let calendar = load(&state).await?;
    Ok(Json(calendar.day(date).map_err(bangdu_store::StoreError::from)?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// YYYY-MM-DD; never counted itself.
    pub from: Option<String>,
    /// Working days to add, 1–3650.
    pub days: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DateOut {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// True when the count runs into a year whose State Council notice is not loaded: the date is
    /// 暂定, counted on the statutory holidays alone, and may move when the notice is loaded.
    pub provisional: bool,
}

/// The N-th working day after `from`.
#[utoipa::path(get, path = "/api/v1/calendar/add-workdays", tag = "calendar", params(AddQuery),
    responses((status = 200, body = DateOut), (status = 422, body = ErrorBody)))]
pub async fn add_workdays(State(state): State<AppState>, ApiQuery(q): ApiQuery<AddQuery>) -> WebResult<Json<DateOut>> {
    let from = required_date("from", &q.from)?;
    let days: u32 =
        parse_opt("days", &q.days, "1–3650 的整数")?.ok_or_else(|| WebError::invalid("days", "缺少参数 days"))?;
    if !(1..=3650).contains(&days) {
        return Err(WebError::invalid("days", "工作日数应为 1–3650"));
    }
    let calendar = load(&state).await?;
    let date = calendar.add_workdays(from, days).map_err(bangdu_store::StoreError::from)?;
    Ok(Json(DateOut { date, provisional: calendar.provisional_in(from, date).is_some() }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CountOut {
    /// Working days in (from, to]; negative when `to` is before `from`.
    pub workdays: i64,
}

/// Working days in (`from`, `to`].
#[utoipa::path(get, path = "/api/v1/calendar/workdays", tag = "calendar", params(CountQuery),
    responses((status = 200, body = CountOut), (status = 422, body = ErrorBody)))]
pub async fn count_workdays(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CountQuery>,
) -> WebResult<Json<CountOut>> {
    let from = required_date("from", &q.from)?;
    let to = required_date("to", &q.to)?;
    let calendar = load(&state).await?;
    let workdays = calendar.count_workdays(from, to).map_err(bangdu_store::StoreError::from)?;
    Ok(Json(CountOut { workdays }))
}

#[derive(Serialize, ToSchema)]
pub struct YearOut {
    pub year: i64,
    pub note: String,
    pub loaded_at: DateTime<Utc>,
    pub holidays: usize,
    pub workdays: usize,
}

fn year_out(row: calendar::YearRow, data: Option<&YearData>) -> YearOut {
    let count = |kind| data.map_or(0, |d| d.days.iter().filter(|x| x.kind == kind).count());
    YearOut {
        holidays: count(DayKind::Holiday),
        workdays: count(DayKind::Workday),
        year: row.year,
        note: row.note,
        loaded_at: row.loaded_at,
    }
}

/// The loaded years.
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar", responses((status = 200, body = Vec<YearOut>)))]
pub async fn list_years(State(state): State<AppState>) -> WebResult<Json<Vec<YearOut>>> {
    let mut reader = state.db.reader().await?;
    let rows = calendar::years(&mut reader.conn()).await?;
    let mut out = Vec::new();
    for row in rows {
        let data = calendar::year(&mut reader.conn(), row.year as i32).await.ok();
        out.push(year_out(row, data.as_ref()));
    }
    Ok(Json(out))
}

/// One year as a year file (`text/plain`), ready to edit and load again.
#[utoipa::path(get, path = "/api/v1/calendar/years/{year}", tag = "calendar", params(("year" = i32, Path)),
    responses((status = 200, content_type = "text/plain", body = String), (status = 404, body = ErrorBody)))]
pub async fn get_year(State(state): State<AppState>, Path(year): Path<String>) -> WebResult<String> {
    let year: i32 = year.parse().map_err(|_| WebError::not_found())?;
    let mut reader = state.db.reader().await?;
    Ok(calendar::year(&mut reader.conn(), year).await?.to_file_text())
}

/// Loads (or replaces) a year from a year file (administrators). The file's `year` line must match.
#[utoipa::path(put, path = "/api/v1/calendar/years/{year}", tag = "calendar", params(("year" = i32, Path)),
    request_body(content = String, content_type = "text/plain",
        description = "year 2027\nholiday 2027-01-01 元旦\nworkday 2027-02-06 春节 …"),
    responses((status = 200, body = YearOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_year(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Path(year): Path<String>,
    req: Request,
) -> WebResult<(StatusCode, Json<YearOut>)> {
    let year: i32 = year.parse().map_err(|_| WebError::not_found())?;
    let bytes = body_bytes(req, &state).await?;
    let mut tx = state.db.begin().await?;
    let data = calendar::load_year_file(&mut tx.conn(), &authed.actor, &bytes, Some(year), "管理员载入").await?;
    tx.commit().await?;
    state.calendar_changed();
    let mut reader = state.db.reader().await?;
    let row = calendar::years(&mut reader.conn())
        .await?
        .into_iter()
        .find(|r| r.year == i64::from(year))
        .ok_or_else(WebError::not_found)?;
    Ok((StatusCode::OK, Json(year_out(row, Some(&data)))))
}
