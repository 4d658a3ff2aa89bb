//! Items against the real calendar on a moving "today": a pause stops the clock for exactly its
//! working days, and the daily escalation job climbs the ladder once per step, whatever the number
//! of runs or nodes, catching up steps it missed.

use crate::support::{db, system, unit};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::Action;
use bangdu_domain::role::{DataScope, Role};
use bangdu_domain::scope::Grant;
use bangdu_domain::unit::UnitKind;
use bangdu_domain::{ItemId, UnitId, UserId};
use bangdu_store::Actor;
use bangdu_store::db::Db;
use bangdu_store::grants::GrantInput;
use bangdu_store::items::act::{ActionRequest, act};
use bangdu_store::items::create::{NewItem, create};
use bangdu_store::items::{ItemRow, escalate, query};
use bangdu_store::users::{self, NewUser};
use bangdu_store::{audit, passwords};
use chrono::NaiveDate;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

struct World {
    db: Db,
    liaison: Actor,
    zjj: UnitId,
    jj: UnitId,
    cal: Calendar,
}

async fn world(t: &bangdu_store::testing::TestDb) -> World {
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    let zjj = unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    let mut tx = t.db.begin().await.unwrap();
    let user = users::create(
        &mut tx.conn(),
        &system(),
        NewUser {
            username: "liaison".into(),
            display_name: "联络员".into(),
            phone: None,
            email: None,
            password_hash: passwords::decoy_hash().to_string(),
            must_change_password: false,
            grants: vec![GrantInput { role: Role::Unit, unit: zjj.unit_id(), data_scope: None, custom_units: vec![] }],
        },
    )
    .await
    .unwrap();
    let liaison = users::load_actor(&mut tx.conn(), UserId(user.row.id), None, "session").await.unwrap();
    tx.commit().await.unwrap();
    World { db: t.db.clone(), liaison, zjj: zjj.unit_id(), jj: jj.unit_id(), cal: Calendar::builtin().unwrap() }
}

/// The 审核意见 every write-off needs.
fn opinion(r: &mut ActionRequest) {
    r.input.opinion = Some("整改到位，同意销号".into());
}

async fn step(
    w: &World,
    actor: &Actor,
    id: ItemId,
    action: Action,
    on: &str,
    fill: impl FnOnce(&mut ActionRequest),
) -> ItemRow {
    let mut tx = w.db.begin().await.unwrap();
    let version = query::get(&mut tx.conn(), &system(), id).await.unwrap().version;
    let mut request = ActionRequest::new(action, version);
    fill(&mut request);
    let row = act(&mut tx.conn(), actor, &w.cal, id, request, d(on)).await.unwrap();
    tx.commit().await.unwrap();
    row
}

/// An item assigned on `on` with `days` working days, signed for the same day.
async fn running_item(w: &World, title: &str, on: &str, days: u32) -> ItemRow {
    let mut tx = w.db.begin().await.unwrap();
    let new = NewItem {
        title: title.into(),
        owner_unit: Some(w.jj.into()),
        responsible_unit: Some(w.zjj.into()),
        ..NewItem::default()
    };
    let id = create(&mut tx.conn(), &system(), new).await.unwrap().id;
    tx.commit().await.unwrap();
    step(w, &system(), id, Action::Assign, on, |r| r.input.deadline_workdays = Some(days)).await;
    step(w, &w.liaison, id, Action::Accept, on, |_| {}).await
}

async fn escalation_of(w: &World, id: ItemId) -> i64 {
    query::get(&mut w.db.reader().await.unwrap().conn(), &system(), id).await.unwrap().escalation
}

#[tokio::test]
async fn a_pause_moves_the_deadline_by_the_working_days_it_lasted() {
    let t = db().await;
    let w = world(&t).await;
    // Monday 22 September 2025 + 10 working days: Sunday 28 September is worked, 1–8 October is the
    // National Day holiday, Saturday 11 October is worked — so the 10th working day is 11 October.
    let item = running_item(&w, "施工许可办理受阻", "2025-09-22", 10).await;
    assert_eq!(item.deadline, Some(d("2025-10-11")));
    let paused =
        step(&w, &system(), item.id, Action::Pause, "2025-09-26", |r| r.input.reason = Some("等待鉴定".into())).await;
    assert_eq!(paused.paused_since, Some(d("2025-09-26")));
    // While paused, the job leaves it alone even past its deadline.
    let report = escalate::run(&w.db, &system(), d("2025-10-20"), d("2025-10-20"), "node-a", false).await.unwrap();
    assert!(report.raised.is_empty(), "{report:?}");
    assert_eq!(escalation_of(&w, item.id).await, 0);
    // Paused (26 Sep, 10 Oct]: 28, 29, 30 September, 9 and 10 October — 5 working days.
    let resumed =
        step(&w, &system(), item.id, Action::Resume, "2025-10-10", |r| r.input.reason = Some("鉴定完成".into())).await;
    assert_eq!(resumed.paused_workdays, 5);
    // 11 October + 5 working days: 13, 14, 15, 16, 17 October.
    assert_eq!(resumed.deadline, Some(d("2025-10-17")));
    assert_eq!(resumed.paused_since, None);
}

