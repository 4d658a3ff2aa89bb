//! Projects: the Jinjiang table imports to the published counts and re-imports as a no-op; lights
//! follow the plan and the reports, and a past day's light is the one known that day; reports that
//! go backwards or into a frozen quarter are refused; the quoted figures add up by hand.

use crate::support::{db, system, unit};
use bangdu_domain::ProjectId;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::project::{Light, Percent};
use bangdu_domain::unit::UnitKind;
use bangdu_store::StoreError;
use bangdu_store::db::Db;
use bangdu_store::projects::import::{ImportOptions, import};
use bangdu_store::projects::input::{MilestoneInput, ProjectInput};
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::query::{self, ProjectFilter};
use bangdu_store::projects::reports::{ReportInput, submit};
use bangdu_store::projects::{ProjectRow, create, freeze, stats};
use chrono::NaiveDate;

const JINJIANG: &[u8] = include_bytes!("../../../../data/jinjiang-2023-micro-projects.csv");

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

async fn audit_count(db: &Db) -> i64 {
    let mut r = db.reader().await.unwrap();
    bangdu_store::audit::list(
        &mut r.conn(),
        &bangdu_store::Actor::system("test"),
        &Default::default(),
        bangdu_store::paging::PageRequest::new(Some(1), Some(1)),
    )
    .await
    .unwrap()
    .total
}

#[tokio::test]
async fn the_jinjiang_table_imports_to_its_published_counts_and_again_changes_nothing() {
    let t = db().await;
    unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    let cal = Calendar::builtin().unwrap();
    let options = ImportOptions {
        year: Some(2023),
        kind: Some("民生微实事".into()),
        parent_unit: Some("350582".into()),
        owner_unit: Some("350582".into()),
        create_units: true,
        ..ImportOptions::default()
    };
    let today = d("2024-01-15");
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let report = import(&mut tx.conn(), &system(), &rules, JINJIANG, &options, today).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((report.rows, report.created, report.completed), (117, 117, 82));
    // 82 distinct lead units in the table, none existing before.
    assert_eq!(report.units_created, 82);

    let mut r = t.db.reader().await.unwrap();
    let filter = ProjectFilter { year: Some(2023), kind: Some("民生微实事".into()), ..ProjectFilter::default() };
    let s = stats::stats(&mut r.conn(), &bangdu_store::Actor::system("cli"), &filter).await.unwrap().figures;
    // Done on the planned end (the table gives no dates): none early; the 35 unfinished are past
    // their planned end on 15 January 2024 — 超时序; the rest count as on schedule (117 − 0 − 35).
    assert_eq!((s.total, s.completed, s.completed_early, s.over_schedule, s.on_schedule), (117, 82, 0, 35, 82));
    let first = query::list(
        &mut r.conn(),
        &bangdu_store::Actor::system("cli"),
        &filter,
        Default::default(),
        Default::default(),
    )
    .await
    .unwrap();
    let p1 = &first.data[0];
    assert_eq!((p1.seq, p1.lead_name.as_str(), p1.name.as_str()), (Some(1), "市纪委监委", "举办“家风书场”展演活动"));
    assert_eq!(p1.light(), Light::Blue);
    let p17 = query::list(
        &mut r.conn(),
        &bangdu_store::Actor::system("cli"),
        &ProjectFilter { q: Some("口袋公园".into()), ..filter.clone() },
        Default::default(),
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(p17.data[0].light(), Light::Red);
    assert_eq!(p17.data[0].light_reason, "超过计划完工日期 15 天");
    drop(r);

    let events = audit_count(&t.db).await;
    let mut tx = t.db.begin().await.unwrap();
    let again = import(&mut tx.conn(), &system(), &rules, JINJIANG, &options, today).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((again.created, again.updated, again.unchanged, again.units_created), (0, 0, 117, 0));
    assert_eq!(audit_count(&t.db).await, events, "a re-import writes nothing");
}

#[tokio::test]
async fn a_bad_row_names_its_line_and_column_and_stores_nothing() {
    let t = db().await;
    unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    let cal = Calendar::builtin().unwrap();
    let text =
        String::from_utf8(JINJIANG.to_vec()).unwrap().replace("4,政府办,智慧停车扩面工程", "4,,智慧停车扩面工程");
    let options = ImportOptions {
        year: Some(2023),
        kind: Some("民生微实事".into()),
        parent_unit: Some("350582".into()),
        owner_unit: Some("350582".into()),
        create_units: true,
        ..ImportOptions::default()
    };
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let err = import(&mut tx.conn(), &system(), &rules, text.as_bytes(), &options, d("2024-01-15")).await.unwrap_err();
    drop(tx);
    match err {
        StoreError::Import { line, field, message } => {
            assert_eq!((line, field.as_str()), (5, "牵头单位"));
            assert_eq!(message, "牵头单位不能为空");
        }
        other => panic!("{other:?}"),
    }
    let mut r = t.db.reader().await.unwrap();
    let all = query::list(
        &mut r.conn(),
        &bangdu_store::Actor::system("cli"),
        &ProjectFilter::default(),
        Default::default(),
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 0);
}

fn plan(name: &str, lead: &str) -> ProjectInput {
    ProjectInput {
        name: name.into(),
        year: Some("2025".into()),
        kind: "为民办实事".into(),
        lead_unit: lead.into(),
        owner_unit: Some("350582".into()),
        planned_start: "2025-01-01".into(),
        planned_end: "2025-12-31".into(),
        milestones: vec![MilestoneInput {
            name: "主体完工".into(),
            date: "2025-06-30".into(),
            progress: Some("60".into()),
        }],
        ..ProjectInput::default()
    }
}

async fn report(
    db: &Db,
    cal: &Calendar,
    id: ProjectId,
    period: &str,
    progress: &str,
    on: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), cal).await.unwrap();
    let input = ReportInput { period: period.into(), progress: Some(progress.into()), ..ReportInput::default() };
    submit(&mut tx.conn(), &system(), &rules, id, &input, d(on)).await?;
    tx.commit().await.unwrap();
    Ok(())
}

