//! Replays the demo stories (`stories.rs`) through the same storage functions the API uses, in
//! date order, on a replayed clock: every record and audit event carries the day of the story, the
//! daily escalation job runs for each working day in between, and the audit chain stays intact.
//! Each responsible unit gets a liaison account (`lx-<unit code>`) to take the unit's steps.

use super::stories::{STORIES, Step};
use anyhow::{Context, anyhow};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::{Action, Priority};
use bangdu_domain::role::Role;
use bangdu_domain::{ItemId, UnitId, UserId};
use bangdu_store::db::Conn;
use bangdu_store::grants::GrantInput;
use bangdu_store::items::act::{ActionRequest, act};
use bangdu_store::items::create::{ChildSpec, NewItem, create, split};
use bangdu_store::items::{escalate, query};
use bangdu_store::time::{beijing_at, replay, set_clock, today};
use bangdu_store::users::{self, NewUser};
use bangdu_store::{Actor, calendar, settings, units};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeSet, HashMap};

/// Item codes of the demo read like a county's: JJDB-2026-000001.
const CODE_PREFIX: &str = "JJDB";
/// The stories reach this many working days back, and deadlines up to about this far ahead.
const REACH_BACK: usize = 120;
const REACH_AHEAD: u32 = 30;

/// Which item a step belongs to: a story, or one child of a story's split.
type Key = (usize, Option<usize>);

enum What {
    Register,
    Step(&'static Step),
}

struct Event {
    date: NaiveDate,
    key: Key,
    what: What,
}

/// The accounts that act in the stories.
struct Cast {
    office: Actor,
    leader: Actor,
    liaisons: HashMap<&'static str, Actor>,
}

impl Cast {
    fn liaison(&self, unit: &str) -> anyhow::Result<&Actor> {
        self.liaisons.get(unit).ok_or_else(|| anyhow!("no liaison for {unit}"))
    }
}

/// The day the stories end: today, or earlier when the holidays of the weeks ahead are not
/// loaded yet (deadlines are counted in working days and never guessed).
fn anchor(cal: &Calendar) -> Option<NaiveDate> {
    let mut day = today();
    for _ in 0..800 {
        if cal.add_workdays(day, REACH_AHEAD).is_ok() && working_days_back(cal, day).len() == REACH_BACK + 1 {
            return Some(day);
        }
        day -= Duration::days(1);
    }
    None
}

/// `days[0]` is the anchor; `days[k]` the k-th working day before it.
fn working_days_back(cal: &Calendar, anchor: NaiveDate) -> Vec<NaiveDate> {
    let mut days = vec![anchor];
    let mut day = anchor;
    while days.len() <= REACH_BACK {
        day -= Duration::days(1);
        match cal.is_workday(day) {
            Ok(true) => days.push(day),
            Ok(false) => {}
            Err(_) => break,
        }
    }
    days
}

fn timeline(days: &[NaiveDate]) -> Vec<Event> {
    let on = |ago: u32| days[(ago as usize).min(days.len() - 1)];
    let mut events = Vec::new();
    for (i, story) in STORIES.iter().enumerate() {
        events.push(Event { date: on(story.registered), key: (i, None), what: What::Register });
        for (ago, step) in story.steps {
            events.push(Event { date: on(*ago), key: (i, None), what: What::Step(step) });
            if let Step::Split(children) = step {
                for (c, child) in children.iter().enumerate() {
                    for (ago, step) in child.steps {
                        events.push(Event { date: on(*ago), key: (i, Some(c)), what: What::Step(step) });
                    }
                }
            }
        }
    }
    // Stable: the steps of one item keep their order within a day.
    events.sort_by_key(|e| e.date);
    events
}

/// Units whose liaisons act in the stories.
fn acting_units() -> BTreeSet<&'static str> {
    let mut codes = BTreeSet::new();
    for story in STORIES {
        codes.insert(story.unit);
        for (_, step) in story.steps {
            if let Step::Split(children) = step {
                codes.extend(children.iter().map(|c| c.unit));
            }
        }
    }
    codes
}

async fn unit_id(c: &mut Conn<'_>, code: &str) -> anyhow::Result<UnitId> {
    Ok(units::get_by_code(c, &Actor::system("demo"), code)
        .await
        .with_context(|| format!("demo unit {code}"))?
        .unit_id())
}

