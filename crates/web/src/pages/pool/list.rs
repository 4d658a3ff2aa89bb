//! The pool list, filtered by name or unit, domain, region, leaders, office members, availability.

use crate::auth::PageUser;
use crate::input::inspections::MemberQuery;
use crate::input::page_request;
use crate::output::inspections::MemberOut;
use crate::pages::errors::PageResult;
use crate::pages::pager::Pager;
use crate::pages::shell::{Shell, shell};
use crate::pages::{flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::permission::Permission;
use bangdu_store::inspections::pool;
use chrono::Datelike;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "pool/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<MemberOut>,
    pager: Pager,
    q: MemberQuery,
    domains: Vec<String>,
    can_manage: bool,
    /// Whether any row shows a phone (the column is left out otherwise).
    phones: bool,
    year: i32,
}

impl ListPage {
    fn v<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(flatten)]
    pub q: MemberQuery,
    pub done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let filter = p.q.filter()?;
    let page = page_request(&p.q.page, &crate::pages::pager::size(&p.q.per_page, "50"))?;
    let year = state.today().year();
    let (paged, domains) = {
        let mut reader = state.db.reader().await?;
        let paged = pool::list(&mut reader.conn(), &authed.actor, &filter, page, year).await?;
        (paged, bangdu_store::settings::inspection_domains(&mut reader.conn()).await?)
    };
    let q = &p.q;
    let params = [
        ("q", q.q.clone().unwrap_or_default()),
        ("domain", q.domain.clone().unwrap_or_default()),
        ("region", q.region.clone().unwrap_or_default()),
        ("can_lead", q.can_lead.clone().unwrap_or_default()),
        ("office", q.office.clone().unwrap_or_default()),
        ("active", q.active.clone().unwrap_or_default()),
        ("available_on", q.available_on.clone().unwrap_or_default()),
        ("per_page", q.per_page.clone().unwrap_or_default()),
    ];
    let rows: Vec<MemberOut> = paged.data.iter().map(MemberOut::from).collect();
    render(&ListPage {
        shell: shell(&state, &authed, "pool", "人员库", &[("人员库", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        pager: Pager::new(&paged, "/pool", &params),
        phones: rows.iter().any(|r| r.phone.is_some()),
        rows,
        q: p.q,
        domains,
        can_manage: authed.actor.can(Permission::ManagePool),
        year,
    })
}
