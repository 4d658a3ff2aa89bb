//! Appeals as the public sees them: through Open311's `requests` and the citizen's tracking link.
//! Only what the spec calls a request's public fields leave here — number, category, content,
//! place, state, answer, times and the responsible agency — never who appealed.

use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::secrets::token_digest;
use crate::tables::{AppealCategories, AppealRecord, Appeals, Units};
use bangdu_domain::CategoryId;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::permission::Permission;
use bangdu_domain::region::significant_prefix;
use chrono::{DateTime, Utc};
use sea_query::{Alias, Expr, ExprTrait, Order, SelectStatement};

/// An appeal's public fields.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicAppeal {
    pub number: String,
    pub status: AppealStatus,
    pub status_notes: Option<String>,
    pub service_code: Option<String>,
    pub service_name: Option<String>,
    pub description: String,
    pub agency_responsible: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expected_at: Option<DateTime<Utc>>,
    pub address: Option<String>,
    pub region: Option<String>,
    pub lat_lon: Option<(f64, f64)>,
    pub media_url: Option<String>,
    pub satisfaction: Option<String>,
    pub channel: String,
}

/// The columns a public answer reads, and nothing else (a page of Open311 requests is a hundred
/// rows: no caller, no paths, no item).
#[derive(sqlx::FromRow)]
struct PublicRow {
    external_id: String,
    status: String,
    status_notes: Option<String>,
    category_code: Option<String>,
    category_name: Option<String>,
    content: String,
    handling_name: Option<String>,
    handling_unit_name: Option<String>,
    owner_name: String,
    received_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    expected_at: Option<DateTime<Utc>>,
    address: Option<String>,
    region: Option<String>,
    lat_e6: Option<i64>,
    lon_e6: Option<i64>,
    media_url: Option<String>,
    satisfaction: Option<String>,
    channel: String,
}

impl From<PublicRow> for PublicAppeal {
    fn from(row: PublicRow) -> PublicAppeal {
        PublicAppeal {
            status: AppealStatus::parse(&row.status).unwrap_or(AppealStatus::Received),
            // The unit handling it (ours by name, or as the export named it), else the office.
            agency_responsible: row.handling_name.or(row.handling_unit_name).or(Some(row.owner_name)),
            lat_lon: row.lat_e6.zip(row.lon_e6).map(|(lat, lon)| (lat as f64 / 1e6, lon as f64 / 1e6)),
            number: row.external_id,
            status_notes: row.status_notes,
            service_code: row.category_code,
            service_name: row.category_name,
            description: row.content,
            requested_at: row.received_at,
            updated_at: row.updated_at,
            expected_at: row.expected_at,
            address: row.address,
            region: row.region,
            media_url: row.media_url,
            satisfaction: row.satisfaction,
            channel: row.channel,
        }
    }
}

fn public_select(actor: &Actor) -> Result<SelectStatement> {
    actor.require(Permission::PublicAppeals)?;
    let owner = Alias::new("owner_unit");
    let handling = Alias::new("handling_unit");
    let mut select = sea_query::Query::select();
    select
        .columns(
            [
                Appeals::ExternalId,
                Appeals::Status,
                Appeals::StatusNotes,
                Appeals::Content,
                Appeals::HandlingUnitName,
                Appeals::ReceivedAt,
                Appeals::UpdatedAt,
                Appeals::ExpectedAt,
                Appeals::Address,
                Appeals::Region,
                Appeals::LatE6,
                Appeals::LonE6,
                Appeals::MediaUrl,
                Appeals::Satisfaction,
                Appeals::Channel,
            ]
            .map(|c| (Appeals::Table, c)),
        )
        .expr_as(Expr::col((AppealCategories::Table, AppealCategories::Code)), Alias::new("category_code"))
        .expr_as(Expr::col((AppealCategories::Table, AppealCategories::Name)), Alias::new("category_name"))
        .expr_as(Expr::col((owner, Units::Name)), Alias::new("owner_name"))
        .expr_as(Expr::col((handling, Units::Name)), Alias::new("handling_name"))
        .from(Appeals::Table);
    super::query::join_category_and_units(&mut select);
    Ok(select)
}

