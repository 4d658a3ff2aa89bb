//! Inspections as people ask for them: the pool's filters and member bodies, campaigns, rounds,
//! the draw's parameters, targets and seats. Each becomes the store's command through one function
//! that the API and the pages share.

use crate::error::{WebError, WebResult};
use crate::extract::nonempty;
use bangdu_domain::UnitId;
use bangdu_store::inspections::campaigns::{CampaignInput, RoundInput};
use bangdu_store::inspections::pool::{MemberFilter, MemberInput};
use bangdu_store::inspections::targets::{PlanParams, TargetChanges};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Name or unit contains.
    pub q: Option<String>,
    /// One domain (专业领域), matched whole.
    pub domain: Option<String>,
    /// Region code starts with (`3505`, `350582`).
    pub region: Option<String>,
    /// `true`: only those who can lead.
    pub can_lead: Option<String>,
    /// `true`: only members of the supervision office.
    pub office: Option<String>,
    /// `false`: members taken out of the pool.
    pub active: Option<String>,
    /// Not away on this day (YYYY-MM-DD).
    pub available_on: Option<String>,
    /// The keeping office (unit id).
    pub owner: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn flag(field: &str, v: &Option<String>) -> WebResult<Option<bool>> {
    match nonempty(v) {
        None => Ok(None),
        Some("true" | "1" | "是") => Ok(Some(true)),
        Some("false" | "0" | "否") => Ok(Some(false)),
        Some(_) => Err(WebError::invalid(field, "应为 true 或 false")),
    }
}

impl MemberQuery {
    pub fn filter(&self) -> WebResult<MemberFilter> {
        let region = nonempty(&self.region).map(String::from);
        if region.as_deref().is_some_and(|r| !r.bytes().all(|b| b.is_ascii_digit()) || r.len() > 12) {
            return Err(WebError::invalid("region", "区划代码应为数字"));
        }
        let available_on = match nonempty(&self.available_on) {
            Some(day) => Some(bangdu_domain::project::plan::parse_date("available_on", day)?),
            None => None,
        };
        let owner = match nonempty(&self.owner) {
            Some(o) => Some(UnitId(o.parse().map_err(|_| WebError::invalid("owner", "应为单位编号"))?)),
            None => None,
        };
        Ok(MemberFilter {
            q: nonempty(&self.q).map(String::from),
            domain: nonempty(&self.domain).map(String::from),
            region,
            can_lead: flag("can_lead", &self.can_lead)?,
            office: flag("office", &self.office)?,
            active: flag("active", &self.active)?,
            available_on,
            owner,
        })
    }
}

/// A pool member, as the API takes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MemberInput)]
pub struct MemberBody {
    /// 姓名
    pub name: String,
    /// 工作单位: a unit's code or name, or an outside unit's name.
    pub unit: String,
    /// 所在地区划代码 (6, 9 or 12 digits).
    pub region: String,
    /// 专业领域, from the administrator's list.
    pub domains: Vec<String>,
    /// 可任组长
    #[serde(default)]
    pub can_lead: bool,
    /// 督查室成员 (the second "1" of 1+1+N).
    #[serde(default)]
    pub office: bool,
    /// 手机: personal data, shown only to the office that keeps the pool.
    pub phone: Option<String>,
    /// The member's account, when they sign in (帮督人员).
    pub username: Option<String>,
    pub note: Option<String>,
    /// The keeping office (code); the caller's office unit when omitted.
    pub owner: Option<String>,
}

impl From<MemberBody> for MemberInput {
    fn from(b: MemberBody) -> Self {
        MemberInput {
            name: b.name,
            unit: b.unit,
            region: b.region,
            domains: b.domains.join("、"),
            can_lead: if b.can_lead { "是" } else { "否" }.into(),
            office: if b.office { "是" } else { "否" }.into(),
            phone: b.phone.unwrap_or_default(),
            username: b.username.unwrap_or_default(),
            note: b.note.unwrap_or_default(),
            owner: b.owner.unwrap_or_default(),
        }
    }
}

/// The member form of the pages (every field as typed).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MemberForm {
    pub name: String,
    pub unit: String,
    pub region: String,
    /// Several, separated by 、
    pub domains: String,
    pub can_lead: String,
    pub office: String,
    pub phone: String,
    pub username: String,
    pub note: String,
    pub owner: String,
    pub version: String,
}

