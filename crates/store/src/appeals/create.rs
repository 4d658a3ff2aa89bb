//! Receiving one appeal: from the public web form, an Open311 client, a 吐槽大会 or the office
//! typing in a call. The appeal gets its number (BD + day + serial) and, for the citizen, a tracking
//! link whose secret is shown once and kept only as a digest.

use super::categories;
use super::places::Places;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::secrets::{random_token, token_digest};
use crate::tables::{AppealRecord, Appeals, CallerRecord};
use crate::time::{beijing, now};
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::status::AppealStatus;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::field_error::{FieldError, optional_prose, optional_text};
use bangdu_domain::permission::Permission;
use bangdu_domain::{AppealId, MeetingId};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Query};
use serde_json::json;

/// Longest content an appeal may have (Open311's description limit is ours too).
pub const MAX_CONTENT: usize = 4000;

/// A new appeal as its channel gives it.
#[derive(Clone, Debug, Default)]
pub struct NewAppeal {
    pub channel: Option<Channel>,
    pub content: String,
    pub address: Option<String>,
    /// WGS84 latitude and longitude in degrees.
    pub location: Option<(f64, f64)>,
    /// A region code or name.
    pub region: Option<String>,
    /// The category's service code.
    pub category: Option<String>,
    /// Open311 attribute values, already checked against the category's definitions.
    pub attributes: Option<serde_json::Value>,
    pub media_url: Option<String>,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    pub caller_email: Option<String>,
    pub meeting: Option<MeetingId>,
    /// For the office's entry of an earlier call; now by default.
    pub received_at: Option<DateTime<Utc>>,
}

/// A received appeal and its tracking secret (shown to the citizen once).
#[derive(Clone, Debug)]
pub struct Received {
    pub appeal: AppealRecord,
    pub token: String,
}

fn check_location((lat, lon): (f64, f64)) -> std::result::Result<(i64, i64), FieldError> {
    if !lat.is_finite() || !lon.is_finite() || !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(FieldError::new("location", "经纬度超出范围（纬度 −90…90，经度 −180…180）"));
    }
    Ok(((lat * 1e6).round() as i64, (lon * 1e6).round() as i64))
}

