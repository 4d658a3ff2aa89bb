//! Taking an action on an item: the domain decides, this applies the outcome — the state, the
//! deadline arithmetic, the units — guarded by the version, with its audit event and notices, all
//! in the caller's transaction.

use super::create::{link_unit, unlink_role, usable_units};
use super::query;
use super::row::ItemRow;
use super::{actor_facts, item_facts};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items::notify::{self, Notice, Recipients};
use crate::settings;
use crate::tables::{Attachments, Items};
use crate::time::now;
use crate::units::{self, NamedUnit, Unit};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::{Action, ActionInput, Effect, Escalation, ItemState, Refusal, decide};
use bangdu_domain::scope::Scope;
use bangdu_domain::{AttachmentId, ItemId, UnitId};
use chrono::{Datelike, NaiveDate};
use sea_query::{Expr, ExprTrait, Query, SimpleExpr, UpdateStatement};
use serde_json::{Map, Value, json};

/// An action request: its name, the version the requester saw, and what the action needs.
#[derive(Clone, Debug)]
pub struct ActionRequest {
    pub action: Action,
    pub version: i64,
    pub input: ActionInput,
    /// `assign`: the responsible unit (the item's current one when omitted).
    pub unit: Option<NamedUnit>,
    /// `assign`: the lead unit; `Some(None)` clears it.
    pub lead_unit: Option<Option<NamedUnit>>,
    /// `assign`: replaces the co-operating units when given.
    pub cooperating_units: Option<Vec<NamedUnit>>,
    /// `assign`: the day the clock starts (today by default).
    pub assigned_on: Option<NaiveDate>,
    /// Attachments uploaded to the item before, to attach to this action (evidence, photos).
    pub attachments: Vec<AttachmentId>,
}

impl ActionRequest {
    pub fn new(action: Action, version: i64) -> ActionRequest {
        ActionRequest {
            action,
            version,
            input: ActionInput::default(),
            unit: None,
            lead_unit: None,
            cooperating_units: None,
            assigned_on: None,
            attachments: vec![],
        }
    }
}

fn refused(refusal: Refusal, action: Action, state: ItemState) -> StoreError {
    match refusal {
        Refusal::Forbidden => StoreError::Forbidden,
        Refusal::InvalidTransition => StoreError::conflict(
            "invalid_transition",
            format!("事项当前为“{}”，不能“{}”", state.label(), action.label()),
        ),
    }
}