impl From<MemberForm> for MemberInput {
    fn from(f: MemberForm) -> Self {
        MemberInput {
            name: f.name,
            unit: f.unit,
            region: f.region,
            domains: f.domains,
            can_lead: f.can_lead,
            office: f.office,
            phone: f.phone,
            username: f.username,
            note: f.note,
            owner: f.owner,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberVersion {
    /// The member's version you read; a stale one answers 409 `version_conflict`.
    pub version: i64,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ActiveBody {
    /// `false` takes the member out of the pool; `true` brings them back.
    pub active: bool,
    pub reason: Option<String>,
}

/// A declared conflict of interest: with a unit (code or name) or a person (name).
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct ConflictBody {
    pub unit: Option<String>,
    pub person: Option<String>,
    pub reason: Option<String>,
}

/// Days a member cannot serve.
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct AbsenceBody {
    pub starts_on: String,
    /// The same day when omitted.
    pub ends_on: Option<String>,
    pub reason: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct PoolImportQuery {
    /// The keeping office (code); the caller's office unit when omitted.
    pub owner: Option<String>,
    /// Check everything, store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A campaign (专项行动).
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
#[schema(as = CampaignInput)]
pub struct CampaignBody {
    pub name: String,
    pub theme: Option<String>,
    /// The lead office (code); the caller's office unit when omitted.
    pub lead_unit: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
}

impl From<CampaignBody> for CampaignInput {
    fn from(b: CampaignBody) -> Self {
        CampaignInput {
            name: b.name,
            theme: b.theme.unwrap_or_default(),
            lead_unit: b.lead_unit.unwrap_or_default(),
            starts_on: b.starts_on,
            ends_on: b.ends_on,
        }
    }
}

/// A round (批次) of a campaign.
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
#[schema(as = RoundInput)]
pub struct RoundBody {
    pub name: String,
    /// `on_site` 实地帮, `written` 书面督, `unannounced` 四不两直, `joint` 党政联合督查,
    /// `departmental` 职能部门联查, `special` 专查.
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    /// N of 1+1+N (0–10; 2 when omitted).
    pub specialists: Option<i64>,
}

impl From<RoundBody> for RoundInput {
    fn from(b: RoundBody) -> Self {
        RoundInput {
            name: b.name,
            kind: b.kind,
            starts_on: b.starts_on,
            ends_on: b.ends_on,
            specialists: b.specialists.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// The draw's parameters (双随机、一公开).
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct DrawBody {
    /// The seed, e.g. a public lottery number; generated when omitted.
    pub seed: Option<String>,
    /// Include every red project and overdue item (重点督).
    pub key: bool,
    /// Green projects to draw (随机查).
    pub random: u32,
    /// Finished projects to draw (回头看).
    pub lookback_projects: u32,
    /// Items written off to draw (回头看).
    pub lookback_items: u32,
    /// How far back 回头看 reaches, in months (1–60).
    pub months: u32,
    /// Projects of this year only.
    pub year: Option<i32>,
    /// Projects of this kind only (为民办实事, 民生微实事, 重点项目 …).
    pub kind: Option<String>,
}

impl Default for DrawBody {
    fn default() -> Self {
        let p = PlanParams::default();
        DrawBody {
            seed: None,
            key: p.key,
            random: p.random as u32,
            lookback_projects: p.lookback_projects as u32,
            lookback_items: p.lookback_items as u32,
            months: p.months,
            year: None,
            kind: None,
        }
    }
}

impl DrawBody {
    pub fn params(&self) -> WebResult<PlanParams> {
        let size = |field: &str, n: u32| -> WebResult<usize> {
            if n > 1000 {
                return Err(WebError::invalid(field, "一次最多抽取 1000 个"));
            }
            Ok(n as usize)
        };
        if let Some(y) = self.year
            && !(2000..=2100).contains(&y)
        {
            return Err(WebError::invalid("year", "年度应为 2000–2100"));
        }
        Ok(PlanParams {
            key: self.key,
            random: size("random", self.random)?,
            lookback_projects: size("lookback_projects", self.lookback_projects)?,
            lookback_items: size("lookback_items", self.lookback_items)?,
            months: self.months,
            year: self.year,
            kind: self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(str::to_string),
        })
    }
}

/// A target added by hand.
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct TargetBody {
    /// `project`, `item` or `unit`.
    pub kind: String,
    pub id: i64,
    /// Why it is added (kept with the target).
    pub reason: String,
}

#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct DropBody {
    /// Why it is dropped (kept with the target).
    pub reason: String,
}

/// A target's changes; what is omitted stays.
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct TargetEditBody {
    pub domains: Option<Vec<String>>,
    pub specialists: Option<i64>,
    pub visit_on: Option<String>,
}

impl From<TargetEditBody> for TargetChanges {
    fn from(b: TargetEditBody) -> Self {
        TargetChanges {
            domains: b.domains.map(|d| d.join("、")).unwrap_or_default(),
            specialists: b.specialists.map(|n| n.to_string()).unwrap_or_default(),
            visit_on: b.visit_on.unwrap_or_default(),
        }
    }
}

/// A member put on a team by hand.
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct SeatBody {
    pub member_id: i64,
    /// `leader`, `office` or `specialist` (default).
    pub role: Option<String>,
    /// Required when the seat breaks a hard constraint (本地回避, leave, load cap …); kept on the seat.
    pub override_reason: Option<String>,
}

/// A finding, as the API takes it (photos go through the phone page).
#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct FindingBody {
    /// The sender's own id for this finding (a UUID): sending it again stores nothing new.
    pub client_key: Option<String>,
    pub description: String,
    /// One of the pool's domains.
    pub domain: Option<String>,
    /// `solved` (当场协调解决, with `solved_note`) or `pending` (default: the office decides).
    pub outcome: Option<String>,
    pub solved_note: Option<String>,
    /// WGS84 decimal degrees, from the phone.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl From<FindingBody> for bangdu_store::inspections::findings::FindingInput {
    fn from(b: FindingBody) -> Self {
        bangdu_store::inspections::findings::FindingInput {
            client_key: b.client_key.unwrap_or_default(),
            description: b.description,
            domain: b.domain.unwrap_or_default(),
            outcome: b.outcome.unwrap_or_default(),
            solved_note: b.solved_note.unwrap_or_default(),
            lat: b.lat.map(|v| v.to_string()).unwrap_or_default(),
            lon: b.lon.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct SolvedBody {
    /// What was done on the spot.
    pub solved_note: String,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct BriefQuery {
    /// One team's report (the target's id); the whole round's when omitted.
    pub target: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct BriefBody {
    /// One team's report (the target's id); the whole round's when omitted.
    pub target: Option<i64>,
    /// 工作建议.
    pub suggestions: String,
}

#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct BriefIssueBody {
    pub target: Option<i64>,
}