async fn fetch(db: &Db, id: ProjectId) -> ProjectRow {
    let mut r = db.reader().await.unwrap();
    query::get(&mut r.conn(), &bangdu_store::Actor::system("cli"), id).await.unwrap()
}

#[tokio::test]
async fn lights_follow_the_reports_and_a_past_day_shows_what_was_known_then() {
    let t = db().await;
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    let cal = Calendar::builtin().unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let id = create::create(&mut tx.conn(), &system(), &rules, &plan("口袋公园", "JJ-ZJJ"), d("2025-01-02"))
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    assert_eq!(fetch(&t.db, id).await.light(), Light::Green);

    // March reported at 22 % on 3 April, compared with the plan for the end of March: day 89 of
    // the 180 to the 60 % milestone → 60 × 89 / 180 = 29.67 %; 7.67 points behind, more than 5.
    report(&t.db, &cal, id, "2025-03", "22", "2025-04-03").await.unwrap();
    let p = fetch(&t.db, id).await;
    assert_eq!(p.light(), Light::Yellow);
    assert_eq!(p.light_reason, "计划进度 29.67%，实际 22%，落后 7.67 个百分点");
    // April at 40 %: the plan for 30 April (day 119) is 39.67 % — ahead.
    report(&t.db, &cal, id, "2025-04", "40", "2025-05-06").await.unwrap();
    let p = fetch(&t.db, id).await;
    assert_eq!(p.light(), Light::Green);
    assert_eq!(p.light_reason, "计划进度 39.67%，实际 40%，进度正常");

    let mut r = t.db.reader().await.unwrap();
    let rules = LightRules::load(&mut r.conn(), &cal).await.unwrap();
    let then = lights::as_of(&mut r.conn(), &rules, &p, d("2025-04-03")).await.unwrap();
    assert_eq!((then.light, then.actual), (Light::Yellow, Percent::whole(22)));
    assert_eq!(then.reason, "计划进度 29.67%，实际 22%，落后 7.67 个百分点");
    // On 20 February nothing was reported yet: against the plan for 31 January (60 × 30 / 180 =
    // 10 %), 10 points behind — yellow (the January report, due on 10 February, is missing too).
    let early = lights::as_of(&mut r.conn(), &rules, &p, d("2025-02-20")).await.unwrap();
    assert_eq!(early.light, Light::Yellow);
    assert_eq!(early.reason, "计划进度 10%，实际 0%，落后 10 个百分点");
    // Colour changes kept: green (created), yellow (3 April), green (6 May).
    let project = fetch(&t.db, id).await;
    let history: Vec<(String, String, String)> = lights::history(&mut r.conn(), &rules, &project, d("2025-05-31"))
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.on_date.to_string(), h.light, h.reason))
        .collect();
    // Each change of colour, the same day by day as `as_of` answers (worked by hand above): green
    // from the planned start; yellow on 1 February (the plan for 31 January is 10 %, nothing
    // reported); red on 1 March (the plan for 28 February, day 58: 60 × 58 / 180 = 19.33 %); then the
    // two reports.
    let row = |on: &str, light: &str, reason: &str| (on.to_string(), light.to_string(), reason.to_string());
    assert_eq!(
        history,
        [
            row("2025-01-01", "green", "计划进度 0%，实际 0%，进度正常"),
            row("2025-02-01", "yellow", "计划进度 10%，实际 0%，落后 10 个百分点"),
            row("2025-03-01", "red", "计划进度 19.33%，实际 0%，落后 19.33 个百分点"),
            row("2025-04-03", "yellow", "计划进度 29.67%，实际 22%，落后 7.67 个百分点"),
            row("2025-05-06", "green", "计划进度 39.67%，实际 40%，进度正常"),
        ]
    );
    drop(r);

    // Going backwards needs a reason; more than 100 % is refused; nothing is stored.
    let err = report(&t.db, &cal, id, "2025-05", "30", "2025-06-03").await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid(f) if f.field == "progress"), "{err:?}");
    let err = report(&t.db, &cal, id, "2025-05", "100.5", "2025-06-03").await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid(f) if f.field == "progress" && f.message == "进度不能超过 100%"));
    assert_eq!(fetch(&t.db, id).await.actual(), Percent::whole(40));
}

