//! The personnel pool (人员库): members kept by an office, with their declared conflicts and
//! absences. Whoever can see the keeping office's records sees the member; only the office that may
//! manage the pool sees the phone number. A member's load is counted from the seats, never typed.

use super::load::loads_in_year;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
use crate::scope_sql;
use crate::settings;
use crate::tables::{
    AbsenceRecord, ConflictRecord, MemberRecord, PoolAbsences, PoolConflicts, PoolMembers, Units, Users,
};
use crate::text_match::{contains, ends_with, starts_with};
use crate::time::now;
use crate::units::{self, NamedUnit, Unit};
use bangdu_domain::field_error::optional_text;
use bangdu_domain::inspection::pool::{MemberFields, check_member};
use bangdu_domain::permission::Permission;
use bangdu_domain::region::region_name;
use bangdu_domain::role::Role;
use bangdu_domain::scope::{RecordRef, Scope, UnitRef};
use bangdu_domain::{MemberId, UnitId};
use chrono::{Datelike, NaiveDate};
use sea_query::{Alias, Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use serde_json::json;
use std::collections::HashMap;

joined_row! {
    /// A member with the keeping office's name and path.
    pub struct MemberBase {
        member: MemberRecord,
        owner_name: String,
        owner_path: String,
        username: Option<String>,
    }
}

/// A member as lists and pages show them: the load this year, and the phone only when the actor
/// may see it.
#[derive(Clone, Debug)]
pub struct MemberRow {
    pub base: MemberBase,
    pub load: i64,
    pub phone_visible: bool,
}

impl std::ops::Deref for MemberRow {
    type Target = MemberBase;
    fn deref(&self) -> &MemberBase {
        &self.base
    }
}

impl MemberRow {
    pub fn domain_list(&self) -> Vec<String> {
        split_domains(&self.domains)
    }

    pub fn region_name(&self) -> Option<&'static str> {
        region_name(&self.region)
    }

    /// The phone number, for the office only.
    pub fn phone_shown(&self) -> Option<&str> {
        if self.phone_visible { self.member.phone.as_deref() } else { None }
    }
}

pub fn split_domains(text: &str) -> Vec<String> {
    text.split('、').map(str::trim).filter(|d| !d.is_empty()).map(str::to_string).collect()
}

fn select_members() -> SelectStatement {
    let owner = Alias::new("owner_unit");
    let mut select = Query::select();
    select
        .columns(PoolMembers::qualified())
        .expr_as(Expr::col((owner.clone(), Units::Name)), Alias::new("owner_name"))
        .expr_as(Expr::col((owner.clone(), Units::Path)), Alias::new("owner_path"))
        .expr_as(Expr::col((Users::Table, Users::Username)), Alias::new("username"))
        .from(PoolMembers::Table)
        .join_as(
            JoinType::InnerJoin,
            Units::Table,
            owner.clone(),
            Expr::col((owner, Units::Id)).equals((PoolMembers::Table, PoolMembers::OwnerUnitId)),
        )
        .join(
            JoinType::LeftJoin,
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((PoolMembers::Table, PoolMembers::UserId)),
        );
    select
}

/// Who sees a pool: whoever's scope covers the keeping office, and the offices below it — a county
/// office's rounds draw on the city's pool, so it sees who is in it (never their phones).
pub(crate) struct PoolView {
    scope: Scope,
    /// Units above the actor's own (from their grants' paths), whose pools are shared downward.
    above: Vec<i64>,
}

pub(crate) fn view(actor: &Actor) -> Result<PoolView> {
    let scope = actor.require(Permission::ViewPool)?;
    let mut above: Vec<i64> = actor
        .grants
        .iter()
        .filter(|g| Permission::ViewPool.granted_to(g.role))
        .flat_map(|g| g.unit_path.split('/').filter_map(|s| s.parse::<i64>().ok()).collect::<Vec<_>>())
        .collect();
    above.sort_unstable();
    above.dedup();
    Ok(PoolView { scope, above })
}

impl PoolView {
    pub(crate) fn everything() -> PoolView {
        PoolView { scope: Scope::everything(), above: Vec::new() }
    }
}

