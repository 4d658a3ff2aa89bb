//! Reading appeals: a page of a filtered list, every row of a filter (exports), one appeal with its
//! history. The store decides visibility from the actor (`scope_sql::appeals_visible`); a caller's
//! name and phone come in clear only to those who call back (`ViewCallers`) and only on one appeal,
//! masked in every list.

use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::paging::{CountRow, PageRequest, Paged, count_of};
use crate::scope_sql;
use crate::tables::{
    AppealCallers, AppealCategories, AppealEventRecord, AppealEvents, AppealRatingRecord, AppealRatings, AppealRecord,
    Appeals, Items, Units, Users,
};
use crate::text_match::contains;
use crate::time::beijing_at;
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::mask;
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::permission::Permission;
use bangdu_domain::region::significant_prefix;
use bangdu_domain::scope::{RecordRef, UnitRef};
use bangdu_domain::{AppealId, AppealImportId, CategoryId, ItemId, MeetingId, UnitId};
use chrono::NaiveDate;
use sea_query::{Alias, Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};

joined_row! {
    /// An appeal with its category, the names and paths of its units, the item it was sent on as,
    /// and its caller (masked unless the reader may see them: see [`AppealRow::caller_name_shown`]).
    pub struct AppealRow {
        appeal: AppealRecord,
        category_code: Option<String>,
        category_name: Option<String>,
        owner_name: String,
        owner_path: String,
        handling_name: Option<String>,
        handling_path: Option<String>,
        item_code: Option<String>,
        item_state: Option<String>,
        #[serde(skip)]
        caller_name: Option<String>,
        #[serde(skip)]
        caller_phone: Option<String>,
    }
}

impl AppealRow {
    pub fn status(&self) -> AppealStatus {
        AppealStatus::parse(&self.status).unwrap_or(AppealStatus::Received)
    }

    pub fn channel(&self) -> Option<Channel> {
        Channel::parse(&self.channel)
    }

    pub fn satisfaction(&self) -> Option<Satisfaction> {
        self.appeal.satisfaction.as_deref().and_then(Satisfaction::parse)
    }

    /// The handling unit as the reader sees it: ours by name, or the export's text.
    pub fn handling_shown(&self) -> Option<&str> {
        self.handling_name.as_deref().or(self.handling_unit_name.as_deref())
    }

    /// The caller's name masked (张*), as lists show it.
    pub fn caller_name_masked(&self) -> Option<String> {
        self.caller_name.as_deref().filter(|n| !n.trim().is_empty()).map(mask::name)
    }

    /// The caller's phone masked (138****1234), as lists show it.
    pub fn caller_phone_masked(&self) -> Option<String> {
        self.caller_phone.as_deref().filter(|p| !p.trim().is_empty()).map(mask::phone)
    }

    fn units(&self) -> Vec<UnitRef<'_>> {
        let mut units = vec![UnitRef { id: UnitId(self.owner_unit_id), path: &self.owner_path }];
        if let (Some(id), Some(path)) = (self.handling_unit_id, self.handling_path.as_deref()) {
            units.push(UnitRef { id: UnitId(id), path });
        }
        units
    }
}

/// Joins an appeal's category and its two units, aliased `owner_unit` and `handling_unit` (the
/// names the list's row and the public row read), to a select from `appeals`.
pub(crate) fn join_category_and_units(select: &mut SelectStatement) {
    let owner = Alias::new("owner_unit");
    let handling = Alias::new("handling_unit");
    select
        .join(
            JoinType::LeftJoin,
            AppealCategories::Table,
            Expr::col((AppealCategories::Table, AppealCategories::Id)).equals((Appeals::Table, Appeals::CategoryId)),
        )
        .join_as(
            JoinType::InnerJoin,
            Units::Table,
            owner.clone(),
            Expr::col((owner, Units::Id)).equals((Appeals::Table, Appeals::OwnerUnitId)),
        )
        .join_as(
            JoinType::LeftJoin,
            Units::Table,
            handling.clone(),
            Expr::col((handling, Units::Id)).equals((Appeals::Table, Appeals::HandlingUnitId)),
        );
}

