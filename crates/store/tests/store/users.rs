use crate::support::{self, system};
use bangdu_domain::UnitId;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::unit::UnitKind;
use bangdu_store::grants::GrantInput;
use bangdu_store::users::{self, NewUser, UserChanges};
use bangdu_store::{Actor, StoreError, passwords};

fn new_user(name: &str, grants: Vec<GrantInput>) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: name.into(),
        phone: None,
        email: None,
        password_hash: passwords::decoy_hash().into(),
        must_change_password: false,
        grants,
    }
}

fn grant(role: Role, unit: i64, scope: Option<DataScope>) -> GrantInput {
    GrantInput { role, unit: UnitId(unit), data_scope: scope, custom_units: vec![] }
}

#[tokio::test]
async fn grants_take_role_default_scopes() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let mut tx = t.db.begin().await.unwrap();
    let user = users::create(
        &mut tx.conn(),
        &system(),
        new_user("office", vec![grant(Role::Office, city.id, None), grant(Role::Leader, city.id, None)]),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let scopes: Vec<&str> = user.grants.iter().map(|g| g.data_scope.as_str()).collect();
    assert_eq!(scopes, ["unit_and_below", "unit_and_below"]);
    assert_eq!(user.grants[0].unit.code, "350500");
}

#[tokio::test]
async fn a_scoped_admin_cannot_grant_beyond_their_scope() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let jinjiang = support::unit(&t.db, "350582", "晋江市", UnitKind::Government, Some(&city)).await;
    let shishi = support::unit(&t.db, "350581", "石狮市", UnitKind::Government, Some(&city)).await;
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    let county_admin = users::create(
        &mut c,
        &system(),
        new_user("jjadmin", vec![grant(Role::Admin, jinjiang.id, Some(DataScope::UnitAndBelow))]),
    )
    .await
    .unwrap();
    let actor = users::load_actor(&mut c, county_admin.id(), None, "session").await.unwrap();

    // Inside Jinjiang: fine.
    users::create(&mut c, &actor, new_user("jjoffice", vec![grant(Role::Office, jinjiang.id, None)])).await.unwrap();
    // Another county: refused.
    let err = users::create(&mut c, &actor, new_user("ssoffice", vec![grant(Role::Office, shishi.id, None)]))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref f) if f.field == "roles"), "{err:?}");
    // A wider data scope than the granter's own: refused.
    let err =
        users::create(&mut c, &actor, new_user("jjall", vec![grant(Role::Admin, jinjiang.id, Some(DataScope::All))]))
            .await
            .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    // Users outside the scope are invisible (not found), not merely forbidden.
    let outsider = users::create(&mut c, &system(), new_user("ssleader", vec![grant(Role::Leader, shishi.id, None)]))
        .await
        .unwrap();
    let err = users::update(&mut c, &actor, outsider.id(), UserChanges { active: Some(false), ..Default::default() })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound));
}

#[tokio::test]
async fn the_last_administrator_cannot_be_removed() {
    let t = support::db().await;
    let city = support::unit(&t.db, "350500", "泉州市", UnitKind::Government, None).await;
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    let admin =
        users::create(&mut c, &system(), new_user("admin", vec![grant(Role::Admin, city.id, None)])).await.unwrap();
    let err = users::update(&mut c, &system(), admin.id(), UserChanges { active: Some(false), ..Default::default() })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "last_admin", .. }), "{err:?}");
    let err = users::update(
        &mut c,
        &system(),
        admin.id(),
        UserChanges { grants: Some(vec![grant(Role::Office, city.id, None)]), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "last_admin", .. }));
    // With a second administrator, the first may step down.
    users::create(&mut c, &system(), new_user("admin2", vec![grant(Role::Admin, city.id, None)])).await.unwrap();
    users::update(&mut c, &system(), admin.id(), UserChanges { active: Some(false), ..Default::default() })
        .await
        .unwrap();
}

#[tokio::test]
async fn duplicate_usernames_conflict_case_insensitively() {
    let t = support::db().await;
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    users::create(&mut c, &system(), new_user("office", vec![])).await.unwrap();
    let err = users::create(&mut c, &system(), new_user("office", vec![])).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "duplicate_username", .. }));
    assert!(users::get_by_username(&mut c, &bangdu_store::Actor::system("cli"), "OFFICE").await.is_ok());
    let _ = Actor::system("cli");
}