fn scoped(view: &PoolView) -> SelectStatement {
    let mut select = select_members();
    if let Some(cond) =
        scope_sql::owned_by_unit(&view.scope, (PoolMembers::Table, PoolMembers::OwnerUnitId), None::<PoolMembers>)
    {
        let mut any = Cond::any().add(cond);
        if !view.above.is_empty() {
            any = any.add(Expr::col((PoolMembers::Table, PoolMembers::OwnerUnitId)).is_in(view.above.iter().copied()));
        }
        select.cond_where(any);
    }
    select
}

/// Filters of the member list.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Name or unit contains this text.
    pub q: Option<String>,
    pub domain: Option<String>,
    /// Region code starts with this.
    pub region: Option<String>,
    pub can_lead: Option<bool>,
    pub office: Option<bool>,
    /// Active (default) or inactive members.
    pub active: Option<bool>,
    /// Not away on this day.
    pub available_on: Option<NaiveDate>,
    /// The keeping office, by id.
    pub owner: Option<UnitId>,
}

fn apply_filter(select: &mut SelectStatement, f: &MemberFilter) {
    let col = |c: PoolMembers| Expr::col((PoolMembers::Table, c));
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select.cond_where(
            Cond::any()
                .add(contains((PoolMembers::Table, PoolMembers::Name), q))
                .add(contains((PoolMembers::Table, PoolMembers::UnitName), q)),
        );
    }
    if let Some(d) = f.domain.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        // Domains are stored 、-separated: match a whole name, alone, first, last or in between.
        let column = (PoolMembers::Table, PoolMembers::Domains);
        select.cond_where(
            Cond::any()
                .add(col(PoolMembers::Domains).eq(d))
                .add(starts_with(column, &format!("{d}、")))
                .add(ends_with(column, &format!("、{d}")))
                .add(contains(column, &format!("、{d}、"))),
        );
    }
    if let Some(r) =
        f.region.as_deref().map(str::trim).filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
    {
        select.and_where(col(PoolMembers::Region).like(format!("{r}%")));
    }
    if let Some(v) = f.can_lead {
        select.and_where(col(PoolMembers::CanLead).eq(v));
    }
    if let Some(v) = f.office {
        select.and_where(col(PoolMembers::Office).eq(v));
    }
    select.and_where(col(PoolMembers::Active).eq(f.active.unwrap_or(true)));
    if let Some(day) = f.available_on {
        select.and_where(
            col(PoolMembers::Id).not_in_subquery(
                Query::select()
                    .column(PoolAbsences::MemberId)
                    .from(PoolAbsences::Table)
                    .and_where(Expr::col(PoolAbsences::StartsOn).lte(day))
                    .and_where(Expr::col(PoolAbsences::EndsOn).gte(day))
                    .to_owned(),
            ),
        );
    }
    if let Some(owner) = f.owner {
        select.and_where(col(PoolMembers::OwnerUnitId).eq(owner.0));
    }
}

/// Whether the actor may manage members kept by this office (and so see their phones).
fn manages(manage: &Scope, owner_id: i64, owner_path: &str) -> bool {
    manage.covers_unit(UnitRef { id: UnitId(owner_id), path: owner_path })
}

async fn rows(c: &mut Conn<'_>, actor: &Actor, bases: Vec<MemberBase>, year: i32) -> Result<Vec<MemberRow>> {
    let ids: Vec<MemberId> = bases.iter().map(|b| b.id).collect();
    let loads = loads_in_year(c, &ids, year, None).await?;
    let manage = if actor.can(Permission::ManagePool) { actor.scope(Permission::ManagePool) } else { Scope::default() };
    Ok(bases
        .into_iter()
        .map(|base| MemberRow {
            load: loads.get(&base.id).copied().unwrap_or(0),
            phone_visible: manages(&manage, base.owner_unit_id, &base.owner_path),
            base,
        })
        .collect())
}

