//! Background work of `serve`: the daily escalation run, sending the outbox, and housekeeping.
//! Every node may run this: the escalation run is claimed by one node a day, each delivery by one
//! sender, and deleting expired sessions is harmless twice.

pub mod send;
pub mod sign;

use bangdu_store::items::escalate;
use bangdu_store::{Actor, Db, sessions, time};
use std::time::Duration;

/// A name for this node in job claims: host and process.
pub fn node_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into());
    format!("{host}:{}", std::process::id())
}

/// Runs until `stop` turns true: every minute, the day's escalation run if nobody has claimed it,
/// due deliveries; every ten minutes, expired sessions. A round under way when the server stops
/// finishes first, so the database is closed only after it.
pub async fn run(db: Db, mut stop: tokio::sync::watch::Receiver<bool>) {
    let node = node_name();
    let client = send::Client::new();
    let mut minutes: u64 = 0;
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
        let today = time::today();
        let ran = match db.reader().await {
            Ok(mut reader) => escalate::ran_on(&mut reader.conn(), today).await.unwrap_or(true),
            Err(_) => true,
        };
        if !ran {
            match escalate::run(&db, &Actor::system(escalate::JOB), today, today, &node, false).await {
                Ok(report) if !report.skipped => {
                    tracing::info!(examined = report.examined, raised = ?report.raised, "escalation run")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "escalation run failed"),
            }
        }
        match bangdu_store::projects::lights::daily(&db, today, &node).await {
            Ok(Some(relit)) => tracing::info!(examined = relit.examined, updated = relit.updated, "project lights"),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "project lights failed"),
        }
        match send::send_due(&db, &client, time::now()).await {
            Ok((0, 0)) => {}
            Ok((sent, failed)) => tracing::info!(sent, failed, "deliveries"),
            Err(e) => tracing::error!(error = %e, "deliveries failed"),
        }
        if minutes.is_multiple_of(10)
            && let Ok(mut tx) = db.begin().await
            && sessions::purge_expired(&mut tx.conn()).await.is_ok()
        {
            let _ = tx.commit().await;
        }
        minutes += 1;
    }
}

#[cfg(test)]
mod tests;