/// Takes an action; returns the item as it is afterwards.
pub async fn act(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    id: ItemId,
    request: ActionRequest,
    today: NaiveDate,
) -> Result<ItemRow> {
    let item = query::get(c, actor, id).await?;
    let units = query::links_of(c, id).await?;
    let facts = actor_facts(actor, &item, &units);
    let decided = decide(&item_facts(&item), request.action, &facts);
    if let Err(Refusal::Forbidden) = decided {
        return Err(StoreError::Forbidden);
    }
    if request.version != item.version {
        return Err(StoreError::VersionConflict);
    }
    let outcome = decided.map_err(|r| refused(r, request.action, item.state()))?;
    let mut input = request.input.clone();
    input.has_unit = request.unit.is_some() || item.responsible_unit_id.is_some();
    input.check(request.action)?;

    let mut update = Query::update();
    update.table(Items::Table).value(Items::State, outcome.to.code());
    let mut payload = Map::new();
    let mut notice = None;
    // 回头看 on a child whose parent was written off reopens the parent (and above) with it.
    let mut closed_parents: Vec<ItemRow> = Vec::new();
    // The reopened item's new deadline and whether it is 暂定, for the parents it brings back.
    let mut reopened_until: Option<(NaiveDate, bool)> = None;
    match outcome.effect {
        Effect::Assign => {
            // Every unit the assignment names, in one query, among those the actor may name. The
            // item's own responsible unit, kept when none is named, was named when it was
            // registered: it need not lie in the actor's view (the owner above may not see it).
            let mut named: Vec<(String, NamedUnit)> =
                request.unit.iter().map(|u| ("unit".to_string(), u.clone())).collect();
            named.extend(request.lead_unit.iter().flatten().map(|u| ("lead_unit".to_string(), u.clone())));
            named.extend(
                request.cooperating_units.iter().flatten().map(|u| ("cooperating_units".to_string(), u.clone())),
            );
            let mut found = usable_units(c, actor, &named).await?.into_iter();
            let unit = match (&request.unit, item.responsible_unit_id) {
                (Some(_), _) => found.next().ok_or_else(|| StoreError::invalid("unit", "请指定责任单位"))?,
                (None, Some(kept)) => {
                    let unit = units::get_in(c, &Scope::everything(), UnitId(kept)).await?;
                    if !unit.active {
                        return Err(StoreError::invalid("unit", format!("单位“{}”已停用", unit.name)));
                    }
                    unit
                }
                (None, None) => return Err(StoreError::invalid("unit", "请指定责任单位")),
            };
            let lead = match &request.lead_unit {
                Some(Some(_)) => Some(found.next()),
                Some(None) => Some(None),
                None => None,
            };
            let cooperating: Vec<Unit> = found.collect();
            let assigned_on = request.assigned_on.unwrap_or(today);
            bangdu_domain::dates::in_window("assigned_on", assigned_on)?;
            let deadline = match (input.deadline, input.deadline_workdays) {
                (Some(date), _) if date < assigned_on => {
                    return Err(StoreError::invalid("deadline", "期限不能早于交办日期"));
                }
                (Some(date), _) => date,
                (None, Some(n)) => cal.add_workdays(assigned_on, n)?,
                (None, None) => return Err(StoreError::invalid("deadline", "请给出期限")),
            };
            let provisional = input.deadline.is_none() && cal.provisional_in(assigned_on, deadline).is_some();
            within_parent(c, &item, deadline, "deadline").await?;
            unlink_role(c, id, "responsible").await?;
            link_unit(c, id, unit.unit_id(), "responsible").await?;
            if let Some(lead) = lead {
                unlink_role(c, id, "lead").await?;
                if let Some(lead) = &lead {
                    link_unit(c, id, lead.unit_id(), "lead").await?;
                }
                update.value(Items::LeadUnitId, lead.map(|u| u.id));
            }
            if request.cooperating_units.is_some() {
                unlink_role(c, id, "cooperating").await?;
                for unit in &cooperating {
                    link_unit(c, id, unit.unit_id(), "cooperating").await?;
                }
            }
            update
                .value(Items::ResponsibleUnitId, unit.id)
                .value(Items::AssignedOn, assigned_on)
                .value(Items::Deadline, deadline)
                .value(Items::DeadlineProvisional, provisional)
                .value(Items::DeadlineWorkdays, input.deadline_workdays.map(i64::from))
                .value(Items::PausedSince, Option::<NaiveDate>::None)
                .value(Items::PausedWorkdays, 0i64)
                .value(Items::Escalation, Escalation::None.level())
                .value(Items::EscalatedOn, Option::<NaiveDate>::None);
            payload.insert("unit".into(), json!(unit.code));
            payload.insert("assigned_on".into(), json!(assigned_on));
            payload.insert("deadline".into(), json!(deadline));
            if let Some(n) = input.deadline_workdays {
                payload.insert("deadline_workdays".into(), json!(n));
            }
            notice = Some(Notice::Assigned);
        }
        Effect::RequestClose => {
            refuse_open_children(c, id).await?;
            update
                .value(Items::CloseMeasures, input.measures.clone())
                .value(Items::CloseResult, input.result.clone())
                .value(Items::CloseRequestedBy, actor.user_id.map(|u| u.0))
                .value(Items::CloseRequestedAt, now());
            payload.insert("measures".into(), json!(input.measures));
            payload.insert("result".into(), json!(input.result));
            notice = Some(Notice::CloseRequested);
        }
        Effect::Close => {
            refuse_open_children(c, id).await?;
            update.value(Items::ClosedAt, now()).value(Items::ClosedBy, actor.user_id.map(|u| u.0));
            payload.insert("opinion".into(), json!(input.opinion.as_deref().map(str::trim)));
            notice = Some(Notice::Closed);
        }
        Effect::Confirm => {
            update.value(Items::ConfirmedAt, now());
        }
        Effect::Reopen => {
            // A new deadline from the reopen (the old one passed long ago): a date, or working
            // days from today, by default the setting's. The write-off is undone, its request
            // cleared from the item (the record keeps both).
            let (deadline, workdays) = match (input.deadline, input.deadline_workdays) {
                (Some(date), _) if date < today => {
                    return Err(StoreError::invalid("deadline", "新期限不能早于今天"));
                }
                (Some(date), _) => (date, None),
                (None, given) => {
                    let n = match given {
                        Some(n) => n,
                        None => u32::try_from(settings::get_i64(c, settings::REOPEN_WORKDAYS).await?).unwrap_or(10),
                    };
                    (cal.add_workdays(today, n)?, Some(n))
                }
            };
            let provisional = workdays.is_some() && cal.provisional_in(today, deadline).is_some();
            undo_write_off(&mut update);
            update
                .value(Items::CloseMeasures, Option::<String>::None)
                .value(Items::CloseResult, Option::<String>::None)
                .value(Items::Deadline, deadline)
                .value(Items::DeadlineProvisional, provisional)
                .value(Items::DeadlineWorkdays, workdays.map(i64::from));
            payload.insert("deadline".into(), json!(deadline));
            if let Some(n) = workdays {
                payload.insert("workdays".into(), json!(n));
            }
            closed_parents = closed_ancestors(c, &item).await?;
            if !closed_parents.is_empty() {
                let codes: Vec<&str> = closed_parents.iter().map(|p| p.code.as_str()).collect();
                payload.insert("reopens_parents".into(), json!(codes));
            }
            reopened_until = Some((deadline, provisional));
            notice = Some(Notice::Reopened);
        }
        Effect::RequestExtension => {
            let current = item.deadline.unwrap_or(today);
            let wanted = match (input.deadline, input.deadline_workdays) {
                (Some(date), _) => date,
                (None, Some(n)) => cal.add_workdays(current, n)?,
                (None, None) => return Err(StoreError::invalid("deadline", "请给出新的期限")),
            };
            if wanted <= current {
                return Err(StoreError::invalid("deadline", format!("新期限应晚于当前期限 {current}")));
            }
            update
                .value(Items::ExtDeadline, wanted)
                .value(Items::ExtReason, input.reason.clone())
                .value(Items::ExtRequestedBy, actor.user_id.map(|u| u.0));
            payload.insert("deadline".into(), json!(wanted));
            payload.insert("current_deadline".into(), json!(current));
            notice = Some(Notice::ExtensionRequested);
        }
        Effect::ApproveExtension => {
            if let Some(wanted) = item.ext_deadline {
                within_parent(c, &item, wanted, "deadline").await?;
            }
            // Whether the wanted date was typed or counted is not kept: one in a year whose notice is
            // not loaded is shown 暂定.
            let provisional = item.ext_deadline.is_some_and(|d| cal.is_provisional(d.year()));
            update
                .value(Items::Deadline, item.ext_deadline)
                .value(Items::DeadlineProvisional, provisional)
                .value(Items::DeadlineWorkdays, Option::<i64>::None)
                .value(Items::Escalation, Escalation::None.level())
                .value(Items::EscalatedOn, Option::<NaiveDate>::None);
            clear_extension(&mut update);
            payload.insert("deadline".into(), json!(item.ext_deadline));
            payload.insert("previous_deadline".into(), json!(item.deadline));
            notice = Some(Notice::ExtensionApproved);
        }
        Effect::RejectExtension => {
            clear_extension(&mut update);
            payload.insert("requested_deadline".into(), json!(item.ext_deadline));
            notice = Some(Notice::ExtensionRejected);
        }
        Effect::Pause => {
            update.value(Items::PausedSince, today);
            payload.insert("paused_on".into(), json!(today));
        }
        Effect::Resume => {
            let since = item.paused_since.unwrap_or(today);
            // Working days of the pause do not count: the deadline moves by as many.
            let paused = Ord::max(cal.count_workdays(since, today)?, 0);
            let deadline = match item.deadline {
                Some(d) if paused > 0 => Some(cal.add_workdays(d, u32::try_from(paused).unwrap_or(u32::MAX))?),
                other => other,
            };
            update
                .value(Items::PausedSince, Option::<NaiveDate>::None)
                .value(Items::PausedWorkdays, Expr::col(Items::PausedWorkdays).add(paused))
                .value(
                    Items::DeadlineProvisional,
                    item.deadline_provisional
                        || deadline.zip(item.deadline).is_some_and(|(d, old)| cal.provisional_in(old, d).is_some()),
                )
                .value(Items::Deadline, deadline);
            payload.insert("paused_workdays".into(), json!(paused));
            payload.insert("deadline".into(), json!(deadline));
        }
        Effect::None => {
            notice = match request.action {
                Action::Decline => Some(Notice::Declined),
                Action::Return => {
                    update.value(Items::CloseRequestedBy, Option::<i64>::None);
                    Some(Notice::Returned)
                }
                Action::Cancel => Some(Notice::Cancelled),
                _ => None,
            };
            if request.action == Action::Report {
                payload.insert("note".into(), json!(input.note));
            }
        }
    }
    let attachments = take_attachments(c, actor, id, &request).await?;
    update
        .value(Items::UpdatedAt, now())
        .value(Items::Version, Expr::col(Items::Version).add(1))
        .and_where(Expr::col(Items::Id).eq(id))
        .and_where(Expr::col(Items::Version).eq(request.version));
    if c.execute(&update).await? == 0 {
        return Err(StoreError::VersionConflict);
    }
    // The visibility index holds the state, the deadline and the linked units: refresh it only
    // when one of them may have changed (a progress report, the commonest action, changes none).
    let moves_index = outcome.to != item.state()
        || matches!(outcome.effect, Effect::Assign | Effect::ApproveExtension | Effect::Resume);
    if moves_index {
        crate::item_access::refresh(c, &[id]).await?;
    }
    let mut change = json!({"from": item.state, "to": outcome.to.code(), "payload": Value::Object(payload)});
    if let Some(reason) = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        change["reason"] = json!(reason);
    }
    if !attachments.is_empty() {
        change["attachments"] = json!(attachments);
    }
    let role = acting_role(request.action, &facts);
    let seq = audit::append(
        c,
        actor,
        AuditEvent {
            role: Some(role.into()),
            ..AuditEvent::new(event_name(request.action), "item", id).change(change)
        },
    )
    .await?;
    if !attachments.is_empty() {
        c.execute(
            Query::update()
                .table(Attachments::Table)
                .value(Attachments::Action, request.action.code())
                .value(Attachments::AuditSeq, seq)
                .and_where(Expr::col(Attachments::Id).is_in(attachments.iter().copied())),
        )
        .await?;
    }
    if let Some(until) = reopened_until {
        let reason = input.reason.as_deref().unwrap_or("").trim();
        reopen_parents(c, actor, &item, closed_parents, until, reason).await?;
    }
    notify::answered(c, id, answers(request.action)).await?;
    // The citizens whose appeals became this item hear of its write-off, and of its 回头看.
    match outcome.effect {
        Effect::Close => crate::appeals::transfer::item_closed(c, actor, &item, input.opinion.as_deref()).await?,
        Effect::Reopen => {
            crate::appeals::transfer::item_reopened(c, actor, &item, input.reason.as_deref().unwrap_or("")).await?
        }
        _ => {}
    }
    let after = query::fetch(c, id).await?;
    if let Some(notice) = notice {
        notify::item_event(c, &mut Recipients::default(), &after, notice).await?;
    }
    Ok(after)
}

