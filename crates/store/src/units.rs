//! Units (单位): reading the tree within scope, creating, editing, moving and (de)activating units.
//! CSV import and export live in `unit_csv.rs`.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
use crate::scope_sql;
use crate::tables::{UnitRecord, Units};
use crate::text_match;
use crate::time::now;
use bangdu_domain::UnitId;
use bangdu_domain::permission::Permission;
use bangdu_domain::scope::{Scope, UnitRef};
use bangdu_domain::unit::{UnitKind, child_path};
use sea_query::{Alias, BinOper, Cond, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement};
use serde_json::json;

joined_row! {
    /// A unit as read from the database, with its parent's code and name.
    pub struct Unit {
        unit: UnitRecord,
        parent_code: Option<String>,
        parent_name: Option<String>,
    }
}

impl Unit {
    pub fn unit_id(&self) -> UnitId {
        UnitId(self.id)
    }

    pub fn kind(&self) -> Option<UnitKind> {
        UnitKind::parse(&self.kind)
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind().map(UnitKind::label).unwrap_or("其他")
    }

    pub fn as_ref(&self) -> UnitRef<'_> {
        UnitRef { id: UnitId(self.id), path: &self.path }
    }

    /// The fields an audit event records.
    fn snapshot(&self) -> serde_json::Value {
        json!({
            "code": self.code, "name": self.name, "kind": self.kind, "parent": self.parent_code,
            "region": self.region, "sort_order": self.sort_order, "active": self.active,
        })
    }
}

fn parent_alias() -> Alias {
    Alias::new("parent")
}

fn select_units() -> SelectStatement {
    let parent = parent_alias();
    Query::select()
        .columns(Units::qualified())
        .expr_as(Expr::col((parent.clone(), Units::Code)), Alias::new("parent_code"))
        .expr_as(Expr::col((parent.clone(), Units::Name)), Alias::new("parent_name"))
        .from(Units::Table)
        .join_as(
            JoinType::LeftJoin,
            Units::Table,
            parent.clone(),
            Expr::col((parent, Units::Id)).equals((Units::Table, Units::ParentId)),
        )
        .to_owned()
}

fn scoped(scope: &Scope) -> SelectStatement {
    let mut select = select_units();
    if let Some(cond) = scope_sql::units_visible(scope) {
        select.cond_where(cond);
    }
    select
}

fn view_scope(actor: &Actor) -> Scope {
    actor.scope(Permission::ViewUnits)
}

/// A unit by id, if it exists and the actor may see it (otherwise `NotFound`).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: UnitId) -> Result<Unit> {
    get_in(c, &view_scope(actor), id).await
}

/// A unit the actor may change (an administrator's, within their management scope).
pub async fn get_to_manage(c: &mut Conn<'_>, actor: &Actor, id: UnitId) -> Result<Unit> {
    get_in(c, &actor.require(Permission::ManageUnits)?, id).await
}

/// A unit in which the actor holds a role: theirs to see whatever their data scope.
pub async fn of_grant(c: &mut Conn<'_>, actor: &Actor, id: UnitId) -> Result<Unit> {
    if !actor.is_system() && !actor.grants.iter().any(|g| g.unit == id) {
        return Err(StoreError::NotFound);
    }
    get_in(c, &Scope::everything(), id).await
}

pub(crate) async fn get_in(c: &mut Conn<'_>, scope: &Scope, id: UnitId) -> Result<Unit> {
    c.fetch_one(scoped(scope).and_where(Expr::col((Units::Table, Units::Id)).eq(id.0))).await
}

/// A unit by its code, if the actor may see it.
pub async fn get_by_code(c: &mut Conn<'_>, actor: &Actor, code: &str) -> Result<Unit> {
    get_by_code_in(c, &view_scope(actor), code).await
}

pub(crate) async fn get_by_code_in(c: &mut Conn<'_>, scope: &Scope, code: &str) -> Result<Unit> {
    c.fetch_one(scoped(scope).and_where(Expr::col((Units::Table, Units::Code)).eq(code.trim()))).await
}

