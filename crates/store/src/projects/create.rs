//! Registering a project and changing it. The light is computed at once; a change to the schedule
//! is kept as a new plan version from that day, so past lights stay as they were.

use super::input::{CheckedProject, ProjectInput};
use super::lights::{self, LightFacts, LightRules};
use super::query;
use super::row::{ProjectRow, milestones_json};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::settings;
use crate::tables::{ProjectPlans, ProjectRecord, ProjectUnits, Projects};
use crate::time::now;
use crate::units::{self, Unit};
use bangdu_domain::ProjectId;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::Percent;
use bangdu_domain::role::Role;
use bangdu_domain::scope::Scope;
use chrono::NaiveDate;
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde_json::json;
use std::collections::HashMap;

/// A unit named by code: it exists, is active and is visible to the actor.
async fn named_unit(c: &mut Conn<'_>, actor: &Actor, field: &str, code: &str) -> Result<Unit> {
    let unit = units::get_by_code_in(c, &actor.scope(Permission::ViewUnits), code).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::invalid(field, format!("单位“{code}”不存在或不在您的范围内")),
        other => other,
    })?;
    if !unit.active {
        return Err(StoreError::invalid(field, format!("单位“{}”已停用", unit.name)));
    }
    Ok(unit)
}

/// The office unit that registers the project: the one named (within the actor's management
/// scope), or the actor's first office unit.
async fn owner_unit(c: &mut Conn<'_>, actor: &Actor, code: Option<&str>) -> Result<Unit> {
    let scope = actor.scope(Permission::ManageProjects);
    match code {
        Some(code) => units::get_by_code_in(c, &scope, code).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("owner_unit", format!("立项单位“{code}”不在您的管理范围内")),
            other => other,
        }),
        None => {
            let unit = actor
                .grants
                .iter()
                .find(|g| g.role == Role::Office)
                .map(|g| g.unit)
                .ok_or_else(|| StoreError::invalid("owner_unit", "请指定立项单位"))?;
            units::get_in(c, &Scope::everything(), unit).await
        }
    }
}

/// The checked project with its units resolved.
pub(crate) struct Resolved {
    pub(crate) p: CheckedProject,
    pub(crate) owner: Unit,
    pub(crate) lead: Unit,
    pub(crate) cooperating: Vec<Unit>,
    pub(crate) manager: Option<Unit>,
}

/// Checks input and resolves its unit codes, remembering each unit once found: an import names
/// the same few hundred units in 100,000 rows.
pub(crate) struct Resolver {
    kinds: Vec<String>,
    units: HashMap<String, Unit>,
    owners: HashMap<Option<String>, Unit>,
}

impl Resolver {
    pub(crate) async fn new(c: &mut Conn<'_>) -> Result<Resolver> {
        Ok(Resolver { kinds: settings::project_kinds(c).await?, units: HashMap::new(), owners: HashMap::new() })
    }

    async fn unit(&mut self, c: &mut Conn<'_>, actor: &Actor, field: &str, code: &str) -> Result<Unit> {
        if let Some(unit) = self.units.get(code) {
            return Ok(unit.clone());
        }
        let unit = named_unit(c, actor, field, code).await?;
        self.units.insert(code.to_string(), unit.clone());
        Ok(unit)
    }

    pub(crate) async fn resolve(&mut self, c: &mut Conn<'_>, actor: &Actor, input: &ProjectInput) -> Result<Resolved> {
        let p = input.check(&self.kinds)?;
        let owner = match self.owners.get(&p.owner_unit) {
            Some(unit) => unit.clone(),
            None => {
                let unit = owner_unit(c, actor, p.owner_unit.as_deref()).await?;
                self.owners.insert(p.owner_unit.clone(), unit.clone());
                unit
            }
        };
        let lead = self.unit(c, actor, "lead_unit", &p.lead_unit).await?;
        let mut cooperating = Vec::new();
        for code in &p.cooperating_units {
            let unit = self.unit(c, actor, "cooperating_units", code).await?;
            if unit.id != lead.id {
                cooperating.push(unit);
            }
        }
        let manager = match &p.manager_unit {
            Some(code) => Some(self.unit(c, actor, "manager_unit", code).await?),
            None => None,
        };
        Ok(Resolved { p, owner, lead, cooperating, manager })
    }
}

async fn resolve(c: &mut Conn<'_>, actor: &Actor, input: &ProjectInput) -> Result<Resolved> {
    Resolver::new(c).await?.resolve(c, actor, input).await
}

/// The units a project is linked to, with their roles.
pub(crate) fn unit_links(r: &Resolved) -> Vec<(i64, &'static str)> {
    let mut links = vec![(r.owner.id, "owner"), (r.lead.id, "lead")];
    links.extend(r.cooperating.iter().map(|u| (u.id, "cooperating")));
    links.extend(r.manager.iter().map(|u| (u.id, "manager")));
    links
}