/// The written-off items above this one, nearest first, up to the first that is not closed.
async fn closed_ancestors(c: &mut Conn<'_>, item: &ItemRow) -> Result<Vec<ItemRow>> {
    let mut out = Vec::new();
    let mut next = item.parent_id;
    while let Some(id) = next {
        let parent = query::fetch(c, id).await?;
        if parent.state() != ItemState::Closed {
            break;
        }
        next = parent.parent_id;
        out.push(parent);
    }
    Ok(out)
}

/// A child's deadline may not fall after its parent's while the parent runs: the parent could
/// then never be written off on time (it waits for every child).
pub(crate) async fn within_parent(c: &mut Conn<'_>, item: &ItemRow, deadline: NaiveDate, field: &str) -> Result<()> {
    let Some(parent_id) = item.parent_id else { return Ok(()) };
    let parent = query::fetch(c, parent_id).await?;
    match parent.deadline {
        Some(limit) if parent.state().is_open() && deadline > limit => Err(StoreError::invalid(
            field,
            format!("子事项期限 {deadline} 晚于上级事项 {} 的期限 {limit}，请先延长上级事项期限", parent.code),
        )),
        _ => Ok(()),
    }
}

/// What every 回头看 undoes, on the item itself or on a parent it brings back: the write-off and
/// its request, the confirmation, and the ladder (a new deadline starts it again).
fn undo_write_off(update: &mut sea_query::UpdateStatement) {
    let none_at = Option::<chrono::DateTime<chrono::Utc>>::None;
    update
        .value(Items::ReopenCount, Expr::col(Items::ReopenCount).add(1))
        .value(Items::ConfirmedAt, none_at)
        .value(Items::ClosedAt, none_at)
        .value(Items::ClosedBy, Option::<i64>::None)
        .value(Items::CloseRequestedBy, Option::<i64>::None)
        .value(Items::CloseRequestedAt, none_at)
        .value(Items::EscalatedOn, Option::<NaiveDate>::None)
        .value(Items::Escalation, Escalation::None.level());
}

