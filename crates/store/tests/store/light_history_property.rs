//! The light history and the light as of a day are one reading: for generated projects (a plan,
//! monthly reports sent late or early, some sent again, some plans changed midway), on every day
//! from the history's first day on, `as_of` gives the colour the history shows for that day.

use crate::support::{db, system, unit};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::unit::UnitKind;
use bangdu_store::projects::create;
use bangdu_store::projects::input::{MilestoneInput, ProjectInput};
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::query;
use bangdu_store::projects::reports::{ReportInput, submit};
use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Story {
    start: i64,
    length: i64,
    /// A milestone: (share of the way, planned progress), in percent.
    milestone: Option<(i64, i64)>,
    /// Per month from the start: (sent?, progress step, days after the month's end, sent again later?).
    months: Vec<(bool, i64, i64, Option<i64>)>,
    /// A changed plan: (days after the start it took effect, days added to the end).
    replan: Option<(i64, i64)>,
}

fn story() -> impl Strategy<Value = Story> {
    (
        0i64..60,
        60i64..330,
        proptest::option::of((20i64..80, 20i64..80)),
        proptest::collection::vec(
            (proptest::bool::weighted(0.8), 0i64..30, 1i64..25, proptest::option::weighted(0.2, 1i64..40)),
            12,
        ),
        proptest::option::weighted(0.3, (20i64..150, 10i64..90)),
    )
        .prop_map(|(start, length, milestone, months, replan)| Story { start, length, milestone, months, replan })
}

fn input(start: NaiveDate, end: NaiveDate, milestone: Option<(i64, i64)>) -> ProjectInput {
    let milestones = milestone
        .map(|(share, progress)| {
            let on = start + Duration::days((end - start).num_days() * share / 100);
            vec![MilestoneInput {
                name: "主体完工".into(), date: on.to_string(), progress: Some(progress.to_string())
            }]
        })
        .unwrap_or_default();
    ProjectInput {
        name: "口袋公园".into(),
        year: Some(start.year().to_string()),
        kind: "为民办实事".into(),
        lead_unit: "JJ-ZJJ".into(),
        owner_unit: Some("350582".into()),
        planned_start: start.to_string(),
        planned_end: end.to_string(),
        milestones,
        ..ProjectInput::default()
    }
}

enum Step {
    Report(String, i64),
    Replan(i64),
}

async fn check(s: &Story) {
    let t = db().await;
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    let cal = Calendar::builtin().unwrap();
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(s.start);
    let end = start + Duration::days(s.length);
    let registered = start - Duration::days(3);
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let id = create::create(&mut tx.conn(), &system(), &rules, &input(start, end, s.milestone), registered)
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();

    // The steps in the order of their days; a report refused (e.g. after completion) is skipped.
    let mut steps: Vec<(NaiveDate, Step)> = Vec::new();
    let mut progress = 0;
    let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap();
    for (sent, step, late, again) in &s.months {
        let next = month.checked_add_months(chrono::Months::new(1)).unwrap();
        progress = (progress + step).min(100);
        if *sent {
            let period = format!("{:04}-{:02}", month.year(), month.month());
            let on = next - Duration::days(1) + Duration::days(*late);
            steps.push((on, Step::Report(period.clone(), progress)));
            if let Some(later) = again {
                steps.push((on + Duration::days(*later), Step::Report(period, progress)));
            }
        }
        month = next;
    }
    if let Some((after, longer)) = s.replan {
        steps.push((start + Duration::days(after), Step::Replan(longer)));
    }
    steps.sort_by_key(|(on, _)| *on);
    let mut last = registered;
    for (on, step) in &steps {
        let mut tx = t.db.begin().await.unwrap();
        let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
        match step {
            Step::Report(period, progress) => {
                let input = ReportInput {
                    period: period.clone(),
                    progress: Some(progress.to_string()),
                    progress_reason: Some("按计划推进".into()),
                    ..ReportInput::default()
                };
                if submit(&mut tx.conn(), &system(), &rules, id, &input, *on).await.is_err() {
                    continue;
                }
            }
            Step::Replan(longer) => {
                let p = query::get(&mut tx.conn(), &system(), id).await.unwrap();
                let changed = input(start, end + Duration::days(*longer), s.milestone);
                create::update(&mut tx.conn(), &system(), &rules, id, p.version, &changed, *on).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
        last = *on;
    }

    let until = last + Duration::days(40);
    let mut r = t.db.reader().await.unwrap();
    let rules = LightRules::load(&mut r.conn(), &cal).await.unwrap();
    let p = query::get(&mut r.conn(), &system(), id).await.unwrap();
    let history = lights::history(&mut r.conn(), &rules, &p, until).await.unwrap();
    let first = history.first().map(|h| h.on_date).unwrap();
    assert!(first <= start, "the history covers the plan from its start ({first})");
    let mut day = first;
    while day <= until {
        let shown = history.iter().rev().find(|h| h.on_date <= day).unwrap();
        let lit = lights::as_of(&mut r.conn(), &rules, &p, day).await.unwrap();
        assert_eq!(lit.light.code(), shown.light, "{day}: as_of says {:?}, the history {shown:?}", lit.reason);
        if shown.on_date == day {
            assert_eq!((lit.reason.as_str(), lit.planned.0), (shown.reason.as_str(), shown.planned), "{day}");
        }
        day += Duration::days(1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_history_and_the_light_as_of_each_day_agree(s in story()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(check(&s));
    }
}
