//! On random organisation trees, users, grants and items: what a list returns equals what the
//! per-record check (`Scope::permits`) allows — the list and the rule can never drift apart.

use crate::support::system;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::{Action, ActionInput, ItemState, available};
use bangdu_domain::permission::Permission;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::scope::{RecordRef, Scope, UnitRef};
use bangdu_domain::unit::UnitKind;
use bangdu_domain::{ItemId, ProjectId, UnitId, UserId};
use bangdu_store::grants::{self, GrantInput};
use bangdu_store::items::act::{ActionRequest, act};
use bangdu_store::items::create::{NewItem, create};
use bangdu_store::items::query::{self, ItemFilter, ItemSort};
use bangdu_store::items::{self};
use bangdu_store::paging::PageRequest;
use bangdu_store::projects::{
    self,
    input::ProjectInput,
    lights::LightRules,
    query::{ProjectFilter, ProjectSort},
};
use bangdu_store::testing::TestDb;
use bangdu_store::units::{self, NamedUnit, NewUnit, Unit, UnitFilter};
use bangdu_store::users::{self, NewUser, User, UserFilter};
use bangdu_store::{Actor, ActorKind, StoreError, passwords};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
struct GrantSpec {
    role: Role,
    unit: usize,
    scope: DataScope,
    custom: Vec<usize>,
}

#[derive(Clone, Debug)]
struct World {
    /// For each unit, the index of its parent (always an earlier unit) or none.
    parents: Vec<Option<usize>>,
    /// For each unit, which user (index) created it, if any.
    creators: Vec<Option<usize>>,
    /// For each user, their grants.
    users: Vec<Vec<GrantSpec>>,
    /// For each item, its units (registering, responsible, then co-operating) and who registered it.
    items: Vec<(Vec<usize>, Option<usize>)>,
}

fn world() -> impl Strategy<Value = World> {
    (3usize..16, 1usize..6).prop_flat_map(|(n_units, n_users)| {
        let parents = (0..n_units)
            .map(|i| if i == 0 { Just(None).boxed() } else { proptest::option::weighted(0.85, 0..i).boxed() })
            .collect::<Vec<_>>();
        let creators = proptest::collection::vec(proptest::option::of(0..n_users), n_units);
        let scope = prop_oneof![
            1 => Just(DataScope::All),
            3 => Just(DataScope::Custom),
            3 => Just(DataScope::Unit),
            3 => Just(DataScope::UnitAndBelow),
            2 => Just(DataScope::SelfOnly),
        ];
        let grant = (
            proptest::sample::select(Role::ALL.to_vec()),
            0..n_units,
            scope,
            proptest::collection::vec(0..n_units, 1..4),
        )
            .prop_map(|(role, unit, scope, custom)| GrantSpec { role, unit, scope, custom });
        let users = proptest::collection::vec(proptest::collection::vec(grant, 0..4), n_users);
        let item = (proptest::collection::vec(0..n_units, 1..4), proptest::option::of(0..n_users));
        let items = proptest::collection::vec(item, 0..8);
        (parents, creators, users, items).prop_map(|(parents, creators, users, items)| World {
            parents,
            creators,
            users,
            items,
        })
    })
}

struct Built {
    units: Vec<Unit>,
    users: Vec<User>,
    items: Vec<ItemId>,
    projects: Vec<ProjectId>,
    /// One pool member kept by each unit: (member, keeping unit's index).
    members: Vec<(bangdu_domain::MemberId, usize)>,
}

