//! 工作日历 page: a year at a glance (holidays 休, make-up working days 班), a working-day
//! calculator, and for administrators the loading of a new year's arrangement.

use super::errors::PageResult;
use super::forms::CsrfForm;
use super::shell::{Flash, Shell, shell};
use super::{done, flash, refused, render};
use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use bangdu_domain::calendar::{Calendar, DayKind, YearData};
use bangdu_domain::permission::Permission;
use bangdu_store::calendar;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

#[derive(Clone)]
pub struct DayCell {
    pub day: u32,
    pub class: &'static str,
    pub mark: &'static str,
    pub title: String,
    pub today: bool,
}

impl DayCell {
    fn blank() -> DayCell {
        DayCell { day: 0, class: "blank", mark: "", title: String::new(), today: false }
    }
}

pub struct MonthView {
    pub title: String,
    pub weeks: Vec<Vec<DayCell>>,
}

pub struct HolidayLine {
    pub name: String,
    pub days: String,
    pub count: usize,
    pub makeup: String,
}

pub struct YearLink {
    pub year: i32,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    shell: Shell,
    year: i32,
    loaded: bool,
    years: Vec<YearLink>,
    months: Vec<MonthView>,
    holidays: Vec<HolidayLine>,
    workdays_in_year: String,
    can_manage: bool,
    calc_from: String,
    calc_days: String,
    calc_to: String,
    calc_result: String,
    upload_text: String,
}

fn months(cal: &Calendar, year: i32, today: NaiveDate) -> Vec<MonthView> {
    (1..=12)
        .filter_map(|month| {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let offset = first.weekday().num_days_from_monday() as usize;
            let mut cells: Vec<DayCell> = (0..offset).map(|_| DayCell::blank()).collect();
            let mut date = first;
            while date.month() == month {
                let info = cal.day(date).ok();
                let weekend = date.weekday().num_days_from_monday() >= 5;
                let (class, mark, title) = match &info {
                    Some(d) if d.holiday.is_some() => ("holiday", "休", d.holiday.clone().unwrap_or_default()),
                    Some(d) if d.adjusted_workday => {
                        ("makeup", "班", format!("{}调休上班", cal.adjusted_for(date).unwrap_or("")))
                    }
                    _ if weekend => ("weekend", "", "周末".into()),
                    _ => ("", "", String::new()),
                };
                cells.push(DayCell { day: date.day(), class, mark, title, today: date == today });
                date = match date.succ_opt() {
                    Some(d) => d,
                    None => break,
                };
            }
            while !cells.len().is_multiple_of(7) {
                cells.push(DayCell::blank());
            }
            let weeks = cells.chunks(7).map(<[DayCell]>::to_vec).collect();
            Some(MonthView { title: format!("{month}月"), weeks })
        })
        .collect()
}

