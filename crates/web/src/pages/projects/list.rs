//! The project list: lights, progress against plan, filters shared with the other project views.

use super::{FilterChoices, Filters};
use crate::auth::PageUser;
use crate::input::page_request;
use crate::input::projects::{project_filter, project_sort};
use crate::output::projects::ProjectOut;
use crate::output::projects::outs;
use crate::pages::errors::PageResult;
use crate::pages::pager::Pager;
use crate::pages::shell::{Shell, shell};
use crate::pages::{flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::permission::Permission;
use bangdu_store::projects::{query, stats};

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    shell: Shell,
    projects: Vec<ProjectOut>,
    pager: Pager,
    f: Filters,
    c: FilterChoices,
    /// `?…` with the current filters, for the export, chart, map and board links.
    qs: String,
    /// The chips above the table, one per light.
    counts: Vec<Chip>,
    total: u64,
    can_manage: bool,
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(f): Query<Filters>) -> PageResult {
    let q = f.query();
    let page = page_request(&f.page, &crate::pages::pager::size(&f.per_page, "20"))?;
    let mut reader = state.db.reader().await?;
    let filter = project_filter(&mut reader.conn(), &authed.actor, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, project_sort(&q)?, page).await?;
    // The chips count every light of the list without its light filter, so a click moves between them.
    let unlit = bangdu_store::projects::query::ProjectFilter { lights: vec![], ..filter.clone() };
    let figures = stats::figures(&mut reader.conn(), &authed.actor, &unlit).await?;
    let pager = Pager::new(&paged, "/projects", &f.pairs());
    let projects = outs(&mut reader.conn(), paged.data).await?;
    drop(reader);
    let counts = bangdu_domain::project::Light::ALL
        .iter()
        .map(|l| Chip {
            code: l.code(),
            word: l.word(),
            n: figures.by_light.get(l).copied().unwrap_or(0),
            href: light_link(&f, l.code()),
            selected: f.light.as_deref() == Some(l.code()),
        })
        .collect();
    render(&ListPage {
        shell: shell(&state, &authed, "projects", "项目", &[("项目", None)])
            .await
            .flash(flash::from_code(f.done.as_deref())),
        projects,
        pager,
        c: FilterChoices::load(&state, &authed, &f).await?,
        qs: f.query_string(),
        counts,
        total: figures.total,
        can_manage: authed.actor.can(Permission::ManageProjects),
        f,
    })
}

pub struct Chip {
    pub code: &'static str,
    pub word: &'static str,
    pub n: u64,
    pub href: String,
    pub selected: bool,
}

/// The link of a light chip: the current filters with this light.
pub fn light_link(f: &Filters, light: &str) -> String {
    let mut f = f.clone();
    f.light = if f.light.as_deref() == Some(light) { None } else { Some(light.to_string()) };
    format!("/projects{}", f.query_string())
}
