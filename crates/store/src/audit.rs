//! 全记录: appending to and verifying the hash-chained audit log.
//!
//! An event is appended inside the same transaction as the change it records. Appending updates
//! the single `audit_head` row first, which on PostgreSQL locks it until commit: events get gap-free
//! sequence numbers in commit order even when several nodes write at once.

use crate::actor::Actor;
use crate::db::{Conn, Db};
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged};
use crate::settings;
pub use crate::tables::EventRow;
use crate::tables::{AuditEvents, AuditHead};
use crate::text_match;
use crate::time::now;
use bangdu_domain::audit_chain::{AuditFields, ChainBreak, ChainVerifier, StoredEvent};
use bangdu_domain::permission::Permission;
use bangdu_domain::text::escape_unstorable;
use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, Func, Order, Query};
use serde::Serialize;
use serde_json::Value;

/// Events younger than this can never be purged (等保 asks for at least six months of logs).
pub const MIN_RETENTION_DAYS: i64 = 184;

/// One change to record.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub change: Value,
    pub result: &'static str,
    /// The role(s) the actor acted in; filled from the permission when not given.
    pub role: Option<String>,
}

impl AuditEvent {
    pub fn new(action: &'static str, object_type: &'static str, object_id: impl ToString) -> AuditEvent {
        AuditEvent {
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            change: Value::Null,
            result: "ok",
            role: None,
        }
    }

    pub fn change(mut self, change: Value) -> AuditEvent {
        self.change = change;
        self
    }

    pub fn result(mut self, result: &'static str) -> AuditEvent {
        self.result = result;
        self
    }

    /// Records the roles under which the actor holds `permission`.
    pub fn acting_as(mut self, actor: &Actor, permission: Permission) -> AuditEvent {
        self.role = actor.acting_roles(permission);
        self
    }
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    seq: i64,
    hash: String,
}

/// Appends an event; returns its sequence number. Call it inside the transaction of the change.
pub async fn append(c: &mut Conn<'_>, actor: &Actor, event: AuditEvent) -> Result<i64> {
    append_many(c, actor, vec![event]).await
}

/// Appends several events by one actor in one go (a background job's steps): the head is moved
/// once, the hashes are chained in memory, and the rows are inserted in a few statements.
/// Returns the sequence number of the last event.
pub async fn append_many(c: &mut Conn<'_>, actor: &Actor, events: Vec<AuditEvent>) -> Result<i64> {
    let at = now();
    let fields = events
        .into_iter()
        .map(|event| AuditFields {
            seq: 0,
            at,
            actor_id: actor.user_id.map(|u| u.0),
            actor_name: actor.username.clone(),
            actor_role: event.role.or_else(|| actor.role_codes()),
            source_ip: actor.source_ip.clone(),
            action: event.action.to_string(),
            object_type: event.object_type.to_string(),
            object_id: event.object_id,
            change: if Value::is_null(&event.change) { "{}".to_string() } else { event.change.to_string() },
            result: event.result.to_string(),
        })
        .collect();
    append_fields(c, fields).await
}

/// Appends events given field by field (each with its own time and actor), numbering and chaining
/// them: the generator of benchmark data writes its history this way. `seq` is assigned here.
/// Returns the sequence number of the last event.
pub async fn append_fields(c: &mut Conn<'_>, mut events: Vec<AuditFields>) -> Result<i64> {
    let count = events.len() as i64;
    if count == 0 {
        return Err(StoreError::Internal("no audit events to append".into()));
    }
    let algorithm = settings::hash_algorithm(c).await?;
    // Moving the head first locks it (PostgreSQL) until commit: sequence numbers follow commit order.
    let head: HeadRow = c
        .fetch_one(
            Query::update()
                .table(AuditHead::Table)
                .value(AuditHead::Seq, Expr::col(AuditHead::Seq).add(count))
                .and_where(Expr::col(AuditHead::Id).eq(1))
                .returning(Query::returning().columns([AuditHead::Seq, AuditHead::Hash])),
        )
        .await?;
    let first = head.seq - count + 1;
    let mut prev = head.hash;
    let mut rows = Vec::with_capacity(events.len());
    for (i, mut fields) in events.drain(..).enumerate() {
        fields.seq = first + i as i64;
        // What people typed (a refused sign-in's name) is kept even when it cannot be stored as
        // sent: escaped, reversibly, so the chain and a move to PostgreSQL never meet a NUL.
        fields.actor_name = escape_unstorable(&fields.actor_name);
        fields.object_id = fields.object_id.as_deref().map(escape_unstorable);
        fields.source_ip = fields.source_ip.as_deref().map(escape_unstorable);
        let hash = fields.hash(algorithm, &prev);
        rows.push((fields, prev, hash.clone()));
        prev = hash;
    }
    // 14 values a row; 400 rows stay well under SQLite's limit of bound variables.
    for chunk in rows.chunks(400) {
        let mut insert = Query::insert();
        insert.into_table(AuditEvents::Table).columns(AuditEvents::COLUMNS.iter().copied());
        for (fields, prev_hash, hash) in chunk {
            let row = EventRow {
                seq: fields.seq,
                at: fields.at,
                actor_id: fields.actor_id,
                actor_name: fields.actor_name.clone(),
                actor_role: fields.actor_role.clone(),
                source_ip: fields.source_ip.clone(),
                action: fields.action.clone(),
                object_type: fields.object_type.clone(),
                object_id: fields.object_id.clone(),
                change: fields.change.clone(),
                result: fields.result.clone(),
                algorithm: algorithm.code().into(),
                prev_hash: prev_hash.clone(),
                hash: hash.clone(),
            };
            insert.values_panic(row.values(AuditEvents::COLUMNS));
        }
        c.execute(&insert).await?;
    }
    c.execute(
        Query::update().table(AuditHead::Table).value(AuditHead::Hash, prev).and_where(Expr::col(AuditHead::Id).eq(1)),
    )
    .await?;
    Ok(head.seq)
}

