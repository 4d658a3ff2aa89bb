//! 公开表: the completion table as the newspaper printed it for Jinjiang — 序号, 牵头单位, 项目,
//! 完成情况 — plus the light and progress, filtered by year, kind and unit, up to 500 rows a page.

use crate::error::WebError;
use crate::input::page_request;
use crate::input::projects::{ProjectQuery, project_filter};
use crate::output::projects::ProjectOut;
use crate::output::projects::outs;
use crate::pages::errors::PageResult;
use crate::pages::pager::Pager;
use crate::pages::render;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::Actor;
use bangdu_store::projects::query::{self, ProjectSort};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct TableParams {
    pub year: Option<String>,
    pub kind: Option<String>,
    /// A unit (code): the projects it leads or co-operates on.
    pub unit: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

#[derive(Template)]
#[template(path = "public/table.html")]
struct TablePage {
    title: String,
    rows: Vec<(i64, ProjectOut)>,
    pager: Pager,
    phone: String,
    version: &'static str,
}

impl TablePage {
    fn completion(&self, p: &ProjectOut) -> &'static str {
        // The newspaper's two words; the light and progress columns say how far the rest is.
        match p.status.as_str() {
            "completed" | "accepted" | "in_use" => "已完成",
            _ => "未完成",
        }
    }
}

pub async fn page(State(state): State<AppState>, Query(p): Query<TableParams>) -> PageResult {
    let per_page = p.per_page.clone().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| "100".into());
    if per_page.trim().parse::<u64>().is_ok_and(|n| n > 500) {
        return Err(WebError::invalid("per_page", "每页最多 500 条"));
    }
    let page = page_request(&p.page, &Some(per_page.clone()))?;
    let q =
        ProjectQuery { year: p.year.clone(), kind: p.kind.clone(), unit: p.unit.clone(), ..ProjectQuery::default() };
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &Actor::public(), &q).await?;
    let paged = query::list(&mut reader.conn(), &Actor::public(), &filter, ProjectSort::Seq, page).await?;
    let first = (paged.page - 1) * paged.per_page;
    let pager = Pager::new(
        &paged,
        "/public/projects",
        &[
            ("year", p.year.clone().unwrap_or_default()),
            ("kind", p.kind.clone().unwrap_or_default()),
            ("unit", p.unit.clone().unwrap_or_default()),
            ("per_page", per_page),
        ],
    );
    let projects = outs(&mut reader.conn(), paged.data).await?;
    let phone = bangdu_store::settings::get_text(&mut reader.conn(), bangdu_store::settings::SUPERVISION_PHONE).await?;
    drop(reader);
    // 序号 as published when the table has one; otherwise the row's place in the list.
    let rows = projects
        .into_iter()
        .enumerate()
        .map(|(i, out)| (out.seq.unwrap_or((first + i as u64 + 1) as i64), out))
        .collect();
    let title = format!(
        "{}{}项目完成情况公开表",
        p.year.as_deref().filter(|y| !y.is_empty()).map(|y| format!("{y} 年")).unwrap_or_default(),
        p.kind.as_deref().filter(|k| !k.is_empty()).unwrap_or("")
    );
    render(&TablePage { title, rows, pager, phone, version: crate::assets::VERSION })
}