/// One page of the members the actor may see, by name; `year` is the period their load counts.
pub async fn list(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &MemberFilter,
    page: PageRequest,
    year: i32,
) -> Result<Paged<MemberRow>> {
    let mut select = scoped(&view(actor)?);
    apply_filter(&mut select, filter);
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    select
        .order_by((PoolMembers::Table, PoolMembers::Name), Order::Asc)
        .order_by((PoolMembers::Table, PoolMembers::Id), Order::Asc)
        .limit(page.per_page)
        .offset(page.offset());
    let bases: Vec<MemberBase> = c.fetch_all(&select).await?;
    let data = rows(c, actor, bases, year).await?;
    Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
}

/// Every member of a filter the actor may see (exports), by name.
pub async fn all(c: &mut Conn<'_>, actor: &Actor, filter: &MemberFilter, year: i32) -> Result<Vec<MemberRow>> {
    let mut select = scoped(&view(actor)?);
    apply_filter(&mut select, filter);
    select
        .order_by((PoolMembers::Table, PoolMembers::Name), Order::Asc)
        .order_by((PoolMembers::Table, PoolMembers::Id), Order::Asc);
    let bases: Vec<MemberBase> = c.fetch_all(&select).await?;
    rows(c, actor, bases, year).await
}

pub(crate) async fn base_in(c: &mut Conn<'_>, view: &PoolView, id: MemberId) -> Result<MemberBase> {
    c.fetch_optional(scoped(view).and_where(Expr::col((PoolMembers::Table, PoolMembers::Id)).eq(id)))
        .await?
        .ok_or(StoreError::NotFound)
}

/// A declared conflict, with the unit's name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub person: Option<String>,
    pub reason: Option<String>,
}

/// A member with everything the detail page shows.
#[derive(Clone, Debug)]
pub struct MemberDetail {
    pub row: MemberRow,
    pub conflicts: Vec<Conflict>,
    pub absences: Vec<AbsenceRecord>,
    /// Whether the actor may change this member.
    pub can_manage: bool,
}

/// One member the actor may see.
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: MemberId, year: i32) -> Result<MemberDetail> {
    let base = base_in(c, &view(actor)?, id).await?;
    let row = rows(c, actor, vec![base], year).await?.pop().ok_or(StoreError::NotFound)?;
    let conflicts = conflicts_of(c, &[id]).await?.remove(&id).unwrap_or_default();
    let absences = absences_of(c, &[id]).await?.remove(&id).unwrap_or_default();
    let can_manage = row.phone_visible;
    Ok(MemberDetail { row, conflicts, absences, can_manage })
}

pub(crate) async fn conflicts_of(c: &mut Conn<'_>, ids: &[MemberId]) -> Result<HashMap<MemberId, Vec<Conflict>>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        record: ConflictRecord,
        unit_name: Option<String>,
    }
    let mut out: HashMap<MemberId, Vec<Conflict>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<Row> = c
            .fetch_all(
                Query::select()
                    .columns(PoolConflicts::qualified())
                    .expr_as(Expr::col((Units::Table, Units::Name)), Alias::new("unit_name"))
                    .from(PoolConflicts::Table)
                    .join(
                        JoinType::LeftJoin,
                        Units::Table,
                        Expr::col((Units::Table, Units::Id)).equals((PoolConflicts::Table, PoolConflicts::UnitId)),
                    )
                    .and_where(Expr::col((PoolConflicts::Table, PoolConflicts::MemberId)).is_in(chunk.iter().copied()))
                    .order_by((PoolConflicts::Table, PoolConflicts::DeclaredAt), Order::Asc),
            )
            .await?;
        for r in rows {
            out.entry(r.record.member_id).or_default().push(Conflict {
                unit_id: r.record.unit_id,
                unit_name: r.unit_name,
                person: r.record.person,
                reason: r.record.reason,
            });
        }
    }
    Ok(out)
}