async fn cast(c: &mut Conn<'_>, accounts: &HashMap<&'static str, UserId>, password_hash: &str) -> anyhow::Result<Cast> {
    let office = users::load_actor(c, accounts["office"], None, "demo").await?;
    let leader = users::load_actor(c, accounts["leader"], None, "demo").await?;
    let mut liaisons = HashMap::new();
    // The demo's own liaison account (黄联络 of 住建局) acts for its unit.
    let own = super::ACCOUNTS.iter().find(|a| a.role == Role::Unit).map(|a| (a.unit_code, accounts[a.username]));
    for code in acting_units() {
        let id = match own {
            Some((own_code, id)) if own_code == code => id,
            _ => {
                let unit = units::get_by_code(c, &Actor::system("demo"), code).await?;
                let user = users::create(
                    c,
                    &Actor::system("demo"),
                    NewUser {
                        username: format!("lx-{}", code.to_lowercase()),
                        display_name: format!("{}联络员", unit.name),
                        phone: None,
                        email: None,
                        password_hash: password_hash.to_string(),
                        must_change_password: false,
                        grants: vec![GrantInput {
                            role: Role::Unit,
                            unit: unit.unit_id(),
                            data_scope: None,
                            custom_units: vec![],
                        }],
                    },
                )
                .await?;
                UserId(user.row.id)
            }
        };
        liaisons.insert(code, users::load_actor(c, id, None, "demo").await?);
    }
    Ok(Cast { office, leader, liaisons })
}

/// Loads the stories; returns how many items were created (0 when the calendar has no room).
pub async fn load(
    c: &mut Conn<'_>,
    accounts: &HashMap<&'static str, UserId>,
    password_hash: &str,
) -> anyhow::Result<usize> {
    let cal = calendar::load(c).await?;
    let Some(anchor) = anchor(&cal) else {
        tracing::warn!("demo items skipped: the working-day calendar does not cover the months around today");
        return Ok(0);
    };
    settings::set(c, &Actor::system("demo"), settings::ITEM_CODE_PREFIX, serde_json::json!(CODE_PREFIX)).await?;
    let cast = cast(c, accounts, password_hash).await?;
    let days = working_days_back(&cal, anchor);
    let events = timeline(&days);
    let real_today = today();
    replay(async {
        let mut ids: HashMap<Key, ItemId> = HashMap::new();
        let mut escalated_to = events.first().map(|e| e.date - Duration::days(1)).unwrap_or(anchor);
        let mut minute_of_day: (NaiveDate, i64) = (anchor, 0);
        for event in &events {
            escalate_until(c, &mut escalated_to, event.date).await?;
            if minute_of_day.0 != event.date {
                minute_of_day = (event.date, 0);
            }
            minute_of_day.1 += 4;
            set_clock(beijing_at(event.date, 8, 30) + Duration::minutes(minute_of_day.1));
            let story = &STORIES[event.key.0];
            run(c, &cal, &cast, &mut ids, event).await.with_context(|| format!("demo item “{}”", story.title))?;
        }
        // The stories end at the anchor, which may be weeks back; the job ran on each day since, as
        // on a live server, so the first run after start finds nothing new to raise.
        escalate_until(c, &mut escalated_to, real_today).await?;
        anyhow::Ok(ids.len())
    })
    .await
}

/// Runs the daily escalation job (at 01:00) for each day after `done` up to `until`, as the server
/// does (a weekend day can still bring the 临近提醒 of a deadline that falls on it).
async fn escalate_until(c: &mut Conn<'_>, done: &mut NaiveDate, until: NaiveDate) -> anyhow::Result<()> {
    while *done < until {
        *done += Duration::days(1);
        set_clock(beijing_at(*done, 1, 0).min(chrono::Utc::now()));
        escalate::run_in(c, *done).await?;
    }
    Ok(())
}

fn request(action: Action, version: i64) -> ActionRequest {
    ActionRequest::new(action, version)
}

