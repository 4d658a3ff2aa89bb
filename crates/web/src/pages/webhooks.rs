//! 推送地址: a unit's webhooks — where Bangdu POSTs signed notices about the unit's items — with
//! the recent deliveries of each, for administrators and the offices whose scope holds the unit.

use super::errors::PageResult;
use super::forms::CsrfForm;
use super::shell::{Flash, shell};
use super::{Done, done, flash, render, view};
use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::extract::Ids;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::UnitId;
use bangdu_domain::WebhookId;
use bangdu_store::{deliveries, units, webhooks};
use serde::Deserialize;

pub struct DeliveryLine {
    pub at: String,
    pub event: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub attempts: i64,
    pub detail: String,
}

pub struct HookLine {
    pub id: i64,
    pub url: String,
    pub active: bool,
    pub created: String,
    pub deliveries: Vec<DeliveryLine>,
}

#[derive(Template)]
#[template(path = "units/webhooks.html")]
struct WebhooksPage {
    shell: super::shell::Shell,
    unit_id: i64,
    unit_name: String,
    hooks: Vec<HookLine>,
    url: String,
    /// The secret of a webhook just added: shown this once.
    new_secret: Option<String>,
}

fn delivery_line(d: deliveries::DeliveryRow) -> DeliveryLine {
    let payload: serde_json::Value = serde_json::from_str(&d.payload).unwrap_or_default();
    let event = payload.get("event").and_then(|e| e.as_str()).unwrap_or("").to_string();
    let code = payload.pointer("/item/code").and_then(|c| c.as_str()).unwrap_or("");
    let (status, status_label) = match d.status.as_str() {
        "delivered" => ("delivered", "已送达"),
        "failed" => ("failed", "已放弃"),
        _ => ("pending", "待重试"),
    };
    let detail = match (&d.last_status, &d.last_error) {
        (_, Some(error)) => error.clone(),
        (Some(code), None) => format!("HTTP {code}"),
        _ => String::new(),
    };
    DeliveryLine {
        at: view::time(&d.created_at),
        event: format!("{event} {code}"),
        status,
        status_label,
        attempts: d.attempts,
        detail,
    }
}

async fn webhooks_page(
    state: &AppState,
    authed: &Authed,
    unit_id: UnitId,
    url: String,
    new_secret: Option<String>,
    flash: Option<Flash>,
) -> PageResult {
    let mut reader = state.db.reader().await?;
    let unit = units::get(&mut reader.conn(), &authed.actor, UnitId(i64::from(unit_id))).await?;
    let mut hooks = Vec::new();
    for hook in webhooks::list(&mut reader.conn(), &authed.actor, UnitId(i64::from(unit_id))).await? {
        let log = deliveries::for_webhook(&mut reader.conn(), hook.id, 20).await?;
        hooks.push(HookLine {
            id: i64::from(hook.id),
            url: hook.url,
            active: hook.active,
            created: view::time(&hook.created_at),
            deliveries: log.into_iter().map(delivery_line).collect(),
        });
    }
    drop(reader);
    let unit_href = format!("/units/{unit_id}");
    render(&WebhooksPage {
        shell: shell(
            state,
            authed,
            "units",
            "推送地址",
            &[("组织机构", Some("/units")), (&unit.name, Some(&unit_href)), ("推送地址", None)],
        )
        .await
        .flash(flash),
        unit_id: i64::from(unit_id),
        unit_name: unit.name.clone(),
        hooks,
        url,
        new_secret,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UnitId>,
    Query(d): Query<Done>,
) -> PageResult {
    webhooks_page(&state, &authed, id, String::new(), None, flash::from_code(d.done.as_deref())).await
}

#[derive(Deserialize)]
pub struct HookForm {
    #[serde(default)]
    pub url: String,
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<UnitId>,
    CsrfForm(form): CsrfForm<HookForm>,
) -> PageResult {
    let result: Result<String, WebError> = async {
        let mut tx = state.db.begin().await?;
        let row = webhooks::create(&mut tx.conn(), &authed.actor, id, &form.url).await?;
        tx.commit().await?;
        Ok(row.secret)
    }
    .await;
    match result {
        // Rendered, not redirected: the secret must not travel in a URL, and is shown only now.
        Ok(secret) => {
            webhooks_page(&state, &authed, id, String::new(), Some(secret), flash::success("推送地址已添加")).await
        }
        Err(e) if e.status.as_u16() == 422 => {
            webhooks_page(&state, &authed, id, form.url, None, flash::error(e.message)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(unit, hook): Ids<UnitId, WebhookId>,
    CsrfForm(_): CsrfForm<super::forms::NoFields>,
) -> PageResult {
    let mut tx = state.db.begin().await?;
    let row = webhooks::get(&mut tx.conn(), &authed.actor, hook).await?;
    if row.unit_id != unit.0 {
        return Err(WebError::not_found());
    }
    webhooks::deactivate(&mut tx.conn(), &authed.actor, hook).await?;
    tx.commit().await?;
    Ok(done(&format!("/units/{unit}/webhooks"), "webhook_off"))
}