/// Reopens the written-off parents of a reopened child (a parent cannot stand closed over an open
/// child), each with the child's new deadline when its own is earlier; each event says which
/// child brought it back, and the units are told as for any 回头看.
async fn reopen_parents(
    c: &mut Conn<'_>,
    actor: &Actor,
    child: &ItemRow,
    parents: Vec<ItemRow>,
    (until, until_provisional): (NaiveDate, bool),
    reason: &str,
) -> Result<()> {
    for parent in parents {
        // The parent keeps its own deadline when it is later, 暂定 or not; else it takes the child's.
        let (deadline, provisional) = match parent.deadline.filter(|d| *d >= until) {
            Some(own) => (own, parent.deadline_provisional),
            None => (until, until_provisional),
        };
        let mut update = Query::update();
        undo_write_off(&mut update);
        update
            .table(Items::Table)
            .value(Items::State, ItemState::InProgress.code())
            .value(Items::Deadline, deadline)
            .value(Items::DeadlineProvisional, provisional)
            .value(Items::DeadlineWorkdays, Option::<i64>::None)
            .value(Items::UpdatedAt, now())
            .value(Items::Version, Expr::col(Items::Version).add(1))
            .and_where(Expr::col(Items::Id).eq(parent.id));
        c.execute(&update).await?;
        crate::item_access::refresh(c, &[parent.id]).await?;
        let mut change = json!({"from": parent.state, "to": ItemState::InProgress.code(),
            "payload": {"child": child.code, "deadline": deadline}});
        let why = format!("子事项 {} 回头看重启", child.code);
        change["reason"] = json!(if reason.is_empty() { why } else { format!("{why}：{reason}") });
        audit::append(
            c,
            actor,
            AuditEvent {
                role: Some("office".into()),
                ..AuditEvent::new("item.reopen", "item", parent.id).change(change)
            },
        )
        .await?;
        let after = query::fetch(c, parent.id).await?;
        notify::item_event(c, &mut Recipients::default(), &after, Notice::Reopened).await?;
    }
    Ok(())
}

