//! Requests (诉求): `GET requests` with the spec's filters and its 90-day default window,
//! `GET requests/{id}`, and `POST requests` from a client holding an API key, form-encoded, with
//! the location as lat/long, address_string or address_id (exactly one), `attribute[…]` checked
//! against the service's definitions, and the caller's name, phone and e-mail kept as personal data.

use super::format::{Field, Format, Open311Error, Record, list, maybe, text};
use crate::state::AppState;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use bangdu_domain::appeal::attribute::{self, Given};
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::text::looks_like_markup;
use bangdu_store::Actor;
use bangdu_store::appeals::create::{MAX_CONTENT, NewAppeal, receive};
use bangdu_store::appeals::public::{self, PublicAppeal, RequestFilter};
use bangdu_store::appeals::{categories, keys};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, Utc};
use std::collections::HashMap;

/// The longest window `GET requests` answers, and its default (the spec's 90 days).
const WINDOW_DAYS: i64 = 90;
/// Requests per answer unless `page_size` asks otherwise (at most 1,000).
const DEFAULT_PAGE_SIZE: u64 = 100;

/// A time as W3C (ISO 8601) in Beijing time: 2026-12-07T09:30:00+08:00.
fn w3c(at: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(beijing) => at.with_timezone(&beijing).to_rfc3339_opts(SecondsFormat::Secs, false),
        None => at.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// One request as the spec lists it.
pub fn record(a: &PublicAppeal) -> Record {
    vec![
        ("service_request_id", text(a.number.clone())),
        ("status", text(a.status.open311())),
        ("status_notes", maybe(a.status_notes.clone())),
        ("service_name", maybe(a.service_name.clone())),
        ("service_code", maybe(a.service_code.clone())),
        ("description", text(a.description.clone())),
        ("agency_responsible", maybe(a.agency_responsible.clone())),
        ("service_notice", maybe(a.expected_at.map(|t| format!("预计 {} 前答复", w3c(t))))),
        ("requested_datetime", text(w3c(a.requested_at))),
        ("updated_datetime", text(w3c(a.updated_at))),
        ("expected_datetime", maybe(a.expected_at.map(w3c))),
        ("address", maybe(a.address.clone())),
        ("address_id", maybe(a.region.clone())),
        ("zipcode", Field::Text(None)),
        ("lat", Field::Number(a.lat_lon.map(|l| l.0))),
        ("long", Field::Number(a.lat_lon.map(|l| l.1))),
        ("media_url", maybe(a.media_url.clone())),
    ]
}

fn when(f: Format, field: &str, text: &str) -> Result<DateTime<Utc>, Open311Error> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map(|d| bangdu_store::time::beijing_at(d, 0, 0)).map_err(|_| {
        Open311Error::bad(f, format!("{field} must be a W3C date and time such as 2026-12-01T00:00:00+08:00"))
    })
}

/// `GET requests.{format}`.
pub async fn search(state: &AppState, q: &HashMap<String, String>, f: Format) -> Result<Response, Open311Error> {
    let get = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let jurisdiction = super::jurisdiction(state, get("jurisdiction_id"), f).await?;
    let list_of = |k: &str| -> Vec<String> {
        get(k)
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let numbers = list_of("service_request_id");
    if numbers.len() > 1000 {
        return Err(Open311Error::bad(f, "at most 1000 service_request_id at once"));
    }
    let now = bangdu_store::time::now();
    let start = get("start_date").map(|t| when(f, "start_date", t)).transpose()?;
    let end = get("end_date").map(|t| when(f, "end_date", t)).transpose()?;
    let window = Duration::days(WINDOW_DAYS);
    let (from, to) = match (start, end) {
        (None, None) => (now - window, now),
        (Some(s), None) => (s, s + window),
        (None, Some(e)) => (e - window, e),
        (Some(s), Some(e)) => (s, e),
    };
    if to < from {
        return Err(Open311Error::bad(f, "end_date is before start_date"));
    }
    if to - from > window {
        return Err(Open311Error::bad(f, "start_date and end_date may not span more than 90 days"));
    }
    let status = match get("status") {
        None => None,
        Some(s) => {
            let wanted: Vec<&str> = s.split(',').map(str::trim).collect();
            match (wanted.contains(&"open"), wanted.contains(&"closed")) {
                (true, true) => None,
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => return Err(Open311Error::bad(f, "status must be open or closed")),
            }
        }
    };
    let number = |k: &str, default: u64, max: u64| -> Result<u64, Open311Error> {
        match get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| Open311Error::bad(f, format!("{k} must be a number from 1 to {max}"))),
        }
    };
    let page_size = number("page_size", DEFAULT_PAGE_SIZE, 1000)?;
    let page = number("page", 1, 1_000_000)?;
    let filter = RequestFilter {
        numbers,
        service_codes: list_of("service_code"),
        from: Some(from),
        to: Some(to),
        status,
        region: jurisdiction,
        limit: page_size,
        offset: (page - 1) * page_size,
    };
    let mut reader = state.db.reader().await.map_err(|e| Open311Error::internal(f, e))?;
    let found = public::requests(&mut reader.conn(), &Actor::public(), &filter)
        .await
        .map_err(|e| Open311Error::from_store(f, e))?;
    let records: Vec<Record> = found.iter().map(record).collect();
    Ok(list(f, "service_requests", "request", &records))
}

