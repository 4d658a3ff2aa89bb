use crate::support::{self, system};
use bangdu_store::auth::{self, Origin};
use bangdu_store::users::{self, NewUser};
use bangdu_store::{StoreError, audit, passwords, sessions};

async fn with_user(t: &bangdu_store::testing::TestDb) {
    let mut tx = t.db.begin().await.unwrap();
    users::create(
        &mut tx.conn(),
        &system(),
        NewUser {
            username: "office".into(),
            display_name: "督查专员".into(),
            phone: None,
            email: None,
            password_hash: passwords::hash("Bangdu@2025").unwrap(),
            must_change_password: false,
            grants: vec![],
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The sign-in attempts in the audit log, newest first.
async fn sign_in_events(t: &bangdu_store::testing::TestDb) -> bangdu_store::paging::Paged<audit::EventRow> {
    let mut r = t.db.reader().await.unwrap();
    let filter = audit::EventFilter { action: Some("session.sign_in".into()), ..Default::default() };
    audit::list(&mut r.conn(), &bangdu_store::Actor::system("test"), &filter, Default::default()).await.unwrap()
}

fn origin() -> Origin {
    Origin { ip: Some("10.0.0.9".into()), user_agent: Some("test".into()) }
}

#[tokio::test]
async fn twenty_failures_make_the_account_wait_even_for_the_right_password_and_longer_each_time() {
    let t = support::db().await;
    with_user(&t).await;
    for _ in 0..bangdu_store::auth::MAX_FAILURES {
        let err = auth::sign_in(&t.db, "office", "wrong-Pass1", &origin()).await.err().unwrap();
        assert!(matches!(err, StoreError::InvalidCredentials), "{err:?}");
    }
    let err = auth::sign_in(&t.db, "office", "Bangdu@2025", &origin()).await.err().unwrap();
    let StoreError::AccountLocked { until } = err else { panic!("{err:?}") };
    let wait = until - bangdu_store::time::now();
    assert!(wait > chrono::Duration::seconds(50) && wait <= chrono::Duration::minutes(1), "{wait}");
    // Each further failure doubles the wait, to at most 15 minutes.
    let waits: Vec<i64> = (20..27).map(|n| bangdu_store::auth::lock_duration(n).num_minutes()).collect();
    assert_eq!(waits, [1, 2, 4, 8, 15, 15, 15]);
    // Every attempt is in the audit log: 20 failures and the refused attempt.
    let events = sign_in_events(&t).await;
    let results: Vec<&str> = events.data.iter().map(|e| e.result.as_str()).collect();
    assert_eq!(events.total, 21);
    assert_eq!((results[0], results[1], results[19]), ("locked", "failed", "failed"));
    assert_eq!(events.data[0].source_ip.as_deref(), Some("10.0.0.9"));
}

#[tokio::test]
async fn success_resets_the_failure_count_and_opens_a_session() {
    let t = support::db().await;
    with_user(&t).await;
    for _ in 0..4 {
        assert!(auth::sign_in(&t.db, "office", "nope-Nope1", &origin()).await.is_err());
    }
    let signed = auth::sign_in(&t.db, "OFFICE", "Bangdu@2025", &origin()).await.unwrap();
    for _ in 0..4 {
        assert!(auth::sign_in(&t.db, "office", "nope-Nope1", &origin()).await.is_err());
    }
    assert!(auth::sign_in(&t.db, "office", "Bangdu@2025", &origin()).await.is_ok(), "the count restarted at 0");
    let mut r = t.db.reader().await.unwrap();
    let session =
        sessions::find_valid(&mut r.conn(), &signed.session.token, chrono::Utc::now()).await.unwrap().unwrap();
    assert_eq!(session.user_id, signed.user.0);
    // Idle for 31 minutes, or 12 hours after signing in: no longer valid.
    let later = chrono::Utc::now() + chrono::Duration::minutes(31);
    assert!(sessions::find_valid(&mut r.conn(), &signed.session.token, later).await.unwrap().is_none());
}

#[tokio::test]
async fn unknown_users_fail_like_wrong_passwords() {
    let t = support::db().await;
    let err = auth::sign_in(&t.db, "nobody", "whatever-1A", &origin()).await.err().unwrap();
    assert!(matches!(err, StoreError::InvalidCredentials));
}

#[tokio::test]
async fn a_name_with_a_nul_is_recorded_escaped_and_the_backup_still_moves() {
    let t = support::db().await;
    with_user(&t).await;
    let err = auth::sign_in(&t.db, "a\u{0}b\\", "x", &origin()).await.err().unwrap();
    assert!(matches!(err, StoreError::InvalidCredentials), "{err:?}");
    let events = sign_in_events(&t).await;
    // Escaped, and reversibly: the backslash typed is doubled.
    assert_eq!(events.data[0].actor_name, "a\\u{0}b\\\\");
    assert_eq!(bangdu_domain::text::unescape_unstorable(&events.data[0].actor_name).as_deref(), Some("a\u{0}b\\"));
    // The backup restores into the other backend (PostgreSQL when the suite runs there).
    let mut out = Vec::new();
    bangdu_store::backup::dump(&t.db, None, &mut out).await.unwrap();
    let target = support::db().await;
    let (_, report) = bangdu_store::backup::restore(&target.db, None, out.as_slice()).await.unwrap();
    assert!(report.ok);
}

#[tokio::test]
async fn a_restore_names_the_line_that_holds_a_nul_and_can_be_checked_first() {
    let t = support::db().await;
    with_user(&t).await;
    for _ in 0..3 {
        assert!(auth::sign_in(&t.db, "office", "nope-Nope1", &origin()).await.is_err());
    }
    let mut out = Vec::new();
    bangdu_store::backup::dump(&t.db, None, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    // A backup written by an older version, with a NUL in the last audit event's name.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().rposition(|l| l.contains("\"t\":\"audit_events\"")).unwrap();
    let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    broken[at] = broken[at].replace("\"office\"", "\"off\\u0000ice\"");
    assert_ne!(broken[at], lines[at]);
    let broken = broken.join("\n");
    let target = support::db().await;
    for attempt in [
        bangdu_store::backup::check_restore(&target.db, broken.as_bytes()).await.map(|_| ()),
        bangdu_store::backup::restore(&target.db, None, broken.as_bytes()).await.map(|_| ()),
    ] {
        match attempt {
            Err(StoreError::Import { line, field, message }) => {
                assert_eq!((line, field.as_str()), (at + 1, "audit_events"), "{message}");
                assert!(message.contains("U+0000"), "{message}");
            }
            other => panic!("expected the line of the NUL: {other:?}"),
        }
    }
    // A check of a good backup keeps nothing: the real restore runs afterwards on the same database.
    let summary = bangdu_store::backup::check_restore(&target.db, text.as_bytes()).await.unwrap();
    assert!(summary.rows > 0);
    let (restored, report) = bangdu_store::backup::restore(&target.db, None, text.as_bytes()).await.unwrap();
    assert_eq!((restored.rows, report.ok), (summary.rows, true));
}
