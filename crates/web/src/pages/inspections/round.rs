//! A round's page: its facts, the draw and its stored inputs (with the check that re-runs it), the
//! targets with their reasons, and the teams with their explanations.

use crate::auth::{Authed, PageUser};
use crate::extract::Id;
use crate::output::inspections::{RedrawOut, RoundDetailOut, TargetOut, TeamOut, TeamsOut};
use crate::pages::errors::PageResult;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::RoundId;
use bangdu_store::inspections::pool::{self, MemberFilter};
use bangdu_store::inspections::{campaigns, targets, teams};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "inspections/round.html")]
struct RoundPage {
    shell: Shell,
    r: RoundDetailOut,
    teams: TeamsOut,
    can_manage: bool,
    live: Vec<TargetOut>,
    dropped: Vec<TargetOut>,
    redraw: Option<RedrawOut>,
    forms: Forms,
    domains: Vec<String>,
    /// The project kinds the draw may be limited to.
    kinds: Vec<String>,
    /// (id, "name · unit · domains") of the pool members the office may put on a team by hand.
    members: Vec<(i64, String)>,
}

impl RoundPage {
    fn role_label(&self, role: &str) -> &'static str {
        match role {
            "leader" => "组长",
            "office" => "督查室",
            _ => "专家",
        }
    }

    fn seat_label(&self, seat: &str) -> String {
        match seat {
            "leader" => "组长".into(),
            "office" => "督查室成员".into(),
            other => format!("“{}”专家", other.trim_start_matches("domain:")),
        }
    }

    fn code_label(&self, code: &str) -> &'static str {
        match code {
            "local_avoidance" => "本地回避",
            "responsible_unit" => "责任单位回避",
            "declared_conflict" => "利益冲突",
            "unavailable" => "不能参加",
            "already_serving" => "当日已有任务",
            "load_cap" => "达到批次上限",
            _ => "其他",
        }
    }

    fn team_of(&self, target: &i64) -> Option<&TeamOut> {
        self.teams.teams.iter().find(|t| t.target.id == *target)
    }

    /// "组长 傅婷婷 · 督查室 王晓梅 · 专家 谢秀英、蔡海燕", or why there is no team yet.
    fn summary(&self, target: &i64) -> String {
        let Some(team) = self.team_of(target) else { return "未组队".into() };
        if team.members.is_empty() {
            return "未组队".into();
        }
        let names = |role: &str| {
            team.members.iter().filter(|m| m.role == role).map(|m| m.name.as_str()).collect::<Vec<_>>().join("、")
        };
        [("组长", names("leader")), ("督查室", names("office")), ("专家", names("specialist"))]
            .into_iter()
            .filter(|(_, n)| !n.is_empty())
            .map(|(label, n)| format!("{label} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// A candidate of the draw, for the sha256sum example.
    fn example_key(&self) -> String {
        self.live.iter().find(|t| t.rank.is_some()).map_or_else(
            || "project:1".to_string(),
            |t| match (t.project_id, t.item_id) {
                (Some(p), _) => format!("project:{p}"),
                (None, Some(i)) => format!("item:{i}"),
                _ => format!("unit:{}", t.unit_id),
            },
        )
    }

    fn candidate_count(&self, pool: &str) -> usize {
        self.r.round.draw.as_ref().and_then(|d| d.candidates.get(pool)).map_or(0, Vec::len)
    }

    fn link(&self, t: &TargetOut) -> String {
        match (t.project_id, t.item_id) {
            (Some(p), _) => format!("/projects/{p}"),
            (None, Some(i)) => format!("/items/{i}"),
            _ => format!("/units/{}", t.unit_id),
        }
    }
}

/// What the round's forms last held, shown again after a refusal.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Forms {
    pub seed: String,
    pub random: String,
    pub lookback_projects: String,
    pub lookback_items: String,
    pub months: String,
    /// Projects of this kind only (blank: all).
    pub kind: String,
    pub add_kind: String,
    pub add_id: String,
    pub add_reason: String,
    /// The target whose form was refused, and its fields.
    pub target: String,
    pub reason: String,
    pub member_id: String,
    pub role: String,
    pub override_reason: String,
}

pub(super) async fn round_page(
    state: &AppState,
    authed: &Authed,
    id: RoundId,
    forms: Forms,
    redraw: bool,
    flash: Option<Flash>,
) -> PageResult {
    let (detail, formed, check, domains, members, kinds) = {
        let mut reader = state.db.reader().await?;
        let detail = campaigns::round_detail(&mut reader.conn(), &authed.actor, id).await?;
        let formed = teams::teams(&mut reader.conn(), &authed.actor, id).await?;
        let check = match redraw && detail.round.seed.is_some() && detail.round.plan.is_some() {
            true => Some(targets::redraw(&mut reader.conn(), &authed.actor, id).await?),
            false => None,
        };
        let members = match detail.can_manage {
            true => {
                let year = chrono::Datelike::year(&detail.round.starts_on);
                let all = MemberFilter::default();
                pool::all(&mut reader.conn(), &authed.actor, &all, year)
                    .await?
                    .iter()
                    .map(|m| (m.id.0, format!("{} · {} · {}", m.name, m.unit_name, m.domains)))
                    .collect()
            }
            false => Vec::new(),
        };
        let kinds = bangdu_store::settings::project_kinds(&mut reader.conn()).await?;
        (detail, formed, check, bangdu_store::settings::inspection_domains(&mut reader.conn()).await?, members, kinds)
    };
    let r = RoundDetailOut::from(&detail);
    let title = format!("{} · {}", r.campaign.name, r.round.name);
    let campaign_link = format!("/inspections/{}", r.campaign.id);
    render(&RoundPage {
        shell: shell(
            state,
            authed,
            "inspections",
            title,
            &[
                ("帮督行动", Some("/inspections")),
                (r.campaign.name.as_str(), Some(campaign_link.as_str())),
                (r.round.name.as_str(), None),
            ],
        )
        .await
        .flash(flash),
        live: {
            let mut live: Vec<TargetOut> = r.targets.iter().filter(|t| t.dropped_at.is_none()).cloned().collect();
            live.sort_by_key(|t| (t.visit_on, t.id));
            live
        },
        dropped: r.targets.iter().filter(|t| t.dropped_at.is_some()).cloned().collect(),
        teams: TeamsOut::from(&formed),
        can_manage: detail.can_manage,
        redraw: check.map(RedrawOut::from),
        forms,
        domains,
        members,
        kinds,
        r,
    })
}

#[derive(Deserialize, Default)]
pub struct RoundParams {
    pub done: Option<String>,
    /// `1`: re-run the draw from the stored inputs and show whether it agrees.
    pub redraw: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    Query(p): Query<RoundParams>,
) -> PageResult {
    let forms = Forms {
        random: "3".into(),
        lookback_projects: "2".into(),
        lookback_items: "2".into(),
        months: "6".into(),
        add_kind: "project".into(),
        ..Forms::default()
    };
    round_page(&state, &authed, id, forms, p.redraw.as_deref() == Some("1"), flash::from_code(p.done.as_deref())).await
}