async fn link_units(c: &mut Conn<'_>, id: ProjectId, r: &Resolved) -> Result<()> {
    c.execute(Query::delete().from_table(ProjectUnits::Table).and_where(Expr::col(ProjectUnits::ProjectId).eq(id)))
        .await?;
    for (unit, role) in unit_links(r) {
        c.execute(
            Query::insert()
                .into_table(ProjectUnits::Table)
                .columns([ProjectUnits::ProjectId, ProjectUnits::UnitId, ProjectUnits::Role])
                .values_panic([id.into(), unit.into(), role.into()])
                .on_conflict(
                    OnConflict::columns([ProjectUnits::ProjectId, ProjectUnits::UnitId, ProjectUnits::Role])
                        .do_nothing()
                        .to_owned(),
                ),
        )
        .await?;
    }
    Ok(())
}

async fn save_plan(c: &mut Conn<'_>, id: ProjectId, from: NaiveDate, p: &CheckedProject) -> Result<()> {
    c.execute(
        Query::insert()
            .into_table(ProjectPlans::Table)
            .columns([
                ProjectPlans::ProjectId,
                ProjectPlans::ValidFrom,
                ProjectPlans::PlannedStart,
                ProjectPlans::PlannedEnd,
                ProjectPlans::Milestones,
            ])
            .values_panic([
                id.into(),
                from.into(),
                p.planned_start.into(),
                p.planned_end.into(),
                milestones_json(&p.milestones).into(),
            ])
            .on_conflict(
                OnConflict::columns([ProjectPlans::ProjectId, ProjectPlans::ValidFrom])
                    .update_columns([ProjectPlans::PlannedStart, ProjectPlans::PlannedEnd, ProjectPlans::Milestones])
                    .to_owned(),
            ),
    )
    .await?;
    Ok(())
}

fn snapshot(p: &ProjectRow) -> serde_json::Value {
    json!({
        "name": p.name, "year": p.year, "level": p.level, "kind": p.kind, "series": p.series, "lead": p.lead_code,
        "owner": p.owner_code, "planned_start": p.planned_start, "planned_end": p.planned_end,
        "milestones": p.milestones, "status": p.status, "completed_on": p.completed_on,
        "funds_planned": p.funds_planned, "funds_allocated": p.funds_allocated, "funds_spent": p.funds_spent,
    })
}

/// What the audit record says a new project is: the same keys as `snapshot` of the stored row.
fn new_snapshot(r: &Resolved) -> serde_json::Value {
    let p = &r.p;
    json!({
        "name": p.name, "year": p.year, "level": p.level.code(), "kind": p.kind, "series": p.series,
        "lead": r.lead.code, "owner": r.owner.code, "planned_start": p.planned_start, "planned_end": p.planned_end,
        "milestones": milestones_json(&p.milestones), "status": p.status.code(), "completed_on": p.completed_on,
        "funds_planned": p.funds_planned, "funds_allocated": p.funds_allocated, "funds_spent": p.funds_spent,
    })
}

/// Registers a project; its light is computed for `today`.
pub async fn create(
    c: &mut Conn<'_>,
    actor: &Actor,
    rules: &LightRules<'_>,
    input: &ProjectInput,
    today: NaiveDate,
) -> Result<ProjectRow> {
    actor.require(Permission::ManageProjects)?;
    let r = resolve(c, actor, input).await?;
    let ids = create_many(c, actor, rules, std::slice::from_ref(&r), today).await?;
    query::fetch(c, ids[0]).await
}

/// Projects written per statement by `create_many`: 100 rows of 35 values stay well under
/// SQLite's limit of bound variables.
const CREATE_ROWS: usize = 100;