pub(crate) async fn absences_of(c: &mut Conn<'_>, ids: &[MemberId]) -> Result<HashMap<MemberId, Vec<AbsenceRecord>>> {
    let mut out: HashMap<MemberId, Vec<AbsenceRecord>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<AbsenceRecord> = c
            .fetch_all(
                Query::select()
                    .columns(PoolAbsences::COLUMNS.iter().copied())
                    .from(PoolAbsences::Table)
                    .and_where(Expr::col(PoolAbsences::MemberId).is_in(chunk.iter().copied()))
                    .order_by(PoolAbsences::StartsOn, Order::Asc),
            )
            .await?;
        for r in rows {
            out.entry(r.member_id).or_default().push(r);
        }
    }
    Ok(out)
}

/// A member as typed into the form, the API or a file row.
#[derive(Clone, Debug, Default)]
pub struct MemberInput {
    pub name: String,
    pub unit: String,
    pub region: String,
    pub domains: String,
    pub can_lead: String,
    pub phone: String,
    /// 督查室成员: 是/否.
    pub office: String,
    /// The account of a member who signs in (username), if any.
    pub username: String,
    pub note: String,
    /// The keeping office (code or name); the actor's office unit when blank.
    pub owner: String,
}

/// The input checked and resolved against the database.
pub(crate) struct Checked {
    pub fields: MemberFields,
    pub office: bool,
    pub owner: Unit,
    pub unit_id: Option<i64>,
    pub user_id: Option<i64>,
    pub note: Option<String>,
}

/// The office that keeps members the actor adds: the one named (within the actor's management
/// scope), or the actor's first office unit.
pub(crate) async fn owner_unit(c: &mut Conn<'_>, actor: &Actor, manage: &Scope, named: &str) -> Result<Unit> {
    let named = named.trim();
    if !named.is_empty() {
        return units::find_refs(c, manage, &[("owner".to_string(), NamedUnit::named(named))])
            .await?
            .pop()
            .ok_or_else(|| StoreError::invalid("owner", "请指定人员库所属单位"));
    }
    let unit = actor
        .grants
        .iter()
        .find(|g| g.role == Role::Office)
        .map(|g| g.unit)
        .ok_or_else(|| StoreError::invalid("owner", "请指定人员库所属单位（督查室）"))?;
    units::get_in(c, &Scope::everything(), unit).await
}

/// Whether a region code is known: GB/T 2260 names it, or one of our units uses it (a division
/// newer than the crate's list).
pub(crate) async fn known_region(c: &mut Conn<'_>, code: &str) -> Result<bool> {
    if region_name(code).is_some() {
        return Ok(true);
    }
    let county: String = code.chars().take(6).collect();
    let found: Option<CountRow> = c
        .fetch_optional(
            Query::select()
                .expr_as(Expr::col(Units::Id), Alias::new("n"))
                .from(Units::Table)
                .and_where(Expr::col(Units::Region).like(format!("{county}%")))
                .limit(1),
        )
        .await?;
    Ok(found.is_some())
}

pub(crate) async fn check(
    c: &mut Conn<'_>,
    actor: &Actor,
    manage: &Scope,
    input: &MemberInput,
    known_domains: &[String],
) -> Result<Checked> {
    let fields = check_member(
        &input.name,
        &input.unit,
        &input.region,
        &input.domains,
        &input.can_lead,
        &input.phone,
        known_domains,
    )
    .map_err(StoreError::Invalid)?;
    if !known_region(c, &fields.region).await? {
        return Err(StoreError::invalid("region", format!("未知的行政区划代码“{}”", fields.region)));
    }
    let office = bangdu_domain::inspection::pool::yes_no("office", &input.office).map_err(StoreError::Invalid)?;
    let owner = owner_unit(c, actor, manage, &input.owner).await?;
    // The home unit, when it is one of ours (by code or exact name): needed for 回避 of the
    // responsible unit. Several units of that name: the one under the keeping office's root.
    let (unit_id, unit_name) = home_unit(c, &fields.unit, &owner).await?;
    // A unit typed by its code is recorded by its name.
    let fields = MemberFields { unit: unit_name.unwrap_or(fields.unit.clone()), ..fields };
    let user_id = match input.username.trim() {
        "" => None,
        name => {
            #[derive(sqlx::FromRow)]
            struct U {
                id: i64,
            }
            let found: Option<U> = c
                .fetch_optional(
                    Query::select().column(Users::Id).from(Users::Table).and_where(Expr::col(Users::Username).eq(name)),
                )
                .await?;
            Some(found.ok_or_else(|| StoreError::invalid("username", format!("账号“{name}”不存在")))?.id)
        }
    };
    let note = optional_text("note", "备注", &input.note, 500).map_err(StoreError::Invalid)?;
    Ok(Checked { fields, office, owner, unit_id, user_id, note })
}

