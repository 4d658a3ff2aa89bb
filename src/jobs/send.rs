//! Sending the outbox: webhook POSTs (signed), e-mail over SMTP, SMS through a configurable HTTP
//! gateway. One interface for all three: a delivery row in, a result out.

use super::sign;
use bangdu_domain::destination::{self, Allowed};
use bangdu_store::deliveries::{self, DeliveryRow};
use bangdu_store::{Db, StoreError, settings, webhooks};
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;

/// What an attempt came to: the HTTP status (or 250 for mail) on success, else status and error.
pub type Outcome = Result<i64, (Option<i64>, String)>;

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    pub fn new() -> Client {
        Client { http: builder().build().unwrap_or_default() }
    }
}

/// Every outgoing call: a time limit, our name, and no redirects (a redirect could lead a checked
/// webhook to an address that was never checked).
fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .user_agent(concat!("Bangdu/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
}

/// Where a webhook call may go: the addresses its host resolves to now, each checked against the
/// public ranges and the administrator's list. The call is then pinned to exactly these, so a
/// name cannot resolve to something else between the check and the connection.
async fn checked_destination(target: &str, allowed: &Allowed) -> Result<reqwest::Client, String> {
    let url = url::Url::parse(target).map_err(|_| "回调地址无效".to_string())?;
    let port = url.port_or_known_default().ok_or_else(|| "回调地址缺少端口".to_string())?;
    let (host, addrs): (String, Vec<SocketAddr>) = match url.host() {
        Some(url::Host::Ipv4(ip)) => (ip.to_string(), vec![SocketAddr::new(ip.into(), port)]),
        Some(url::Host::Ipv6(ip)) => (ip.to_string(), vec![SocketAddr::new(ip.into(), port)]),
        Some(url::Host::Domain(name)) => {
            let found = tokio::net::lookup_host((name, port)).await.map_err(|e| format!("无法解析 {name}：{e}"))?;
            (name.to_string(), found.collect())
        }
        None => return Err("回调地址缺少主机名".into()),
    };
    if addrs.is_empty() {
        return Err(format!("无法解析 {host}"));
    }
    for addr in &addrs {
        destination::check_ip_of("url", &host, addr.ip(), allowed).map_err(|e| e.message)?;
    }
    let pinned = match url.host() {
        Some(url::Host::Domain(name)) => builder().resolve_to_addrs(name, &addrs),
        _ => builder(),
    };
    pinned.build().map_err(|e| e.to_string())
}

/// The settings the senders need, read once per round.
struct Config {
    smtp_host: String,
    smtp_port: u16,
    smtp_security: String,
    smtp_username: String,
    smtp_password: String,
    smtp_from: String,
    sms_url: String,
    sms_body: String,
    webhook_destinations: Allowed,
}

async fn config(db: &Db) -> Result<Config, StoreError> {
    let mut reader = db.reader().await?;
    let mut c = reader.conn();
    let text = |v: Value| v.as_str().unwrap_or("").to_string();
    Ok(Config {
        smtp_host: text(settings::get(&mut c, settings::SMTP_HOST).await?),
        smtp_port: u16::try_from(settings::get_i64(&mut c, settings::SMTP_PORT).await?).unwrap_or(465),
        smtp_security: text(settings::get(&mut c, settings::SMTP_SECURITY).await?),
        smtp_username: text(settings::get(&mut c, settings::SMTP_USERNAME).await?),
        smtp_password: text(settings::get(&mut c, settings::SMTP_PASSWORD).await?),
        smtp_from: text(settings::get(&mut c, settings::SMTP_FROM).await?),
        sms_url: text(settings::get(&mut c, settings::SMS_URL).await?),
        sms_body: text(settings::get(&mut c, settings::SMS_BODY).await?),
        webhook_destinations: settings::webhook_destinations(&mut c).await?,
    })
}

/// Sends what is due at `at`; returns (sent, failed attempts).
pub async fn send_due(db: &Db, client: &Client, at: DateTime<Utc>) -> Result<(u64, u64), StoreError> {
    let due = {
        let mut reader = db.reader().await?;
        deliveries::due(&mut reader.conn(), at, 50).await?
    };
    if due.is_empty() {
        return Ok((0, 0));
    }
    let config = config(db).await?;
    let (mut sent, mut failed) = (0, 0);
    for row in due {
        let mut tx = db.begin().await?;
        let mine = deliveries::claim(&mut tx.conn(), &row, at).await?;
        tx.commit().await?;
        if !mine {
            continue;
        }
        let outcome = match row.channel.as_str() {
            "webhook" => webhook(db, &config, &row).await,
            "email" => email(&config, &row).await,
            "sms" => sms(&config, client, &row).await,
            other => Err((None, format!("unknown channel {other}"))),
        };
        if outcome.is_ok() {
            sent += 1;
        } else {
            failed += 1;
        }
        let mut tx = db.begin().await?;
        deliveries::record(&mut tx.conn(), &row, outcome).await?;
        tx.commit().await?;
    }
    Ok((sent, failed))
}

async fn http_outcome(result: reqwest::Result<reqwest::Response>) -> Outcome {
    match result {
        Ok(response) if response.status().is_success() => Ok(i64::from(response.status().as_u16())),
        Ok(response) => Err((Some(i64::from(response.status().as_u16())), format!("HTTP {}", response.status()))),
        // Connection errors say which host; they carry no personal data.
        Err(e) => Err((None, e.to_string())),
    }
}

async fn webhook(db: &Db, config: &Config, row: &DeliveryRow) -> Outcome {
    let secret = {
        let Ok(mut reader) = db.reader().await else { return Err((None, "database unavailable".into())) };
        match row.webhook_id {
            Some(id) => webhooks::secret(&mut reader.conn(), id).await.ok().flatten(),
            None => None,
        }
    };
    let Some(secret) = secret else { return Err((None, "webhook deleted or switched off".into())) };
    let body = row.payload.clone().into_bytes();
    let event = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["event"].as_str().map(String::from))
        .unwrap_or_default();
    let http = checked_destination(&row.target, &config.webhook_destinations).await.map_err(|e| (None, e))?;
    let request = http
        .post(&row.target)
        .header("Content-Type", "application/json")
        .header("X-Bangdu-Event", event)
        .header("X-Bangdu-Delivery", row.id.to_string())
        .header(sign::HEADER, sign::signature(&secret, &body))
        .body(body);
    http_outcome(request.send().await).await
}

