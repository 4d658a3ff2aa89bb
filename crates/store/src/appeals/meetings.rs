//! 吐槽大会: neighbourhood meetings where residents raise problems to the officials who attend.
//! Each issue raised becomes an appeal (channel 吐槽大会) of the meeting, and may be sent on as an
//! item like any appeal; the meeting lists its issues with their outcomes.

use super::create::{self, NewAppeal};
use super::query::{self, AppealFilter, AppealRow};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::scope_sql;
use crate::tables::{AppealMeetings, Appeals, MeetingRecord, Units};
use crate::time::now;
use crate::units::{self, NamedUnit};
use bangdu_domain::MeetingId;
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::field_error::{optional_prose, required_text};
use bangdu_domain::permission::Permission;
use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use serde_json::json;

joined_row! {
    /// A meeting with its unit's name.
    pub struct MeetingRow {
        meeting: MeetingRecord,
        unit_name: String,
    }
}

fn scoped(actor: &Actor) -> Result<SelectStatement> {
    let scope = actor.require(Permission::ViewAppeals)?;
    let mut select = Query::select();
    select
        .columns(AppealMeetings::qualified())
        .expr_as(Expr::col((Units::Table, Units::Name)), Alias::new("unit_name"))
        .from(AppealMeetings::Table)
        .join(
            JoinType::InnerJoin,
            Units::Table,
            Expr::col((Units::Table, Units::Id)).equals((AppealMeetings::Table, AppealMeetings::UnitId)),
        );
    if let Some(cond) = scope_sql::owned_by_unit(&scope, (AppealMeetings::Table, AppealMeetings::UnitId), None::<Units>)
    {
        select.cond_where(cond);
    }
    Ok(select)
}

/// Where a meeting's issues stand: how many were raised, sent on as items, answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Outcome {
    pub issues: i64,
    pub sent_on: i64,
    pub answered: i64,
}

impl Outcome {
    /// The outcome of issues already read.
    pub fn of(issues: &[AppealRow]) -> Outcome {
        Outcome {
            issues: issues.len() as i64,
            sent_on: issues.iter().filter(|a| a.item_id.is_some()).count() as i64,
            answered: issues.iter().filter(|a| a.status() == AppealStatus::Answered).count() as i64,
        }
    }
}

#[derive(sqlx::FromRow)]
struct MeetingOutcome {
    meeting_id: MeetingId,
    #[sqlx(flatten)]
    outcome: Outcome,
}

/// The meetings the actor sees, latest first, each with where its issues stand.
pub async fn list(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<(MeetingRow, Outcome)>> {
    let mut select = scoped(actor)?;
    select
        .order_by((AppealMeetings::Table, AppealMeetings::HeldOn), Order::Desc)
        .order_by((AppealMeetings::Table, AppealMeetings::Id), Order::Desc)
        .limit(500);
    let meetings: Vec<MeetingRow> = c.fetch_all(&select).await?;
    if meetings.is_empty() {
        return Ok(Vec::new());
    }
    // One grouped count for all of them (the issues of a meeting the actor sees are counted
    // whoever handles them: the meeting's record is the office's).
    let outcomes: Vec<MeetingOutcome> = c
        .fetch_all(
            Query::select()
                .column(Appeals::MeetingId)
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("issues"))
                .expr_as(Expr::cust("SUM(CASE WHEN item_id IS NOT NULL THEN 1 ELSE 0 END)"), Alias::new("sent_on"))
                .expr_as(
                    Expr::cust(format!(
                        "SUM(CASE WHEN status = '{}' THEN 1 ELSE 0 END)",
                        AppealStatus::Answered.code()
                    )),
                    Alias::new("answered"),
                )
                .from(Appeals::Table)
                .and_where(Expr::col(Appeals::MeetingId).is_in(meetings.iter().map(|m| m.id)))
                .group_by_col(Appeals::MeetingId),
        )
        .await?;
    Ok(meetings
        .into_iter()
        .map(|m| {
            let outcome = outcomes.iter().find(|o| o.meeting_id == m.id).map(|o| o.outcome).unwrap_or_default();
            (m, outcome)
        })
        .collect())
}