#[tokio::test]
async fn a_frozen_quarter_keeps_its_figures_and_refuses_new_reports() {
    let t = db().await;
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    let cal = Calendar::builtin().unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let id = create::create(&mut tx.conn(), &system(), &rules, &plan("口袋公园", "JJ-ZJJ"), d("2025-01-02"))
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    report(&t.db, &cal, id, "2025-03", "25", "2025-04-03").await.unwrap();

    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let early = freeze::freeze(&mut tx.conn(), &system(), &rules, "350582", 2025, Some(2), None, d("2025-04-10")).await;
    assert!(matches!(early, Err(StoreError::Invalid(f)) if f.field == "quarter"), "Q2 has not ended on 10 April");
    let f =
        freeze::freeze(&mut tx.conn(), &system(), &rules, "350582", 2025, Some(1), Some("一季度收账"), d("2025-04-10"))
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((f.label(), f.projects, f.through.as_str()), ("2025 年第一季度收账".to_string(), 1, "2025-03"));

    let err = report(&t.db, &cal, id, "2025-03", "30", "2025-04-11").await.unwrap_err();
    assert!(matches!(&err, StoreError::Conflict { code: "period_frozen", .. }), "{err:?}");
    report(&t.db, &cal, id, "2025-04", "40", "2025-05-06").await.unwrap();

    let mut r = t.db.reader().await.unwrap();
    let frozen = freeze::of_project(&mut r.conn(), &fetch(&t.db, id).await).await.unwrap();
    assert_eq!(frozen.len(), 1);
    // Frozen at the end of March: 25 % reported; planned on 31 March = 60 × 89 / 180 = 29.67 % → 4.67
    // behind: green.
    assert_eq!((frozen[0].1.progress, frozen[0].1.light.as_str()), (2500, "green"));
    assert_eq!(frozen[0].1.reason, "计划进度 29.67%，实际 25%，按时序推进");
}

