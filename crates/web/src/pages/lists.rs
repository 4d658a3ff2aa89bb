//! 三张清单: the same items cut three ways — 问题清单, 责任清单, 整改清单 — on screen and as XLSX.

use super::errors::PageResult;
use super::items::ListParams;
use super::render;
use super::shell::{Shell, shell};
use crate::auth::PageUser;
use crate::input::items::{item_filter, item_sort};
use crate::output::items::Context;
use crate::output::lists::{List, rows};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::items::query;
use serde::Deserialize;
use std::collections::HashMap;

/// Rows shown on the page; the export has them all.
const SHOWN: u64 = 500;

#[derive(Deserialize, Default)]
pub struct ListsParams {
    pub list: Option<String>,
    #[serde(flatten)]
    pub filters: ListParams,
}

pub struct Tab {
    pub code: &'static str,
    pub title: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    shell: Shell,
    tabs: Vec<Tab>,
    title: &'static str,
    file: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<crate::output::lists::Cell>>,
    total: i64,
    query: String,
    p: ListParams,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListsParams>,
) -> PageResult {
    let list = match p.list.as_deref() {
        Some("responsibilities") => List::Responsibilities,
        Some("rectifications") => List::Rectifications,
        _ => List::Problems,
    };
    let ctx = Context::load(&state).await?;
    let q = p.filters.query();
    let mut reader = state.db.reader().await?;
    let filter = item_filter(&mut reader.conn(), &authed.actor, &ctx, &q).await?;
    let page = bangdu_store::paging::PageRequest::new(Some(1), Some(1));
    let total = query::list(&mut reader.conn(), &authed.actor, &filter, item_sort(&q)?, page).await?.total;
    let mut items = query::all(&mut reader.conn(), &authed.actor, &filter, item_sort(&q)?, SHOWN).await?;
    let mut cooperating = HashMap::new();
    if list == List::Responsibilities {
        items.sort_by(|a, b| a.responsible_name.cmp(&b.responsible_name).then(a.deadline.cmp(&b.deadline)));
        for (id, units) in query::units_of(&mut reader.conn(), &items).await? {
            let names: Vec<String> =
                units.links.iter().filter(|l| l.role == "cooperating").map(|l| l.name.clone()).collect();
            cooperating.insert(id, names.join("、"));
        }
    }
    drop(reader);
    let table = rows(list, &ctx, &items, &cooperating);
    let headers = crate::output::lists::headers(list);
    let tabs = [List::Problems, List::Responsibilities, List::Rectifications]
        .into_iter()
        .map(|l| Tab { code: l.file(), title: l.title(), current: l == list })
        .collect();
    render(&ListsPage {
        shell: shell(&state, &authed, "lists", list.title(), &[("三张清单", Some("/lists")), (list.title(), None)])
            .await,
        tabs,
        title: list.title(),
        file: list.file(),
        headers,
        rows: table,
        total,
        query: p.filters.query_string(),
        p: p.filters,
    })
}