/// A unit named in input by its code or, failing that, its id, if the actor may see it;
/// otherwise the field is invalid ("单位“X”不存在").
pub async fn resolve(c: &mut Conn<'_>, actor: &Actor, field: &str, text: &str) -> Result<Unit> {
    resolve_in(c, &view_scope(actor), field, text).await
}

/// A unit named in input (code or id) that the actor may manage, e.g. a new unit's parent.
pub async fn resolve_to_manage(c: &mut Conn<'_>, actor: &Actor, field: &str, text: &str) -> Result<Unit> {
    resolve_in(c, &actor.require(Permission::ManageUnits)?, field, text).await
}

pub(crate) async fn resolve_in(c: &mut Conn<'_>, scope: &Scope, field: &str, text: &str) -> Result<Unit> {
    let found = match get_by_code_in(c, scope, text).await {
        Err(StoreError::NotFound) => match text.trim().parse::<i64>().ok().filter(|id| *id > 0) {
            Some(id) => get_in(c, scope, UnitId(id)).await,
            None => Err(StoreError::NotFound),
        },
        other => other,
    };
    match found {
        Err(StoreError::NotFound) => {
            // People type names (住建局), not codes: one unit of that name in scope is the one meant.
            let named: Vec<Unit> =
                c.fetch_all(scoped(scope).and_where(Expr::col((Units::Table, Units::Name)).eq(text.trim()))).await?;
            by_name(field, text, named.iter())
        }
        other => other,
    }
}

/// The one unit among those named `text`; none or several is the field's error (several are listed
/// by code, so the person can pick one).
fn by_name<'a>(field: &str, text: &str, named: impl Iterator<Item = &'a Unit>) -> Result<Unit> {
    let text = text.trim();
    let named: Vec<&Unit> = named.filter(|u| u.name == text).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(StoreError::invalid(field, format!("单位“{text}”不存在"))),
        several => {
            let codes: Vec<&str> = several.iter().take(8).map(|u| u.code.as_str()).collect();
            Err(StoreError::invalid(
                field,
                format!("名为“{text}”的单位有 {} 个（{}），请填写单位代码", several.len(), codes.join("、")),
            ))
        }
    }
}

/// A unit an operation names: by id (code that has one in hand), or as a person typed it — its
/// code, or when no unit has that code its id, or else its name if only one unit in scope has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamedUnit {
    Id(UnitId),
    Named(String),
}

impl From<UnitId> for NamedUnit {
    fn from(id: UnitId) -> Self {
        NamedUnit::Id(id)
    }
}

impl NamedUnit {
    pub fn named(text: impl Into<String>) -> NamedUnit {
        NamedUnit::Named(text.into())
    }
}

/// Every unit an operation names (field, unit), found within `scope` in one query and given back
/// in the same order; one that is not there fails its field.
pub(crate) async fn find_refs(c: &mut Conn<'_>, scope: &Scope, refs: &[(String, NamedUnit)]) -> Result<Vec<Unit>> {
    if refs.is_empty() {
        return Ok(Vec::new());
    }
    let number = |text: &str| text.trim().parse::<i64>().ok().filter(|id| *id > 0);
    let mut codes = Vec::new();
    let mut ids = Vec::new();
    for (_, named) in refs {
        match named {
            NamedUnit::Id(id) => ids.push(id.0),
            NamedUnit::Named(text) => {
                codes.push(text.trim().to_string());
                ids.extend(number(text));
            }
        }
    }
    let mut select = scoped(scope);
    select.cond_where(
        Cond::any()
            .add(Expr::col((Units::Table, Units::Code)).is_in(codes.clone()))
            .add(Expr::col((Units::Table, Units::Name)).is_in(codes))
            .add(Expr::col((Units::Table, Units::Id)).is_in(ids)),
    );
    let found: Vec<Unit> = c.fetch_all(&select).await?;
    refs.iter()
        .map(|(field, named)| match named {
            NamedUnit::Id(id) => found
                .iter()
                .find(|u| u.id == id.0)
                .cloned()
                .ok_or_else(|| StoreError::invalid(field.as_str(), "单位不存在或不在您的范围内")),
            NamedUnit::Named(text) => {
                let text = text.trim();
                // Codes come first: many are numeric (region codes such as 350582).
                match found
                    .iter()
                    .find(|u| u.code == text)
                    .or_else(|| number(text).and_then(|id| found.iter().find(|u| u.id == id)))
                {
                    Some(unit) => Ok(unit.clone()),
                    // Then its name, when only one unit in scope has it.
                    None => by_name(field, text, found.iter()),
                }
            }
        })
        .collect()
}