/// The notices (by event) an action answers or makes moot: a 待办 once somebody has acted on it,
/// and the deadline reminders and 催办 once the item is written off, cancelled or given more time.
fn answers(action: Action) -> &'static [&'static str] {
    const LADDER: [&str; 4] = ["item.reminder", "item.urge", "item.supervise", "item.bulletin"];
    match action {
        Action::Accept | Action::Decline => &["item.assigned"],
        Action::Return => &["item.close_requested"],
        Action::ApproveClose => &["item.close_requested", LADDER[0], LADDER[1], LADDER[2], LADDER[3]],
        Action::ApproveExtension => &["item.extension_requested", LADDER[0], LADDER[1], LADDER[2], LADDER[3]],
        Action::RejectExtension => &["item.extension_requested"],
        Action::Assign => &["item.declined"],
        Action::Cancel => &[
            "item.assigned",
            "item.close_requested",
            "item.extension_requested",
            "item.declined",
            LADDER[0],
            LADDER[1],
            LADDER[2],
            LADDER[3],
        ],
        _ => &[],
    }
}

fn clear_extension(update: &mut UpdateStatement) {
    let none_date: SimpleExpr = Expr::val(Option::<NaiveDate>::None);
    update
        .value(Items::ExtDeadline, none_date)
        .value(Items::ExtReason, Option::<String>::None)
        .value(Items::ExtRequestedBy, Option::<i64>::None);
}