impl EventRow {
    fn into_stored(self) -> StoredEvent {
        StoredEvent {
            fields: AuditFields {
                seq: self.seq,
                at: self.at,
                actor_id: self.actor_id,
                actor_name: self.actor_name,
                actor_role: self.actor_role,
                source_ip: self.source_ip,
                action: self.action,
                object_type: self.object_type,
                object_id: self.object_id,
                change: self.change,
                result: self.result,
            },
            algorithm: self.algorithm,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// Filters for the audit list.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub actor_id: Option<i64>,
    /// Matches the action exactly or as a prefix ending in `.` (e.g. `unit.`).
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Lists events, newest first. Only those who may read the log (administrators) may.
pub async fn list(c: &mut Conn<'_>, actor: &Actor, filter: &EventFilter, page: PageRequest) -> Result<Paged<EventRow>> {
    actor.require(Permission::ViewAudit)?;
    let mut select = Query::select();
    select.from(AuditEvents::Table);
    if let Some(t) = &filter.object_type {
        select.and_where(Expr::col(AuditEvents::ObjectType).eq(t.as_str()));
    }
    if let Some(id) = &filter.object_id {
        select.and_where(Expr::col(AuditEvents::ObjectId).eq(id.as_str()));
    }
    if let Some(actor) = filter.actor_id {
        select.and_where(Expr::col(AuditEvents::ActorId).eq(actor));
    }
    if let Some(action) = &filter.action {
        if action.ends_with('.') {
            select.and_where(text_match::starts_with(AuditEvents::Action, action));
        } else {
            select.and_where(Expr::col(AuditEvents::Action).eq(action.as_str()));
        }
    }
    if let Some(since) = filter.since {
        select.and_where(Expr::col(AuditEvents::At).gte(since));
    }
    if let Some(until) = filter.until {
        select.and_where(Expr::col(AuditEvents::At).lt(until));
    }
    let total: CountRow = c.fetch_one(select.clone().expr_as(Func::count(Expr::col(AuditEvents::Seq)), "n")).await?;
    let rows: Vec<EventRow> = c
        .fetch_all(
            select
                .columns(AuditEvents::COLUMNS.iter().copied())
                .order_by(AuditEvents::Seq, Order::Desc)
                .limit(page.per_page)
                .offset(page.offset()),
        )
        .await?;
    Ok(Paged { data: rows, total: total.n, page: page.page, per_page: page.per_page })
}

/// The events about one object, oldest first, for those who may read the log.
pub async fn for_object(
    c: &mut Conn<'_>,
    actor: &Actor,
    object_type: &str,
    object_id: &str,
    limit: u64,
) -> Result<Vec<EventRow>> {
    actor.require(Permission::ViewAudit)?;
    events_of(c, object_type, object_id, limit).await
}

/// The events about one object, for a record whose own reader may see its history (an item's).
pub(crate) async fn events_of(
    c: &mut Conn<'_>,
    object_type: &str,
    object_id: &str,
    limit: u64,
) -> Result<Vec<EventRow>> {
    c.fetch_all(
        Query::select()
            .columns(AuditEvents::COLUMNS.iter().copied())
            .from(AuditEvents::Table)
            .and_where(Expr::col(AuditEvents::ObjectType).eq(object_type))
            .and_where(Expr::col(AuditEvents::ObjectId).eq(object_id))
            .order_by(AuditEvents::Seq, Order::Asc)
            .limit(limit),
    )
    .await
}

/// The answer of a verification.
#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    /// Events checked.
    pub events: u64,
    /// The first event that breaks the chain, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<ChainBreak>,
}

#[derive(sqlx::FromRow)]
struct FullHead {
    seq: i64,
    hash: String,
    base_seq: i64,
    base_hash: String,
}

async fn head(c: &mut Conn<'_>) -> Result<FullHead> {
    c.fetch_one(
        Query::select()
            .columns([AuditHead::Seq, AuditHead::Hash, AuditHead::BaseSeq, AuditHead::BaseHash])
            .from(AuditHead::Table)
            .and_where(Expr::col(AuditHead::Id).eq(1)),
    )
    .await
}

/// Re-walks the whole chain from the base (the genesis, or the last purge) to the head.
pub async fn verify(db: &Db, actor: &Actor) -> Result<VerifyReport> {
    actor.require(Permission::ViewAudit)?;
    let mut reader = db.reader().await?;
    let mut c = reader.conn();
    let head = head(&mut c).await?;
    let mut verifier = ChainVerifier::starting_after(head.base_seq, &head.base_hash);
    let mut after = head.base_seq;
    const BATCH: u64 = 5000;
    loop {
        let rows: Vec<EventRow> = c
            .fetch_all(
                Query::select()
                    .columns(AuditEvents::COLUMNS.iter().copied())
                    .from(AuditEvents::Table)
                    .and_where(Expr::col(AuditEvents::Seq).gt(after))
                    .order_by(AuditEvents::Seq, Order::Asc)
                    .limit(BATCH),
            )
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            if let Err(broken) = verifier.push(&row.into_stored()) {
                return Ok(VerifyReport { ok: false, events: verifier.checked(), broken: Some(broken) });
            }
        }
    }
    match verifier.finish(head.seq, &head.hash) {
        Ok(events) => Ok(VerifyReport { ok: true, events, broken: None }),
        Err(broken) => Ok(VerifyReport { ok: false, events: verifier.checked(), broken: Some(broken) }),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct PurgeReport {
    pub deleted: u64,
    /// Verification now starts after this event.
    pub base_seq: i64,
}

#[derive(sqlx::FromRow)]
struct LastBefore {
    seq: i64,
    hash: String,
}

/// Deletes events older than `before`, keeping the chain verifiable from the last deleted event's
/// hash. Refuses when `before` would touch events younger than 184 days.
pub async fn purge(db: &Db, actor: &Actor, before: DateTime<Utc>) -> Result<PurgeReport> {
    let limit = now() - Duration::days(MIN_RETENTION_DAYS);
    if before > limit {
        return Err(StoreError::conflict(
            "audit_retention",
            format!("审计事件至少保留 {MIN_RETENTION_DAYS} 天，只能清理 {} 之前的事件", limit.format("%Y-%m-%d")),
        ));
    }
    let mut tx = db.begin().await?;
    let mut c = tx.conn();
    let last: Option<LastBefore> = c
        .fetch_optional(
            Query::select()
                .columns([AuditEvents::Seq, AuditEvents::Hash])
                .from(AuditEvents::Table)
                .and_where(Expr::col(AuditEvents::At).lt(before))
                .order_by(AuditEvents::Seq, Order::Desc)
                .limit(1),
        )
        .await?;
    let Some(last) = last else {
        let base = head(&mut c).await?.base_seq;
        tx.commit().await?;
        return Ok(PurgeReport { deleted: 0, base_seq: base });
    };
    let deleted = c
        .execute(Query::delete().from_table(AuditEvents::Table).and_where(Expr::col(AuditEvents::Seq).lte(last.seq)))
        .await?;
    c.execute(
        Query::update()
            .table(AuditHead::Table)
            .values([(AuditHead::BaseSeq, last.seq.into()), (AuditHead::BaseHash, last.hash.into())])
            .and_where(Expr::col(AuditHead::Id).eq(1)),
    )
    .await?;
    append(
        &mut c,
        actor,
        AuditEvent::new("audit.purge", "audit", last.seq)
            .change(serde_json::json!({"deleted": deleted, "before": before, "base_seq": last.seq})),
    )
    .await?;
    tx.commit().await?;
    Ok(PurgeReport { deleted, base_seq: last.seq })
}