/// Registers checked projects (one from the API, thousands from an import) with the same rows
/// whatever their number — the project, its units, its first plan, its first light and a
/// `project.create` audit event each — in multi-row statements. No two may share year, kind, lead
/// unit and name (the import refuses such rows first). Returns the ids in the order given.
pub(crate) async fn create_many(
    c: &mut Conn<'_>,
    actor: &Actor,
    rules: &LightRules<'_>,
    list: &[Resolved],
    today: NaiveDate,
) -> Result<Vec<ProjectId>> {
    actor.require(Permission::ManageProjects)?;
    let mut ids = Vec::with_capacity(list.len());
    for chunk in list.chunks(CREATE_ROWS) {
        let at = now();
        let columns = Projects::insert_columns();
        let mut insert = Query::insert();
        insert.into_table(Projects::Table).columns(columns.clone());
        let mut lits = Vec::with_capacity(chunk.len());
        for r in chunk {
            let p = &r.p;
            // A project registered as done is fully done; otherwise nothing is reported yet.
            let actual = if p.status.is_done() { Percent::FULL } else { Percent::ZERO };
            let facts = LightFacts {
                planned_start: p.planned_start,
                planned_end: p.planned_end,
                milestones: &p.milestones,
                actual,
                completed_on: p.completed_on,
                last_reported: None,
            };
            let lit = lights::compute(rules, &facts, today);
            let record = ProjectRecord {
                id: ProjectId(0),
                year: i64::from(p.year),
                level: p.level.code().into(),
                kind: p.kind.clone(),
                series: p.series.clone(),
                seq: p.seq,
                name: p.name.clone(),
                owner_unit_id: r.owner.id,
                lead_unit_id: r.lead.id,
                manager_unit_id: r.manager.as_ref().map(|u| u.id),
                responsible_person: p.responsible_person.clone(),
                address: p.address.clone(),
                lat_e6: p.lat_e6,
                lon_e6: p.lon_e6,
                target_text: p.target.clone(),
                indicator_value: p.indicator_value.clone(),
                indicator_unit: p.indicator_unit.clone(),
                funds_planned: p.funds_planned,
                funds_allocated: p.funds_allocated,
                funds_spent: p.funds_spent,
                planned_start: p.planned_start,
                planned_end: p.planned_end,
                milestones: milestones_json(&p.milestones),
                status: p.status.code().into(),
                completed_on: p.completed_on,
                actual_progress: actual.0,
                indicator_achieved: None,
                last_reported: None,
                light: lit.light.code().into(),
                light_reason: lit.reason.clone(),
                planned_progress: lit.planned.0,
                completed_early: lit.completed_early,
                lit_on: today,
                version: 1,
                created_by: actor.user_id.map(|u| u.0),
                created_at: at,
                updated_at: at,
            };
            insert.values_panic(record.values(&columns));
            lits.push(lit);
        }
        #[derive(sqlx::FromRow)]
        struct Inserted {
            id: ProjectId,
            year: i64,
            kind: String,
            lead_unit_id: i64,
            name: String,
        }
        let inserted: Vec<Inserted> = c
            .fetch_all(insert.returning(Query::returning().columns([
                Projects::Id,
                Projects::Year,
                Projects::Kind,
                Projects::LeadUnitId,
                Projects::Name,
            ])))
            .await?;
        // RETURNING gives no order on either backend: match the rows back by their key.
        let by_key: HashMap<(i64, &str, i64, &str), ProjectId> =
            inserted.iter().map(|i| ((i.year, i.kind.as_str(), i.lead_unit_id, i.name.as_str()), i.id)).collect();
        let chunk_ids = chunk
            .iter()
            .map(|r| {
                let key = (i64::from(r.p.year), r.p.kind.as_str(), r.lead.id, r.p.name.as_str());
                by_key.get(&key).copied().ok_or_else(|| StoreError::Internal(format!("project {key:?} not inserted")))
            })
            .collect::<Result<Vec<ProjectId>>>()?;
        let mut links = Query::insert();
        links.into_table(ProjectUnits::Table).columns([
            ProjectUnits::ProjectId,
            ProjectUnits::UnitId,
            ProjectUnits::Role,
        ]);
        let mut plans = Query::insert();
        plans.into_table(ProjectPlans::Table).columns([
            ProjectPlans::ProjectId,
            ProjectPlans::ValidFrom,
            ProjectPlans::PlannedStart,
            ProjectPlans::PlannedEnd,
            ProjectPlans::Milestones,
        ]);
        let mut events = Vec::with_capacity(chunk.len());
        for (r, &id) in chunk.iter().zip(&chunk_ids) {
            for (unit, role) in unit_links(r) {
                links.values_panic([id.into(), unit.into(), role.into()]);
            }
            // The first plan holds from its start (or today, if that is earlier), so past days have a plan.
            let p = &r.p;
            plans.values_panic([
                id.into(),
                Ord::min(p.planned_start, today).into(),
                p.planned_start.into(),
                p.planned_end.into(),
                milestones_json(&p.milestones).into(),
            ]);
            events.push(
                AuditEvent::new("project.create", "project", id)
                    .change(json!({"after": new_snapshot(r)}))
                    .acting_as(actor, Permission::ManageProjects),
            );
        }
        // A unit named twice (co-operating and managing, say) is linked once per role.
        c.execute(
            links.on_conflict(
                OnConflict::columns([ProjectUnits::ProjectId, ProjectUnits::UnitId, ProjectUnits::Role])
                    .do_nothing()
                    .to_owned(),
            ),
        )
        .await?;
        c.execute(&plans).await?;
        let lit_rows: Vec<(ProjectId, bangdu_domain::project::Lit)> = chunk_ids.iter().copied().zip(lits).collect();
        lights::record_many(c, &lit_rows, today).await?;
        audit::append_many(c, actor, events).await?;
        ids.extend(chunk_ids);
    }
    Ok(ids)
}