/// A meeting with the issues raised at it.
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: MeetingId) -> Result<(MeetingRow, Vec<AppealRow>)> {
    let mut select = scoped(actor)?;
    select.and_where(Expr::col((AppealMeetings::Table, AppealMeetings::Id)).eq(id));
    let meeting: MeetingRow = c.fetch_optional(&select).await?.ok_or(StoreError::NotFound)?;
    let mut issues = query::all(c, actor, &AppealFilter { meeting: Some(id), ..Default::default() }, 1000).await?;
    issues.sort_by_key(|a| a.id);
    Ok((meeting, issues))
}

/// A meeting as recorded, with the issues raised.
#[derive(Clone, Debug, Default)]
pub struct NewMeeting {
    /// The unit that held it (a town, a community); the actor's own office by default.
    pub unit: Option<NamedUnit>,
    pub held_on: Option<NaiveDate>,
    pub place: String,
    pub host: String,
    pub attendees: i64,
    pub attendee_units: Vec<String>,
    pub summary: Option<String>,
    /// Each issue raised: (what, where).
    pub issues: Vec<(String, Option<String>)>,
    /// The category of every issue, by service code (optional).
    pub category: Option<String>,
}

/// Records a meeting and turns each issue into an appeal of it.
pub async fn record(c: &mut Conn<'_>, actor: &Actor, cal: &Calendar, new: NewMeeting) -> Result<MeetingId> {
    let scope = actor.require(Permission::ManageAppeals)?;
    let unit = match &new.unit {
        Some(named) => units::find_refs(c, &scope, &[("unit".to_string(), named.clone())]).await?.remove(0),
        None => {
            let own = actor
                .grants
                .iter()
                .find(|g| Permission::ManageAppeals.granted_to(g.role))
                .map(|g| NamedUnit::Id(g.unit))
                .ok_or_else(|| StoreError::invalid("unit", "请指定举办单位"))?;
            units::find_refs(c, &scope, &[("unit".to_string(), own)]).await?.remove(0)
        }
    };
    let held_on = new.held_on.ok_or_else(|| StoreError::invalid("held_on", "请填写召开日期"))?;
    bangdu_domain::dates::in_window("held_on", held_on)?;
    if held_on > crate::time::today() {
        return Err(StoreError::invalid("held_on", "召开日期不能晚于今天"));
    }
    if !(0..=100_000).contains(&new.attendees) {
        return Err(StoreError::invalid("attendees", "参会人数应为 0–100000"));
    }
    let issues: Vec<(String, Option<String>)> =
        new.issues.iter().filter(|(what, _)| !what.trim().is_empty()).cloned().collect();
    if issues.is_empty() {
        return Err(StoreError::invalid("issues", "请至少记录一个群众提出的问题"));
    }
    if issues.len() > 200 {
        return Err(StoreError::invalid("issues", "一次最多记录 200 个问题"));
    }
    let attendee_units: Vec<String> =
        new.attendee_units.iter().map(|u| u.trim().to_string()).filter(|u| !u.is_empty()).collect();
    let at = now();
    let record = MeetingRecord {
        id: MeetingId(0),
        unit_id: unit.id,
        held_on,
        place: required_text("place", "地点", &new.place, 200)?,
        host: required_text("host", "主持人", &new.host, 100)?,
        attendees: new.attendees,
        attendee_units: attendee_units.join("、").chars().take(2000).collect(),
        summary: optional_prose("summary", "会议纪要", new.summary.as_deref().unwrap_or(""), 10_000)?,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
        version: 1,
    };
    let saved: MeetingRecord = c.fetch_one(record.insert().returning_all()).await?;
    for (what, place) in issues {
        create::receive(
            c,
            actor,
            cal,
            NewAppeal {
                channel: Some(Channel::Meeting),
                content: what,
                address: place.or_else(|| Some(saved.place.clone())),
                category: new.category.clone(),
                meeting: Some(saved.id),
                region: unit.region.clone(),
                received_at: Some(Ord::min(crate::time::beijing_at(held_on, 12, 0), at)),
                ..Default::default()
            },
        )
        .await?;
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("appeal_meeting.create", "appeal_meeting", saved.id)
            .change(json!({"held_on": held_on, "place": saved.place, "unit": unit.code, "issues": new.issues.len()}))
            .acting_as(actor, Permission::ManageAppeals),
    )
    .await?;
    Ok(saved.id)
}