#[tokio::test]
async fn the_quoted_figures_add_up_by_hand() {
    let t = db().await;
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    unit(&t.db, "JJ-JYJ", "教育局", UnitKind::Department, Some(&jj)).await;
    let cal = Calendar::builtin().unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let on = d("2025-08-01");
    // Early (done 30 June, planned end 31 December), late-done, over schedule (past its end), on plan.
    let mut early = plan("学校扩容", "JJ-JYJ");
    early.series = Some("教育".into());
    early.status = Some("completed".into());
    early.completed_on = Some("2025-06-30".into());
    early.funds_planned = Some("3亿".into());
    early.funds_allocated = Some("2.8亿".into());
    let mut late = plan("停车场", "JJ-ZJJ");
    late.planned_end = "2025-07-15".into();
    late.milestones.clear();
    late.funds_planned = Some("1.8亿".into());
    late.funds_allocated = Some("125600000".into());
    let fine = plan("口袋公园", "JJ-ZJJ");
    for p in [&early, &late, &fine] {
        create::create(&mut tx.conn(), &system(), &rules, p, on).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut r = t.db.reader().await.unwrap();
    let s = stats::stats(
        &mut r.conn(),
        &bangdu_store::Actor::system("cli"),
        &ProjectFilter { year: Some(2025), ..Default::default() },
    )
    .await
    .unwrap();
    let f = &s.figures;
    // fine: nothing reported, against the plan for 31 July: 60 + 40 × 31 / 184 = 66.74 % → red too.
    assert_eq!((f.total, f.completed, f.completed_early, f.over_schedule), (3, 1, 1, 2));
    assert_eq!(f.on_schedule, 0);
    // 2.8 亿 + 1.256 亿 = 4.056 亿 of 4.8 亿 planned = 84.50 %.
    assert_eq!(bangdu_domain::project::yuan_text(f.funds_allocated), "4.06 亿元");
    assert_eq!(f.allocated_percent.unwrap().to_string(), "84.50");
    let units: Vec<(String, u64)> = s.by_unit.iter().map(|u| (u.name.clone(), u.figures.total)).collect();
    assert_eq!(units, [("住建局".to_string(), 2), ("教育局".to_string(), 1)]);
    let series: Vec<(String, u64)> = s.by_series.iter().map(|u| (u.name.clone(), u.figures.total)).collect();
    assert_eq!(series, [("（未分系列）".to_string(), 2), ("教育".to_string(), 1)]);
}

struct Quiet;
impl bangdu_store::generate::Progress for Quiet {
    fn stage(&mut self, _: &'static str, _: u64) {}
    fn advance(&mut self, _: u64) {}
}

#[tokio::test]
async fn the_bulk_relight_stores_each_project_s_own_light_as_its_reports_give_it() {
    use bangdu_store::generate::{self, projects::ProjectSpec};
    let t = db().await;
    let today = d("2025-11-20");
    let spec = generate::Spec {
        items: 0,
        events_per_item: 0,
        cities: 1,
        counties_per_city: 1,
        today,
        all_open: false,
        seed: 1,
    };
    generate::run(&t.db, &spec, &mut Quiet).await.unwrap();
    // 250 projects: the bulk writes go 100 at a time, so this crosses two chunk boundaries.
    let spec = ProjectSpec { projects: 250, years: 2, today, seed: 3 };
    let made = generate::projects::run(&t.db, &spec, &mut Quiet).await.unwrap();
    assert_eq!(made.projects, 250);

    let cal = Calendar::builtin().unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let relit = lights::relight(&mut tx.conn(), &rules, None, today).await.unwrap();
    tx.commit().await.unwrap();
    // Generated lights start unlit (gray, no reason): every one is written and recoloured.
    assert_eq!((relit.examined, relit.updated), (250, 250));

    // Each stored light is the one computed on its own from the project's reports, so no value
    // landed on another project's row.
    let mut r = t.db.reader().await.unwrap();
    let rules = LightRules::load(&mut r.conn(), &cal).await.unwrap();
    let mut colours = std::collections::BTreeSet::new();
    for id in (1..=250).map(ProjectId) {
        let p = query::get(&mut r.conn(), &bangdu_store::Actor::system("cli"), id).await.unwrap();
        let lit = lights::as_of(&mut r.conn(), &rules, &p, today).await.unwrap();
        assert_eq!(
            (p.light(), &p.light_reason, p.planned_progress),
            (lit.light, &lit.reason, lit.planned.0),
            "project {id}"
        );
        assert_eq!(p.lit_on, today);
        let history = lights::history(&mut r.conn(), &rules, &p, today).await.unwrap();
        assert_eq!(history.last().map(|h| h.light.clone()), Some(p.light.clone()), "project {id}");
        colours.insert(p.light.clone());
    }
    drop(r);
    // The generated paces give every kind of light but gray.
    assert!(["blue", "green", "red", "yellow"].iter().all(|c| colours.contains(*c)), "{colours:?}");

    // The same day again: nothing moved, nothing written.
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let again = lights::relight(&mut tx.conn(), &rules, None, today).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((again.examined, again.updated, again.changed_colour), (250, 0, 0));
}

#[tokio::test]
async fn a_backup_carries_the_files_of_a_month_s_report_and_restores_them() {
    use bangdu_store::files::{FileStore, LocalFiles};
    use bangdu_store::projects::files::{self, FileFor};
    let t = db().await;
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    let cal = Calendar::builtin().unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    let id = create::create(&mut tx.conn(), &system(), &rules, &plan("口袋公园", "JJ-ZJJ"), d("2025-01-02"))
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    report(&t.db, &cal, id, "2025-03", "25", "2025-04-03").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = LocalFiles::new(dir.path().join("source"));
    let photo = "三月现场：围挡完成".as_bytes();
    let mut tx = t.db.begin().await.unwrap();
    let target = FileFor::Report("2025-03".into());
    let row = files::add(&mut tx.conn(), &store, &system(), id, &target, "现场.txt", photo).await.unwrap();
    tx.commit().await.unwrap();

    let mut out = Vec::new();
    let summary = bangdu_store::backup::dump(&t.db, Some(&store), &mut out).await.unwrap();
    assert_eq!(summary.files, 1, "the project file is written with the backup");
    let restored = crate::support::db().await;
    let copy = LocalFiles::new(dir.path().join("copy"));
    let (back, report) = bangdu_store::backup::restore(&restored.db, Some(&copy), out.as_slice()).await.unwrap();
    assert_eq!(back.files, 1);
    assert!(report.ok, "the audit chain (with project.attach) survives");
    assert_eq!(copy.get(&row.sha256).unwrap(), photo);
    let mut r = restored.db.reader().await.unwrap();
    let project = query::get(&mut r.conn(), &system(), id).await.unwrap();
    let listed = files::list(&mut r.conn(), &project).await.unwrap();
    assert_eq!(
        (listed.len(), listed[0].period.as_deref(), listed[0].filename.as_str()),
        (1, Some("2025-03"), "现场.txt")
    );
}

#[tokio::test]
async fn a_bulk_import_writes_each_project_as_registering_it_one_by_one_would() {
    let t = db().await;
    let jj = unit(&t.db, "350582", "晋江市", UnitKind::Government, None).await;
    unit(&t.db, "JJ-ZJJ", "住建局", UnitKind::Department, Some(&jj)).await;
    unit(&t.db, "JJ-JYJ", "教育局", UnitKind::Department, Some(&jj)).await;
    // 250 rows: written in statements of 100, so the last chunk is partial. Every third is done.
    let mut csv = String::from("序号,牵头单位,项目,完成情况,计划投资,建设地点,配合单位\n");
    for i in 1..=250 {
        let (lead, other) = if i % 2 == 0 { ("住建局", "教育局") } else { ("教育局", "住建局") };
        let done = if i % 3 == 0 { "已完成" } else { "推进中" };
        csv.push_str(&format!("{i},{lead},第{i}号口袋公园,{done},{}万,晋江市{i}号地块,{other}\n", i * 10));
    }
    let options = ImportOptions {
        year: Some(2025),
        kind: Some("为民办实事".into()),
        owner_unit: Some("350582".into()),
        ..ImportOptions::default()
    };
    let cal = Calendar::builtin().unwrap();
    let before = audit_count(&t.db).await;
    let mut tx = t.db.begin().await.unwrap();
    let rules = LightRules::load(&mut tx.conn(), &cal).await.unwrap();
    // After the year: a table that only says 已完成 makes the project done on its planned end.
    let today = d("2026-01-15");
    let report = import(&mut tx.conn(), &system(), &rules, csv.as_bytes(), &options, today).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((report.created, report.completed), (250, 83));
    assert_eq!(audit_count(&t.db).await - before, 250, "one project.create event each");
    assert!(
        bangdu_store::audit::verify(&t.db, &bangdu_store::Actor::system("test")).await.unwrap().ok,
        "the events are chained in order"
    );

    let mut r = t.db.reader().await.unwrap();
    let filter = ProjectFilter { year: Some(2025), ..ProjectFilter::default() };
    let page = bangdu_store::paging::PageRequest::new(Some(1), Some(500));
    let all = query::list(&mut r.conn(), &bangdu_store::Actor::system("cli"), &filter, Default::default(), page)
        .await
        .unwrap();
    assert_eq!(all.total, 250);
    for p in &all.data {
        let i = p.seq.unwrap();
        // Each row landed on its own project: the name, funds and address of its own line.
        assert_eq!(p.name, format!("第{i}号口袋公园"));
        assert_eq!(
            (p.funds_planned, p.address.as_deref()),
            (i * 10 * 10_000 * 100, Some(&*format!("晋江市{i}号地块")))
        );
        assert_eq!(p.lead_name, if i % 2 == 0 { "住建局" } else { "教育局" });
        let roles: Vec<String> =
            query::units_of_one(&mut r.conn(), p).await.unwrap().into_iter().map(|u| u.role).collect();
        assert_eq!(roles.len(), 3, "owner, lead and co-operating unit: {roles:?}");
        // Done: blue. Not done: the light its own plan gives today (past the planned end, nothing
        // reported), the same as computing it again for today. Either way the history ends in that light.
        if i % 3 == 0 {
            assert_eq!(p.light(), Light::Blue, "{i}");
        } else {
            let lit = lights::as_of(&mut r.conn(), &rules, p, today).await.unwrap();
            assert_eq!((p.light(), p.light_reason.as_str()), (Light::Red, "超过计划完工日期 15 天"), "{i}");
            assert_eq!((p.light.as_str(), p.light_reason.as_str()), (lit.light.code(), lit.reason.as_str()), "{i}");
        }
        let history = lights::history(&mut r.conn(), &rules, p, today).await.unwrap();
        assert_eq!(history.last().map(|h| h.light.as_str()), Some(p.light.as_str()), "{i}");
    }
}