/// Several units by id, those the actor may see.
pub async fn get_many(c: &mut Conn<'_>, actor: &Actor, ids: &[i64]) -> Result<Vec<Unit>> {
    get_many_in(c, &view_scope(actor), ids).await
}

pub(crate) async fn get_many_in(c: &mut Conn<'_>, scope: &Scope, ids: &[i64]) -> Result<Vec<Unit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    c.fetch_all(scoped(scope).and_where(Expr::col((Units::Table, Units::Id)).is_in(ids.iter().copied()))).await
}

#[derive(Clone, Debug, Default)]
pub struct UnitFilter {
    /// Name or code contains this text.
    pub q: Option<String>,
    pub kind: Option<UnitKind>,
    /// Direct children of this unit.
    pub parent: Option<UnitId>,
    /// This unit and everything below it.
    pub under: Option<UnitId>,
    pub active: Option<bool>,
    /// Region code starts with this.
    pub region: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnitSort {
    /// Depth-first: every unit right after its parent.
    #[default]
    Tree,
    Code,
    Name,
    Updated,
}

impl UnitSort {
    pub fn parse(text: &str) -> Option<UnitSort> {
        match text {
            "tree" => Some(UnitSort::Tree),
            "code" => Some(UnitSort::Code),
            "name" => Some(UnitSort::Name),
            "updated" | "-updated_at" => Some(UnitSort::Updated),
            _ => None,
        }
    }
}

async fn apply_filter(
    c: &mut Conn<'_>,
    scope: &Scope,
    select: &mut SelectStatement,
    filter: &UnitFilter,
) -> Result<()> {
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select.cond_where(
            Cond::any()
                .add(text_match::contains((Units::Table, Units::Name), q))
                .add(text_match::contains((Units::Table, Units::Code), q)),
        );
    }
    if let Some(kind) = filter.kind {
        select.and_where(Expr::col((Units::Table, Units::Kind)).eq(kind.code()));
    }
    if let Some(parent) = filter.parent {
        select.and_where(Expr::col((Units::Table, Units::ParentId)).eq(parent.0));
    }
    if let Some(under) = filter.under {
        // The root of the subtree must itself be visible, or the filter would reveal its path.
        let root = get_in(c, scope, under).await?;
        select.and_where(text_match::starts_with((Units::Table, Units::Path), &root.path));
    }
    if let Some(active) = filter.active {
        select.and_where(Expr::col((Units::Table, Units::Active)).eq(active));
    }
    if let Some(region) = filter.region.as_deref().filter(|r| !r.is_empty()) {
        select.and_where(text_match::starts_with((Units::Table, Units::Region), region));
    }
    Ok(())
}

/// Units in scope matching the filter, one page.
pub async fn list(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &UnitFilter,
    sort: UnitSort,
    page: PageRequest,
) -> Result<Paged<Unit>> {
    let scope = view_scope(actor);
    let mut select = scoped(&scope);
    apply_filter(c, &scope, &mut select, filter).await?;
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    match sort {
        UnitSort::Tree => select.order_by((Units::Table, Units::Path), Order::Asc),
        UnitSort::Code => select.order_by((Units::Table, Units::Code), Order::Asc),
        UnitSort::Name => select.order_by((Units::Table, Units::Name), Order::Asc),
        UnitSort::Updated => select.order_by((Units::Table, Units::UpdatedAt), Order::Desc),
    };
    select.order_by((Units::Table, Units::Id), Order::Asc).limit(page.per_page).offset(page.offset());
    let data = c.fetch_all(&select).await?;
    Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
}

