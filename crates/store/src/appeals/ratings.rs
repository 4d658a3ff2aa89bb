//! 好差评: a citizen rates an answered appeal from the tracking link, or the office enters the result
//! of its phone-back (on an appeal or on a written-off item). A 不满意 or 非常不满意 rating of an
//! item's work raises 回头看: an event on the item, in its history, for the office to reopen it.

use super::query::{self, holds};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items;
use crate::scope_sql;
use crate::tables::{AppealCategories, AppealRatingRecord, AppealRatings, AppealRecord, Appeals, Units};
use crate::time::{beijing_at, now};
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::field_error::optional_prose;
use bangdu_domain::item::ItemState;
use bangdu_domain::permission::Permission;
use bangdu_domain::{AppealId, AppealRatingId, ItemId};
use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde_json::json;

/// Who gave a rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The citizen, from the tracking link.
    Tracking,
    /// The office, calling the citizen back.
    PhoneBack,
}

impl Via {
    pub fn code(self) -> &'static str {
        match self {
            Via::Tracking => "tracking",
            Via::PhoneBack => "phone_back",
        }
    }

    pub fn label(code: &str) -> &'static str {
        match code {
            "tracking" => "群众评价",
            "phone_back" => "电话回访",
            _ => "其他",
        }
    }
}

async fn insert_rating(
    c: &mut Conn<'_>,
    actor: &Actor,
    appeal: Option<&AppealRecord>,
    item: Option<ItemId>,
    level: Satisfaction,
    comment: Option<String>,
    via: Via,
) -> Result<AppealRatingRecord> {
    let at = now();
    let record = AppealRatingRecord {
        id: AppealRatingId(0),
        appeal_id: appeal.map(|a| a.id),
        item_id: item,
        level: level.code().into(),
        comment,
        via: via.code().into(),
        rated_by: actor.user_id.map(|u| u.0),
        rated_at: at,
    };
    let saved: AppealRatingRecord = c.fetch_one(record.insert().returning_all()).await?;
    if let Some(appeal) = appeal {
        c.execute(
            Query::update()
                .table(Appeals::Table)
                .value(Appeals::Satisfaction, level.code())
                .value(Appeals::UpdatedAt, at)
                .value(Appeals::Version, Expr::col(Appeals::Version).add(1))
                .and_where(Expr::col(Appeals::Id).eq(appeal.id)),
        )
        .await?;
        super::transfer::record_events(
            c,
            actor,
            &[appeal.id],
            "rated",
            &format!("{}：{}", Via::label(via.code()), level.label()),
            at,
        )
        .await?;
    }
    // The rating of an item's work goes into the item's own history; a bad one asks for 回头看.
    if let Some(item) = item.or(appeal.and_then(|a| a.item_id)) {
        audit::append(
            c,
            actor,
            AuditEvent::new("appeal.rate", "item", item).change(json!({"payload": {
                "appeal": appeal.map(|a| &a.external_id),
                "level": level.code(),
                "via": via.code(),
                "look_again": level.is_bad(),
            }})),
        )
        .await?;
    } else if let Some(appeal) = appeal {
        audit::append(
            c,
            actor,
            AuditEvent::new("appeal.rate", "appeal", appeal.id)
                .change(json!({"level": level.code(), "via": via.code()})),
        )
        .await?;
    }
    Ok(saved)
}

fn comment_of(text: Option<&str>) -> Result<Option<String>> {
    Ok(optional_prose("comment", "评价内容", text.unwrap_or(""), 1000)?)
}

/// The citizen rates their answered appeal from the tracking link; once.
pub async fn rate_by_token(
    c: &mut Conn<'_>,
    actor: &Actor,
    token: &str,
    level: Satisfaction,
    comment: Option<&str>,
) -> Result<AppealRatingRecord> {
    actor.require(Permission::PublicAppeals)?;
    let comment = comment_of(comment)?;
    let appeal = super::public::by_token(c, actor, token).await?;
    if appeal.status != AppealStatus::Answered.code() {
        return Err(StoreError::conflict("appeal_not_answered", "诉求办结后才能评价"));
    }
    let earlier: Option<AppealRatingRecord> = c
        .fetch_optional(
            Query::select()
                .columns(AppealRatings::COLUMNS.iter().copied())
                .from(AppealRatings::Table)
                .and_where(Expr::col(AppealRatings::AppealId).eq(appeal.id))
                .and_where(Expr::col(AppealRatings::Via).eq(Via::Tracking.code()))
                .and_where(Expr::col(AppealRatings::RatedAt).gte(appeal.answered_at.unwrap_or(appeal.created_at))),
        )
        .await?;
    if earlier.is_some() {
        return Err(StoreError::conflict("already_rated", "您已评价过这次答复"));
    }
    insert_rating(c, actor, Some(&appeal), None, level, comment, Via::Tracking).await
}