/// Receives an appeal. The public and Open311 clients may post to the web and Open311 channels;
/// the office enters calls and meetings' issues.
pub async fn receive(c: &mut Conn<'_>, actor: &Actor, cal: &Calendar, new: NewAppeal) -> Result<Received> {
    let channel = new.channel.unwrap_or(Channel::Web);
    let permission = match channel {
        Channel::Web | Channel::Open311 => Permission::PublicAppeals,
        Channel::Phone | Channel::Online | Channel::Meeting => Permission::ManageAppeals,
    };
    let scope = actor.require(permission)?;
    let content = optional_prose("description", "诉求内容", &new.content, MAX_CONTENT)?
        .ok_or_else(|| StoreError::invalid("description", "请写明您反映的问题"))?;
    let address = optional_text("address_string", "地址", new.address.as_deref().unwrap_or(""), 500)?;
    let location = new.location.map(check_location).transpose()?;
    let places = Places::load(c).await?;
    let region = places.region("region", new.region.as_deref().unwrap_or(""))?;
    let category = match new.category.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(code) => Some(
            categories::by_code(c, &Actor::system("appeal"), code)
                .await
                .map_err(|_| StoreError::invalid("service_code", format!("没有服务代码为“{code}”的诉求分类")))?,
        ),
        None => None,
    };
    let caller_name = optional_text("name", "姓名", new.caller_name.as_deref().unwrap_or(""), 50)?;
    let caller_phone = optional_text("phone", "电话", new.caller_phone.as_deref().unwrap_or(""), 40)?;
    if let Some(phone) = &caller_phone
        && !phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '(' | ')'))
    {
        return Err(StoreError::invalid("phone", "电话只能含数字、-、+ 和空格"));
    }
    let caller_email = optional_text("email", "电子邮箱", new.caller_email.as_deref().unwrap_or(""), 200)?;
    if let Some(email) = &caller_email
        && (!email.contains('@') || email.contains(char::is_whitespace))
    {
        return Err(StoreError::invalid("email", "电子邮箱格式不对"));
    }
    let media_url = optional_text("media_url", "图片地址", new.media_url.as_deref().unwrap_or(""), 1000)?;
    if let Some(url) = &media_url
        && !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
    {
        return Err(StoreError::invalid("media_url", "图片地址应为 http:// 或 https:// 开头"));
    }
    let at = now();
    let received_at = new.received_at.unwrap_or(at);
    if received_at > at {
        return Err(StoreError::invalid("received_at", "受理时间不能晚于现在"));
    }
    let owner = region
        .as_deref()
        .and_then(|r| places.owner_of_region(r))
        .or_else(|| {
            // The office's own entry belongs to its own office; a public post with no place to the root.
            actor.grants.iter().find(|g| permission.granted_to(g.role)).map(|g| g.unit.0)
        })
        .or(places.owner(None))
        .ok_or_else(|| StoreError::invalid("region", "系统中还没有单位，无法受理诉求"))?;
    if permission == Permission::ManageAppeals
        && !places.path(owner).is_some_and(|path| {
            scope.covers_unit(bangdu_domain::scope::UnitRef { id: bangdu_domain::UnitId(owner), path })
        })
    {
        return Err(StoreError::invalid("region", "该诉求所属区域不在您的管辖范围内"));
    }
    // A citizen is never refused for the calendar: past the loaded and provisional years the
    // expected answer is simply not promised (the import does the same).
    let expected_at = category
        .as_ref()
        .and_then(|cat| super::answer_due(cal, received_at, u32::try_from(cat.time_limit_days).unwrap_or(5)).ok());
    let token = random_token()?;
    let record = AppealRecord {
        id: AppealId(0),
        // A placeholder no platform writes, replaced by the number once the id is known.
        external_id: format!("pending-{}", token_digest(&token)),
        channel: channel.code().into(),
        received_at,
        content,
        address,
        lat_e6: location.map(|l| l.0),
        lon_e6: location.map(|l| l.1),
        region,
        category_id: category.as_ref().map(|c| c.id),
        owner_unit_id: owner,
        handling_unit_id: None,
        handling_unit_name: None,
        status: AppealStatus::Received.code().into(),
        status_notes: None,
        answered_at: None,
        expected_at,
        satisfaction: None,
        item_id: None,
        meeting_id: new.meeting,
        attributes: new.attributes.as_ref().map(|a| a.to_string()),
        media_url,
        tracking_digest: Some(token_digest(&token)),
        import_id: None,
        row_digest: None,
        created_by: actor.user_id.map(|u| u.0),
        created_at: at,
        updated_at: at,
        version: 1,
    };
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: AppealId,
    }
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(Appeals::Id)).await?;
    let number = format!("BD{}{:06}", beijing(&received_at, "%Y%m%d"), inserted.id.0);
    let appeal: AppealRecord = c
        .fetch_one(
            Query::update()
                .table(Appeals::Table)
                .value(Appeals::ExternalId, number.clone())
                .and_where(Expr::col(Appeals::Id).eq(inserted.id))
                .returning_all(),
        )
        .await?;
    super::insert_callers(
        c,
        &[CallerRecord { appeal_id: appeal.id, name: caller_name, phone: caller_phone, email: caller_email }],
    )
    .await?;
    super::transfer::record_events(c, actor, &[appeal.id], "received", &format!("经{}受理", channel.label()), at)
        .await?;
    // The chain records what was received, never who: no name, phone or e-mail.
    audit::append(
        c,
        actor,
        AuditEvent::new("appeal.receive", "appeal", appeal.id)
            .change(json!({"number": number, "channel": channel.code(), "category": category.map(|c| c.record.code)}))
            .acting_as(actor, permission),
    )
    .await?;
    Ok(Received { appeal, token })
}