/// The columns the edit form changes (lights, reports and the version are not typed in).
const EDITED: &[Projects] = &[
    Projects::Year,
    Projects::Level,
    Projects::Kind,
    Projects::Series,
    Projects::Seq,
    Projects::Name,
    Projects::OwnerUnitId,
    Projects::LeadUnitId,
    Projects::ManagerUnitId,
    Projects::ResponsiblePerson,
    Projects::Address,
    Projects::LatE6,
    Projects::LonE6,
    Projects::TargetText,
    Projects::IndicatorValue,
    Projects::IndicatorUnit,
    Projects::FundsPlanned,
    Projects::FundsAllocated,
    Projects::FundsSpent,
    Projects::PlannedStart,
    Projects::PlannedEnd,
    Projects::Milestones,
    Projects::Status,
    Projects::CompletedOn,
    Projects::ActualProgress,
    Projects::UpdatedAt,
];

/// Changes a project (the whole record, as the edit form and `PUT` send it), guarded by `version`.
pub async fn update(
    c: &mut Conn<'_>,
    actor: &Actor,
    rules: &LightRules<'_>,
    id: ProjectId,
    version: i64,
    input: &ProjectInput,
    today: NaiveDate,
) -> Result<ProjectRow> {
    let before = query::get(c, actor, id).await?;
    let units = query::links_of(c, id).await?;
    if !super::can_manage(actor, &before, &query::unit_paths(&units)) {
        return Err(StoreError::Forbidden);
    }
    if before.version != version {
        return Err(StoreError::VersionConflict);
    }
    let mut input = input.clone();
    // The registering office stays unless a new one is named.
    if input.owner_unit.as_deref().is_none_or(|o| o.trim().is_empty()) {
        input.owner_unit = Some(before.owner_code.clone());
    }
    let r = resolve(c, actor, &input).await?;
    let p = &r.p;
    let milestones = milestones_json(&p.milestones);
    let plan_changed = p.planned_start != before.planned_start
        || p.planned_end != before.planned_end
        || milestones != before.milestones;
    let (actual, completed_on) = match (p.status.is_done(), before.is_done()) {
        // Marked done here: fully done on the given day.
        (true, _) => (Percent::FULL.max(before.actual()), p.completed_on),
        (false, true) => (before.actual().min(Percent(9_999)), None),
        (false, false) => (before.actual(), None),
    };
    let mut changed = before.project.clone();
    changed.year = i64::from(p.year);
    changed.level = p.level.code().into();
    changed.kind = p.kind.clone();
    changed.series = p.series.clone();
    changed.seq = p.seq;
    changed.name = p.name.clone();
    changed.owner_unit_id = r.owner.id;
    changed.lead_unit_id = r.lead.id;
    changed.manager_unit_id = r.manager.as_ref().map(|u| u.id);
    changed.responsible_person = p.responsible_person.clone();
    changed.address = p.address.clone();
    changed.lat_e6 = p.lat_e6;
    changed.lon_e6 = p.lon_e6;
    changed.target_text = p.target.clone();
    changed.indicator_value = p.indicator_value.clone();
    changed.indicator_unit = p.indicator_unit.clone();
    changed.funds_planned = p.funds_planned;
    changed.funds_allocated = p.funds_allocated;
    changed.funds_spent = p.funds_spent;
    changed.planned_start = p.planned_start;
    changed.planned_end = p.planned_end;
    changed.milestones = milestones;
    changed.status = p.status.code().into();
    changed.completed_on = completed_on;
    changed.actual_progress = actual.0;
    changed.updated_at = now();
    let updated = c
        .execute(
            Query::update()
                .table(Projects::Table)
                .values(changed.assignments(EDITED))
                .value(Projects::Version, Expr::col(Projects::Version).add(1))
                .and_where(Expr::col(Projects::Id).eq(id))
                .and_where(Expr::col(Projects::Version).eq(version)),
        )
        .await?;
    if updated == 0 {
        return Err(StoreError::VersionConflict);
    }
    link_units(c, id, &r).await?;
    if plan_changed {
        save_plan(c, id, today, p).await?;
    }
    lights::relight(c, rules, Some(&[id]), today).await?;
    let after = query::fetch(c, id).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.update", "project", id)
            .change(json!({"before": snapshot(&before), "after": snapshot(&after)}))
            .acting_as(actor, Permission::ManageProjects),
    )
    .await?;
    Ok(after)
}
