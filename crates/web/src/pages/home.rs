//! 首页: each user's work — the office's decisions, the unit's to-do list, the leader's overview
//! (`dashboard.rs`); organisation and user administration for administrators; and for everyone
//! their roles and today's working-day status.

use super::errors::PageResult;
use super::render;
use super::shell::Shell;
use super::view;
use crate::auth::PageUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::permission::Permission;
use bangdu_store::audit::{self, EventFilter};
use bangdu_store::paging::PageRequest;
use bangdu_store::units::{self, UnitFilter, UnitSort};
use bangdu_store::users::{self, UserFilter};
use bangdu_store::{calendar, grants};
use chrono::{Datelike, NaiveDate, Weekday};

pub struct Stat {
    pub label: &'static str,
    pub value: String,
    pub href: &'static str,
}

pub struct EventLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub result: String,
}

pub struct GrantLine {
    pub role: String,
    pub unit: String,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    admin: bool,
    stats: Vec<Stat>,
    events: Vec<EventLine>,
    grants: Vec<GrantLine>,
    today: String,
    today_status: String,
    next_holiday: String,
    /// From November, to whoever loads the calendar: next year's notice is not loaded yet.
    calendar_warning: Option<String>,
    dash: Option<super::dashboard::Dashboard>,
}

/// From November on, next year's holidays are needed for deadlines that run past 31 December.
pub fn calendar_warning(cal: &Calendar, today: NaiveDate) -> Option<String> {
    let next = today.year() + 1;
    (today.month() >= 11 && cal.is_provisional(next)).then(|| {
        format!(
            "{next} 年节假日安排（国务院办公厅通知）尚未载入：跨入 {next} 年的期限按法定节假日暂定计算，标为“暂定”。通知发布后请在工作日历中载入，暂定期限将重新计算并通知责任单位。"
        )
    })
}

fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// "工作日", "休息日", "国庆节 · 休息", "调休上班" — or an honest "not loaded".
pub fn day_status(cal: &Calendar, date: NaiveDate) -> String {
    match cal.day(date) {
        Ok(d) if d.adjusted_workday => format!("工作日（{}调休上班）", cal.adjusted_for(date).unwrap_or("")),
        Ok(d) if d.workday => "工作日".into(),
        Ok(d) => match d.holiday {
            Some(name) => format!("{name}假期"),
            None => "休息日".into(),
        },
        Err(_) => format!("{} 年节假日安排尚未载入", date.year()),
    }
}

fn next_holiday(cal: &Calendar, from: NaiveDate) -> String {
    let mut date = from;
    for _ in 0..400 {
        let Some(next) = date.succ_opt() else { break };
        date = next;
        match cal.day(date) {
            Ok(d) => {
                if let Some(name) = d.holiday {
                    let provisional = if cal.is_provisional(date.year()) { "，暂定" } else { "" };
                    return format!("{name}（{date} 起{provisional}）");
                }
            }
            Err(_) => return format!("{} 年节假日安排尚未载入", date.year()),
        }
    }
    "—".into()
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let mut reader = state.db.reader().await?;
    let admin = authed.actor.can(Permission::ManageUnits) || authed.actor.can(Permission::ManageUsers);
    let mut stats = Vec::new();
    let mut events = Vec::new();
    if admin {
        let one = PageRequest::new(Some(1), Some(1));
        let active = units::list(
            &mut reader.conn(),
            &authed.actor,
            &UnitFilter { active: Some(true), ..Default::default() },
            UnitSort::Tree,
            one,
        )
        .await?;
        let all_units =
            units::list(&mut reader.conn(), &authed.actor, &UnitFilter::default(), UnitSort::Tree, one).await?;
        let active_users = users::list(
            &mut reader.conn(),
            &authed.actor,
            &UserFilter { active: Some(true), ..Default::default() },
            one,
        )
        .await?;
        stats.push(Stat { label: "启用单位", value: active.total.to_string(), href: "/units?active=true" });
        stats.push(Stat {
            label: "停用单位",
            value: (all_units.total - active.total).to_string(),
            href: "/units?active=false",
        });
        stats.push(Stat { label: "启用用户", value: active_users.total.to_string(), href: "/users?active=true" });
        if authed.actor.can(Permission::ViewAudit) {
            let recent = audit::list(
                &mut reader.conn(),
                &authed.actor,
                &EventFilter::default(),
                PageRequest::new(Some(1), Some(8)),
            )
            .await?;
            stats.push(Stat { label: "审计事件", value: recent.total.to_string(), href: "/audit" });
            events = recent
                .data
                .into_iter()
                .map(|e| EventLine {
                    at: view::time(&e.at),
                    actor: super::audit::actor_label(&e.actor_name, e.actor_id.is_some()),
                    action: super::audit::action_label(&e.action),
                    object: format!(
                        "{} {}",
                        super::audit::object_label(&e.object_type),
                        e.object_id.unwrap_or_default()
                    ),
                    result: super::audit::result_label(&e.result).to_string(),
                })
                .collect();
        }
    }
    let grant_views =
        grants::for_users(&mut reader.conn(), &[authed.user.id]).await?.remove(&authed.user.id).unwrap_or_default();
    let grants = grant_views
        .into_iter()
        .map(|g| GrantLine { role: g.role_label.to_string(), unit: g.unit.name, scope: g.data_scope_label.to_string() })
        .collect();
    let cal = calendar::load(&mut reader.conn()).await?;
    drop(reader);
    let today = state.today();
    let dash = super::dashboard::for_user(&state, &authed).await?;
    render(&HomePage {
        shell: super::shell::shell(&state, &authed, "home", "首页", &[]).await,
        admin,
        stats,
        events,
        grants,
        today: format!("{today} {}", weekday(today)),
        today_status: day_status(&cal, today),
        next_holiday: next_holiday(&cal, today),
        calendar_warning: calendar_warning(&cal, today).filter(|_| authed.actor.can(Permission::ManageCalendar)),
        dash,
    })
}