async fn home_unit(c: &mut Conn<'_>, text: &str, owner: &Unit) -> Result<(Option<i64>, Option<String>)> {
    #[derive(sqlx::FromRow)]
    struct U {
        id: i64,
        path: String,
        name: String,
    }
    let found: Vec<U> = c
        .fetch_all(
            Query::select()
                .columns([Units::Id, Units::Path, Units::Name])
                .from(Units::Table)
                .cond_where(Cond::any().add(Expr::col(Units::Code).eq(text)).add(Expr::col(Units::Name).eq(text)))
                .order_by(Units::Id, Order::Asc),
        )
        .await?;
    let root = owner.path.split('/').find(|s| !s.is_empty()).map(|r| format!("/{r}/"));
    let preferred = found.iter().find(|u| root.as_deref().is_some_and(|r| u.path.starts_with(r)));
    let unit = preferred.or(found.first());
    Ok((unit.map(|u| u.id), unit.map(|u| u.name.clone())))
}

/// Adds a member to a pool.
pub async fn create(c: &mut Conn<'_>, actor: &Actor, input: &MemberInput) -> Result<MemberRow> {
    let manage = actor.require(Permission::ManagePool)?;
    let known = settings::inspection_domains(c).await?;
    let checked = check(c, actor, &manage, input, &known).await?;
    let id = insert(c, actor, &checked).await?;
    let base = base_in(c, &PoolView::everything(), id).await?;
    Ok(rows(c, actor, vec![base], crate::time::today().year()).await?.remove(0))
}