/// Fills `{phone}` and `{text}` into a template, encoded for where it goes.
pub fn fill(template: &str, phone: &str, text: &str, encode: fn(&str) -> String) -> String {
    template.replace("{phone}", &encode(phone)).replace("{text}", &encode(text))
}

/// Percent-encoding of everything but unreserved characters (RFC 3986).
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text as it goes inside a JSON string (quoted by `serde_json`, without the outer quotes).
pub fn json_encode(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or_default().to_string()
}

async fn sms(config: &Config, client: &Client, row: &DeliveryRow) -> Outcome {
    if config.sms_url.is_empty() {
        return Err((None, "SMS gateway not configured".into()));
    }
    let url = fill(&config.sms_url, &row.target, &row.payload, url_encode);
    let request = if config.sms_body.trim().is_empty() {
        client.http.get(url)
    } else {
        client.http.post(url).header("Content-Type", "application/json").body(fill(
            &config.sms_body,
            &row.target,
            &row.payload,
            json_encode,
        ))
    };
    http_outcome(request.send().await).await
}

async fn email(config: &Config, row: &DeliveryRow) -> Outcome {
    if config.smtp_host.is_empty() {
        return Err((None, "SMTP not configured".into()));
    }
    let message = Message::builder()
        .from(config.smtp_from.parse().map_err(|_| (None, "invalid sender address".to_string()))?)
        .to(row.target.parse().map_err(|_| (None, "invalid recipient address".to_string()))?)
        .subject(row.subject.clone().unwrap_or_else(|| "帮督通知".into()))
        .header(ContentType::TEXT_PLAIN)
        .body(row.payload.clone())
        .map_err(|e| (None, e.to_string()))?;
    let builder = match config.smtp_security.as_str() {
        "none" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.smtp_host)),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.smtp_host),
        _ => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.smtp_host),
    };
    let mut builder =
        builder.map_err(|e| (None, e.to_string()))?.port(config.smtp_port).timeout(Some(Duration::from_secs(15)));
    if !config.smtp_username.is_empty() {
        builder = builder.credentials(Credentials::new(config.smtp_username.clone(), config.smtp_password.clone()));
    }
    match builder.build().send(message).await {
        Ok(response) => Ok(i64::from(response.code().to_string().parse::<u16>().unwrap_or(250))),
        Err(e) => Err((None, e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_and_encoded_for_their_place() {
        assert_eq!(
            fill("https://sms/x?to={phone}&msg={text}", "13800000000", "催办：a&b", url_encode),
            "https://sms/x?to=13800000000&msg=%E5%82%AC%E5%8A%9E%EF%BC%9Aa%26b"
        );
        assert_eq!(
            fill(r#"{"to":"{phone}","text":"{text}"}"#, "138", "说\"明\"", json_encode),
            r#"{"to":"138","text":"说\"明\""}"#
        );
    }
}