pub(crate) fn select_appeals() -> SelectStatement {
    let owner = Alias::new("owner_unit");
    let handling = Alias::new("handling_unit");
    let mut select = Query::select();
    select
        .columns(Appeals::qualified())
        .expr_as(Expr::col((AppealCategories::Table, AppealCategories::Code)), Alias::new("category_code"))
        .expr_as(Expr::col((AppealCategories::Table, AppealCategories::Name)), Alias::new("category_name"))
        .expr_as(Expr::col((owner.clone(), Units::Name)), Alias::new("owner_name"))
        .expr_as(Expr::col((owner.clone(), Units::Path)), Alias::new("owner_path"))
        .expr_as(Expr::col((handling.clone(), Units::Name)), Alias::new("handling_name"))
        .expr_as(Expr::col((handling.clone(), Units::Path)), Alias::new("handling_path"))
        .expr_as(Expr::col((Items::Table, Items::Code)), Alias::new("item_code"))
        .expr_as(Expr::col((Items::Table, Items::State)), Alias::new("item_state"))
        .expr_as(Expr::col((AppealCallers::Table, AppealCallers::Name)), Alias::new("caller_name"))
        .expr_as(Expr::col((AppealCallers::Table, AppealCallers::Phone)), Alias::new("caller_phone"))
        .from(Appeals::Table);
    join_category_and_units(&mut select);
    select
        .join(
            JoinType::LeftJoin,
            Items::Table,
            Expr::col((Items::Table, Items::Id)).equals((Appeals::Table, Appeals::ItemId)),
        )
        .join(
            JoinType::LeftJoin,
            AppealCallers::Table,
            Expr::col((AppealCallers::Table, AppealCallers::AppealId)).equals((Appeals::Table, Appeals::Id)),
        );
    select
}

/// The appeals an actor may see for a purpose.
pub(crate) fn scoped(actor: &Actor, permission: Permission) -> Result<SelectStatement> {
    let scope = actor.require(permission)?;
    let mut select = select_appeals();
    if let Some(cond) = scope_sql::appeals_visible(&scope) {
        select.cond_where(cond);
    }
    Ok(select)
}

/// Filters of the appeal list.
#[derive(Clone, Debug, Default)]
pub struct AppealFilter {
    /// Number, content or address contains this.
    pub q: Option<String>,
    pub status: Option<AppealStatus>,
    pub channel: Option<Channel>,
    pub category: Option<CategoryId>,
    /// Region code starts with this.
    pub region: Option<String>,
    pub owner: Option<UnitId>,
    pub handling: Option<UnitId>,
    /// Received on or after this day (Beijing).
    pub from: Option<NaiveDate>,
    /// Received on or before this day (Beijing).
    pub to: Option<NaiveDate>,
    /// Sent on as an item (true), or not yet (false).
    pub sent_on: Option<bool>,
    pub item: Option<ItemId>,
    pub satisfaction: Option<Satisfaction>,
    pub meeting: Option<MeetingId>,
    pub import: Option<AppealImportId>,
}

fn apply_filter(select: &mut SelectStatement, f: &AppealFilter) {
    let col = |c: Appeals| Expr::col((Appeals::Table, c));
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select.cond_where(
            Cond::any()
                .add(col(Appeals::ExternalId).eq(q))
                .add(contains((Appeals::Table, Appeals::Content), q))
                .add(contains((Appeals::Table, Appeals::Address), q)),
        );
    }
    if let Some(s) = f.status {
        select.and_where(col(Appeals::Status).eq(s.code()));
    }
    if let Some(ch) = f.channel {
        select.and_where(col(Appeals::Channel).eq(ch.code()));
    }
    if let Some(cat) = f.category {
        select.and_where(col(Appeals::CategoryId).eq(cat));
    }
    if let Some(r) =
        f.region.as_deref().map(str::trim).filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
    {
        select.and_where(col(Appeals::Region).like(format!("{}%", significant_prefix(r))));
    }
    if let Some(u) = f.owner {
        select.and_where(col(Appeals::OwnerUnitId).eq(u.0));
    }
    if let Some(u) = f.handling {
        select.and_where(col(Appeals::HandlingUnitId).eq(u.0));
    }
    if let Some(day) = f.from {
        select.and_where(col(Appeals::ReceivedAt).gte(beijing_at(day, 0, 0)));
    }
    if let Some(day) = f.to.and_then(|d| d.succ_opt()) {
        select.and_where(col(Appeals::ReceivedAt).lt(beijing_at(day, 0, 0)));
    }
    match f.sent_on {
        Some(true) => {
            select.and_where(col(Appeals::ItemId).is_not_null());
        }
        Some(false) => {
            select.and_where(col(Appeals::ItemId).is_null());
        }
        None => {}
    }
    if let Some(item) = f.item {
        select.and_where(col(Appeals::ItemId).eq(item));
    }
    if let Some(s) = f.satisfaction {
        select.and_where(col(Appeals::Satisfaction).eq(s.code()));
    }
    if let Some(m) = f.meeting {
        select.and_where(col(Appeals::MeetingId).eq(m));
    }
    if let Some(i) = f.import {
        select.and_where(col(Appeals::ImportId).eq(i));
    }
}

fn newest_first(select: &mut SelectStatement) {
    select
        .order_by((Appeals::Table, Appeals::ReceivedAt), Order::Desc)
        .order_by((Appeals::Table, Appeals::Id), Order::Desc);
}