async fn build(t: &TestDb, w: &World) -> Built {
    let mut tx = t.db.begin().await.unwrap();
    let mut c = tx.conn();
    let mut users_out = Vec::new();
    for (i, _) in w.users.iter().enumerate() {
        let new = NewUser {
            username: format!("u{i}-{}", rand_suffix()),
            display_name: format!("用户{i}"),
            phone: None,
            email: None,
            password_hash: passwords::decoy_hash().to_string(),
            must_change_password: false,
            grants: vec![],
        };
        users_out.push(users::create(&mut c, &system(), new).await.unwrap());
    }
    let mut units_out: Vec<Unit> = Vec::new();
    for (i, parent) in w.parents.iter().enumerate() {
        // Create each unit as its "creator" so that self-scoped grants have something to see.
        let mut actor = system();
        if let Some(u) = w.creators[i] {
            actor = Actor { kind: ActorKind::Person, user_id: Some(users_out[u].id()), ..Actor::system("cli") };
            actor.grants = vec![bangdu_domain::scope::Grant {
                role: Role::Admin,
                unit: UnitId(0),
                unit_path: "/".into(),
                data_scope: DataScope::All,
                custom_units: vec![],
            }];
        }
        let new = NewUnit {
            code: format!("P{}-{i}", rand_suffix()),
            name: format!("单位{i}"),
            kind: UnitKind::Other,
            parent: parent.map(|p| UnitId(units_out[p].id)),
            region: None,
            sort_order: 0,
        };
        units_out.push(units::create(&mut c, &actor, new).await.unwrap());
    }
    for (i, specs) in w.users.iter().enumerate() {
        let mut inputs: Vec<GrantInput> = Vec::new();
        for s in specs {
            if inputs.iter().any(|g| g.role == s.role && g.unit == UnitId(units_out[s.unit].id)) {
                continue;
            }
            inputs.push(GrantInput {
                role: s.role,
                unit: UnitId(units_out[s.unit].id),
                data_scope: Some(s.scope),
                custom_units: s.custom.iter().map(|u| UnitId(units_out[*u].id)).collect(),
            });
        }
        grants::replace(&mut c, &system(), users_out[i].id(), &inputs).await.unwrap();
    }
    let mut items_out = Vec::new();
    for (units, creator) in &w.items {
        // Registered by the user (an office everywhere) so that self-scoped grants see their own.
        let mut actor = system();
        if let Some(u) = creator {
            actor = Actor { kind: ActorKind::Person, user_id: Some(users_out[*u].id()), ..Actor::system("cli") };
            actor.grants = vec![bangdu_domain::scope::Grant {
                role: Role::Office,
                unit: UnitId(0),
                unit_path: "/".into(),
                data_scope: DataScope::All,
                custom_units: vec![],
            }];
        }
        let id = |i: &usize| NamedUnit::from(UnitId(units_out[*i].id));
        let new = NewItem {
            title: format!("事项{}", items_out.len()),
            owner_unit: Some(id(&units[0])),
            responsible_unit: units.get(1).map(id),
            cooperating_units: units.iter().skip(2).map(id).collect(),
            ..NewItem::default()
        };
        let item = create(&mut c, &actor, new).await.unwrap();
        // Every other item with a responsible unit is assigned, so that both rules of visibility
        // are checked: before 交办 only the registering side sees an item, after it every unit named.
        if items_out.len() % 2 == 1 && item.responsible_unit_id.is_some() {
            let mut request = ActionRequest::new(Action::Assign, item.version);
            request.input.deadline_workdays = Some(20);
            let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
            act(&mut c, &system(), &Calendar::builtin().unwrap(), item.id, request, today).await.unwrap();
        }
        items_out.push(item.id);
    }
    // A project over the same units, registered by the same person, so project visibility is
    // checked on the same shapes.
    let calendar = Calendar::builtin().unwrap();
    let rules = LightRules::load(&mut c, &calendar).await.unwrap();
    let mut projects_out = Vec::new();
    for (i, (units, creator)) in w.items.iter().enumerate() {
        let mut actor = system();
        if let Some(u) = creator {
            actor = Actor { kind: ActorKind::Person, user_id: Some(users_out[*u].id()), ..Actor::system("cli") };
            actor.grants = vec![bangdu_domain::scope::Grant {
                role: Role::Office,
                unit: UnitId(0),
                unit_path: "/".into(),
                data_scope: DataScope::All,
                custom_units: vec![],
            }];
        }
        let code = |u: &usize| units_out[*u].code.clone();
        let input = ProjectInput {
            name: format!("项目{i}"),
            year: Some("2025".into()),
            kind: "为民办实事".into(),
            // Registered at the first unit and led by the second (when there is one), so that
            // what a freeze covers (the registering unit) differs from who leads.
            lead_unit: code(units.get(1).unwrap_or(&units[0])),
            cooperating_units: units.iter().skip(2).map(code).collect(),
            owner_unit: Some(code(&units[0])),
            planned_start: "2025-01-01".into(),
            planned_end: "2025-12-31".into(),
            ..ProjectInput::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        projects_out.push(projects::create::create(&mut c, &actor, &rules, &input, today).await.unwrap().id);
    }
    // One pool member kept by each unit, so the pool's visibility (the keeping office's scope, and
    // the pools above one's own units) is checked on the same shapes.
    let mut members_out = Vec::new();
    for (i, unit) in units_out.iter().enumerate() {
        let input = bangdu_store::inspections::pool::MemberInput {
            name: format!("成员{i}"),
            unit: format!("外单位{i}"),
            region: "350582".into(),
            domains: "城建".into(),
            phone: "13900000000".into(),
            owner: unit.id.to_string(),
            ..Default::default()
        };
        let row = bangdu_store::inspections::pool::create(&mut c, &system(), &input).await.unwrap();
        members_out.push((row.id, i));
    }
    let mut refreshed = Vec::new();
    for u in &users_out {
        refreshed.push(users::get(&mut c, &system(), u.id()).await.unwrap());
    }
    tx.commit().await.unwrap();
    Built { units: units_out, users: refreshed, items: items_out, projects: projects_out, members: members_out }
}

fn rand_suffix() -> String {
    bangdu_store::secrets::random_token().unwrap().chars().filter(|c| c.is_ascii_alphanumeric()).take(8).collect()
}

async fn check(t: &TestDb, built: &Built) {
    let mut r = t.db.reader().await.unwrap();
    let mut c = r.conn();
    // Everything in the database, not only this case's records.
    let all_units = units::all(&mut c, &system(), &UnitFilter::default()).await.unwrap();
    let all_users = users::list(&mut c, &system(), &UserFilter::default(), PageRequest::new(Some(1), Some(500)))
        .await
        .unwrap()
        .data;
    for viewer in &built.users {
        let domain_grants = grants::domain_grants(&mut c, viewer.id()).await.unwrap();
        // The store derives what the viewer sees from their actor; the expected side is computed
        // here, record by record, from the same grants.
        let actor = users::load_actor(&mut c, viewer.id(), None, "session").await.unwrap();

        let scope = Scope::for_permission(viewer.id(), &domain_grants, Permission::ViewUnits);
        let listed: BTreeSet<i64> =
            units::all(&mut c, &actor, &UnitFilter::default()).await.unwrap().iter().map(|u| u.id).collect();
        let allowed: BTreeSet<i64> = all_units
            .iter()
            .filter(|u| {
                scope.permits(&RecordRef {
                    units: &[UnitRef { id: UnitId(u.id), path: &u.path }],
                    owner: u.created_by.map(UserId),
                })
            })
            .map(|u| u.id)
            .collect();
        assert_eq!(listed, allowed, "units visible to {} with {scope:?}", viewer.row.username);
        for unit in &built.units {
            let got = units::get(&mut c, &actor, UnitId(unit.id)).await.is_ok();
            assert_eq!(got, allowed.contains(&unit.id), "get unit {}", unit.code);
        }

        let scope = Scope::for_permission(viewer.id(), &domain_grants, Permission::ViewUsers);
        // Someone who may not see users at all is refused the list rather than shown an empty one.
        let listed: BTreeSet<i64> =
            match users::list(&mut c, &actor, &UserFilter::default(), PageRequest::new(Some(1), Some(500))).await {
                Ok(page) => page.data.iter().map(|u| u.row.id).collect(),
                Err(StoreError::Forbidden) => {
                    assert!(!actor.can(Permission::ViewUsers), "{} refused the user list", viewer.row.username);
                    BTreeSet::new()
                }
                Err(e) => panic!("user list: {e}"),
            };
        let allowed: BTreeSet<i64> = all_users
            .iter()
            .filter(|u| {
                let refs: Vec<UnitRef> =
                    u.grants.iter().map(|g| UnitRef { id: UnitId(g.unit.id), path: &g.unit_path }).collect();
                scope.permits(&RecordRef { units: &refs, owner: Some(u.id()) })
            })
            .map(|u| u.row.id)
            .collect();
        assert_eq!(listed, allowed, "users visible to {} with {scope:?}", viewer.row.username);

        let scope = Scope::for_permission(viewer.id(), &domain_grants, Permission::ViewItems);
        let listed: BTreeSet<ItemId> =
            query::list(&mut c, &actor, &ItemFilter::default(), ItemSort::Code, PageRequest::new(Some(1), Some(500)))
                .await
                .unwrap()
                .data
                .iter()
                .map(|i| i.id)
                .collect();
        let every = query::all(&mut c, &system(), &ItemFilter::default(), ItemSort::Code, 10_000).await.unwrap();
        let links = query::units_of(&mut c, &every).await.unwrap();
        let mut allowed = BTreeSet::new();
        for item in &every {
            // Until 交办 an item shows only through the unit that registered it.
            let assigned = !matches!(item.state(), ItemState::Draft | ItemState::Registered);
            let paths: Vec<(i64, String)> = links
                .get(&item.id)
                .map(|l| {
                    l.links
                        .iter()
                        .filter(|l| assigned || l.role == "owner")
                        .map(|l| (l.unit_id, l.path.clone()))
                        .collect()
                })
                .unwrap_or_default();
            let refs: Vec<UnitRef> = paths.iter().map(|(id, path)| UnitRef { id: UnitId(*id), path }).collect();
            if scope.permits(&RecordRef { units: &refs, owner: item.created_by.map(UserId) }) {
                allowed.insert(item.id);
            }
        }
        assert_eq!(listed, allowed, "items visible to {} with {scope:?}", viewer.row.username);
        // The same through the fast path (one state, or every open state, soonest deadline first).
        let open: Vec<ItemState> = ItemState::ALL.iter().copied().filter(|s| s.is_open()).collect();
        for states in [vec![ItemState::Registered], open] {
            let filter = ItemFilter { states: states.clone(), ..ItemFilter::default() };
            let page = query::list(&mut c, &actor, &filter, ItemSort::Deadline, PageRequest::new(Some(1), Some(500)))
                .await
                .unwrap();
            let fast: BTreeSet<ItemId> = page.data.iter().map(|i| i.id).collect();
            let wanted: BTreeSet<ItemId> =
                every.iter().filter(|i| allowed.contains(&i.id) && states.contains(&i.state())).map(|i| i.id).collect();
            assert_eq!(fast, wanted, "{states:?} for {} with {scope:?}", viewer.row.username);
            assert_eq!(page.total, wanted.len() as i64);
        }
        for id in &built.items {
            let got = query::get(&mut c, &actor, *id).await.is_ok();
            assert_eq!(got, allowed.contains(id), "get item {id}");
        }

        // Seeing is not owning. On every registered item the viewer sees, the actions
        // offered are exactly 交办 and 撤销 when the viewer's ManageItems scope covers the unit that
        // registered it, and none otherwise; and the store then accepts exactly what was offered,
        // every other action refused (each tried in a transaction that is rolled back).
        let manage = Scope::for_permission(viewer.id(), &domain_grants, Permission::ManageItems);
        let calendar = Calendar::builtin().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        for id in built.items.iter().filter(|id| allowed.contains(id)) {
            let item = query::get(&mut c, &actor, *id).await.unwrap();
            if item.state() != ItemState::Registered {
                continue;
            }
            let links = query::units_of_one(&mut c, &item).await.unwrap();
            let offered = available(&items::item_facts(&item), &items::actor_facts(&actor, &item, &links));
            let registering: Vec<UnitRef> = links
                .links
                .iter()
                .filter(|l| l.role == "owner")
                .map(|l| UnitRef { id: UnitId(l.unit_id), path: &l.path })
                .collect();
            let owns = manage.permits(&RecordRef { units: &registering, owner: item.created_by.map(UserId) });
            let expected = if owns { vec![Action::Assign, Action::Cancel] } else { vec![] };
            assert_eq!(offered, expected, "offered to {} on item {id} ({scope:?})", viewer.row.username);
            for action in Action::ALL {
                if action == Action::Assign && item.responsible_unit_id.is_none() {
                    continue; // it would need a unit the viewer can name; 撤销 shows ownership alone
                }
                let mut request = ActionRequest::new(action, item.version);
                request.input = ActionInput {
                    reason: Some("原因".into()),
                    note: Some("进展".into()),
                    measures: Some("措施".into()),
                    result: Some("结果".into()),
                    opinion: Some("整改到位".into()),
                    deadline_workdays: Some(20),
                    ..ActionInput::default()
                };
                let mut tx = t.db.begin().await.unwrap();
                let done = act(&mut tx.conn(), &actor, &calendar, *id, request, today).await;
                drop(tx);
                assert_eq!(
                    done.is_ok(),
                    offered.contains(&action),
                    "{action:?} by {} on item {id}: {:?}",
                    viewer.row.username,
                    done.err()
                );
            }
        }

        // Projects: the list, the unpaged read, the figures and each project's own read agree.
        let scope = Scope::for_permission(viewer.id(), &domain_grants, Permission::ViewProjects);
        let every =
            projects::query::all(&mut c, &system(), &ProjectFilter::default(), ProjectSort::Seq, 10_000).await.unwrap();
        let links = projects::query::units_of(&mut c, &every).await.unwrap();
        let allowed: BTreeSet<ProjectId> = every
            .iter()
            .filter(|p| {
                let refs: Vec<UnitRef> = links
                    .get(&p.id)
                    .map(|l| l.iter().map(|u| UnitRef { id: UnitId(u.unit_id), path: &u.path }).collect())
                    .unwrap_or_default();
                scope.permits(&RecordRef { units: &refs, owner: p.created_by.map(UserId) })
            })
            .map(|p| p.id)
            .collect();
        let filter = ProjectFilter::default();
        if !actor.can(Permission::ViewProjects) {
            // An account with no role is refused projects outright.
            assert!(allowed.is_empty());
            let page = PageRequest::new(Some(1), Some(500));
            let refused = projects::query::list(&mut c, &actor, &filter, ProjectSort::Seq, page).await;
            assert!(matches!(refused, Err(StoreError::Forbidden)), "{}", viewer.row.username);
            for id in &built.projects {
                let refused = projects::query::get(&mut c, &actor, *id).await;
                assert!(matches!(refused, Err(StoreError::Forbidden)), "get project {id}");
            }
            continue;
        }
        let listed: BTreeSet<ProjectId> =
            projects::query::list(&mut c, &actor, &filter, ProjectSort::Seq, PageRequest::new(Some(1), Some(500)))
                .await
                .unwrap()
                .data
                .iter()
                .map(|p| p.id)
                .collect();
        assert_eq!(listed, allowed, "projects visible to {} with {scope:?}", viewer.row.username);
        let unpaged: BTreeSet<ProjectId> = projects::query::all(&mut c, &actor, &filter, ProjectSort::Seq, 10_000)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(unpaged, allowed, "all projects of {}", viewer.row.username);
        let figures = projects::stats::figures(&mut c, &actor, &filter).await.unwrap();
        assert_eq!(figures.total, allowed.len() as u64, "the figures count what the list shows");
        for id in &built.projects {
            let got = projects::query::get(&mut c, &actor, *id).await.is_ok();
            assert_eq!(got, allowed.contains(id), "get project {id}");
        }

        // The pool: members kept by a unit in the ViewPool scope, or by a unit above one of the
        // viewer's own (a county's rounds draw on the city's pool); phones only within ManagePool.
        let view = Scope::for_permission(viewer.id(), &domain_grants, Permission::ViewPool);
        let manage_pool = Scope::for_permission(viewer.id(), &domain_grants, Permission::ManagePool);
        let own_paths: Vec<&str> = domain_grants
            .iter()
            .filter(|g| Permission::ViewPool.granted_to(g.role))
            .map(|g| g.unit_path.as_str())
            .collect();
        let filter = bangdu_store::inspections::pool::MemberFilter::default();
        match bangdu_store::inspections::pool::all(&mut c, &actor, &filter, 2025).await {
            Err(StoreError::Forbidden) => assert!(!actor.can(Permission::ViewPool)),
            Err(e) => panic!("pool list: {e}"),
            Ok(rows) => {
                let listed: BTreeMap<bangdu_domain::MemberId, bool> =
                    rows.iter().map(|m| (m.id, m.phone_shown().is_some())).collect();
                let mut allowed = BTreeMap::new();
                for (member, i) in &built.members {
                    let unit = &built.units[*i];
                    let reference =
                        RecordRef { units: &[UnitRef { id: UnitId(unit.id), path: &unit.path }], owner: None };
                    let above = own_paths
                        .iter()
                        .any(|p| p.split('/').filter_map(|id| id.parse::<i64>().ok()).any(|id| id == unit.id));
                    if view.permits(&reference) || above {
                        let phone = actor.can(Permission::ManagePool) && manage_pool.permits(&reference);
                        allowed.insert(*member, phone);
                    }
                }
                // Other cases' members share the database: compare this case's.
                let listed: BTreeMap<_, _> =
                    listed.into_iter().filter(|(m, _)| built.members.iter().any(|(b, _)| b == m)).collect();
                assert_eq!(listed, allowed, "pool members (and phones) visible to {}", viewer.row.username);
                for (member, _) in &built.members {
                    let got = bangdu_store::inspections::pool::get(&mut c, &actor, *member, 2025).await.is_ok();
                    assert_eq!(got, allowed.contains_key(member), "get member {member:?}");
                }
            }
        }

        // A freeze (季度收账) at a unit covers exactly the projects registered at that unit or
        // below it, whoever leads them; a unit outside the viewer's ManageProjects scope is refused.
        // Each is tried in a transaction that is rolled back.
        let manage = Scope::for_permission(viewer.id(), &domain_grants, Permission::ManageProjects);
        let rules = LightRules::load(&mut c, &calendar).await.unwrap();
        for unit in &built.units {
            let may = actor.can(Permission::ManageProjects)
                && manage.permits(&RecordRef {
                    units: &[UnitRef { id: UnitId(unit.id), path: &unit.path }],
                    owner: unit.created_by.map(UserId),
                });
            let mut tx = t.db.begin().await.unwrap();
            let froze =
                projects::freeze::freeze(&mut tx.conn(), &actor, &rules, &unit.code, 2025, Some(1), None, today).await;
            drop(tx);
            let Ok(freeze) = froze else {
                assert!(!may, "{} may freeze at {}: {:?}", viewer.row.username, unit.code, froze.err());
                continue;
            };
            assert!(may, "{} froze at {} outside their scope", viewer.row.username, unit.code);
            let owned = every
                .iter()
                .filter(|p| {
                    links
                        .get(&p.id)
                        .is_some_and(|l| l.iter().any(|u| u.role == "owner" && u.path.starts_with(&unit.path)))
                })
                .count();
            assert_eq!(freeze.projects, owned as i64, "projects registered at or below {}", unit.code);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn lists_return_exactly_what_the_record_check_allows(w in world()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let t = TestDb::new().await.unwrap();
            let built = build(&t, &w).await;
            check(&t, &built).await;
        });
    }
}
