//! The unit list (a tree unless searching) and its CSV export.

use super::{UnitChoice, UnitLine, choices, kind_options};
use crate::auth::PageUser;
use crate::input::page_request;
use crate::input::units::{UnitQuery, unit_filter};
use crate::output::download::csv_download;
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::flash;
use crate::pages::pager::Pager;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use bangdu_domain::permission::Permission;
use bangdu_store::unit_csv;
use bangdu_store::units::{self, Picking, UnitSort};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "units/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<UnitLine>,
    pager: Pager,
    kinds: Vec<Choice>,
    q: String,
    active: String,
    under: String,
    export_query: String,
    can_manage: bool,
    tree: bool,
    choices: Vec<UnitChoice>,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub active: Option<String>,
    pub under: Option<String>,
    pub page: Option<String>,
    /// Rows a page: 20, 50, 100 or 200.
    pub per_page: Option<String>,
    pub done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let query = UnitQuery {
        q: p.q.clone(),
        kind: p.kind.clone(),
        active: p.active.clone(),
        under: p.under.clone(),
        ..UnitQuery::default()
    };
    let mut reader = state.db.reader().await?;
    let filter = unit_filter(&mut reader.conn(), &authed.actor, &query).await?;
    let page = page_request(&p.page, &crate::pages::pager::size(&p.per_page, "50"))?;
    let tree = filter.q.as_deref().is_none_or(|q| q.trim().is_empty());
    let paged = units::list(
        &mut reader.conn(),
        &authed.actor,
        &filter,
        if tree { UnitSort::Tree } else { UnitSort::Name },
        page,
    )
    .await?;
    drop(reader);
    let base_depth = paged.data.iter().map(|u| u.depth).min().unwrap_or(0);
    let params = [
        ("q", p.q.clone().unwrap_or_default()),
        ("kind", p.kind.clone().unwrap_or_default()),
        ("active", p.active.clone().unwrap_or_default()),
        ("under", p.under.clone().unwrap_or_default()),
    ];
    let export_query = {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
            s.append_pair(k, v);
        }
        s.finish()
    };
    render(&ListPage {
        shell: shell(&state, &authed, "units", "组织机构", &[("组织机构", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        rows: paged.data.iter().map(|u| UnitLine::from(u, if tree { base_depth } else { 0 })).collect(),
        pager: Pager::new(&paged, "/units", &params),
        kinds: kind_options(p.kind.as_deref().unwrap_or("")),
        q: p.q.unwrap_or_default(),
        active: p.active.unwrap_or_default(),
        under: p.under.unwrap_or_default(),
        export_query,
        can_manage: authed.actor.can(Permission::ManageUnits),
        tree,
        choices: choices(&state, &authed, Picking::Any).await?,
    })
}

pub async fn export(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let query = UnitQuery { q: p.q, kind: p.kind, active: p.active, under: p.under, ..UnitQuery::default() };
    let mut reader = state.db.reader().await?;
    let filter = unit_filter(&mut reader.conn(), &authed.actor, &query).await?;
    let csv = unit_csv::export(&mut reader.conn(), &authed.actor, &filter).await?;
    Ok(csv_download("组织机构.csv", csv).into_response())
}
