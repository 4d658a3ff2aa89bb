//! 督导事项: the list, with filters, deadline badges and the export links.

use crate::auth::PageUser;
use crate::input::items::{ItemQuery, item_filter, item_sort};
use crate::input::page_request;
use crate::output::items::ItemOut;
use crate::output::items::{Context, page_items};
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::pager::Pager;
use crate::pages::shell::{Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{flash, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::item::{Action, Escalation, ItemState, Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_store::items::query;
use bangdu_store::units::Picking;
use serde::Deserialize;

fn state_choices(selected: &str) -> Vec<Choice> {
    ItemState::ALL.iter().map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected }).collect()
}

pub(super) fn source_choices(selected: &str) -> Vec<Choice> {
    Source::ALL.iter().map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected }).collect()
}

pub(super) fn priority_choices(selected: &str) -> Vec<Choice> {
    Priority::ALL.iter().map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected }).collect()
}

fn escalation_choices(selected: &str) -> Vec<Choice> {
    Escalation::LADDER
        .iter()
        .map(|s| Choice { code: s.code(), label: s.label(), selected: s.code() == selected })
        .collect()
}

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    pub q: Option<String>,
    pub state: Option<String>,
    pub under: Option<String>,
    pub overdue: Option<String>,
    pub due_within: Option<String>,
    pub source: Option<String>,
    pub escalation: Option<String>,
    pub escalation_exact: Option<String>,
    pub extension: Option<String>,
    pub unit: Option<String>,
    pub responsible: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    /// Rows a page: 20, 50, 100 or 200.
    pub per_page: Option<String>,
    pub done: Option<String>,
}

impl ListParams {
    pub fn query(&self) -> ItemQuery {
        ItemQuery {
            q: self.q.clone(),
            state: self.state.clone(),
            under: self.under.clone(),
            overdue: self.overdue.clone(),
            due_within: self.due_within.clone(),
            source: self.source.clone(),
            escalation: self.escalation.clone(),
            escalation_exact: self.escalation_exact.clone(),
            extension: self.extension.clone(),
            unit: self.unit.clone(),
            responsible: self.responsible.clone(),
            sort: self.sort.clone(),
            ..ItemQuery::default()
        }
    }

    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("q", v(&self.q)),
            ("state", v(&self.state)),
            ("under", v(&self.under)),
            ("overdue", v(&self.overdue)),
            ("due_within", v(&self.due_within)),
            ("source", v(&self.source)),
            ("escalation", v(&self.escalation)),
            ("escalation_exact", v(&self.escalation_exact)),
            ("extension", v(&self.extension)),
            ("unit", v(&self.unit)),
            ("responsible", v(&self.responsible)),
            ("sort", v(&self.sort)),
        ]
    }

    /// The filters as a query string (for export links).
    pub fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs().iter().filter(|(_, v)| !v.is_empty()) {
            s.append_pair(k, v);
        }
        s.finish()
    }
}

#[derive(Template)]
#[template(path = "items/list.html")]
struct ListPage {
    shell: Shell,
    /// The list's filters, for the batch form to come back to.
    back: String,
    /// The actions the batch bar offers (code, label).
    batch_actions: Vec<(&'static str, &'static str)>,
    items: Vec<ItemOut>,
    pager: Pager,
    p: ListParams,
    states: Vec<Choice>,
    sources: Vec<Choice>,
    escalations: Vec<Choice>,
    choices: Vec<UnitChoice>,
    export_query: String,
    can_create: bool,
    state_open: bool,
    state_all: bool,
    /// Several states at once (from a link): shown as one choice.
    state_several: Option<(String, String)>,
    /// Conditions from links (the home page's figures) that the form has no field for.
    hidden: Vec<(&'static str, String)>,
    extra: Vec<String>,
}

/// The conditions without a form field, kept as hidden fields and said in words.
fn extra_conditions(p: &ListParams) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut hidden = Vec::new();
    let mut words = Vec::new();
    if let Some(unit) = p.unit.clone().filter(|u| !u.is_empty()) {
        let responsible = p.responsible.as_deref() == Some("true");
        words.push(format!("单位 {unit}{}", if responsible { "为责任单位" } else { "参与" }));
        hidden.push(("unit", unit));
        if responsible {
            hidden.push(("responsible", "true".into()));
        }
    }
    if p.extension.as_deref() == Some("pending") {
        words.push("延期申请待审核".into());
        hidden.push(("extension", "pending".into()));
    }
    if p.escalation_exact.as_deref() == Some("true") {
        words.push("仅所选督办层级（不含更高层级）".into());
        hidden.push(("escalation_exact", "true".into()));
    }
    if let Some(days) = p.due_within.clone().filter(|d| !d.is_empty()) {
        words.push(format!("{days} 个工作日内到期"));
        hidden.push(("due_within", days));
    }
    (hidden, words)
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult {
    let flash = flash::from_code(p.done.as_deref());
    list_page(&state, &authed, p, flash).await
}

/// The list with these filters, and a message (after a batch, what became of each item).
pub async fn list_page(
    state: &AppState,
    authed: &crate::auth::Authed,
    mut p: ListParams,
    flash: Option<crate::pages::shell::Flash>,
) -> PageResult {
    // The list opens on the items still being worked on; 全部状态 is `state=all`.
    if p.state.as_deref().is_none_or(str::is_empty) {
        p.state = Some("open".into());
    }
    let ctx = Context::load(state).await?;
    let q = p.query();
    let page = page_request(&p.page, &crate::pages::pager::size(&p.per_page, "20"))?;
    let mut reader = state.db.reader().await?;
    let filter = item_filter(&mut reader.conn(), &authed.actor, &ctx, &q).await?;
    let paged = query::list(&mut reader.conn(), &authed.actor, &filter, item_sort(&q)?, page).await?;
    let pager = Pager::new(&paged, "/items", &p.pairs());
    let items = page_items(&mut reader.conn(), &ctx.view(authed), paged.data).await?;
    drop(reader);
    render(&ListPage {
        shell: shell(state, authed, "items", "督导事项", &[("督导事项", None)]).await.flash(flash),
        back: p.query_string(),
        // What an office does to many items at once; a liaison signs for many.
        batch_actions: if authed.actor.can(Permission::ManageItems) {
            vec![Action::Assign, Action::ApproveClose, Action::ApproveExtension]
        } else {
            vec![Action::Accept]
        }
        .into_iter()
        .map(|a| (a.code(), a.label()))
        .collect(),
        items,
        pager,
        states: state_choices(&text(&p.state)),
        sources: source_choices(&text(&p.source)),
        escalations: escalation_choices(&text(&p.escalation)),
        choices: choices(state, authed, Picking::Any).await?,
        export_query: p.query_string(),
        can_create: authed.actor.can(Permission::CreateItems),
        hidden: extra_conditions(&p).0,
        extra: extra_conditions(&p).1,
        state_several: p.state.clone().filter(|s| s.contains(',')).map(|s| {
            let labels: Vec<&str> = s.split(',').filter_map(ItemState::parse).map(|st| st.label()).collect();
            (s, labels.join("、"))
        }),
        state_open: p.state.as_deref() == Some("open"),
        state_all: p.state.as_deref() == Some("all"),
        p,
    })
}