/// The appeal a tracking link's secret opens (the record, for rating it).
pub(crate) async fn by_token(c: &mut Conn<'_>, actor: &Actor, token: &str) -> Result<AppealRecord> {
    actor.require(Permission::PublicAppeals)?;
    let token = token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err(StoreError::NotFound);
    }
    c.fetch_optional(
        sea_query::Query::select()
            .columns(Appeals::COLUMNS.iter().copied())
            .from(Appeals::Table)
            .and_where(Expr::col(Appeals::TrackingDigest).eq(token_digest(token))),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// The public fields of the appeal a tracking link opens.
pub async fn tracked(c: &mut Conn<'_>, actor: &Actor, token: &str) -> Result<PublicAppeal> {
    let record = by_token(c, actor, token).await?;
    one(c, actor, &record.external_id).await
}

/// One appeal by its number (Open311's `requests/{id}`).
pub async fn one(c: &mut Conn<'_>, actor: &Actor, number: &str) -> Result<PublicAppeal> {
    let mut select = public_select(actor)?;
    select.and_where(Expr::col((Appeals::Table, Appeals::ExternalId)).eq(number.trim()));
    let row: Option<PublicRow> = c.fetch_optional(&select).await?;
    row.map(PublicAppeal::from).ok_or(StoreError::NotFound)
}

/// Open311's `GET requests` filters, already read and checked.
#[derive(Clone, Debug, Default)]
pub struct RequestFilter {
    /// Numbers asked for; when given, the other filters are ignored (as the spec says).
    pub numbers: Vec<String>,
    pub service_codes: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub status: Option<bool>,
    /// A jurisdiction's region code: appeals within it.
    pub region: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

/// Appeals by Open311's filters, newest first.
pub async fn requests(c: &mut Conn<'_>, actor: &Actor, filter: &RequestFilter) -> Result<Vec<PublicAppeal>> {
    let mut select = public_select(actor)?;
    let col = |c: Appeals| Expr::col((Appeals::Table, c));
    if !filter.numbers.is_empty() {
        select.and_where(col(Appeals::ExternalId).is_in(filter.numbers.iter().cloned()));
    } else {
        if !filter.service_codes.is_empty() {
            // The codes become category ids first, so that the (category, received) index serves
            // the filter and the order together.
            #[derive(sqlx::FromRow)]
            struct Id {
                id: CategoryId,
            }
            let ids: Vec<Id> = c
                .fetch_all(
                    sea_query::Query::select()
                        .column(AppealCategories::Id)
                        .from(AppealCategories::Table)
                        .and_where(Expr::col(AppealCategories::Code).is_in(filter.service_codes.iter().cloned())),
                )
                .await?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            select.and_where(col(Appeals::CategoryId).is_in(ids.into_iter().map(|i| i.id)));
        }
        if let Some(from) = filter.from {
            select.and_where(col(Appeals::ReceivedAt).gte(from));
        }
        if let Some(to) = filter.to {
            select.and_where(col(Appeals::ReceivedAt).lte(to));
        }
        match filter.status {
            Some(true) => {
                select.and_where(col(Appeals::Status).ne(AppealStatus::Answered.code()));
            }
            Some(false) => {
                select.and_where(col(Appeals::Status).eq(AppealStatus::Answered.code()));
            }
            None => {}
        }
        if let Some(region) = filter.region.as_deref() {
            select.and_where(col(Appeals::Region).like(format!("{}%", significant_prefix(region))));
        }
    }
    select
        .order_by((Appeals::Table, Appeals::ReceivedAt), Order::Desc)
        .order_by((Appeals::Table, Appeals::Id), Order::Desc)
        .limit(filter.limit.clamp(1, 1000))
        .offset(filter.offset);
    let rows: Vec<PublicRow> = c.fetch_all(&select).await?;
    Ok(rows.into_iter().map(PublicAppeal::from).collect())
}
