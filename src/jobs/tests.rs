//! The sender against a real HTTP server on loopback: failures are retried after their back-off,
//! successes are logged, and the signature lets the receiver check the body.

use super::{send, sign};
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use bangdu_domain::UnitId;
use bangdu_domain::unit::UnitKind;
use bangdu_store::deliveries::{self, Outgoing};
use bangdu_store::testing::TestDb;
use bangdu_store::units::{self, NewUnit};
use bangdu_store::{Actor, webhooks};
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

/// A receiver that fails its first call and accepts the next ones.
async fn receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let mut log = log.lock().unwrap();
                log.push((headers, body.to_vec()));
                if log.len() == 1 { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::NO_CONTENT }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_logged() {
    let t = TestDb::new().await.unwrap();
    let (url, seen) = receiver().await;
    let system = Actor::system("cli");
    let mut tx = t.db.begin().await.unwrap();
    let unit = bureau(&mut tx.conn()).await;
    // The receiver is on loopback, which only an administrator's allowance opens.
    let refused = webhooks::create(&mut tx.conn(), &system, UnitId(unit.id), &url).await.err();
    assert!(
        matches!(&refused, Some(bangdu_store::StoreError::Invalid(e)) if e.field == "url"),
        "loopback is refused by default: {refused:?}"
    );
    allow(&mut tx.conn(), "127.0.0.1").await;
    let hook = webhooks::create(&mut tx.conn(), &system, UnitId(unit.id), &url).await.unwrap();
    let payload = serde_json::json!({"event": "item.assigned", "item": {"code": "DB-2025-000001"}});
    deliveries::enqueue(
        &mut tx.conn(),
        vec![Outgoing::Webhook { webhook_id: hook.id, url: url.clone(), secret: String::new(), payload }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let client = send::Client::new();
    let now = bangdu_store::time::now();
    assert_eq!(send::send_due(&t.db, &client, now).await.unwrap(), (0, 1), "the receiver is down at first");
    let mut reader = t.db.reader().await.unwrap();
    let log = deliveries::for_webhook(&mut reader.conn(), hook.id, 10).await.unwrap();
    drop(reader);
    assert_eq!((log[0].status.as_str(), log[0].attempts, log[0].last_status), ("pending", 1, Some(503)));
    assert!(log[0].next_attempt_at > now, "retried later");
    assert_eq!(send::send_due(&t.db, &client, now).await.unwrap(), (0, 0), "not before its back-off");
    let later = log[0].next_attempt_at + chrono::Duration::seconds(1);
    assert_eq!(send::send_due(&t.db, &client, later).await.unwrap(), (1, 0));
    let mut reader = t.db.reader().await.unwrap();
    let log = deliveries::for_webhook(&mut reader.conn(), hook.id, 10).await.unwrap();
    assert_eq!((log[0].status.as_str(), log[0].attempts, log[0].last_status), ("delivered", 2, Some(204)));

    let calls = seen.lock().unwrap();
    assert_eq!(calls.len(), 2);
    let (headers, body) = &calls[1];
    assert_eq!(headers["x-bangdu-event"], "item.assigned");
    assert_eq!(headers["x-bangdu-signature"].to_str().unwrap(), sign::signature(&hook.secret, body));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(body).unwrap()["item"]["code"], "DB-2025-000001");
}

/// 住建局, the unit the hooks belong to.
async fn bureau(c: &mut bangdu_store::db::Conn<'_>) -> bangdu_store::units::Unit {
    let unit = NewUnit {
        code: "JJ-ZJJ".into(),
        name: "住建局".into(),
        kind: UnitKind::Department,
        parent: None,
        region: None,
        sort_order: 0,
    };
    units::create(c, &Actor::system("cli"), unit).await.unwrap()
}

async fn allow(c: &mut bangdu_store::db::Conn<'_>, destinations: &str) {
    bangdu_store::settings::set(c, &Actor::system("cli"), bangdu_store::settings::WEBHOOK_ALLOWED, destinations.into())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_delivery_checks_where_the_name_points_now() {
    let t = TestDb::new().await.unwrap();
    let (url, seen) = receiver().await;
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap().to_string();
    let system = Actor::system("cli");
    let mut tx = t.db.begin().await.unwrap();
    let unit = bureau(&mut tx.conn()).await;
    // Saved while the administrator allowed the name; the allowance is then taken back.
    allow(&mut tx.conn(), "localhost").await;
    let by_name = format!("http://localhost:{port}/hook");
    let hook = webhooks::create(&mut tx.conn(), &system, UnitId(unit.id), &by_name).await.unwrap();
    allow(&mut tx.conn(), "").await;
    let payload = serde_json::json!({"event": "item.assigned"});
    deliveries::enqueue(
        &mut tx.conn(),
        vec![Outgoing::Webhook { webhook_id: hook.id, url: by_name.clone(), secret: String::new(), payload }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let now = bangdu_store::time::now();
    assert_eq!(send::send_due(&t.db, &send::Client::new(), now).await.unwrap(), (0, 1));
    let mut reader = t.db.reader().await.unwrap();
    let log = deliveries::for_webhook(&mut reader.conn(), hook.id, 10).await.unwrap();
    let error = log[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("本机回环地址"), "refused at delivery, saying why: {error}");
    assert!(seen.lock().unwrap().is_empty(), "the receiver was never called");
}