/// One page of the appeals the actor may see, newest first.
pub async fn list(
    c: &mut Conn<'_>,
    actor: &Actor,
    filter: &AppealFilter,
    page: PageRequest,
) -> Result<Paged<AppealRow>> {
    let mut select = scoped(actor, Permission::ViewAppeals)?;
    apply_filter(&mut select, filter);
    let total: CountRow = c.fetch_one(&count_of(&select)).await?;
    newest_first(&mut select);
    select.limit(page.per_page).offset(page.offset());
    let data: Vec<AppealRow> = c.fetch_all(&select).await?;
    Ok(Paged { data, total: total.n, page: page.page, per_page: page.per_page })
}

/// At most `limit` rows of a filter, newest first (exports).
pub async fn all(c: &mut Conn<'_>, actor: &Actor, filter: &AppealFilter, limit: u64) -> Result<Vec<AppealRow>> {
    let mut select = scoped(actor, Permission::ViewAppeals)?;
    apply_filter(&mut select, filter);
    newest_first(&mut select);
    select.limit(limit);
    c.fetch_all(&select).await
}

/// One appeal the actor may see.
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: AppealId) -> Result<AppealRow> {
    let mut select = scoped(actor, Permission::ViewAppeals)?;
    select.and_where(Expr::col((Appeals::Table, Appeals::Id)).eq(id));
    c.fetch_optional(&select).await?.ok_or(StoreError::NotFound)
}

/// Several appeals the actor may see, by id; one missing is `NotFound` for that id.
pub async fn get_many(c: &mut Conn<'_>, actor: &Actor, ids: &[AppealId]) -> Result<Vec<AppealRow>> {
    let mut select = scoped(actor, Permission::ViewAppeals)?;
    select.and_where(Expr::col((Appeals::Table, Appeals::Id)).is_in(ids.iter().copied()));
    let rows: Vec<AppealRow> = c.fetch_all(&select).await?;
    if rows.len() != {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        unique.len()
    } {
        return Err(StoreError::NotFound);
    }
    Ok(rows)
}

/// An event of an appeal's history, with who did it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AppealEventRow {
    #[sqlx(flatten)]
    pub event: AppealEventRecord,
    pub actor_name: Option<String>,
}

/// One appeal with everything its page shows.
#[derive(Clone, Debug)]
pub struct AppealDetail {
    pub row: AppealRow,
    pub events: Vec<AppealEventRow>,
    pub ratings: Vec<AppealRatingRecord>,
    pub photos: Vec<crate::tables::AppealPhotoRecord>,
    /// The caller in clear, for those who call back; `None` otherwise.
    pub caller: Option<Caller>,
    /// Whether the actor may send it on, rate it by phone-back, and so on.
    pub can_manage: bool,
}

/// Personal data of an appeal's caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Whether the actor holds `permission` over this appeal's units.
pub(crate) fn holds(actor: &Actor, permission: Permission, row: &AppealRow) -> bool {
    actor.can(permission) && actor.scope(permission).permits(&RecordRef { units: &row.units(), owner: None })
}

/// One appeal with its history, ratings and (for those who call back) its caller.
pub async fn detail(c: &mut Conn<'_>, actor: &Actor, id: AppealId) -> Result<AppealDetail> {
    let row = get(c, actor, id).await?;
    let events: Vec<AppealEventRow> = c
        .fetch_all(
            Query::select()
                .columns(AppealEvents::qualified())
                .expr_as(Expr::col((Users::Table, Users::DisplayName)), Alias::new("actor_name"))
                .from(AppealEvents::Table)
                .join(
                    JoinType::LeftJoin,
                    Users::Table,
                    Expr::col((Users::Table, Users::Id)).equals((AppealEvents::Table, AppealEvents::ActorId)),
                )
                .and_where(Expr::col((AppealEvents::Table, AppealEvents::AppealId)).eq(id))
                .order_by((AppealEvents::Table, AppealEvents::At), Order::Asc)
                .order_by((AppealEvents::Table, AppealEvents::Id), Order::Asc),
        )
        .await?;
    let ratings: Vec<AppealRatingRecord> = c
        .fetch_all(
            Query::select()
                .columns(AppealRatings::COLUMNS.iter().copied())
                .from(AppealRatings::Table)
                .and_where(Expr::col(AppealRatings::AppealId).eq(id))
                .order_by(AppealRatings::RatedAt, Order::Asc),
        )
        .await?;
    let caller = if holds(actor, Permission::ViewCallers, &row) {
        let record: Option<crate::tables::CallerRecord> = c
            .fetch_optional(
                Query::select()
                    .columns(AppealCallers::COLUMNS.iter().copied())
                    .from(AppealCallers::Table)
                    .and_where(Expr::col(AppealCallers::AppealId).eq(id)),
            )
            .await?;
        Some(record.map(|r| Caller { name: r.name, phone: r.phone, email: r.email }).unwrap_or_default())
    } else {
        None
    };
    let can_manage = holds(actor, Permission::ManageAppeals, &row);
    let photos = super::photos::of_appeal(c, id).await?;
    Ok(AppealDetail { row, events, ratings, photos, caller, can_manage })
}