async fn run(
    c: &mut Conn<'_>,
    cal: &Calendar,
    cast: &Cast,
    ids: &mut HashMap<Key, ItemId>,
    event: &Event,
) -> anyhow::Result<()> {
    let story = &STORIES[event.key.0];
    let unit_code = match event.key.1 {
        Some(child) => {
            match story.steps.iter().find_map(|(_, s)| if let Step::Split(ch) = s { Some(ch) } else { None }) {
                Some(children) => children[child].unit,
                None => return Err(anyhow!("child without a split")),
            }
        }
        None => story.unit,
    };
    let step = match event.what {
        What::Register => {
            let by = if story.by_leader { &cast.leader } else { &cast.office };
            let new = NewItem {
                title: story.title.into(),
                description: Some(story.description.to_string()).filter(|d| !d.is_empty()),
                source: Some(story.source),
                tags: story.tags.iter().map(|t| t.to_string()).collect(),
                related_projects: Some(story.related.to_string()).filter(|r| !r.is_empty()),
                priority: Some(story.priority).filter(|p| *p != Priority::Normal),
                responsible_unit: Some(unit_id(c, story.unit).await?.into()),
                draft: story.draft,
                ..NewItem::default()
            };
            let row = create(c, by, new).await?;
            ids.insert(event.key, row.id);
            return Ok(());
        }
        What::Step(step) => step,
    };
    let id = *ids.get(&event.key).ok_or_else(|| anyhow!("step before the item exists"))?;
    let version = query::get(c, &Actor::system("demo"), id).await?.version;
    let liaison = cast.liaison(unit_code)?;
    let (actor, req) = match step {
        Step::Assign(n) => {
            let mut r = request(Action::Assign, version);
            r.input.deadline_workdays = Some(*n);
            (&cast.office, r)
        }
        Step::Decline(reason) => (liaison, with_reason(request(Action::Decline, version), reason)),
        Step::Accept => (liaison, request(Action::Accept, version)),
        Step::Report(note) => {
            let mut r = request(Action::Report, version);
            r.input.note = Some(note.to_string());
            (liaison, r)
        }
        Step::Extend(n, reason) => {
            let mut r = with_reason(request(Action::RequestExtension, version), reason);
            r.input.deadline_workdays = Some(*n);
            (liaison, r)
        }
        Step::ApproveExtension => (&cast.office, request(Action::ApproveExtension, version)),
        Step::RejectExtension(reason) => (&cast.office, with_reason(request(Action::RejectExtension, version), reason)),
        Step::Pause(reason) => (&cast.office, with_reason(request(Action::Pause, version), reason)),
        Step::Resume(reason) => (&cast.office, with_reason(request(Action::Resume, version), reason)),
        Step::RequestClose(measures, result) => {
            let mut r = request(Action::RequestClose, version);
            r.input.measures = Some(measures.to_string());
            r.input.result = Some(result.to_string());
            (liaison, r)
        }
        Step::ApproveClose => {
            let mut r = request(Action::ApproveClose, version);
            r.input.opinion = Some("经现场核实，整改措施落实到位，同意销号".into());
            (&cast.office, r)
        }
        Step::Return(reason) => (&cast.office, with_reason(request(Action::Return, version), reason)),
        Step::Confirm => (&cast.office, request(Action::Confirm, version)),
        Step::Reopen(reason) => (&cast.office, with_reason(request(Action::Reopen, version), reason)),
        Step::Cancel(reason) => (&cast.office, with_reason(request(Action::Cancel, version), reason)),
        Step::Split(children) => {
            let mut specs = Vec::new();
            for child in children.iter() {
                specs.push(ChildSpec {
                    title: child.title.into(),
                    description: None,
                    unit: unit_id(c, child.unit).await?.into(),
                    deadline: None,
                    deadline_workdays: Some(child.workdays),
                });
            }
            let rows = split(c, &cast.office, cal, id, specs, event.date).await?;
            for (i, row) in rows.into_iter().enumerate() {
                ids.insert((event.key.0, Some(i)), row.id);
            }
            return Ok(());
        }
    };
    act(c, actor, cal, id, req, event.date).await?;
    Ok(())
}

fn with_reason(mut r: ActionRequest, reason: &str) -> ActionRequest {
    r.input.reason = Some(reason.to_string());
    r
}
