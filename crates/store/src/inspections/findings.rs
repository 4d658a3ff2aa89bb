//! 帮督发现: what a team finds at a target, recorded from a phone (with photos and the phone's
//! location), each either solved on the spot (当场协调解决, with what was done) or raised by the office
//! as a supervision item through the normal lifecycle (source 帮督发现, the target's answerable unit
//! proposed as responsible). A finding carries the phone's own key, so one sent twice — a retry on a
//! weak connection — is stored once.

use super::campaigns::{CampaignRow, manages, round_in};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::files::{FileStore, Upload, store_upload};
use crate::items::create::{NewItem, create};
use crate::settings;
use crate::tables::{
    FindingPhotoRow, FindingPhotos, FindingRecord, Findings, Items, PoolMembers, RoundRecord, RoundTargets,
    TargetRecord, TeamSeats,
};
use crate::time::now;
use bangdu_domain::field_error::{optional_prose, optional_text, required_text};
use bangdu_domain::inspection::round::Outcome;
use bangdu_domain::item::{Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::{FileId, FindingId, RoundId, TargetId, UnitId};
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde_json::json;
use std::collections::HashMap;

/// A target as the actor stands to it.
pub(crate) struct Access {
    pub target: TargetRecord,
    pub round: RoundRecord,
    pub campaign: CampaignRow,
    /// The office managing the round.
    pub manages: bool,
    /// A member of the target's team.
    pub on_team: bool,
}

pub(crate) async fn on_team(c: &mut Conn<'_>, actor: &Actor, target: TargetId) -> Result<bool> {
    let Some(user) = actor.user_id else { return Ok(false) };
    #[derive(sqlx::FromRow)]
    struct Seat {
        member_id: bangdu_domain::MemberId,
    }
    let seat: Option<Seat> = c
        .fetch_optional(
            Query::select()
                .column((TeamSeats::Table, TeamSeats::MemberId))
                .from(TeamSeats::Table)
                .join(
                    JoinType::InnerJoin,
                    PoolMembers::Table,
                    Expr::col((PoolMembers::Table, PoolMembers::Id)).equals((TeamSeats::Table, TeamSeats::MemberId)),
                )
                .and_where(Expr::col((TeamSeats::Table, TeamSeats::TargetId)).eq(target))
                .and_where(Expr::col((PoolMembers::Table, PoolMembers::UserId)).eq(user.0))
                .limit(1),
        )
        .await?;
    Ok(seat.map(|s| s.member_id).is_some())
}

pub(crate) async fn access(c: &mut Conn<'_>, actor: &Actor, target_id: TargetId) -> Result<Access> {
    let scope = actor.require(Permission::ViewInspections)?;
    let round_id = super::targets::round_of(c, target_id).await?;
    let (round, campaign) = round_in(c, &scope, round_id).await?;
    let target = super::targets::one_target(c, round_id, target_id).await?;
    let manages = manages(actor, &campaign);
    let on_team = on_team(c, actor, target_id).await?;
    Ok(Access { target, round, campaign, manages, on_team })
}

/// A finding as typed on the phone.
#[derive(Clone, Debug, Default)]
pub struct FindingInput {
    /// The phone's own id for this finding (a UUID); one is made when none is given.
    pub client_key: String,
    pub description: String,
    pub domain: String,
    /// `solved` (with `solved_note`) or `pending` (the office decides; it may raise an item).
    pub outcome: String,
    pub solved_note: String,
    pub lat: String,
    pub lon: String,
}

fn coordinate(field: &str, text: &str, limit: f64) -> Result<Option<i64>> {
    match text.trim() {
        "" => Ok(None),
        t => {
            let v: f64 = t.parse().map_err(|_| StoreError::invalid(field, format!("坐标“{t}”应为十进制度数")))?;
            if !v.is_finite() || v.abs() > limit {
                return Err(StoreError::invalid(field, format!("坐标应在 ±{limit} 度之间")));
            }
            Ok(Some((v * 1_000_000.0).round() as i64))
        }
    }
}

/// Records a finding with its photos. A team member or the managing office; the same `client_key`
/// again answers the finding already stored (`false`: nothing new was stored).
pub async fn record(
    c: &mut Conn<'_>,
    files: &dyn FileStore,
    actor: &Actor,
    target_id: TargetId,
    input: &FindingInput,
    photos: &[(String, Vec<u8>)],
) -> Result<(FindingRecord, bool)> {
    let a = access(c, actor, target_id).await?;
    if !a.on_team && !a.manages {
        return Err(StoreError::Forbidden);
    }
    if a.target.dropped_at.is_some() {
        return Err(StoreError::conflict("target_dropped", "该对象已从本轮移除"));
    }
    let key = match input.client_key.trim() {
        "" => super::targets::new_seed()?,
        k if k.len() <= 64 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => k.to_string(),
        _ => return Err(StoreError::invalid("client_key", "应为不超过 64 位的字母、数字或 -")),
    };
    if let Some(existing) = by_key(c, &key).await? {
        if existing.target_id != target_id {
            return Err(StoreError::conflict("client_key_used", "该编号已用于另一条发现"));
        }
        return Ok((existing, false));
    }
    let description = optional_prose("description", "问题描述", &input.description, 2000)
        .map_err(StoreError::Invalid)?
        .ok_or_else(|| StoreError::invalid("description", "问题描述不能为空"))?;
    let domain = optional_text("domain", "专业领域", &input.domain, 30).map_err(StoreError::Invalid)?;
    if let Some(d) = &domain
        && !settings::inspection_domains(c).await?.contains(d)
    {
        return Err(StoreError::invalid("domain", format!("未知的专业领域“{d}”")));
    }
    let outcome = match input.outcome.trim() {
        "" | "pending" => Outcome::Pending,
        "solved" => Outcome::Solved,
        other => return Err(StoreError::invalid("outcome", format!("“{other}”应为 solved 或 pending"))),
    };
    let solved_note =
        optional_prose("solved_note", "解决情况", &input.solved_note, 1000).map_err(StoreError::Invalid)?;
    if outcome == Outcome::Solved && solved_note.is_none() {
        return Err(StoreError::invalid("solved_note", "当场协调解决的，请写明做了什么"));
    }
    let (lat, lon) = (coordinate("lat", &input.lat, 90.0)?, coordinate("lon", &input.lon, 180.0)?);
    if lat.is_some() != lon.is_some() {
        return Err(StoreError::invalid("lon", "经纬度应同时填写"));
    }
    if photos.len() > 9 {
        return Err(StoreError::invalid("photos", "每条发现最多 9 张照片"));
    }
    let at = now();
    let record = FindingRecord {
        id: FindingId(0),
        round_id: a.round.id,
        target_id,
        client_key: key.clone(),
        description,
        domain,
        outcome: outcome.code().into(),
        solved_note,
        item_id: None,
        lat_e6: lat,
        lon_e6: lon,
        reported_by: actor.user_id.map(|u| u.0),
        reported_at: at,
        decided_by: (outcome == Outcome::Solved).then_some(actor.user_id.map(|u| u.0)).flatten(),
        decided_at: (outcome == Outcome::Solved).then_some(at),
    };
    let stored: FindingRecord =
        c.fetch_one(record.insert().returning(Query::returning().columns(Findings::COLUMNS.iter().copied()))).await?;
    let mut names = Vec::new();
    for (name, bytes) in photos {
        let Upload { name, content_type, sha256, size } = store_upload(c, files, name, bytes).await?;
        if !content_type.starts_with("image/") {
            return Err(StoreError::invalid("photos", format!("“{name}”不是照片")));
        }
        let row = FindingPhotoRow {
            id: FileId(0),
            finding_id: stored.id,
            filename: name.clone(),
            content_type: content_type.into(),
            size_bytes: size,
            sha256,
            uploaded_at: at,
        };
        c.execute(&row.insert()).await?;
        names.push(name);
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.finding_record", "round", a.round.id).change(json!({"payload": {
            "finding": stored.id, "target": target_id, "outcome": stored.outcome, "photos": names,
            "located": stored.lat_e6.is_some()}})),
    )
    .await?;
    Ok((stored, true))
}

