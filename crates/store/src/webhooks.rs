//! Outbound webhooks per unit: when something happens to an item of the unit, Bangdu POSTs a JSON
//! notice to the unit's URL, signed with HMAC-SHA256 under the webhook's secret.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::secrets::random_token;
use crate::tables::UnitWebhooks;
pub use crate::tables::WebhookRow;
use crate::time::now;
use crate::units;
use bangdu_domain::permission::Permission;
use bangdu_domain::{UnitId, WebhookId};

use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;

/// Administrators, and supervision offices for units in their scope, manage webhooks.
fn manage_scope(actor: &Actor) -> Result<bangdu_domain::scope::Scope> {
    if actor.can(Permission::ManageUnits) {
        return Ok(actor.scope(Permission::ManageUnits));
    }
    if actor.can(Permission::ManageItems) {
        return Ok(actor.scope(Permission::ManageItems));
    }
    Err(StoreError::Forbidden)
}

pub async fn list(c: &mut Conn<'_>, actor: &Actor, unit: UnitId) -> Result<Vec<WebhookRow>> {
    units::get_in(c, &manage_scope(actor)?, unit).await?;
    c.fetch_all(
        Query::select()
            .columns(UnitWebhooks::COLUMNS.iter().copied())
            .from(UnitWebhooks::Table)
            .and_where(Expr::col(UnitWebhooks::UnitId).eq(unit.0))
            .order_by(UnitWebhooks::Id, Order::Asc),
    )
    .await
}

pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: WebhookId) -> Result<WebhookRow> {
    let row: WebhookRow = c
        .fetch_one(
            Query::select()
                .columns(UnitWebhooks::COLUMNS.iter().copied())
                .from(UnitWebhooks::Table)
                .and_where(Expr::col(UnitWebhooks::Id).eq(id)),
        )
        .await?;
    units::get_in(c, &manage_scope(actor)?, UnitId(row.unit_id)).await?;
    Ok(row)
}

/// For the sender: a webhook's secret, whoever asks (the system).
pub async fn secret(c: &mut Conn<'_>, id: WebhookId) -> Result<Option<String>> {
    let row: Option<WebhookRow> = c
        .fetch_optional(
            Query::select()
                .columns(UnitWebhooks::COLUMNS.iter().copied())
                .from(UnitWebhooks::Table)
                .and_where(Expr::col(UnitWebhooks::Id).eq(id)),
        )
        .await?;
    Ok(row.filter(|r| r.active).map(|r| r.secret))
}

/// The address as it will be called: well-formed, and public unless the administrator allowed it.
async fn check_url(c: &mut Conn<'_>, url: &str) -> Result<String> {
    let allowed = crate::settings::webhook_destinations(c).await?;
    Ok(bangdu_domain::destination::check_url("url", url, &allowed)?.to_string())
}

/// Adds a webhook; returns it with its secret (shown once).
pub async fn create(c: &mut Conn<'_>, actor: &Actor, unit: UnitId, url: &str) -> Result<WebhookRow> {
    let unit = units::get_in(c, &manage_scope(actor)?, unit).await?;
    let url = check_url(c, url).await?;
    let secret = random_token()?;
    let record = WebhookRow {
        id: WebhookId(0),
        unit_id: unit.id,
        url: url.clone(),
        secret,
        active: true,
        created_by: actor.user_id.map(|u| u.0),
        created_at: now(),
    };
    let row: WebhookRow = c
        .fetch_one(record.insert().returning(Query::returning().columns(UnitWebhooks::COLUMNS.iter().copied())))
        .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("webhook.create", "webhook", row.id).change(json!({"unit": unit.code, "url": url})),
    )
    .await?;
    Ok(row)
}

/// Switches a webhook off (its delivery log stays).
pub async fn deactivate(c: &mut Conn<'_>, actor: &Actor, id: WebhookId) -> Result<()> {
    let row = get(c, actor, id).await?;
    c.execute(
        Query::update()
            .table(UnitWebhooks::Table)
            .value(UnitWebhooks::Active, false)
            .and_where(Expr::col(UnitWebhooks::Id).eq(id)),
    )
    .await?;
    audit::append(c, actor, AuditEvent::new("webhook.deactivate", "webhook", id).change(json!({"url": row.url})))
        .await?;
    Ok(())
}