/// Every unit in scope matching the filter, in tree order (for the tree page, exports and pickers).
pub async fn all(c: &mut Conn<'_>, actor: &Actor, filter: &UnitFilter) -> Result<Vec<Unit>> {
    all_in(c, &view_scope(actor), filter).await
}

/// What a unit picker is for, which decides the units it offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picking {
    /// Any unit the person can see (an item's responsible unit, a filter).
    Any,
    /// The parent of a unit an administrator creates or moves.
    Parent,
    /// The unit of a role grant an administrator gives.
    Grant,
    /// The office that registers a project.
    ProjectOwner,
    /// The units a new item names: any the person sees, offered only to those who raise items.
    NewItem,
    /// The units a project names: any the person sees, offered only to those who manage projects.
    ProjectUnits,
}

/// The active units a picker offers the actor, in tree order.
pub async fn pickable(c: &mut Conn<'_>, actor: &Actor, picking: Picking) -> Result<Vec<Unit>> {
    let scope = match picking {
        Picking::Any => view_scope(actor),
        Picking::Parent => actor.require(Permission::ManageUnits)?,
        Picking::Grant => actor.require(Permission::ManageUsers)?,
        Picking::ProjectOwner => actor.require(Permission::ManageProjects)?,
        Picking::NewItem => {
            actor.require(Permission::CreateItems)?;
            view_scope(actor)
        }
        Picking::ProjectUnits => {
            actor.require(Permission::ManageProjects)?;
            view_scope(actor)
        }
    };
    all_in(c, &scope, &UnitFilter { active: Some(true), ..UnitFilter::default() }).await
}

pub(crate) async fn all_in(c: &mut Conn<'_>, scope: &Scope, filter: &UnitFilter) -> Result<Vec<Unit>> {
    let mut select = scoped(scope);
    apply_filter(c, scope, &mut select, filter).await?;
    select.order_by((Units::Table, Units::Path), Order::Asc);
    c.fetch_all(&select).await
}

/// Whether any unit exists at all (an empty database gets the demo data).
pub async fn count_all(c: &mut Conn<'_>) -> Result<i64> {
    let row: CountRow = c
        .fetch_one(Query::select().expr_as(Func::count(Expr::col(Units::Id)), Alias::new("n")).from(Units::Table))
        .await?;
    Ok(row.n)
}

/// A new unit, already checked field by field (see `unit_input`).
#[derive(Clone, Debug)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub region: Option<String>,
    pub sort_order: i64,
}

/// The parent a unit would be put under, checked: it exists, is in the actor's scope, is active.
async fn resolve_parent(c: &mut Conn<'_>, scope: &Scope, parent: Option<UnitId>) -> Result<Option<Unit>> {
    let Some(parent) = parent else {
        if !scope.all {
            return Err(StoreError::invalid("parent", "只能在本人管理范围内的单位下新建或移入单位"));
        }
        return Ok(None);
    };
    let unit = get_in(c, scope, parent).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::invalid("parent", "上级单位不存在或不在管理范围内"),
        other => other,
    })?;
    if !unit.active {
        return Err(StoreError::invalid("parent", format!("上级单位“{}”已停用", unit.name)));
    }
    Ok(Some(unit))
}

async fn ensure_code_free(c: &mut Conn<'_>, code: &str, except: Option<i64>) -> Result<()> {
    let found: Option<Unit> =
        c.fetch_optional(select_units().and_where(Expr::col((Units::Table, Units::Code)).eq(code))).await?;
    match found {
        Some(unit) if Some(unit.id) != except => {
            Err(StoreError::conflict("duplicate_code", format!("单位代码“{code}”已被“{}”使用", unit.name)))
        }
        _ => Ok(()),
    }
}

pub async fn create(c: &mut Conn<'_>, actor: &Actor, new: NewUnit) -> Result<Unit> {
    let scope = actor.require(Permission::ManageUnits)?;
    create_within(c, actor, &scope, new).await
}

