//! 挂图作战: a wall chart of the open items — a row per responsible unit, a column per state, each
//! item a card coloured by its deadline (正常, 临期, 逾期, 已暂停) — filterable and printable, so a
//! dispatch meeting can run from one screen.

use super::choice::Choice;
use super::errors::PageResult;
use super::items::ListParams;
use super::render;
use super::shell::{Shell, shell};
use super::units::{UnitChoice, choices};
use crate::auth::PageUser;
use crate::input::items::item_filter;
use crate::output::items::Context;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::item::{DueStatus, ItemState, Source};
use bangdu_store::items::query::{self, ItemSort};
use bangdu_store::units::Picking;
use std::collections::BTreeMap;

/// At most this many cards on one chart.
const MAX_CARDS: u64 = 3000;
const COLUMNS: [ItemState; 4] =
    [ItemState::Registered, ItemState::Assigned, ItemState::InProgress, ItemState::CloseRequested];

pub struct Card {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub deadline: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub escalation: String,
}

pub struct BoardRow {
    pub unit: String,
    pub columns: Vec<Vec<Card>>,
    pub overdue: usize,
    pub total: usize,
}

#[derive(Template)]
#[template(path = "items/board.html")]
struct BoardPage {
    shell: Shell,
    headers: Vec<&'static str>,
    rows: Vec<BoardRow>,
    totals: Vec<(&'static str, &'static str, usize)>,
    p: ListParams,
    sources: Vec<Choice>,
    choices: Vec<UnitChoice>,
    truncated: bool,
    today: String,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let ctx = Context::load(&state).await?;
    let mut reader = state.db.reader().await?;
    let mut filter = item_filter(&mut reader.conn(), &authed.actor, &ctx, &p.query()).await?;
    if filter.states.is_empty() {
        filter.states = COLUMNS.to_vec();
    }
    let items = query::all(&mut reader.conn(), &authed.actor, &filter, ItemSort::Deadline, MAX_CARDS).await?;
    drop(reader);
    let truncated = items.len() as u64 >= MAX_CARDS;
    let mut by_unit: BTreeMap<String, BoardRow> = BTreeMap::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for item in items {
        let Some(column) = COLUMNS.iter().position(|s| *s == item.state()) else { continue };
        let status = ctx.view(&authed).status(&item).unwrap_or(DueStatus::Normal);
        *counts.entry(status.code()).or_default() += 1;
        let unit = item.responsible_name.clone().unwrap_or_else(|| "（待交办）".into());
        let row = by_unit.entry(unit.clone()).or_insert_with(|| BoardRow {
            unit,
            columns: COLUMNS.iter().map(|_| Vec::new()).collect(),
            overdue: 0,
            total: 0,
        });
        row.total += 1;
        if status == DueStatus::Overdue {
            row.overdue += 1;
        }
        row.columns[column].push(Card {
            id: i64::from(item.id),
            deadline: item.deadline.map(|d| d.format("%m-%d").to_string()).unwrap_or_default(),
            status: status.code(),
            status_label: status.label(),
            escalation: if item.escalation > 0 { item.escalation().label().to_string() } else { String::new() },
            code: item.code.clone(),
            title: item.title.clone(),
        });
    }
    let mut rows: Vec<BoardRow> = by_unit.into_values().collect();
    // The units with the most overdue items first: that is where the meeting starts.
    rows.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.total.cmp(&a.total)).then(a.unit.cmp(&b.unit)));
    let totals = [DueStatus::Normal, DueStatus::DueSoon, DueStatus::Overdue, DueStatus::Paused]
        .into_iter()
        .map(|s| (s.code(), s.label(), counts.get(s.code()).copied().unwrap_or(0)))
        .collect();
    render(&BoardPage {
        shell: shell(&state, &authed, "board", "挂图作战", &[("挂图作战", None)]).await,
        headers: COLUMNS.iter().map(|s| s.label()).collect(),
        rows,
        totals,
        sources: Source::ALL
            .iter()
            .map(|s| Choice { code: s.code(), label: s.label(), selected: p.source.as_deref() == Some(s.code()) })
            .collect(),
        choices: choices(&state, &authed, Picking::Any).await?,
        truncated,
        today: ctx.today.to_string(),
        p,
    })
}