pub(crate) async fn insert(c: &mut Conn<'_>, actor: &Actor, k: &Checked) -> Result<MemberId> {
    if find_person(c, k.owner.id, &k.fields.name, &k.fields.unit).await?.is_some() {
        return Err(StoreError::conflict(
            "duplicate_member",
            format!("{}的人员库中已有{}（{}）", k.owner.name, k.fields.name, k.fields.unit),
        ));
    }
    let at = now();
    let record = MemberRecord {
        id: MemberId(0),
        owner_unit_id: k.owner.id,
        user_id: k.user_id,
        name: k.fields.name.clone(),
        unit_id: k.unit_id,
        unit_name: k.fields.unit.clone(),
        region: k.fields.region.clone(),
        domains: k.fields.domains.join("、"),
        can_lead: k.fields.can_lead,
        office: k.office,
        phone: k.fields.phone.clone(),
        active: true,
        note: k.note.clone(),
        version: 1,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
    };
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: MemberId,
    }
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(PoolMembers::Id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("pool.member_create", "pool_member", inserted.id)
            .change(json!({"payload": audit_payload(&record)}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(inserted.id)
}

/// What the audit log keeps of a member: everything but the phone number (personal data; the log
/// only says whether one is on file).
fn audit_payload(m: &MemberRecord) -> serde_json::Value {
    json!({"name": m.name, "unit": m.unit_name, "unit_id": m.unit_id, "region": m.region, "domains": m.domains,
        "can_lead": m.can_lead, "office": m.office, "has_phone": m.phone.is_some(), "user_id": m.user_id,
        "owner_unit_id": m.owner_unit_id, "note": m.note, "active": m.active})
}

pub(crate) async fn find_person(c: &mut Conn<'_>, owner: i64, name: &str, unit: &str) -> Result<Option<MemberRecord>> {
    c.fetch_optional(
        Query::select()
            .columns(PoolMembers::COLUMNS.iter().copied())
            .from(PoolMembers::Table)
            .and_where(Expr::col(PoolMembers::OwnerUnitId).eq(owner))
            .and_where(Expr::col(PoolMembers::Name).eq(name))
            .and_where(Expr::col(PoolMembers::UnitName).eq(unit)),
    )
    .await
}

/// A member the actor may manage, as stored.
pub(crate) async fn to_manage(c: &mut Conn<'_>, actor: &Actor, id: MemberId) -> Result<MemberBase> {
    let base = base_in(c, &view(actor)?, id).await?;
    if !actor.can(Permission::ManagePool)
        || !manages(&actor.scope(Permission::ManagePool), base.owner_unit_id, &base.owner_path)
    {
        return Err(StoreError::Forbidden);
    }
    Ok(base)
}

/// Changes a member's fields; `version` is the one the form was read at.
pub async fn update(c: &mut Conn<'_>, actor: &Actor, id: MemberId, version: i64, input: &MemberInput) -> Result<()> {
    let before = to_manage(c, actor, id).await?;
    if before.version != version {
        return Err(StoreError::VersionConflict);
    }
    let manage = actor.scope(Permission::ManagePool);
    let known = settings::inspection_domains(c).await?;
    let mut input = input.clone();
    if input.owner.trim().is_empty() {
        input.owner = before.owner_unit_id.to_string();
    }
    // A domain the administrator has since removed stays on the members who have it.
    let mut allowed = known.clone();
    allowed.extend(split_domains(&before.domains).into_iter().filter(|d| !known.contains(d)));
    let k = check(c, actor, &manage, &input, &allowed).await?;
    if let Some(other) = find_person(c, k.owner.id, &k.fields.name, &k.fields.unit).await?
        && other.id != id
    {
        return Err(StoreError::conflict(
            "duplicate_member",
            format!("人员库中已有{}（{}）", k.fields.name, k.fields.unit),
        ));
    }
    let mut after = before.member.clone();
    after.owner_unit_id = k.owner.id;
    after.user_id = k.user_id;
    after.name = k.fields.name.clone();
    after.unit_id = k.unit_id;
    after.unit_name = k.fields.unit.clone();
    after.region = k.fields.region.clone();
    after.domains = k.fields.domains.join("、");
    after.can_lead = k.fields.can_lead;
    after.office = k.office;
    after.phone = k.fields.phone.clone();
    after.note = k.note.clone();
    after.version = version + 1;
    after.updated_at = now();
    save(c, &after, version).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("pool.member_update", "pool_member", id)
            .change(json!({"before": audit_payload(&before.member), "after": audit_payload(&after),
                "phone_changed": before.member.phone != after.phone}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(())
}

pub(crate) async fn save(c: &mut Conn<'_>, after: &MemberRecord, version: i64) -> Result<()> {
    let columns: Vec<PoolMembers> = PoolMembers::COLUMNS
        .iter()
        .copied()
        .filter(|c| !matches!(c, PoolMembers::Id | PoolMembers::CreatedAt | PoolMembers::CreatedBy))
        .collect();
    let n = c
        .execute(
            Query::update()
                .table(PoolMembers::Table)
                .values(after.assignments(&columns))
                .and_where(Expr::col(PoolMembers::Id).eq(after.id))
                .and_where(Expr::col(PoolMembers::Version).eq(version)),
        )
        .await?;
    if n == 0 {
        return Err(StoreError::VersionConflict);
    }
    Ok(())
}

/// Takes a member out of the pool (or back in). Seats already held stay in the record.
pub async fn set_active(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: MemberId,
    active: bool,
    reason: Option<&str>,
) -> Result<()> {
    let before = to_manage(c, actor, id).await?;
    let reason = optional_text("reason", "原因", reason.unwrap_or(""), 500).map_err(StoreError::Invalid)?;
    if before.active == active {
        return Ok(());
    }
    let mut after = before.member.clone();
    after.active = active;
    after.version += 1;
    after.updated_at = now();
    save(c, &after, before.version).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new(if active { "pool.member_restore" } else { "pool.member_retire" }, "pool_member", id)
            .change(json!({"payload": {"reason": reason}}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(())
}

/// Records a declared conflict of interest with a unit (and everything below it) or a person.
pub async fn declare_conflict(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: MemberId,
    unit: Option<&str>,
    person: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    to_manage(c, actor, id).await?;
    let unit = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(text) => Some(
            units::find_refs(c, &Scope::everything(), &[("unit".to_string(), NamedUnit::named(text))]).await?.remove(0),
        ),
        None => None,
    };
    let person = optional_text("person", "人员", person.unwrap_or(""), 50).map_err(StoreError::Invalid)?;
    if unit.is_none() && person.is_none() {
        return Err(StoreError::invalid("unit", "请填写存在利益冲突的单位或人员"));
    }
    let reason = optional_text("reason", "说明", reason.unwrap_or(""), 500).map_err(StoreError::Invalid)?;
    let record = ConflictRecord {
        member_id: id,
        unit_id: unit.as_ref().map(|u| u.id),
        person: person.clone(),
        reason: reason.clone(),
        declared_at: now(),
    };
    c.execute(&record.insert()).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("pool.conflict_declare", "pool_member", id)
            .change(json!({"payload": {"unit": unit.as_ref().map(|u| &u.code), "person": person, "reason": reason}}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(())
}

/// Withdraws every declared conflict of a member with this unit or person.
pub async fn withdraw_conflict(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: MemberId,
    unit_id: Option<i64>,
    person: Option<&str>,
) -> Result<()> {
    to_manage(c, actor, id).await?;
    let mut delete = Query::delete();
    delete.from_table(PoolConflicts::Table).and_where(Expr::col(PoolConflicts::MemberId).eq(id));
    match (unit_id, person.map(str::trim).filter(|p| !p.is_empty())) {
        (Some(u), _) => delete.and_where(Expr::col(PoolConflicts::UnitId).eq(u)),
        (None, Some(p)) => delete.and_where(Expr::col(PoolConflicts::Person).eq(p)),
        (None, None) => return Err(StoreError::invalid("unit", "请指定要撤回的冲突")),
    };
    if c.execute(&delete).await? == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("pool.conflict_withdraw", "pool_member", id)
            .change(json!({"payload": {"unit_id": unit_id, "person": person}}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(())
}

/// Records days a member cannot serve.
pub async fn add_absence(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: MemberId,
    starts_on: &str,
    ends_on: &str,
    reason: Option<&str>,
) -> Result<()> {
    to_manage(c, actor, id).await?;
    let from = bangdu_domain::project::plan::parse_date("starts_on", starts_on).map_err(StoreError::Invalid)?;
    let to = match ends_on.trim() {
        "" => from,
        text => bangdu_domain::project::plan::parse_date("ends_on", text).map_err(StoreError::Invalid)?,
    };
    if to < from {
        return Err(StoreError::invalid("ends_on", "结束日期不能早于开始日期"));
    }
    let reason = optional_text("reason", "原因", reason.unwrap_or(""), 200).map_err(StoreError::Invalid)?;
    let record = AbsenceRecord { member_id: id, starts_on: from, ends_on: to, reason: reason.clone() };
    c.execute(&record.insert()).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("pool.absence_add", "pool_member", id)
            .change(json!({"payload": {"starts_on": from, "ends_on": to, "reason": reason}}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(())
}

/// Removes an absence (the one starting that day).
pub async fn remove_absence(c: &mut Conn<'_>, actor: &Actor, id: MemberId, starts_on: NaiveDate) -> Result<()> {
    to_manage(c, actor, id).await?;
    let n = c
        .execute(
            Query::delete()
                .from_table(PoolAbsences::Table)
                .and_where(Expr::col(PoolAbsences::MemberId).eq(id))
                .and_where(Expr::col(PoolAbsences::StartsOn).eq(starts_on)),
        )
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("pool.absence_remove", "pool_member", id)
            .change(json!({"payload": {"starts_on": starts_on}}))
            .acting_as(actor, Permission::ManagePool),
    )
    .await?;
    Ok(())
}

/// Whether a record about a pool member is one the scope permits (the property tests use it).
pub fn permits(scope: &Scope, owner_id: i64, owner_path: &str) -> bool {
    scope.permits(&RecordRef { units: &[UnitRef { id: UnitId(owner_id), path: owner_path }], owner: None })
}
