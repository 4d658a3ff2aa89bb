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
            password_hash: passwords::hash("Bangdu@2025").unwrap(),
            must_change_password: false,
            grants: vec![],
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn origin() -> Origin {
    Origin { ip: Some("10.0.0.9".into()), user_agent: Some("test".into()) }
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let t = support::db().await;
    with_user(&t).await;
    for _ in 0..5 {
        let err = auth::sign_in(&t.db, "office", "wrong-Pass1", &origin()).await.err().unwrap();
        assert!(matches!(err, StoreError::InvalidCredentials), "{err:?}");
    }
    let err = auth::sign_in(&t.db, "office", "Bangdu@2025", &origin()).await.err().unwrap();
    assert!(matches!(err, StoreError::AccountLocked { .. }), "{err:?}");
    // Every attempt is in the audit log: 5 failures, the lock, and the refused attempt.
    let mut r = t.db.reader().await.unwrap();
    let events = audit::list(
        &mut r.conn(),
        &bangdu_store::Actor::system("test"),
        &audit::EventFilter { action: Some("session.sign_in".into()), ..Default::default() },
        Default::default(),
    )
    .await
    .unwrap();
    let results: Vec<&str> = events.data.iter().map(|e| e.result.as_str()).collect();
    assert_eq!(results, ["locked", "failed", "failed", "failed", "failed", "failed"]);
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
