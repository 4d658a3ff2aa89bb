//! Bearer tokens for API clients and scripts (`Authorization: Bearer bd_…`). Only a digest is
//! stored; the token itself is shown once, when it is made. Tokens can be revoked.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::secrets::{Secret, random_token, token_digest};
use crate::tables::ApiTokens;
pub use crate::tables::TokenRow;
use crate::time::now;
use crate::users;
use bangdu_domain::permission::Permission;
use bangdu_domain::{TokenId, UserId};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order, Query};

pub const PREFIX: &str = "bd_";

impl TokenRow {
    pub fn is_valid(&self, at: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > at)
    }
}

/// Makes a token for `user`: the user themself, or an administrator for a user in scope (or the
/// system at the command line). Returns the token text, shown only this once.
pub async fn create(
    c: &mut Conn<'_>,
    actor: &Actor,
    user: UserId,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(String, TokenRow)> {
    if actor.user_id != Some(user) {
        actor.require(Permission::ManageUsers)?;
        users::get_to_manage(c, actor, user).await?;
    }
    let name = bangdu_domain::field_error::required_text("name", "令牌名称", name, 50)?;
    let token = format!("{PREFIX}{}", random_token()?);
    let record = TokenRow {
        id: TokenId(0),
        user_id: user.0,
        name: name.clone(),
        token_hash: Secret(token_digest(&token)),
        prefix: token[..PREFIX.len() + 6].to_string(),
        created_at: now(),
        last_used_at: None,
        expires_at,
        revoked_at: None,
    };
    let row: TokenRow =
        c.fetch_one(record.insert().returning(Query::returning().columns(ApiTokens::COLUMNS.iter().copied()))).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("token.create", "api_token", row.id)
            .change(serde_json::json!({"user_id": user.0, "name": name})),
    )
    .await?;
    Ok((token, row))
}

/// The token a bearer header carries, if it is valid.
pub async fn find_valid(c: &mut Conn<'_>, token: &str, at: DateTime<Utc>) -> Result<Option<TokenRow>> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let row: Option<TokenRow> = c
        .fetch_optional(
            Query::select()
                .columns(ApiTokens::COLUMNS.iter().copied())
                .from(ApiTokens::Table)
                .and_where(Expr::col(ApiTokens::TokenHash).eq(token_digest(token))),
        )
        .await?;
    Ok(row.filter(|t| t.is_valid(at)))
}

pub async fn touch(c: &mut Conn<'_>, id: TokenId, at: DateTime<Utc>) -> Result<()> {
    c.execute(
        Query::update()
            .table(ApiTokens::Table)
            .value(ApiTokens::LastUsedAt, at)
            .and_where(Expr::col(ApiTokens::Id).eq(id)),
    )
    .await?;
    Ok(())
}

/// The signed-in person's own tokens.
pub async fn list_own(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<TokenRow>> {
    match actor.user_id {
        Some(me) => of_user(c, me).await,
        None => Ok(Vec::new()),
    }
}

/// A user's tokens, for an administrator who manages that user.
pub async fn list_for_user(c: &mut Conn<'_>, actor: &Actor, user: UserId) -> Result<Vec<TokenRow>> {
    users::get_to_manage(c, actor, user).await?;
    of_user(c, user).await
}

async fn of_user(c: &mut Conn<'_>, user: UserId) -> Result<Vec<TokenRow>> {
    c.fetch_all(
        Query::select()
            .columns(ApiTokens::COLUMNS.iter().copied())
            .from(ApiTokens::Table)
            .and_where(Expr::col(ApiTokens::UserId).eq(user.0))
            .order_by(ApiTokens::CreatedAt, Order::Desc),
    )
    .await
}

/// Revokes every live token of a user but those in `keep` (a password reset or change); how many.
pub(crate) async fn revoke_all_except(c: &mut Conn<'_>, user: UserId, keep: &[TokenId]) -> Result<u64> {
    let mut update = Query::update();
    update
        .table(ApiTokens::Table)
        .value(ApiTokens::RevokedAt, now())
        .and_where(Expr::col(ApiTokens::UserId).eq(user.0))
        .and_where(Expr::col(ApiTokens::RevokedAt).is_null());
    if !keep.is_empty() {
        update.and_where(Expr::col(ApiTokens::Id).is_not_in(keep.iter().copied()));
    }
    c.execute(&update).await
}

/// The user's live tokens (for a form offering to keep them).
pub async fn live_of(c: &mut Conn<'_>, user: UserId) -> Result<Vec<TokenId>> {
    Ok(of_user(c, user).await?.into_iter().filter(|t| t.is_valid(now())).map(|t| t.id).collect())
}

/// Revokes a token: the owner may revoke their own, an administrator any of a user in scope.
pub async fn revoke(c: &mut Conn<'_>, actor: &Actor, id: TokenId) -> Result<TokenRow> {
    let row: TokenRow = c
        .fetch_one(
            Query::select()
                .columns(ApiTokens::COLUMNS.iter().copied())
                .from(ApiTokens::Table)
                .and_where(Expr::col(ApiTokens::Id).eq(id)),
        )
        .await?;
    if actor.user_id != Some(UserId(row.user_id)) {
        if !actor.can(Permission::ManageUsers) {
            return Err(StoreError::NotFound);
        }
        users::get_to_manage(c, actor, UserId(row.user_id)).await?;
    }
    if row.revoked_at.is_some() {
        return Ok(row);
    }
    let at = now();
    c.execute(
        Query::update()
            .table(ApiTokens::Table)
            .value(ApiTokens::RevokedAt, at)
            .and_where(Expr::col(ApiTokens::Id).eq(id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("token.revoke", "api_token", id)
            .change(serde_json::json!({"user_id": row.user_id, "name": row.name})),
    )
    .await?;
    Ok(TokenRow { revoked_at: Some(at), ..row })
}
