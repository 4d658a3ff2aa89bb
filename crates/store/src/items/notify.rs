//! Notifications about items: the in-app inbox (待办, 催办, 退回, 到期), a webhook call to each
//! unit concerned, and e-mail/SMS to people who have an address — all written in the same
//! transaction as the change, so a notice exists exactly when its change does. Sending happens
//! later, from the outbox (`deliveries`).

use crate::db::Conn;
use crate::deliveries::{self, Outgoing};
use crate::error::Result;
use crate::items::ItemRow;
use crate::tables::{NotificationRow, Notifications, RoleGrants, UnitWebhooks, Units, Users};
use crate::time::now;
use bangdu_domain::item::Escalation;
use bangdu_domain::role::Role;
use bangdu_domain::{ItemId, NotificationId, WebhookId};
use sea_query::{Expr, ExprTrait, Query};
use serde_json::json;
use std::collections::HashMap;

/// What happened to an item that people should hear about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Assigned,
    Declined,
    CloseRequested,
    Returned,
    Closed,
    Reopened,
    ExtensionRequested,
    ExtensionApproved,
    ExtensionRejected,
    Cancelled,
    Escalated(Escalation),
    /// A 暂定 deadline counted again when its year's notice was loaded.
    DeadlineRecounted,
}

/// The inbox kinds users filter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Todo,
    Urge,
    Returned,
    Due,
    Info,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Todo => "todo",
            Kind::Urge => "urge",
            Kind::Returned => "returned",
            Kind::Due => "due",
            Kind::Info => "info",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Todo => "待办",
            Kind::Urge => "催办",
            Kind::Returned => "退回",
            Kind::Due => "到期",
            Kind::Info => "通知",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        [Kind::Todo, Kind::Urge, Kind::Returned, Kind::Due, Kind::Info]
            .into_iter()
            .find(|k| k.code() == text || k.label() == text)
    }
}

/// Who should hear about a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Audience {
    /// The responsible unit's liaisons.
    Unit,
    /// The responsible and the lead unit's liaisons.
    UnitAndLead,
    /// The office users whose jurisdiction holds the item's registering unit.
    Office,
    /// Everybody concerned: units, offices and leaders.
    Everyone,
}