#[tokio::test]
async fn the_escalation_job_raises_each_step_once_across_runs_and_nodes() {
    let t = db().await;
    let w = world(&t).await;
    // Assigned Friday 10 October 2025 with 5 working days: 11, 13, 14, 15, 16 October.
    let item = running_item(&w, "农村自来水管网铺设后无法供水", "2025-10-10", 5).await;
    assert_eq!(item.deadline, Some(d("2025-10-16")));

    // 14 October: 2 working days left (15, 16) — within the 3-day reminder.
    let r = escalate::run(&w.db, &system(), d("2025-10-14"), d("2025-10-14"), "node-a", false).await.unwrap();
    assert_eq!(r.raised.get("reminder"), Some(&1), "{r:?}");
    // A second node the same day does nothing; a forced re-run raises nothing new.
    assert!(escalate::run(&w.db, &system(), d("2025-10-14"), d("2025-10-14"), "node-b", false).await.unwrap().skipped);
    assert!(
        escalate::run(&w.db, &system(), d("2025-10-14"), d("2025-10-14"), "node-a", true)
            .await
            .unwrap()
            .raised
            .is_empty()
    );

    // Friday 17 October: the first working day past the deadline — 催办.
    let r = escalate::run(&w.db, &system(), d("2025-10-17"), d("2025-10-17"), "node-b", false).await.unwrap();
    assert_eq!(r.raised.get("urge"), Some(&1), "{r:?}");
    assert_eq!(escalation_of(&w, item.id).await, 2);
    // Wednesday 22 October: 4 working days overdue (17, 20, 21, 22) — 督办 (after 3 more).
    let r = escalate::run(&w.db, &system(), d("2025-10-22"), d("2025-10-22"), "node-a", false).await.unwrap();
    assert_eq!((r.raised.get("supervise"), r.raised.len()), (Some(&1), 1), "{r:?}");
    // Thursday 30 October: 10 working days overdue — 通报 (9 and more with the defaults 3 and 5).
    let r = escalate::run(&w.db, &system(), d("2025-10-30"), d("2025-10-30"), "node-a", false).await.unwrap();
    assert_eq!((r.raised.get("bulletin"), r.raised.len()), (Some(&1), 1), "{r:?}");
    assert_eq!(escalation_of(&w, item.id).await, 4);
    assert!(
        escalate::run(&w.db, &system(), d("2025-11-03"), d("2025-11-03"), "node-a", false)
            .await
            .unwrap()
            .raised
            .is_empty(),
        "the top step"
    );

    // A job that did not run for weeks catches up every step it missed, without a late reminder.
    let late = running_item(&w, "公共文化空间闲置", "2025-10-10", 5).await;
    let r = escalate::run(&w.db, &system(), d("2025-11-04"), d("2025-11-04"), "node-a", false).await.unwrap();
    let raised: Vec<(&str, u64)> = r.raised.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(raised, vec![("bulletin", 1), ("supervise", 1), ("urge", 1)]);
    assert_eq!(escalation_of(&w, late.id).await, 4);

    // Each step is one audit event on the item, and the chain holds.
    let events = query::events(&mut w.db.reader().await.unwrap().conn(), &item).await.unwrap();
    let steps: Vec<String> = events
        .iter()
        .filter(|e| e.action == "item.escalate")
        .map(|e| {
            serde_json::from_str::<serde_json::Value>(&e.change).unwrap()["payload"]["step"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(steps, ["reminder", "urge", "supervise", "bulletin"]);
    assert!(audit::verify(&w.db, &bangdu_store::Actor::system("test")).await.unwrap().ok);
}

/// Who sees an item follows the unit tree: when a department moves to another county, the old
/// county stops seeing its items and the new one starts — by the fast list path (one state, by
/// deadline), by the general path and for a single item. The office that owns the item keeps it.
#[tokio::test]
async fn moving_a_unit_moves_the_visibility_of_its_items() {
    use bangdu_domain::item::ItemState;
    use bangdu_store::items::query::{ItemFilter, ItemSort};
    use bangdu_store::paging::PageRequest;
    use bangdu_store::units::{self, UnitChanges};

    let t = db().await;
    let w = world(&t).await;
    let nanan = unit(&t.db, "350583", "南安市", UnitKind::Government, None).await;
    let huian = unit(&t.db, "350521", "惠安县", UnitKind::Government, None).await;
    let water = unit(&t.db, "NA-SWJ", "水务局", UnitKind::Department, Some(&nanan)).await;
    let mut tx = t.db.begin().await.unwrap();
    let new = NewItem {
        title: "农村自来水管网铺设后无法供水".into(),
        owner_unit: Some(w.jj.into()),
        responsible_unit: Some(water.unit_id().into()),
        ..NewItem::default()
    };
    let item = create(&mut tx.conn(), &system(), new).await.unwrap();
    let item_id = item.id;
    tx.commit().await.unwrap();
    let assign = || {
        let db = t.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let mut request = ActionRequest::new(Action::Assign, 1);
            request.input.deadline_workdays = Some(10);
            let cal = Calendar::builtin().unwrap();
            act(&mut tx.conn(), &system(), &cal, item_id, request, d("2025-10-09")).await.unwrap();
            tx.commit().await.unwrap();
        }
    };
    // A person whose one grant sees this unit (and, with `UnitAndBelow`, everything under it).
    let viewer = |unit: &bangdu_store::units::Unit, data_scope: DataScope| {
        let grant = Grant {
            role: Role::Office,
            unit: unit.unit_id(),
            unit_path: unit.path.clone(),
            data_scope,
            custom_units: vec![],
        };
        Actor::person(UserId(1_000_000), "viewer".into(), "查看人".into(), vec![grant], "session")
    };
    let subtree = |unit: &bangdu_store::units::Unit| viewer(unit, DataScope::UnitAndBelow);
    let sees = |actor: Actor| {
        let db = t.db.clone();
        async move {
            let mut r = db.reader().await.unwrap();
            let state =
                ItemFilter { states: vec![ItemState::Registered, ItemState::Assigned], ..ItemFilter::default() };
            let fast =
                query::list(&mut r.conn(), &actor, &state, ItemSort::Deadline, PageRequest::default()).await.unwrap();
            let general =
                query::list(&mut r.conn(), &actor, &ItemFilter::default(), ItemSort::Code, PageRequest::default())
                    .await
                    .unwrap();
            let one = query::get(&mut r.conn(), &actor, item_id).await.is_ok();
            assert_eq!(fast.total, general.total, "both list paths agree");
            (fast.data.iter().map(|i| i.id).collect::<Vec<_>>(), one)
        }
    };
    let jinjiang = units::get(&mut t.db.reader().await.unwrap().conn(), &system(), w.jj).await.unwrap();
    let owner = viewer(&jinjiang, DataScope::Unit);
    // Until 交办 only the registering side sees it; from then on the responsible unit's side too.
    assert_eq!(sees(subtree(&nanan)).await, (vec![], false));
    assert_eq!(sees(owner.clone()).await, (vec![item.id], true));
    assign().await;
    assert_eq!(sees(subtree(&nanan)).await, (vec![item.id], true));
    assert_eq!(sees(subtree(&huian)).await, (vec![], false));

    let mut tx = t.db.begin().await.unwrap();
    let changes = UnitChanges { parent: Some(Some(huian.unit_id())), ..UnitChanges::default() };
    units::update(&mut tx.conn(), &system(), water.unit_id(), changes).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(sees(subtree(&nanan)).await, (vec![], false));
    assert_eq!(sees(subtree(&huian)).await, (vec![item.id], true));
    // The department's own view and the owning office's do not change.
    assert_eq!(sees(viewer(&water, DataScope::Unit)).await, (vec![item.id], true));
    assert_eq!(sees(owner).await, (vec![item.id], true));
}

/// Actions refresh the visibility index only when they change what it holds (state, deadline,
/// units): after every step of a long lifecycle the stored rows equal freshly derived ones.
#[tokio::test]
async fn the_visibility_index_stays_exact_through_a_whole_lifecycle() {
    use bangdu_store::item_access as access;
    let t = db().await;
    let w = world(&t).await;
    let item = running_item(&w, "公共文化空间闲置", "2025-09-22", 10).await;
    let office = system();
    let reason = |r: &mut ActionRequest| r.input.reason = Some("理由".into());
    type Fill = Box<dyn Fn(&mut ActionRequest)>;
    let steps: Vec<(Action, &Actor, Fill)> = vec![
        (Action::Report, &w.liaison, Box::new(|r| r.input.note = Some("已协调".into()))),
        (
            Action::RequestExtension,
            &w.liaison,
            Box::new(move |r| {
                r.input.deadline_workdays = Some(5);
                r.input.reason = Some("需要鉴定".into());
            }),
        ),
        (Action::ApproveExtension, &office, Box::new(|_| {})),
        (Action::Pause, &office, Box::new(reason)),
        (Action::Resume, &office, Box::new(reason)),
        (
            Action::RequestClose,
            &w.liaison,
            Box::new(|r| {
                r.input.measures = Some("措施".into());
                r.input.result = Some("结果".into());
            }),
        ),
        (Action::Return, &office, Box::new(reason)),
        (
            Action::RequestClose,
            &w.liaison,
            Box::new(|r| {
                r.input.measures = Some("措施".into());
                r.input.result = Some("结果".into());
            }),
        ),
        (Action::ApproveClose, &office, Box::new(opinion)),
        (Action::Confirm, &office, Box::new(|_| {})),
        (Action::Reopen, &office, Box::new(reason)),
        (Action::Cancel, &office, Box::new(reason)),
    ];
    for (action, actor, fill) in steps {
        let after = step(&w, actor, item.id, action, "2025-09-24", |r| fill(r)).await;
        let mut tx = w.db.begin().await.unwrap();
        let stored = access::rows(&mut tx.conn(), item.id).await.unwrap();
        access::refresh(&mut tx.conn(), &[item.id]).await.unwrap();
        let derived = access::rows(&mut tx.conn(), item.id).await.unwrap();
        drop(tx); // rolled back: the check changes nothing
        assert_eq!(stored, derived, "after {action:?}");
        assert!(stored.iter().all(|r| r.state == after.state), "after {action:?}: {stored:?}");
        assert_eq!(stored.iter().filter(|r| r.direct).count(), 2, "owner and responsible unit, after {action:?}");
    }
}

/// A written-off parent reopened by its child's 回头看 months later takes the child's new deadline
/// (its own passed long ago) and starts the ladder afresh.
#[tokio::test]
async fn a_parent_reopened_by_its_child_takes_the_childs_deadline() {
    use bangdu_store::items::create::{ChildSpec, split};
    let t = db().await;
    let w = world(&t).await;
    let parent = running_item(&w, "背街小巷综合整治", "2025-09-01", 5).await;
    let mut tx = w.db.begin().await.unwrap();
    let spec = ChildSpec {
        title: "路面修补".into(),
        description: None,
        unit: w.zjj.into(),
        deadline: None,
        deadline_workdays: Some(3),
    };
    let child =
        split(&mut tx.conn(), &system(), &w.cal, parent.id, vec![spec], d("2025-09-01")).await.unwrap().remove(0);
    tx.commit().await.unwrap();
    step(&w, &w.liaison, child.id, Action::Accept, "2025-09-02", |_| {}).await;
    let close = |r: &mut ActionRequest| {
        r.input.measures = Some("已整改".into());
        r.input.result = Some("已完成".into());
    };
    step(&w, &w.liaison, child.id, Action::RequestClose, "2025-09-02", close).await;
    step(&w, &system(), child.id, Action::ApproveClose, "2025-09-02", opinion).await;
    step(&w, &w.liaison, parent.id, Action::RequestClose, "2025-09-03", close).await;
    step(&w, &system(), parent.id, Action::ApproveClose, "2025-09-03", opinion).await;
    // Monday 3 November: ten working days later is Monday 17 November (no holiday between).
    let reopened = step(&w, &system(), child.id, Action::Reopen, "2025-11-03", |r| {
        r.input.reason = Some("路面再次破损".into());
        r.input.deadline_workdays = Some(10);
    })
    .await;
    assert_eq!(reopened.deadline, Some(d("2025-11-17")));
    let parent = query::get(&mut w.db.reader().await.unwrap().conn(), &system(), parent.id).await.unwrap();
    assert_eq!(parent.state(), bangdu_domain::item::ItemState::InProgress);
    assert_eq!((parent.deadline, parent.closed_at, parent.reopen_count), (Some(d("2025-11-17")), None, 1));
    assert_eq!(parent.escalation, 0, "the ladder starts afresh");
}
