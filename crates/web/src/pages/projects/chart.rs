//! 挂图作战: every project of a list as a bar from planned start to planned end, its milestones,
//! the part done (actual progress), today's line and the light — one SVG drawn by the server, on
//! the page and as a file to print.

use super::svg::{clip, esc, light_fill};
use super::{FilterChoices, Filters};
use crate::auth::{Authed, PageUser};
use crate::input::projects::{project_filter, project_sort};
use crate::pages::errors::PageResult;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use bangdu_store::projects::{ProjectRow, parse_milestones, query};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

/// At most this many rows on one chart; more asks for a narrower filter.
pub const MAX_ROWS: u64 = 600;

const NAME_W: f64 = 300.0;
const UNIT_W: f64 = 150.0;
const ROW_H: f64 = 24.0;
const HEAD_H: f64 = 60.0;
const PLOT_W: f64 = 900.0;
/// Room right of the plot for a percentage after a bar that ends there ("100.00%").
const RIGHT_W: f64 = 64.0;
/// The narrowest a month label may have (a "12月" at 12 px is about 26 px wide).
const MONTH_LABEL_W: f64 = 30.0;

/// Draws the chart. `today` is the red line; the axis spans every bar and today, whole months.
pub fn draw(rows: &[ProjectRow], today: NaiveDate, title: &str) -> String {
    let first = rows.iter().map(|p| p.planned_start).chain([today]).min().unwrap_or(today);
    let last = rows
        .iter()
        .map(|p| p.planned_end.max(p.completed_on.unwrap_or(p.planned_end)))
        .chain([today])
        .max()
        .unwrap_or(today);
    let from = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    let to = bangdu_domain::project::Period::of(last).last_day().unwrap_or(last);
    let days = (to - from).num_days().max(1) as f64 + 1.0;
    let x0 = NAME_W + UNIT_W;
    let x = |d: NaiveDate| x0 + ((d - from).num_days() as f64) / days * PLOT_W;
    let width = x0 + PLOT_W + RIGHT_W;
    let height = HEAD_H + ROW_H * rows.len() as f64 + 40.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif" font-size="12" role="img" aria-label="{}">"##,
        esc(title)
    );
    let _ = write!(s, r##"<rect width="{width}" height="{height}" fill="#fff"/>"##);
    let _ = write!(s, r##"<text x="8" y="18" font-size="15" font-weight="bold" fill="#303133">{}</text>"##, esc(title));
    let _ = write!(
        s,
        r##"<text x="8" y="{}" fill="#909399">项目</text><text x="{NAME_W}" y="{}" fill="#909399">牵头单位</text>"##,
        HEAD_H - 6.0,
        HEAD_H - 6.0
    );
    // Two header rows: the year over its months (at its first month on the chart), and the month
    // numbers — every month when there is room, else every 2nd, 3rd… (always January and July when
    // shown), so that no two labels overlap, at a year boundary least of all.
    let month_w = PLOT_W * 30.44 / days;
    let every = (MONTH_LABEL_W / month_w).ceil().clamp(1.0, 12.0) as u32;
    let every = [1, 2, 3, 4, 6, 12].into_iter().find(|n| *n >= every).unwrap_or(12);
    let mut m = from;
    while m <= to {
        let mx = x(m);
        let _ = write!(
            s,
            r##"<line x1="{mx:.1}" y1="{}" x2="{mx:.1}" y2="{}" stroke="{}"/>"##,
            HEAD_H - 18.0,
            height - 30.0,
            if m.month() == 1 { "#c0c4cc" } else { "#ebeef5" }
        );
        // The first year's label, unless its months on the chart are too few to hold it.
        let next_january = NaiveDate::from_ymd_opt(m.year() + 1, 1, 1).unwrap_or(to);
        if m.month() == 1 || (m == from && x(next_january) - mx >= 46.0) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" fill="#303133" font-weight="bold">{}年</text>"##,
                mx + 3.0,
                HEAD_H - 24.0,
                m.year()
            );
        }
        if (m.month() - 1).is_multiple_of(every) {
            let _ =
                write!(s, r##"<text x="{:.1}" y="{}" fill="#606266">{}月</text>"##, mx + 3.0, HEAD_H - 6.0, m.month());
        }
        match bangdu_domain::project::Period::of(m).next().first_day() {
            Some(next) => m = next,
            None => break,
        }
    }
    for (i, p) in rows.iter().enumerate() {
        let y = HEAD_H + ROW_H * i as f64;
        if i % 2 == 1 {
            let _ = write!(s, r##"<rect x="0" y="{y}" width="{width}" height="{ROW_H}" fill="#fafafa"/>"##);
        }
        let fill = light_fill(&p.light);
        let _ = write!(
            s,
            r##"<a href="/projects/{}"><title>{}：{}</title><text x="8" y="{:.1}" fill="#303133">{}</text></a><text x="{NAME_W}" y="{:.1}" fill="#606266">{}</text>"##,
            p.id,
            esc(&p.name),
            esc(&p.light_reason),
            y + 16.0,
            esc(&clip(&p.name, 22)),
            y + 16.0,
            esc(&clip(&p.lead_name, 11)),
        );
        let (bx, bw) = (x(p.planned_start), (x(p.planned_end) - x(p.planned_start)).max(2.0));
        let done_w = bw * (p.actual_progress.clamp(0, 10_000) as f64 / 10_000.0);
        let _ = write!(
            s,
            r##"<rect x="{bx:.1}" y="{:.1}" width="{bw:.1}" height="12" rx="2" fill="{fill}" fill-opacity="0.25" stroke="{fill}"/><rect x="{bx:.1}" y="{:.1}" width="{done_w:.1}" height="12" rx="2" fill="{fill}"/>"##,
            y + 6.0,
            y + 6.0
        );
        for ms in parse_milestones(&p.milestones) {
            let mx = x(ms.date);
            let _ = write!(
                s,
                r##"<path d="M{mx:.1} {:.1} l5 6 l-5 6 l-5 -6 z" fill="#fff" stroke="#303133"><title>{} {} 累计 {}%</title></path>"##,
                y + 6.0,
                ms.date,
                esc(&ms.name),
                ms.progress
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#303133">{}%</text>"##,
            bx + bw + 4.0,
            y + 16.0,
            bangdu_domain::project::Percent(p.actual_progress)
        );
    }
    let tx = x(today);
    let _ = write!(
        s,
        r##"<line x1="{tx:.1}" y1="{}" x2="{tx:.1}" y2="{}" stroke="#d93030" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" fill="#d93030" font-size="11">今天 {today}</text>"##,
        HEAD_H - 14.0,
        height - 28.0,
        tx + 3.0,
        height - 16.0
    );
    // Legend.
    let mut lx = 8.0;
    for (code, word) in [("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯"), ("blue", "蓝灯"), ("gray", "灰灯")]
    {
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="{}" width="12" height="10" fill="{}"/><text x="{}" y="{}" fill="#606266">{word}</text>"##,
            height - 24.0,
            light_fill(code),
            lx + 16.0,
            height - 15.0
        );
        lx += 60.0;
    }
    let _ = write!(
        s,
        r##"<path d="M{} {} l5 5 l-5 5 l-5 -5 z" fill="#fff" stroke="#303133"/><text x="{}" y="{}" fill="#606266">计划节点　浅色为计划工期，深色为实际进度</text></svg>"##,
        lx + 6.0,
        height - 24.0,
        lx + 16.0,
        height - 15.0
    );
    s
}

async fn rows_of(
    state: &AppState,
    authed: &Authed,
    f: &Filters,
) -> Result<(Vec<ProjectRow>, bool), crate::error::WebError> {
    let q = f.query();
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &authed.actor, &q).await?;
    let mut rows = query::all(&mut reader.conn(), &authed.actor, &filter, project_sort(&q)?, MAX_ROWS + 1).await?;
    let truncated = rows.len() as u64 > MAX_ROWS;
    rows.truncate(MAX_ROWS as usize);
    Ok((rows, truncated))
}

#[derive(Template)]
#[template(path = "projects/chart.html")]
struct ChartPage {
    shell: Shell,
    svg: String,
    count: usize,
    truncated: bool,
    f: Filters,
    c: FilterChoices,
    qs: String,
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(f): Query<Filters>) -> PageResult {
    let (rows, truncated) = rows_of(&state, &authed, &f).await?;
    let today = state.today();
    render(&ChartPage {
        shell: shell(&state, &authed, "projects", "挂图作战", &[("项目", Some("/projects")), ("挂图作战", None)]).await,
        svg: draw(&rows, today, &format!("项目挂图作战（截至 {today}，共 {} 个）", rows.len())),
        count: rows.len(),
        truncated,
        c: FilterChoices::load(&state, &authed, &f).await?,
        qs: f.query_string(),
        f,
    })
}

/// The chart alone, to print or put on a wall screen.
pub async fn svg_file(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(f): Query<Filters>,
) -> PageResult {
    let (rows, _) = rows_of(&state, &authed, &f).await?;
    let today = state.today();
    let svg = draw(&rows, today, &format!("项目挂图作战（截至 {today}，共 {} 个）", rows.len()));
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}