/// The office enters the result of calling the citizen back about an answered appeal.
pub async fn rate_appeal(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: AppealId,
    level: Satisfaction,
    comment: Option<&str>,
) -> Result<AppealRatingRecord> {
    actor.require(Permission::ManageAppeals)?;
    let comment = comment_of(comment)?;
    let row = query::get(c, actor, id).await?;
    if !holds(actor, Permission::ManageAppeals, &row) {
        return Err(StoreError::Forbidden);
    }
    if row.status() != AppealStatus::Answered {
        return Err(StoreError::conflict("appeal_not_answered", "诉求办结后才能回访评价"));
    }
    insert_rating(c, actor, Some(&row.appeal), None, level, comment, Via::PhoneBack).await
}

/// The office enters a phone-back result on a written-off item.
pub async fn rate_item(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: ItemId,
    level: Satisfaction,
    comment: Option<&str>,
) -> Result<AppealRatingRecord> {
    actor.require(Permission::ManageAppeals)?;
    let comment = comment_of(comment)?;
    let item = items::query::get(c, actor, id).await?;
    if item.state() != ItemState::Closed {
        return Err(StoreError::conflict("item_not_closed", "事项销号后才能评价"));
    }
    insert_rating(c, actor, None, Some(id), level, comment, Via::PhoneBack).await
}

/// Satisfaction counted by one grouping: the five levels and how many rated appeals.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct SatisfactionRow {
    pub name: String,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    pub very_dissatisfied: i64,
}

impl SatisfactionRow {
    pub fn rated(&self) -> i64 {
        self.very_satisfied + self.satisfied + self.basic + self.dissatisfied + self.very_dissatisfied
    }

    /// 满意率: 非常满意, 满意 and 基本满意 over all rated, in per mille (None with no ratings).
    pub fn rate_permille(&self) -> Option<i64> {
        let rated = self.rated();
        (rated > 0).then(|| ((self.very_satisfied + self.satisfied + self.basic) * 1000 + rated / 2) / rated)
    }
}

/// Which way satisfaction figures are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// The handling unit (as the export names it when it is not ours).
    Unit,
    Category,
}

/// Satisfaction of the appeals the actor sees, received between two days (Beijing), by unit or
/// category, most rated first.
pub async fn satisfaction(
    c: &mut Conn<'_>,
    actor: &Actor,
    by: GroupBy,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<SatisfactionRow>> {
    let scope = actor.require(Permission::ViewAppeals)?;
    let label = match by {
        GroupBy::Unit => Expr::cust("COALESCE(handling.name, appeals.handling_unit_name, '（未指定）')"),
        GroupBy::Category => Expr::cust("COALESCE(appeal_categories.name, '（未分类）')"),
    };
    // The rated appeals in view, each with its label; grouped outside, so the label's name is ours.
    let mut rated = Query::select();
    rated
        .expr_as(label, Alias::new("label"))
        .column((Appeals::Table, Appeals::Satisfaction))
        .from(Appeals::Table)
        .join_as(
            JoinType::LeftJoin,
            Units::Table,
            Alias::new("handling"),
            Expr::col((Alias::new("handling"), Units::Id)).equals((Appeals::Table, Appeals::HandlingUnitId)),
        )
        .join(
            JoinType::LeftJoin,
            AppealCategories::Table,
            Expr::col((AppealCategories::Table, AppealCategories::Id)).equals((Appeals::Table, Appeals::CategoryId)),
        )
        .and_where(Expr::col((Appeals::Table, Appeals::Satisfaction)).is_not_null());
    if let Some(cond) = scope_sql::appeals_visible(&scope) {
        rated.cond_where(cond);
    }
    if let Some(day) = from {
        rated.and_where(Expr::col((Appeals::Table, Appeals::ReceivedAt)).gte(beijing_at(day, 0, 0)));
    }
    if let Some(day) = to.and_then(|d| d.succ_opt()) {
        rated.and_where(Expr::col((Appeals::Table, Appeals::ReceivedAt)).lt(beijing_at(day, 0, 0)));
    }
    let mut select = Query::select();
    select.expr_as(Expr::cust("label"), Alias::new("name"));
    // Integer literals, so that SUM is an integer on PostgreSQL too. The codes are our constants.
    for level in Satisfaction::ALL {
        select.expr_as(
            Expr::cust(format!("SUM(CASE WHEN satisfaction = '{}' THEN 1 ELSE 0 END)", level.code())),
            Alias::new(level.code()),
        );
    }
    select
        .from_subquery(rated, Alias::new("rated"))
        .add_group_by([Expr::cust("label")])
        .order_by_expr(Expr::cust("COUNT(*)"), Order::Desc)
        .order_by_expr(Expr::cust("label"), Order::Asc);
    c.fetch_all(&select).await
}
