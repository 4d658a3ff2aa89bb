//! The appeal list: filters, the XLSX list with the same filters, and 转办 of the chosen appeals.

use crate::auth::PageUser;
use crate::error::WebError;
use crate::input::appeals::{AppealQuery, TransferBody};
use crate::input::page_request;
use crate::output::appeals::AppealOut;
use crate::output::lists::named_xlsx;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfFields;
use crate::pages::pager::Pager;
use crate::pages::shell::{Shell, shell};
use crate::pages::{done, flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::permission::Permission;
use bangdu_store::appeals::{categories, query, transfer};
use bangdu_store::time::beijing;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "appeals/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<AppealOut>,
    pager: Pager,
    q: AppealQuery,
    categories: Vec<(i64, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    /// The administrator's links: categories and Open311 keys.
    can_configure: bool,
    export_href: String,
}

impl ListPage {
    fn v<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn when(&self, a: &AppealOut) -> String {
        beijing(&a.received_at, "%Y-%m-%d %H:%M")
    }
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(flatten)]
    pub q: AppealQuery,
    pub done: Option<String>,
}

fn params(q: &AppealQuery) -> Vec<(&'static str, String)> {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        ("q", v(&q.q)),
        ("status", v(&q.status)),
        ("channel", v(&q.channel)),
        ("category", v(&q.category)),
        ("region", v(&q.region)),
        ("from", v(&q.from)),
        ("to", v(&q.to)),
        ("sent_on", v(&q.sent_on)),
        ("item", v(&q.item)),
        ("satisfaction", v(&q.satisfaction)),
        ("meeting", v(&q.meeting)),
        ("import", v(&q.import)),
        ("per_page", v(&q.per_page)),
    ]
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let filter = p.q.filter()?;
    let page = page_request(&p.q.page, &crate::pages::pager::size(&p.q.per_page, "50"))?;
    let (paged, cats) = {
        let mut reader = state.db.reader().await?;
        let paged = query::list(&mut reader.conn(), &authed.actor, &filter, page).await?;
        (paged, categories::list(&mut reader.conn(), &authed.actor, true).await?)
    };
    let params = params(&p.q);
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter(|(k, v)| !v.is_empty() && *k != "per_page"))
        .finish();
    render(&ListPage {
        shell: shell(&state, &authed, "appeals", "群众诉求", &[("群众诉求", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        pager: Pager::new(&paged, "/appeals", &params),
        rows: paged.data.iter().map(AppealOut::from).collect(),
        categories: cats.iter().map(|c| (c.id.0, c.name.clone())).collect(),
        statuses: AppealStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        channels: Channel::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        levels: Satisfaction::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        can_manage: authed.actor.can(Permission::ManageAppeals),
        can_configure: authed.actor.can(Permission::ManageSettings),
        export_href: format!("/appeals/export.xlsx?{query}"),
        q: p.q,
    })
}

/// 诉求清单 (XLSX) with the list's filters.
pub async fn export(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(q): Query<AppealQuery>,
) -> Result<Response, WebError> {
    let bytes = crate::output::appeals::export_xlsx(&state, &authed, &q).await?;
    Ok(named_xlsx("appeals", "诉求清单", state.today(), bytes).into_response())
}

/// 转办: the chosen appeals (checkboxes named `appeal`) become one item; the item's page follows.
pub async fn send_on(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfFields(fields): CsrfFields,
) -> Result<Response, WebError> {
    let appeals: Vec<i64> = fields.all("appeal").iter().filter_map(|v| v.trim().parse().ok()).collect();
    let body = TransferBody {
        appeals,
        title: fields.text("title"),
        responsible_unit: fields.text("responsible_unit"),
        priority: None,
    };
    let command = body.into_command()?;
    let mut tx = state.db.begin().await?;
    let item = transfer::transfer(&mut tx.conn(), &authed.actor, command).await?;
    tx.commit().await?;
    Ok(done(&format!("/items/{}", item.id.0), "appeals_sent"))
}