async fn refuse_open_children(c: &mut Conn<'_>, id: ItemId) -> Result<()> {
    let open = query::open_children(c, id).await?;
    if open > 0 {
        return Err(StoreError::conflict("open_children", format!("还有 {open} 个子事项未销号，不能销号")));
    }
    Ok(())
}

/// The audit action for a lifecycle action (`item.assign`, `item.approve_close`, …).
pub fn event_name(action: Action) -> &'static str {
    match action {
        Action::Register => "item.register",
        Action::Assign => "item.assign",
        Action::Decline => "item.decline",
        Action::Accept => "item.accept",
        Action::Report => "item.report",
        Action::RequestClose => "item.request_close",
        Action::ApproveClose => "item.approve_close",
        Action::Return => "item.return",
        Action::Confirm => "item.confirm",
        Action::Reopen => "item.reopen",
        Action::RequestExtension => "item.request_extension",
        Action::ApproveExtension => "item.approve_extension",
        Action::RejectExtension => "item.reject_extension",
        Action::Pause => "item.pause",
        Action::Resume => "item.resume",
        Action::Cancel => "item.cancel",
    }
}

/// The capacity in which the action was taken, for the record.
fn acting_role(action: Action, facts: &bangdu_domain::item::ActorFacts) -> &'static str {
    match action {
        Action::Decline | Action::Accept | Action::Report | Action::RequestClose | Action::RequestExtension => "unit",
        Action::Confirm | Action::Reopen if !facts.owner => "inspector",
        _ => "office",
    }
}

/// Attachments named by the request must belong to this item, be unused, and be the actor's own.
async fn take_attachments(
    c: &mut Conn<'_>,
    actor: &Actor,
    item: ItemId,
    request: &ActionRequest,
) -> Result<Vec<AttachmentId>> {
    if request.attachments.is_empty() {
        return Ok(vec![]);
    }
    let mut ids = request.attachments.clone();
    ids.sort_unstable();
    ids.dedup();
    let found = super::attachments::list_of(c, item).await?;
    for id in &ids {
        let Some(a) = found.iter().find(|a| a.id == *id) else {
            return Err(StoreError::invalid("attachments", format!("附件 {id} 不属于本事项")));
        };
        if a.action.is_some() {
            return Err(StoreError::invalid("attachments", format!("附件“{}”已用于其他操作", a.filename)));
        }
        if !actor.is_system() && a.uploaded_by != actor.user_id.map(|u| u.0) {
            return Err(StoreError::invalid("attachments", format!("附件“{}”不是您上传的", a.filename)));
        }
    }
    Ok(ids)
}