fn describe(notice: Notice, item: &ItemRow) -> (Kind, Audience, &'static str, String) {
    let deadline = item.deadline.map(|d| d.to_string()).unwrap_or_default();
    match notice {
        Notice::Assigned => {
            (Kind::Todo, Audience::Unit, "item.assigned", format!("新交办事项：{}（期限 {deadline}）", item.title))
        }
        Notice::Declined => {
            (Kind::Returned, Audience::Office, "item.declined", format!("事项被退回，请改派：{}", item.title))
        }
        Notice::CloseRequested => {
            (Kind::Todo, Audience::Office, "item.close_requested", format!("申请销号待审核：{}", item.title))
        }
        Notice::Returned => {
            (Kind::Returned, Audience::Unit, "item.returned", format!("销号申请被退回重办：{}", item.title))
        }
        Notice::Closed => (Kind::Info, Audience::Unit, "item.closed", format!("事项已销号：{}", item.title)),
        Notice::Reopened => (
            Kind::Returned,
            Audience::Unit,
            "item.reopened",
            format!("回头看发现问题，事项重新办理（期限 {deadline}）：{}", item.title),
        ),
        Notice::ExtensionRequested => {
            (Kind::Todo, Audience::Office, "item.extension_requested", format!("申请延期待审核：{}", item.title))
        }
        Notice::ExtensionApproved => (
            Kind::Info,
            Audience::Unit,
            "item.extension_approved",
            format!("延期已同意，新期限 {deadline}：{}", item.title),
        ),
        Notice::ExtensionRejected => {
            (Kind::Returned, Audience::Unit, "item.extension_rejected", format!("延期申请未同意：{}", item.title))
        }
        Notice::Cancelled => (Kind::Info, Audience::Unit, "item.cancelled", format!("事项已撤销：{}", item.title)),
        Notice::DeadlineRecounted => (
            Kind::Due,
            Audience::Unit,
            "item.deadline_recounted",
            format!("节假日安排已载入，暂定期限重新计算为 {deadline}：{}", item.title),
        ),
        Notice::Escalated(level) => match level {
            Escalation::Reminder => {
                (Kind::Due, Audience::Unit, "item.reminder", format!("临近期限（{deadline}）：{}", item.title))
            }
            Escalation::Urge => (
                Kind::Urge,
                Audience::Unit,
                "item.urge",
                format!("催办：事项已逾期（期限 {deadline}）：{}", item.title),
            ),
            Escalation::Supervise => (
                Kind::Urge,
                Audience::UnitAndLead,
                "item.supervise",
                format!("督办：逾期未办结，请牵头单位督促：{}", item.title),
            ),
            Escalation::Bulletin | Escalation::None => {
                (Kind::Urge, Audience::Everyone, "item.bulletin", format!("通报：逾期未办结，列入通报：{}", item.title))
            }
        },
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct Person {
    id: i64,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct Hook {
    id: WebhookId,
    url: String,
    secret: String,
}

/// Recipients looked up once per unit (the escalation job notifies about many items at a time).
#[derive(Default)]
pub struct Recipients {
    people: HashMap<(i64, &'static str), Vec<Person>>,
    above: HashMap<(i64, &'static str), Vec<Person>>,
    hooks: HashMap<i64, Vec<Hook>>,
    channels: Option<deliveries::Channels>,
}

impl Recipients {
    /// Active users holding `role` in exactly this unit.
    async fn in_unit(&mut self, c: &mut Conn<'_>, unit: i64, role: Role) -> Result<Vec<Person>> {
        if let Some(found) = self.people.get(&(unit, role.code())) {
            return Ok(found.clone());
        }
        let found: Vec<Person> = c
            .fetch_all(
                Query::select()
                    .columns([(Users::Table, Users::Id), (Users::Table, Users::Email), (Users::Table, Users::Phone)])
                    .from(Users::Table)
                    .inner_join(
                        RoleGrants::Table,
                        Expr::col((RoleGrants::Table, RoleGrants::UserId)).equals((Users::Table, Users::Id)),
                    )
                    .and_where(Expr::col((RoleGrants::Table, RoleGrants::UnitId)).eq(unit))
                    .and_where(Expr::col((RoleGrants::Table, RoleGrants::Role)).eq(role.code()))
                    .and_where(Expr::col((Users::Table, Users::Active)).eq(true)),
            )
            .await?;
        self.people.insert((unit, role.code()), found.clone());
        Ok(found)
    }

    /// Active users holding `role` in this unit or any unit above it (their jurisdiction holds it).
    async fn over_unit(&mut self, c: &mut Conn<'_>, unit: i64, role: Role) -> Result<Vec<Person>> {
        if let Some(found) = self.above.get(&(unit, role.code())) {
            return Ok(found.clone());
        }
        #[derive(sqlx::FromRow)]
        struct PathRow {
            path: String,
        }
        let path: Option<PathRow> = c
            .fetch_optional(
                Query::select().column(Units::Path).from(Units::Table).and_where(Expr::col(Units::Id).eq(unit)),
            )
            .await?;
        // The path holds the ids of the unit and its ancestors.
        let ancestors: Vec<i64> =
            path.map(|p| p.path.split('/').filter_map(|s| s.parse().ok()).collect()).unwrap_or_default();
        let found: Vec<Person> = c
            .fetch_all(
                Query::select()
                    .distinct()
                    .columns([(Users::Table, Users::Id), (Users::Table, Users::Email), (Users::Table, Users::Phone)])
                    .from(Users::Table)
                    .inner_join(
                        RoleGrants::Table,
                        Expr::col((RoleGrants::Table, RoleGrants::UserId)).equals((Users::Table, Users::Id)),
                    )
                    .and_where(Expr::col((RoleGrants::Table, RoleGrants::UnitId)).is_in(ancestors))
                    .and_where(Expr::col((RoleGrants::Table, RoleGrants::Role)).eq(role.code()))
                    .and_where(Expr::col((Users::Table, Users::Active)).eq(true)),
            )
            .await?;
        self.above.insert((unit, role.code()), found.clone());
        Ok(found)
    }

    async fn hooks(&mut self, c: &mut Conn<'_>, unit: i64) -> Result<Vec<Hook>> {
        if let Some(found) = self.hooks.get(&unit) {
            return Ok(found.clone());
        }
        let found: Vec<Hook> = c
            .fetch_all(
                Query::select()
                    .columns([UnitWebhooks::Id, UnitWebhooks::Url, UnitWebhooks::Secret])
                    .from(UnitWebhooks::Table)
                    .and_where(Expr::col(UnitWebhooks::UnitId).eq(unit))
                    .and_where(Expr::col(UnitWebhooks::Active).eq(true)),
            )
            .await?;
        self.hooks.insert(unit, found.clone());
        Ok(found)
    }

    async fn channels(&mut self, c: &mut Conn<'_>) -> Result<deliveries::Channels> {
        if let Some(ch) = &self.channels {
            return Ok(ch.clone());
        }
        let ch = deliveries::Channels::load(c).await?;
        self.channels = Some(ch.clone());
        Ok(ch)
    }
}

/// Notifies everybody concerned about something that happened to an item.
pub async fn item_event(c: &mut Conn<'_>, recipients: &mut Recipients, item: &ItemRow, notice: Notice) -> Result<()> {
    let mut batch = Batch::default();
    batch.add(c, recipients, item, notice).await?;
    batch.write(c).await
}

/// Notices for many items at once (the escalation job raises thousands in one run): written with
/// a few multi-row inserts instead of one per notice.
pub async fn item_events(
    c: &mut Conn<'_>,
    recipients: &mut Recipients,
    notices: impl IntoIterator<Item = (ItemRow, Notice)>,
) -> Result<()> {
    let mut batch = Batch::default();
    for (item, notice) in notices {
        batch.add(c, recipients, &item, notice).await?;
        if batch.rows.len() >= 5_000 {
            std::mem::take(&mut batch).write(c).await?;
        }
    }
    batch.write(c).await
}

/// Inbox rows and outgoing messages waiting to be written.
#[derive(Default)]
struct Batch {
    rows: Vec<NotificationRow>,
    outgoing: Vec<Outgoing>,
}

impl Batch {
    async fn add(
        &mut self,
        c: &mut Conn<'_>,
        recipients: &mut Recipients,
        item: &ItemRow,
        notice: Notice,
    ) -> Result<()> {
        let (kind, audience, event, title) = describe(notice, item);
        let mut people: Vec<Person> = Vec::new();
        let mut units: Vec<i64> = Vec::new();
        let unit_side = matches!(audience, Audience::Unit | Audience::UnitAndLead | Audience::Everyone);
        if unit_side && let Some(unit) = item.responsible_unit_id {
            people.extend(recipients.in_unit(c, unit, Role::Unit).await?);
            units.push(unit);
        }
        if matches!(audience, Audience::UnitAndLead | Audience::Everyone)
            && let Some(lead) = item.lead_unit_id.filter(|l| Some(*l) != item.responsible_unit_id)
        {
            people.extend(recipients.in_unit(c, lead, Role::Unit).await?);
            units.push(lead);
        }
        if matches!(audience, Audience::Office | Audience::Everyone) {
            people.extend(recipients.over_unit(c, item.owner_unit_id, Role::Office).await?);
        }
        if audience == Audience::Everyone {
            people.extend(recipients.over_unit(c, item.owner_unit_id, Role::Leader).await?);
        }
        people.sort_by_key(|p| p.id);
        people.dedup_by_key(|p| p.id);
        let at = now();
        for person in &people {
            self.rows.push(NotificationRow {
                id: NotificationId(0),
                user_id: person.id,
                kind: kind.code().into(),
                title: title.clone(),
                body: Some(item.code.clone()),
                item_id: Some(item.id),
                created_at: at,
                read_at: None,
                event: Some(event.into()),
            });
        }
        let payload = json!({
            "event": event,
            "at": at,
            "item": {
                "id": item.id, "code": item.code, "title": item.title, "state": item.state,
                "responsible_unit": item.responsible_code, "lead_unit": item.lead_code,
                "deadline": item.deadline, "escalation": item.escalation().code(),
            },
        });
        for unit in units {
            for hook in recipients.hooks(c, unit).await? {
                self.outgoing.push(Outgoing::Webhook {
                    webhook_id: hook.id,
                    url: hook.url,
                    secret: hook.secret,
                    payload: payload.clone(),
                });
            }
        }
        let channels = recipients.channels(c).await?;
        for person in &people {
            if let (true, Some(email)) = (channels.email, person.email.as_ref()) {
                self.outgoing.push(Outgoing::Email {
                    to: email.clone(),
                    subject: format!("【帮督】{}", kind.label()),
                    body: format!("{title}\n事项编号：{}", item.code),
                });
            }
            if let (true, Some(phone), Kind::Urge | Kind::Due) = (channels.sms, person.phone.as_ref(), kind) {
                self.outgoing
                    .push(Outgoing::Sms { to: phone.clone(), text: format!("【帮督】{title}（{}）", item.code) });
            }
        }
        Ok(())
    }

    async fn write(self, c: &mut Conn<'_>) -> Result<()> {
        // 8 values a row: 500 rows stay far below SQLite's and PostgreSQL's parameter limits.
        let columns = Notifications::insert_columns();
        for chunk in self.rows.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(Notifications::Table).columns(columns.clone());
            for row in chunk {
                insert.values_panic(row.values(&columns));
            }
            c.execute(&insert).await?;
        }
        deliveries::enqueue(c, self.outgoing).await
    }
}

/// Marks the item's unread 待办 raised by these events as read: somebody has answered them (the
/// unit signed for the item, the office decided on the write-off or the extension), so they no
/// longer wait in anybody's inbox.
pub async fn answered(c: &mut Conn<'_>, item_id: ItemId, events: &[&str]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    c.execute(
        Query::update()
            .table(Notifications::Table)
            .value(Notifications::ReadAt, now())
            .and_where(Expr::col(Notifications::ItemId).eq(item_id))
            .and_where(Expr::col(Notifications::Event).is_in(events.iter().copied()))
            .and_where(Expr::col(Notifications::ReadAt).is_null()),
    )
    .await?;
    Ok(())
}