/// Each run of consecutive days off as one period, as the notice words it ("国庆节、中秋节：10月1日至8日"),
/// with the make-up working days of its holidays.
fn holiday_lines(data: &YearData) -> Vec<HolidayLine> {
    let mut periods: Vec<(NaiveDate, NaiveDate, Vec<String>)> = Vec::new();
    for day in data.days.iter().filter(|d| d.kind == DayKind::Holiday) {
        match periods.last_mut() {
            Some((_, end, names)) if end.succ_opt() == Some(day.date) => {
                *end = day.date;
                if !names.contains(&day.name) {
                    names.push(day.name.clone());
                }
            }
            _ => periods.push((day.date, day.date, vec![day.name.clone()])),
        }
    }
    periods
        .into_iter()
        .map(|(start, end, names)| {
            let days = if start == end {
                start.format("%m月%d日").to_string()
            } else {
                format!("{} 至 {}", start.format("%m月%d日"), end.format("%m月%d日"))
            };
            let makeup = data
                .days
                .iter()
                .filter(|d| d.kind == DayKind::Workday && names.contains(&d.name))
                .map(|d| d.date.format("%m月%d日").to_string())
                .collect::<Vec<_>>()
                .join("、");
            HolidayLine { name: names.join("、"), days, count: ((end - start).num_days() + 1) as usize, makeup }
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct CalendarParams {
    pub year: Option<String>,
    pub from: Option<String>,
    pub days: Option<String>,
    pub to: Option<String>,
    pub done: Option<String>,
}

fn calculate(cal: &Calendar, p: &CalendarParams) -> String {
    let from = p.from.as_deref().and_then(|f| NaiveDate::parse_from_str(f, "%Y-%m-%d").ok());
    let Some(from) = from else {
        return if p.from.as_deref().is_some_and(|f| !f.is_empty()) {
            "起始日期无效".into()
        } else {
            String::new()
        };
    };
    let mut out = Vec::new();
    if let Some(days) = p.days.as_deref().filter(|d| !d.is_empty()) {
        out.push(match days.parse::<u32>() {
            Ok(n) if (1..=3650).contains(&n) => match cal.add_workdays(from, n) {
                Ok(date) => format!("{from} 之后第 {n} 个工作日是 {date}"),
                Err(e) => e.to_string(),
            },
            _ => "工作日数应为 1–3650".into(),
        });
    }
    if let Some(to) = p.to.as_deref().filter(|t| !t.is_empty()) {
        out.push(match NaiveDate::parse_from_str(to, "%Y-%m-%d") {
            Ok(to) => match cal.count_workdays(from, to) {
                Ok(n) => format!("{from}（不含）至 {to}（含）共 {n} 个工作日"),
                Err(e) => e.to_string(),
            },
            Err(_) => "截止日期无效".into(),
        });
    }
    out.join("；")
}

async fn calendar_page(
    state: &AppState,
    authed: &Authed,
    p: CalendarParams,
    flash: Option<Flash>,
    upload_text: String,
) -> PageResult {
    let today = state.today();
    let (cal, rows) = {
        let mut reader = state.db.reader().await?;
        (calendar::load(&mut reader.conn()).await?, calendar::years(&mut reader.conn()).await?)
    };
    let year = p.year.as_deref().and_then(|y| y.parse().ok()).unwrap_or(today.year());
    let data = {
        let mut reader = state.db.reader().await?;
        calendar::year(&mut reader.conn(), year).await.ok()
    };
    let loaded = data.is_some();
    let workdays_in_year = match (NaiveDate::from_ymd_opt(year - 1, 12, 31), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(a), Some(b)) => cal.count_workdays(a, b).map(|n| n.to_string()).unwrap_or_else(|_| "—".into()),
        _ => "—".into(),
    };
    let mut years: Vec<YearLink> =
        rows.iter().map(|r| YearLink { year: r.year as i32, current: r.year as i32 == year }).collect();
    if !loaded {
        years.push(YearLink { year, current: true });
    }
    render(&CalendarPage {
        shell: shell(state, authed, "calendar", "工作日历", &[("工作日历", None)]).await.flash(flash),
        months: if loaded { months(&cal, year, today) } else { vec![] },
        holidays: data.as_ref().map(holiday_lines).unwrap_or_default(),
        workdays_in_year,
        years,
        year,
        loaded,
        can_manage: authed.actor.can(Permission::ManageCalendar),
        calc_result: calculate(&cal, &p),
        calc_from: p.from.unwrap_or_else(|| today.to_string()),
        calc_days: p.days.unwrap_or_default(),
        calc_to: p.to.unwrap_or_default(),
        upload_text,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<CalendarParams>,
) -> PageResult {
    let flash = flash::from_code(p.done.as_deref());
    calendar_page(&state, &authed, p, flash, String::new()).await
}

pub async fn download(
    State(state): State<AppState>,
    PageUser(_authed): PageUser,
    Path(year): Path<String>,
) -> PageResult {
    let year: i32 = year.trim_end_matches(".txt").parse().map_err(|_| WebError::not_found())?;
    let data = {
        let mut reader = state.db.reader().await?;
        calendar::year(&mut reader.conn(), year).await?
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{year}.txt\"")),
        ],
        data.to_file_text(),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct YearForm {
    #[serde(default)]
    pub text: String,
}

pub async fn upload(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<YearForm>,
) -> PageResult {
    let mut tx = state.db.begin().await?;
    let data = match calendar::load_year_file(&mut tx.conn(), &authed.actor, form.text.as_bytes(), None, "管理员载入")
        .await
        .map_err(WebError::from)
    {
        Ok(data) => data,
        Err(e) if refused(&e) => {
            drop(tx);
            return calendar_page(&state, &authed, CalendarParams::default(), flash::error(e.message), form.text).await;
        }
        Err(e) => return Err(e),
    };
    tx.commit().await?;
    state.calendar_changed();
    Ok(done(&format!("/calendar?year={}", data.year), "year"))
}
