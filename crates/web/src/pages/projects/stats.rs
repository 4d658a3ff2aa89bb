//! 数据统计: the figures the articles quote, each one click away — totals by light, completed,
//! completed early, over schedule, on schedule, funds against plan — and the same by series and by
//! lead unit. Each figure links to the list it counts where the list can show it.

use super::{FilterChoices, Filters};
use crate::auth::PageUser;
use crate::input::projects::project_filter;
use crate::output::projects::{FiguresOut, StatsOut};
use crate::pages::errors::PageResult;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::projects::stats;

/// One tile of the figures.
pub struct Tile {
    pub label: &'static str,
    pub value: String,
    /// The light colour the tile is drawn in, if any.
    pub light: &'static str,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "projects/stats.html")]
struct StatsPage {
    shell: Shell,
    s: StatsOut,
    tiles: Vec<Tile>,
    f: Filters,
    c: FilterChoices,
    qs: String,
}

impl StatsPage {
    /// The list of one slice: the current filters plus its series or lead unit.
    fn slice_link(&self, series: Option<&str>, unit: Option<&str>) -> String {
        let mut f = self.f.clone();
        if let Some(s) = series {
            f.series = Some(s.to_string());
        }
        if let Some(u) = unit {
            f.under = Some(u.to_string());
        }
        format!("/projects{}", f.query_string())
    }

    fn percent(&self, f: &FiguresOut) -> String {
        f.allocated_percent.clone().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }
}

fn tiles(f: &Filters, s: &FiguresOut) -> Vec<Tile> {
    let list = |light: &str| {
        let mut f = f.clone();
        f.light = Some(light.to_string());
        Some(format!("/projects{}", f.query_string()))
    };
    let n = |light: &str| s.by_light.get(light).copied().unwrap_or(0).to_string();
    vec![
        Tile {
            label: "项目总数",
            value: s.total.to_string(),
            light: "",
            href: Some(format!("/projects{}", f.query_string())),
        },
        Tile { label: "已完成", value: s.completed.to_string(), light: "blue", href: list("blue") },
        Tile { label: "提前完工", value: s.completed_early.to_string(), light: "blue", href: None },
        Tile { label: "超时序（红灯）", value: s.over_schedule.to_string(), light: "red", href: list("red") },
        Tile { label: "按时序推进", value: s.on_schedule.to_string(), light: "green", href: None },
        Tile { label: "绿灯", value: n("green"), light: "green", href: list("green") },
        Tile { label: "黄灯 进度滞后", value: n("yellow"), light: "yellow", href: list("yellow") },
        Tile { label: "灰灯 未开始", value: n("gray"), light: "gray", href: list("gray") },
        Tile { label: "资金已下达", value: s.funds_allocated_text.clone(), light: "", href: None },
        Tile {
            label: "完成年度计划",
            value: s.allocated_percent.clone().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
            light: "",
            href: None,
        },
    ]
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(f): Query<Filters>) -> PageResult {
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &authed.actor, &f.query()).await?;
    let s = StatsOut::from(&stats::stats(&mut reader.conn(), &authed.actor, &filter).await?);
    drop(reader);
    render(&StatsPage {
        shell: shell(&state, &authed, "projects", "数据统计", &[("项目", Some("/projects")), ("数据统计", None)]).await,
        tiles: tiles(&f, &s.figures),
        s,
        c: FilterChoices::load(&state, &authed, &f).await?,
        qs: f.query_string(),
        f,
    })
}