async fn by_key(c: &mut Conn<'_>, key: &str) -> Result<Option<FindingRecord>> {
    c.fetch_optional(
        Query::select()
            .columns(Findings::COLUMNS.iter().copied())
            .from(Findings::Table)
            .and_where(Expr::col(Findings::ClientKey).eq(key)),
    )
    .await
}

async fn one(c: &mut Conn<'_>, id: FindingId) -> Result<FindingRecord> {
    c.fetch_optional(
        Query::select()
            .columns(Findings::COLUMNS.iter().copied())
            .from(Findings::Table)
            .and_where(Expr::col(Findings::Id).eq(id)),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// Marks a pending finding solved on the spot, with what was done (the team or the office).
pub async fn mark_solved(c: &mut Conn<'_>, actor: &Actor, id: FindingId, note: &str) -> Result<FindingRecord> {
    let f = one(c, id).await?;
    let a = access(c, actor, f.target_id).await?;
    if !a.on_team && !a.manages {
        return Err(StoreError::Forbidden);
    }
    if f.outcome != Outcome::Pending.code() {
        return Err(StoreError::conflict("finding_decided", "这条发现已处理"));
    }
    let note = required_text("solved_note", "解决情况", note, 1000).map_err(StoreError::Invalid)?;
    c.execute(
        Query::update()
            .table(Findings::Table)
            .values([
                (Findings::Outcome, Expr::val(Outcome::Solved.code())),
                (Findings::SolvedNote, Expr::val(note.clone())),
                (Findings::DecidedBy, Expr::val(actor.user_id.map(|u| u.0))),
                (Findings::DecidedAt, Expr::val(now())),
            ])
            .and_where(Expr::col(Findings::Id).eq(id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.finding_solved", "round", f.round_id)
            .change(json!({"payload": {"finding": id, "note": note}})),
    )
    .await?;
    one(c, id).await
}

/// Raises a pending finding as a supervision item (the office): source 帮督发现, the target's
/// answerable unit proposed as responsible, linked to the project when the target is one.
pub async fn raise_item(c: &mut Conn<'_>, actor: &Actor, id: FindingId) -> Result<FindingRecord> {
    let f = one(c, id).await?;
    let a = access(c, actor, f.target_id).await?;
    if !a.manages || !actor.can(Permission::CreateItems) {
        return Err(StoreError::Forbidden);
    }
    if f.outcome != Outcome::Pending.code() {
        return Err(StoreError::conflict("finding_decided", "这条发现已处理"));
    }
    let title: String = format!("帮督发现：{}", f.description.lines().next().unwrap_or("")).chars().take(60).collect();
    let description = format!(
        "{}（{}·{}，{} 实地督查）发现：{}",
        a.target.name, a.campaign.name, a.round.name, a.target.visit_on, f.description
    );
    let new = NewItem {
        title,
        description: Some(description),
        source: Some(Source::Helping),
        tags: f.domain.iter().cloned().collect(),
        priority: Some(Priority::Normal),
        owner_unit: Some(UnitId(a.campaign.lead_unit_id).into()),
        responsible_unit: Some(UnitId(a.target.unit_id).into()),
        project: a.target.project_id,
        ..NewItem::default()
    };
    let item = create(c, actor, new).await?;
    c.execute(
        Query::update()
            .table(Findings::Table)
            .values([
                (Findings::Outcome, Expr::val(Outcome::Item.code())),
                (Findings::ItemId, Expr::val(item.id)),
                (Findings::DecidedBy, Expr::val(actor.user_id.map(|u| u.0))),
                (Findings::DecidedAt, Expr::val(now())),
            ])
            .and_where(Expr::col(Findings::Id).eq(id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("inspection.finding_item", "round", f.round_id)
            .change(json!({"payload": {"finding": id, "item": item.id, "code": item.code}})),
    )
    .await?;
    one(c, id).await
}

/// A finding with its photos and, when it became an item, the item's code and state.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FindingView {
    pub finding: FindingRecord,
    pub photos: Vec<FindingPhotoRow>,
    pub item_code: Option<String>,
    pub item_state: Option<String>,
    pub reported_by_name: Option<String>,
}

/// The findings of a round (or one target), oldest first; the caller has checked the actor.
pub(crate) async fn of_round(c: &mut Conn<'_>, round: RoundId, target: Option<TargetId>) -> Result<Vec<FindingView>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        finding: FindingRecord,
        item_code: Option<String>,
        item_state: Option<String>,
        reported_by_name: Option<String>,
    }
    let users = Alias::new("reporter");
    let mut select = Query::select();
    select
        .columns(Findings::qualified())
        .expr_as(Expr::col((Items::Table, Items::Code)), Alias::new("item_code"))
        .expr_as(Expr::col((Items::Table, Items::State)), Alias::new("item_state"))
        .expr_as(Expr::col((users.clone(), crate::tables::Users::DisplayName)), Alias::new("reported_by_name"))
        .from(Findings::Table)
        .join(
            JoinType::LeftJoin,
            Items::Table,
            Expr::col((Items::Table, Items::Id)).equals((Findings::Table, Findings::ItemId)),
        )
        .join_as(
            JoinType::LeftJoin,
            crate::tables::Users::Table,
            users.clone(),
            Expr::col((users, crate::tables::Users::Id)).equals((Findings::Table, Findings::ReportedBy)),
        )
        .and_where(Expr::col((Findings::Table, Findings::RoundId)).eq(round))
        .order_by((Findings::Table, Findings::Id), Order::Asc);
    if let Some(t) = target {
        select.and_where(Expr::col((Findings::Table, Findings::TargetId)).eq(t));
    }
    let rows: Vec<Row> = c.fetch_all(&select).await?;
    let ids: Vec<FindingId> = rows.iter().map(|r| r.finding.id).collect();
    let photos: Vec<FindingPhotoRow> = if ids.is_empty() {
        vec![]
    } else {
        c.fetch_all(
            Query::select()
                .columns(FindingPhotos::COLUMNS.iter().copied())
                .from(FindingPhotos::Table)
                .and_where(Expr::col(FindingPhotos::FindingId).is_in(ids))
                .order_by(FindingPhotos::Id, Order::Asc),
        )
        .await?
    };
    Ok(rows
        .into_iter()
        .map(|r| FindingView {
            photos: photos.iter().filter(|p| p.finding_id == r.finding.id).cloned().collect(),
            finding: r.finding,
            item_code: r.item_code,
            item_state: r.item_state,
            reported_by_name: r.reported_by_name,
        })
        .collect())
}

/// The findings of a round the actor may see.
pub async fn list(c: &mut Conn<'_>, actor: &Actor, round: RoundId) -> Result<Vec<FindingView>> {
    let scope = actor.require(Permission::ViewInspections)?;
    round_in(c, &scope, round).await?;
    of_round(c, round, None).await
}

/// A photo of a finding the actor may see.
pub async fn photo(c: &mut Conn<'_>, actor: &Actor, id: FileId) -> Result<FindingPhotoRow> {
    let row: FindingPhotoRow = c
        .fetch_optional(
            Query::select()
                .columns(FindingPhotos::COLUMNS.iter().copied())
                .from(FindingPhotos::Table)
                .and_where(Expr::col(FindingPhotos::Id).eq(id)),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let f = one(c, row.finding_id).await?;
    access(c, actor, f.target_id).await?;
    Ok(row)
}

/// A target of the actor's team, with its facts, for the phone.
#[derive(Clone, Debug)]
pub struct Visit {
    pub target: TargetRecord,
    pub round_name: String,
    pub campaign_name: String,
    pub facts: Vec<(String, String)>,
    /// The target's recent history, newest first: (day, what) — a project's monthly reports, an
    /// item's actions (as audit action codes, which the page names).
    pub history: Vec<(String, String)>,
    pub team: Vec<(String, String)>,
    pub findings: Vec<FindingView>,
}

/// The targets the actor visits from `from` on (their own seats), soonest first, with what the
/// team needs to know on site: the project's plan and progress or the item's state and deadline.
pub async fn my_visits(c: &mut Conn<'_>, actor: &Actor, from: chrono::NaiveDate) -> Result<Vec<Visit>> {
    actor.require(Permission::ViewInspections)?;
    let Some(user) = actor.user_id else { return Ok(vec![]) };
    let targets: Vec<TargetRecord> = c
        .fetch_all(
            Query::select()
                .columns(RoundTargets::qualified())
                .from(RoundTargets::Table)
                .join(
                    JoinType::InnerJoin,
                    TeamSeats::Table,
                    Expr::col((TeamSeats::Table, TeamSeats::TargetId)).equals((RoundTargets::Table, RoundTargets::Id)),
                )
                .join(
                    JoinType::InnerJoin,
                    PoolMembers::Table,
                    Expr::col((PoolMembers::Table, PoolMembers::Id)).equals((TeamSeats::Table, TeamSeats::MemberId)),
                )
                .and_where(Expr::col((PoolMembers::Table, PoolMembers::UserId)).eq(user.0))
                .and_where(Expr::col((RoundTargets::Table, RoundTargets::DroppedAt)).is_null())
                .and_where(Expr::col((RoundTargets::Table, RoundTargets::VisitOn)).gte(from))
                .order_by((RoundTargets::Table, RoundTargets::VisitOn), Order::Asc)
                .order_by((RoundTargets::Table, RoundTargets::Id), Order::Asc)
                .limit(50),
        )
        .await?;
    let mut out = Vec::new();
    // A member often visits several targets of one round: its teams are read once.
    let mut rounds: HashMap<RoundId, super::teams::Formed> = HashMap::new();
    for target in targets {
        let a = access(c, actor, target.id).await?;
        if let std::collections::hash_map::Entry::Vacant(slot) = rounds.entry(a.round.id) {
            slot.insert(super::teams::formed(c, a.round.id).await?);
        }
        let team = rounds[&a.round.id]
            .teams
            .iter()
            .find(|t| t.target.id == target.id)
            .map(|t| t.members.iter().map(|m| (m.role.clone(), m.name.clone())).collect())
            .unwrap_or_default();
        let facts = facts_of(c, &target).await?;
        let history = history_of(c, &target).await?;
        out.push(Visit {
            history,
            findings: of_round(c, a.round.id, Some(target.id)).await?,
            round_name: a.round.name.clone(),
            campaign_name: a.campaign.name.clone(),
            facts,
            team,
            target,
        });
    }
    Ok(out)
}

/// What a team on site should know about its target: read for the team whatever their own scope,
/// since the seat is what entitles them.
async fn facts_of(c: &mut Conn<'_>, t: &TargetRecord) -> Result<Vec<(String, String)>> {
    let everything = bangdu_domain::scope::Scope::everything();
    let mut out = Vec::new();
    if let Some(p) = t.project_id {
        let p = crate::projects::query::get_in(c, &everything, p).await?;
        let percent = |h: i64| format!("{}%", bangdu_domain::project::Percent(h));
        out.push(("牵头单位".into(), p.lead_name.clone()));
        out.push(("计划工期".into(), format!("{} 至 {}", p.planned_start, p.planned_end)));
        out.push(("进度".into(), format!("计划 {}，实际 {}", percent(p.planned_progress), percent(p.actual_progress))));
        out.push(("亮灯".into(), format!("{}：{}", p.light().label(), p.light_reason)));
        if let Some(addr) = &p.address {
            out.push(("地点".into(), addr.clone()));
        }
        if let Some(person) = &p.responsible_person {
            out.push(("责任人".into(), person.clone()));
        }
    }
    if let Some(i) = t.item_id {
        let i = crate::items::query::get_in(c, &everything, i).await?;
        out.push(("事项".into(), format!("{} {}", i.code, i.title)));
        out.push(("状态".into(), i.state().label().into()));
        if let Some(d) = i.deadline {
            out.push(("期限".into(), d.to_string()));
        }
        if let Some(u) = &i.responsible_name {
            out.push(("责任单位".into(), u.clone()));
        }
        if let Some(d) = &i.description {
            out.push(("描述".into(), d.chars().take(300).collect()));
        }
    }
    Ok(out)
}

/// A target's recent history for the team: the project's last monthly reports, or the item's last
/// actions (the seat entitles the team to them, as to the facts).
async fn history_of(c: &mut Conn<'_>, t: &TargetRecord) -> Result<Vec<(String, String)>> {
    use crate::tables::ProjectReports;
    let mut out = Vec::new();
    if let Some(p) = t.project_id {
        #[derive(sqlx::FromRow)]
        struct Monthly {
            period: String,
            progress: i64,
            submitted_on: chrono::NaiveDate,
        }
        let reports: Vec<Monthly> = c
            .fetch_all(
                Query::select()
                    .columns([ProjectReports::Period, ProjectReports::Progress, ProjectReports::SubmittedOn])
                    .from(ProjectReports::Table)
                    .and_where(Expr::col(ProjectReports::ProjectId).eq(p))
                    .and_where(Expr::col(ProjectReports::SupersededOn).is_null())
                    .order_by(ProjectReports::Period, Order::Desc)
                    .limit(4),
            )
            .await?;
        for r in reports {
            let percent = bangdu_domain::project::Percent(r.progress);
            out.push((r.submitted_on.to_string(), format!("报送 {} 进度：累计 {percent}%", r.period)));
        }
    }
    if let Some(i) = t.item_id {
        let events = crate::audit::events_of(c, "item", &i.0.to_string(), 500).await?;
        for e in events.iter().rev().take(5) {
            out.push((crate::time::beijing(&e.at, "%Y-%m-%d"), e.action.clone()));
        }
    }
    Ok(out)
}