/// Creates a unit under a parent in `scope` — for callers that checked their own permission (a
/// project import creates missing lead units under a unit the office manages).
pub(crate) async fn create_within(c: &mut Conn<'_>, actor: &Actor, scope: &Scope, new: NewUnit) -> Result<Unit> {
    let scope = scope.clone();
    let parent = resolve_parent(c, &scope, new.parent).await?;
    ensure_code_free(c, &new.code, None).await?;
    let at = now();
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: i64,
    }
    let record = UnitRecord {
        id: 0,
        code: new.code.clone(),
        name: new.name.clone(),
        kind: new.kind.code().into(),
        parent_id: parent.as_ref().map(|p| p.id),
        region: new.region.clone(),
        // Set once the id is known.
        path: String::new(),
        depth: parent.as_ref().map_or(0, |p| p.depth + 1),
        sort_order: new.sort_order,
        active: true,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
        version: 1,
    };
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(Units::Id)).await?;
    let path = child_path(parent.as_ref().map(|p| p.path.as_str()), inserted.id);
    c.execute(
        Query::update().table(Units::Table).value(Units::Path, path).and_where(Expr::col(Units::Id).eq(inserted.id)),
    )
    .await?;
    let unit = get_in(c, &Scope::everything(), UnitId(inserted.id)).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("unit.create", "unit", unit.id)
            .change(json!({"after": unit.snapshot()}))
            .acting_as(actor, Permission::ManageUnits),
    )
    .await?;
    Ok(unit)
}

/// Changes to a unit; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UnitChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    /// `Some(None)` clears the region.
    pub region: Option<Option<String>>,
    pub sort_order: Option<i64>,
    /// `Some(None)` makes the unit a root (only with an all-data scope).
    pub parent: Option<Option<UnitId>>,
    /// When given, the change applies only if the unit is still at this version.
    pub version: Option<i64>,
}

pub async fn update(c: &mut Conn<'_>, actor: &Actor, id: UnitId, changes: UnitChanges) -> Result<Unit> {
    let scope = actor.require(Permission::ManageUnits)?;
    let before = get_in(c, &scope, id).await?;
    if changes.version.is_some_and(|v| v != before.version) {
        return Err(StoreError::VersionConflict);
    }
    let mut update = Query::update();
    update.table(Units::Table);
    let mut changed = false;
    if let Some(code) = changes.code.filter(|c| *c != before.code) {
        ensure_code_free(c, &code, Some(before.id)).await?;
        update.value(Units::Code, code);
        changed = true;
    }
    if let Some(name) = changes.name.filter(|n| *n != before.name) {
        update.value(Units::Name, name);
        changed = true;
    }
    if let Some(kind) = changes.kind.filter(|k| k.code() != before.kind) {
        update.value(Units::Kind, kind.code());
        changed = true;
    }
    if let Some(region) = changes.region.filter(|r| *r != before.region) {
        update.value(Units::Region, region);
        changed = true;
    }
    if let Some(order) = changes.sort_order.filter(|o| *o != before.sort_order) {
        update.value(Units::SortOrder, order);
        changed = true;
    }
    let mut moved = false;
    if let Some(parent) = changes.parent.filter(|p| *p != before.parent_id.map(UnitId)) {
        let new_parent = resolve_parent(c, &scope, parent).await?;
        if let Some(p) = &new_parent
            && p.path.starts_with(&before.path)
        {
            return Err(StoreError::invalid("parent", "不能把单位移到它自己或它的下级单位之下"));
        }
        move_subtree(c, &before, new_parent.as_ref()).await?;
        update.value(Units::ParentId, new_parent.as_ref().map(|p| p.id));
        moved = true;
        changed = true;
    }
    if !changed {
        return Ok(before);
    }
    update
        .value(Units::UpdatedAt, now())
        .value(Units::Version, Expr::col(Units::Version).add(1))
        .and_where(Expr::col(Units::Id).eq(before.id))
        .and_where(Expr::col(Units::Version).eq(before.version));
    if c.execute(&update).await? == 0 {
        return Err(StoreError::VersionConflict);
    }
    let after = get_in(c, &Scope::everything(), id).await?;
    let action = if moved { "unit.move" } else { "unit.update" };
    audit::append(
        c,
        actor,
        AuditEvent::new(action, "unit", after.id)
            .change(json!({"before": before.snapshot(), "after": after.snapshot()}))
            .acting_as(actor, Permission::ManageUnits),
    )
    .await?;
    Ok(after)
}