/// `GET requests/{id}.{format}`: a list of one, as the spec answers it.
pub async fn one(state: &AppState, id: &str, f: Format) -> Result<Response, Open311Error> {
    let mut reader = state.db.reader().await.map_err(|e| Open311Error::internal(f, e))?;
    let found = public::one(&mut reader.conn(), &Actor::public(), id)
        .await
        .map_err(|_| Open311Error::new(f, 404, format!("service_request_id {id} not found")))?;
    Ok(list(f, "service_requests", "request", &[record(&found)]))
}

/// The form's fields: single values by name, and `attribute[CODE]` / `attribute[CODE][]` values.
struct Posted {
    fields: HashMap<String, String>,
    attributes: Given,
}

fn read_form(body: &[u8]) -> Posted {
    let mut fields = HashMap::new();
    let mut attributes = Given::new();
    for (key, value) in form_urlencoded::parse(body) {
        if let Some(rest) = key.strip_prefix("attribute[") {
            let code = rest.trim_end_matches("[]").trim_end_matches(']').to_string();
            attributes.entry(code).or_default().push(value.into_owned());
        } else {
            fields.insert(key.into_owned(), value.into_owned());
        }
    }
    Posted { fields, attributes }
}

/// `POST requests.{format}`.
pub async fn create(state: &AppState, headers: &HeaderMap, body: Bytes, f: Format) -> Result<Response, Open311Error> {
    let form = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(Open311Error::bad(f, "send the request as application/x-www-form-urlencoded"));
    }
    let posted = read_form(&body);
    let get = |k: &str| posted.fields.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let Some(key) = get("api_key") else {
        return Err(Open311Error::new(f, 403, "api_key is required"));
    };
    {
        let mut tx = state.db.begin().await.map_err(|e| Open311Error::internal(f, e))?;
        let client = keys::check(&mut tx.conn(), key).await.map_err(|e| Open311Error::internal(f, e))?;
        tx.commit().await.map_err(|e| Open311Error::internal(f, e))?;
        if client.is_none() {
            return Err(Open311Error::new(f, 403, "api_key is invalid or revoked"));
        }
    }
    let jurisdiction = super::jurisdiction(state, get("jurisdiction_id"), f).await?;
    let Some(code) = get("service_code") else {
        return Err(Open311Error::bad(f, "service_code is required"));
    };
    let (lat, long) = (get("lat"), get("long"));
    let coordinates = match (lat, long) {
        (Some(lat), Some(long)) => match (lat.parse::<f64>(), long.parse::<f64>()) {
            (Ok(lat), Ok(long)) => Some((lat, long)),
            _ => return Err(Open311Error::bad(f, "lat and long must be numbers")),
        },
        (None, None) => None,
        _ => return Err(Open311Error::bad(f, "lat and long go together")),
    };
    let address = get("address_string");
    let address_id = get("address_id");
    let given = usize::from(coordinates.is_some()) + usize::from(address.is_some()) + usize::from(address_id.is_some());
    if given != 1 {
        return Err(Open311Error::bad(f, "give exactly one location: lat and long, address_string or address_id"));
    }
    let description = get("description").unwrap_or("");
    if description.is_empty() {
        return Err(Open311Error::bad(f, "description is required"));
    }
    if description.chars().count() > MAX_CONTENT {
        return Err(Open311Error::bad(f, format!("description is longer than {MAX_CONTENT} characters")));
    }
    let texts = ["description", "address_string", "first_name", "last_name", "email", "phone", "media_url"];
    for field in texts {
        if get(field).is_some_and(looks_like_markup) {
            return Err(Open311Error::bad(f, format!("{field} must not contain HTML or script")));
        }
    }
    if posted.attributes.values().flatten().any(|v| looks_like_markup(v)) {
        return Err(Open311Error::bad(f, "attribute values must not contain HTML or script"));
    }
    let mut tx = state.db.begin().await.map_err(|e| Open311Error::internal(f, e))?;
    let category = categories::by_code(&mut tx.conn(), &Actor::public(), code)
        .await
        .map_err(|_| Open311Error::new(f, 404, format!("service_code {code} not found")))?;
    let attributes =
        attribute::check_values(&category.attributes, &posted.attributes).map_err(|m| Open311Error::bad(f, m))?;
    let name = [get("last_name"), get("first_name")].into_iter().flatten().collect::<Vec<_>>().join("");
    let cal = bangdu_store::calendar::load(&mut tx.conn()).await.map_err(|e| Open311Error::internal(f, e))?;
    let received = receive(
        &mut tx.conn(),
        &Actor::public(),
        &cal,
        NewAppeal {
            channel: Some(Channel::Open311),
            content: description.to_string(),
            address: address.map(str::to_string),
            location: coordinates,
            region: address_id.map(str::to_string).or(jurisdiction),
            category: Some(code.to_string()),
            attributes: (!attributes.is_empty()).then(|| serde_json::to_value(&attributes).unwrap_or_default()),
            media_url: get("media_url").map(str::to_string),
            caller_name: (!name.is_empty()).then_some(name),
            caller_phone: get("phone").map(str::to_string),
            caller_email: get("email").map(str::to_string),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| Open311Error::from_store(f, e))?;
    tx.commit().await.map_err(|e| Open311Error::internal(f, e))?;
    let notice = received.appeal.expected_at.map(|t| format!("预计 {} 前答复", w3c(t)));
    let record: Record = vec![
        ("service_request_id", text(received.appeal.external_id.clone())),
        ("token", text(received.token)),
        ("service_notice", maybe(notice)),
        ("account_id", Field::Text(None)),
    ];
    Ok(list(f, "service_requests", "request", &[record]))
}
