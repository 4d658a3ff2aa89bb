//! 消息: the signed-in user's notifications (待办, 催办, 退回, 到期), newest first.

use super::errors::PageResult;
use super::forms::CsrfForm;
use super::pager::Pager;
use super::shell::{Shell, shell};
use super::{done, flash, render, view};
use crate::auth::PageUser;
use crate::extract::Id;
use crate::input::page_request;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::NotificationId;
use bangdu_domain::UserId;
use bangdu_store::inbox;
use bangdu_store::items::notify::Kind;
use serde::Deserialize;

pub struct Line {
    pub id: i64,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: String,
    pub code: String,
    pub item_id: Option<i64>,
    pub at: String,
    pub read: bool,
}

pub struct KindTab {
    pub code: &'static str,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    shell: Shell,
    lines: Vec<Line>,
    tabs: Vec<KindTab>,
    pager: Pager,
    unread_only: bool,
    /// 全部 is the current tab when neither 未读 nor a kind is chosen.
    all_tab: bool,
}

#[derive(Deserialize, Default)]
pub struct InboxParams {
    pub kind: Option<String>,
    pub unread: Option<String>,
    pub page: Option<String>,
    /// Rows a page: 20, 50, 100 or 200.
    pub per_page: Option<String>,
    pub done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<InboxParams>,
) -> PageResult {
    let user = UserId(authed.user.id);
    let kind = p.kind.as_deref().and_then(Kind::parse);
    let unread_only = p.unread.as_deref() == Some("true");
    let page = page_request(&p.page, &crate::pages::pager::size(&p.per_page, "20"))?;
    let mut reader = state.db.reader().await?;
    let paged = inbox::list(&mut reader.conn(), user, unread_only, kind.map(Kind::code), page).await?;
    let counts = inbox::unread_counts(&mut reader.conn(), user).await?;
    drop(reader);
    let tabs = [Kind::Todo, Kind::Urge, Kind::Returned, Kind::Due, Kind::Info]
        .into_iter()
        .map(|k| KindTab {
            code: k.code(),
            label: k.label(),
            count: counts.get(k.code()).copied().unwrap_or(0),
            current: kind == Some(k),
        })
        .collect();
    let params = [("kind", p.kind.clone().unwrap_or_default()), ("unread", p.unread.clone().unwrap_or_default())];
    let pager = Pager::new(&paged, "/inbox", &params);
    let lines = paged
        .data
        .into_iter()
        .map(|n| {
            let k = Kind::parse(&n.kind).unwrap_or(Kind::Info);
            Line {
                id: i64::from(n.id),
                kind: k.code(),
                kind_label: k.label(),
                title: n.title,
                code: n.body.unwrap_or_default(),
                item_id: n.item_id.map(i64::from),
                at: view::time(&n.created_at),
                read: n.read_at.is_some(),
            }
        })
        .collect();
    render(&InboxPage {
        shell: shell(&state, &authed, "inbox", "消息", &[("消息", None)])
            .await
            .flash(flash::from_code(p.done.as_deref())),
        lines,
        tabs,
        pager,
        unread_only,
        all_tab: !unread_only && kind.is_none(),
    })
}

pub async fn read(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<NotificationId>,
    CsrfForm(_f): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    let mut tx = state.db.begin().await?;
    inbox::mark_read(&mut tx.conn(), UserId(authed.user.id), id).await?;
    tx.commit().await?;
    Ok(done("/inbox", "read"))
}

/// 批量已读: the ticked messages.
pub async fn read_selected(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    super::forms::CsrfFields(fields): super::forms::CsrfFields,
) -> PageResult {
    let ids: Vec<NotificationId> =
        fields.all("id").iter().filter_map(|v| v.parse::<i64>().ok()).map(NotificationId).collect();
    if ids.is_empty() {
        return Ok(done("/inbox", "none_chosen"));
    }
    let mut tx = state.db.begin().await?;
    inbox::mark_many_read(&mut tx.conn(), UserId(authed.user.id), &ids).await?;
    tx.commit().await?;
    Ok(done("/inbox", "read"))
}

pub async fn read_all(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(_f): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    let mut tx = state.db.begin().await?;
    inbox::mark_all_read(&mut tx.conn(), UserId(authed.user.id), None).await?;
    tx.commit().await?;
    Ok(done("/inbox", "read"))
}