/// Rewrites the paths and depths of a unit and everything below it for a new parent.
async fn move_subtree(c: &mut Conn<'_>, unit: &Unit, new_parent: Option<&Unit>) -> Result<()> {
    let new_path = child_path(new_parent.map(|p| p.path.as_str()), unit.id);
    let moved_path = new_path.clone();
    let new_depth = new_parent.map_or(0, |p| p.depth + 1);
    let keep_from = unit.path.chars().count() as i64 + 1;
    c.execute(
        Query::update()
            .table(Units::Table)
            .value(
                Units::Path,
                // new_path || substr(path, keep_from): the part below the moved unit stays as it was.
                Expr::val(new_path).binary(
                    BinOper::Custom("||"),
                    Func::cust("substr").arg(Expr::col(Units::Path)).arg(Expr::val(keep_from).cast_as("integer")),
                ),
            )
            .value(Units::Depth, Expr::col(Units::Depth).add(new_depth - unit.depth))
            .and_where(text_match::starts_with(Units::Path, &unit.path)),
    )
    .await?;
    // Items of the moved units are now seen from other units above them.
    #[derive(sqlx::FromRow)]
    struct Id {
        id: i64,
    }
    let moved: Vec<Id> = c
        .fetch_all(
            Query::select()
                .column(Units::Id)
                .from(Units::Table)
                .and_where(text_match::starts_with(Units::Path, &moved_path)),
        )
        .await?;
    crate::item_access::refresh_for_units(c, &moved.iter().map(|u| u.id).collect::<Vec<_>>()).await?;
    Ok(())
}

/// Deactivates (停用) or reactivates (启用) a unit. A unit with active units below it cannot be
/// deactivated, and one under an inactive parent cannot be reactivated.
pub async fn set_active(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: UnitId,
    active: bool,
    version: Option<i64>,
) -> Result<Unit> {
    let scope = actor.require(Permission::ManageUnits)?;
    let before = get_in(c, &scope, id).await?;
    if version.is_some_and(|v| v != before.version) {
        return Err(StoreError::VersionConflict);
    }
    if before.active == active {
        return Ok(before);
    }
    if !active {
        let children: CountRow = c
            .fetch_one(
                Query::select()
                    .expr_as(Func::count(Expr::col(Units::Id)), Alias::new("n"))
                    .from(Units::Table)
                    .and_where(Expr::col(Units::ParentId).eq(before.id))
                    .and_where(Expr::col(Units::Active).eq(true)),
            )
            .await?;
        if children.n > 0 {
            return Err(StoreError::conflict(
                "unit_has_active_children",
                format!("“{}”下还有 {} 个启用的下级单位，请先停用它们", before.name, children.n),
            ));
        }
    } else if let Some(parent_id) = before.parent_id {
        let parent = get_in(c, &Scope::everything(), UnitId(parent_id)).await?;
        if !parent.active {
            return Err(StoreError::conflict(
                "parent_inactive",
                format!("上级单位“{}”已停用，请先启用它", parent.name),
            ));
        }
    }
    c.execute(
        Query::update()
            .table(Units::Table)
            .value(Units::Active, active)
            .value(Units::UpdatedAt, now())
            .value(Units::Version, Expr::col(Units::Version).add(1))
            .and_where(Expr::col(Units::Id).eq(before.id)),
    )
    .await?;
    let after = get_in(c, &Scope::everything(), id).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new(if active { "unit.activate" } else { "unit.deactivate" }, "unit", after.id)
            .change(json!({"before": {"active": before.active}, "after": {"active": after.active}}))
            .acting_as(actor, Permission::ManageUnits),
    )
    .await?;
    Ok(after)
}
