//! The demo's projects: the real 2023 Jinjiang 民生微实事 table (117 rows, 82 done), and 40
//! city-level 为民办实事 with milestones, funds, locations in Quanzhou and monthly reports — 28 of
//! last year (done early, on time or late) and 12 of this year, reported up to last month, so that
//! every light shows: on plan, behind, far behind, a missing report, not started, done.

use bangdu_domain::ProjectId;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::Action;
use bangdu_domain::project::{Milestone, Percent, Period, planned_progress};
use bangdu_store::Actor;
use bangdu_store::db::Conn;
use bangdu_store::items::act::{ActionRequest, act};
use bangdu_store::projects::checks::{self, CheckInput};
use bangdu_store::projects::create;
use bangdu_store::projects::import::{ImportOptions, import};
use bangdu_store::projects::input::{MilestoneInput, ProjectInput};
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::reports::{ReportInput, submit};
use bangdu_store::time::{beijing_at, replay, set_clock};
use chrono::{Datelike, NaiveDate};

const JINJIANG: &[u8] = include_bytes!("../../data/jinjiang-2023-micro-projects.csv");

/// How a project's year went.
#[derive(Clone, Copy)]
enum Course {
    /// Ahead of plan, done at the end of this month.
    Early(u32),
    /// On plan, done in the last days of the year.
    OnTime,
    /// Stuck at this share of the plan, not done by the end.
    Late(i64),
    /// Reports this many points behind the plan (this year's projects).
    Behind(i64),
    /// Reports stopped this many months ago.
    Silent(u32),
    /// Starts next month.
    NotStarted,
}

struct Demo {
    name: &'static str,
    series: &'static str,
    lead: &'static str,
    /// Where: a district centre (lat, lon).
    place: (&'static str, f64, f64),
    wan: i64,
    course: Course,
}

const LICHENG: (&str, f64, f64) = ("泉州市鲤城区", 24.9079, 118.5868);
const FENGZE: (&str, f64, f64) = ("泉州市丰泽区", 24.8883, 118.6132);
const LUOJIANG: (&str, f64, f64) = ("泉州市洛江区", 24.9396, 118.6710);
const QUANGANG: (&str, f64, f64) = ("泉州市泉港区", 25.1192, 118.9162);
const HUIAN: (&str, f64, f64) = ("惠安县", 25.0306, 118.7966);
const ANXI: (&str, f64, f64) = ("安溪县", 25.0552, 118.1867);
const YONGCHUN: (&str, f64, f64) = ("永春县", 25.3215, 118.2942);
const DEHUA: (&str, f64, f64) = ("德化县", 25.4920, 118.2413);
const SHISHI: (&str, f64, f64) = ("石狮市", 24.7318, 118.6484);
const JINJIANG_C: (&str, f64, f64) = ("晋江市", 24.7814, 118.5520);
const NANAN: (&str, f64, f64) = ("南安市", 24.9604, 118.3863);

use Course::*;

/// Last year's 28.
const LAST_YEAR: [Demo; 28] = [
    Demo {
        name: "新建改扩建公办幼儿园 12 所",
        series: "教育",
        lead: "QZ-JYJ",
        place: FENGZE,
        wan: 18600,
        course: Early(9),
    },
    Demo {
        name: "中小学午间课后服务全覆盖",
        series: "教育",
        lead: "QZ-JYJ",
        place: LICHENG,
        wan: 3200,
        course: Early(8),
    },
    Demo {
        name: "城区学校周边交通安全设施改造",
        series: "教育",
        lead: "QZ-JYJ",
        place: LUOJIANG,
        wan: 1450,
        course: OnTime,
    },
    Demo {
        name: "晋江市第二实验中学扩容工程",
        series: "教育",
        lead: "350582",
        place: JINJIANG_C,
        wan: 9800,
        course: Early(10),
    },
    Demo {
        name: "基层医疗卫生机构能力提升",
        series: "医疗",
        lead: "QZ-WJW",
        place: NANAN,
        wan: 7600,
        course: Early(11),
    },
    Demo {
        name: "县域医共体远程会诊中心", series: "医疗", lead: "QZ-WJW", place: ANXI, wan: 2100, course: Early(9)
    },
    Demo {
        name: "60 岁以上老年人免费健康体检",
        series: "医疗",
        lead: "QZ-WJW",
        place: LICHENG,
        wan: 4300,
        course: Early(10),
    },
    Demo {
        name: "市第一医院急诊急救大楼",
        series: "医疗",
        lead: "QZ-WJW",
        place: FENGZE,
        wan: 32000,
        course: Late(82),
    },
    Demo {
        name: "城市道路“白改黑”提升 30 条",
        series: "交通",
        lead: "QZ-ZJJ",
        place: FENGZE,
        wan: 12400,
        course: Early(10),
    },
    Demo {
        name: "新增公共停车泊位 3000 个",
        series: "交通",
        lead: "QZ-ZJJ",
        place: LICHENG,
        wan: 8800,
        course: Early(11),
    },
    Demo {
        name: "公交候车亭新建改造 200 座",
        series: "交通",
        lead: "QZ-FGW",
        place: LUOJIANG,
        wan: 1600,
        course: Early(7),
    },
    Demo {
        name: "晋江市城区主干道慢行系统",
        series: "交通",
        lead: "JJ-027",
        place: JINJIANG_C,
        wan: 5600,
        course: Late(76),
    },
    Demo {
        name: "农村公路安全生命防护工程",
        series: "交通",
        lead: "350583",
        place: NANAN,
        wan: 3900,
        course: Early(11),
    },
    Demo {
        name: "老旧小区改造 86 个", series: "城建", lead: "QZ-ZJJ", place: LICHENG, wan: 26500, course: Early(11)
    },
    Demo {
        name: "城市口袋公园 40 个", series: "城建", lead: "QZ-ZJJ", place: FENGZE, wan: 4800, course: Early(9)
    },
    Demo {
        name: "背街小巷整治提升 120 条",
        series: "城建",
        lead: "350502",
        place: LICHENG,
        wan: 3600,
        course: Early(10),
    },
    Demo {
        name: "城区易涝点整治 15 处", series: "城建", lead: "QZ-ZJJ", place: QUANGANG, wan: 6200, course: Late(70)
    },
    Demo {
        name: "晋江市安海镇老街风貌提升",
        series: "城建",
        lead: "JJ-027",
        place: JINJIANG_C,
        wan: 2900,
        course: Early(10),
    },
    Demo {
        name: "居家社区养老服务中心 30 个",
        series: "养老",
        lead: "350503",
        place: FENGZE,
        wan: 4500,
        course: Early(11),
    },
    Demo {
        name: "老年助餐点 150 个", series: "养老", lead: "350521", place: HUIAN, wan: 1200, course: Early(8)
    },
    Demo {
        name: "困难老年人家庭适老化改造 2000 户",
        series: "养老",
        lead: "350525",
        place: YONGCHUN,
        wan: 1000,
        course: Early(10),
    },
    Demo {
        name: "公办养老机构护理型床位提升",
        series: "养老",
        lead: "350582",
        place: JINJIANG_C,
        wan: 3300,
        course: OnTime,
    },
    Demo {
        name: "农村饮水安全巩固提升",
        series: "民生保障",
        lead: "350524",
        place: ANXI,
        wan: 5400,
        course: Early(11),
    },
    Demo {
        name: "零工市场和就业驿站 20 个",
        series: "民生保障",
        lead: "QZ-FGW",
        place: SHISHI,
        wan: 800,
        course: Early(6),
    },
    Demo {
        name: "保障性租赁住房 5000 套",
        series: "民生保障",
        lead: "QZ-ZJJ",
        place: QUANGANG,
        wan: 45000,
        course: Late(88),
    },
    Demo {
        name: "全民健身步道 100 公里", series: "文体", lead: "350526", place: DEHUA, wan: 2600, course: Early(10)
    },
    Demo {
        name: "城市书房 25 家", series: "文体", lead: "350504", place: LUOJIANG, wan: 1500, course: Early(9)
    },
    Demo {
        name: "晋江市五店市文化街区夜间开放",
        series: "文体",
        lead: "350582",
        place: JINJIANG_C,
        wan: 1800,
        course: Early(9),
    },
];

/// This year's 12, reported up to last month.
const THIS_YEAR: [Demo; 12] = [
    Demo {
        name: "新建中小学校 8 所", series: "教育", lead: "QZ-JYJ", place: FENGZE, wan: 21000, course: Behind(0)
    },
    Demo {
        name: "社区嵌入式托育点 60 个",
        series: "教育",
        lead: "350582",
        place: JINJIANG_C,
        wan: 2400,
        course: Behind(8),
    },
    Demo {
        name: "紧密型县域医共体建设", series: "医疗", lead: "QZ-WJW", place: ANXI, wan: 6800, course: Behind(2)
    },
    Demo {
        name: "市中医院门诊综合楼", series: "医疗", lead: "QZ-WJW", place: LICHENG, wan: 28000, course: Behind(22)
    },
    Demo {
        name: "城市智慧停车平台", series: "交通", lead: "JJ-027", place: JINJIANG_C, wan: 3500, course: Behind(1)
    },
    Demo {
        name: "公交线网优化和微循环公交",
        series: "交通",
        lead: "QZ-FGW",
        place: FENGZE,
        wan: 1900,
        course: Silent(2),
    },
    Demo {
        name: "老旧小区加装电梯 300 部",
        series: "城建",
        lead: "QZ-ZJJ",
        place: LICHENG,
        wan: 6000,
        course: Behind(9),
    },
    Demo {
        name: "城市生命线安全监测", series: "城建", lead: "QZ-ZJJ", place: QUANGANG, wan: 7400, course: NotStarted
    },
    Demo {
        name: "晋江市池店镇农贸市场改造",
        series: "民生保障",
        lead: "350582",
        place: JINJIANG_C,
        wan: 1600,
        course: Early(8),
    },
    Demo {
        name: "长者食堂提质扩面", series: "养老", lead: "350583", place: NANAN, wan: 1300, course: Behind(0)
    },
    Demo {
        name: "体育公园 6 个", series: "文体", lead: "350505", place: QUANGANG, wan: 5200, course: Behind(3)
    },
    Demo {
        name: "晋江市社区卫生服务站标准化",
        series: "医疗",
        lead: "JJ-027",
        place: JINJIANG_C,
        wan: 2200,
        course: Silent(3),
    },
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn milestones(year: i32, start_month: u32) -> Vec<Milestone> {
    let m = |name: &str, month: u32, p: i64| Milestone {
        name: name.into(),
        date: Period { year, month }.last_day().unwrap_or_default(),
        progress: Percent::whole(p),
    };
    if start_month > 4 {
        vec![m("完成前期手续", 12 - (12 - start_month) * 2 / 3, 30)]
    } else {
        vec![m("完成前期手续", 4, 20), m("主体完工", 8, 65)]
    }
}

/// The cumulative progress each month reports, from the plan and the course.
fn reported(
    d: &Demo,
    start: NaiveDate,
    end: NaiveDate,
    plan: &[Milestone],
    month: Period,
    last: Period,
) -> Option<i64> {
    let planned = planned_progress(start, end, plan, month.last_day()?).0 / 100;
    let month_no = i64::from(month.month);
    Some(match d.course {
        Early(done) if month.month >= done => 100,
        Early(done) => (planned + (100 - planned) * month_no / i64::from(done) / 2).min(99),
        OnTime if month.month == 12 => 100,
        OnTime => planned.min(99),
        Late(share) => planned * share / 100,
        Behind(points) => (planned - points).max(0),
        Silent(months) => {
            let stopped = last.month.saturating_sub(months);
            if month.month > stopped {
                return None;
            }
            planned
        }
        NotStarted => return None,
    })
}

/// Loads the demo projects; `today` is the real day.
pub async fn load(c: &mut Conn<'_>, cal: &Calendar, today: NaiveDate) -> anyhow::Result<usize> {
    let actor = Actor::system("demo");
    let rules = LightRules::load(c, cal).await?;
    let options = ImportOptions {
        year: Some(2023),
        kind: Some("民生微实事".into()),
        parent_unit: Some("350582".into()),
        owner_unit: Some("350582".into()),
        // The newspaper's table names 82 departments and towns the demo's unit list lacks.
        create_units: true,
        ..ImportOptions::default()
    };
    let jinjiang = import(c, &actor, &rules, JINJIANG, &options, today).await?;
    let this_year = today.year();
    let last_month = Period::of(today).previous();
    let mut count = jinjiang.created;
    // Last year's finished projects led in Jinjiang (what the demo office sees), with the day each
    // was finished: they get operating checks.
    let mut built: Vec<(ProjectId, NaiveDate)> = Vec::new();
    replay(async {
        for (year, list) in [(this_year - 1, &LAST_YEAR[..]), (this_year, &THIS_YEAR[..])] {
            for (i, d) in list.iter().enumerate() {
                let start_month = if matches!(d.course, NotStarted) { today.month() + 1 } else { 1 + (i as u32 % 3) };
                let (start, end) = if start_month > 12 {
                    (date(year + 1, 1, 1), date(year + 1, 12, 31))
                } else {
                    (date(year, start_month, 1), date(year, 12, 31))
                };
                let plan = milestones(start.year(), start_month.min(12));
                let jitter = (i as f64) * 0.0037;
                set_clock(beijing_at(start.pred_opt().unwrap_or(start).min(today), 9, 0));
                let input = ProjectInput {
                    name: d.name.into(),
                    year: Some(year.to_string()),
                    level: Some("city".into()),
                    kind: "为民办实事".into(),
                    series: Some(d.series.into()),
                    seq: Some((i + 1).to_string()),
                    lead_unit: d.lead.into(),
                    owner_unit: Some("350500".into()),
                    responsible_person: Some(format!("{}负责人", d.series)),
                    address: Some(d.place.0.into()),
                    lat: Some(format!("{:.6}", d.place.1 + jitter)),
                    lon: Some(format!("{:.6}", d.place.2 - jitter)),
                    target: Some(format!("{}，年内全面完成", d.name)),
                    funds_planned: Some(format!("{}万", d.wan)),
                    planned_start: start.to_string(),
                    planned_end: end.to_string(),
                    milestones: plan
                        .iter()
                        .map(|m| MilestoneInput {
                            name: m.name.clone(),
                            date: m.date.to_string(),
                            progress: Some(m.progress.to_string()),
                        })
                        .collect(),
                    ..ProjectInput::default()
                };
                let created_on = start.pred_opt().unwrap_or(start).min(today);
                let id = create::create(c, &actor, &rules, &input, created_on).await?.id;
                count += 1;
                let last = if year < this_year { Period { year, month: 12 } } else { last_month };
                let mut month = Period::of(start);
                let mut done = false;
                while month <= last && !done {
                    let Some(progress) = reported(d, start, end, &plan, month, last) else {
                        month = month.next();
                        continue;
                    };
                    done = progress >= 100;
                    let due = month.last_day().and_then(|l| l.checked_add_days(chrono::Days::new(3))).unwrap_or(today);
                    let on = due.min(today);
                    set_clock(beijing_at(on, 10, 0));
                    let allocated = d.wan * (progress + 15).min(100) / 100;
                    let report = ReportInput {
                        period: month.code(),
                        progress: Some(progress.to_string()),
                        funds_allocated: Some(format!("{allocated}万")),
                        funds_spent: Some(format!("{}万", allocated * 8 / 10)),
                        narrative: Some(format!("截至 {} 月底，累计完成 {progress}%。", month.month)),
                        status: done.then(|| "completed".into()).or(Some("in_progress".into())),
                        completed_on: done.then(|| month.last_day().unwrap_or(on).min(on).to_string()),
                        ..ReportInput::default()
                    };
                    submit(c, &actor, &rules, id, &report, on).await?;
                    let in_jinjiang = d.lead == "350582" || d.lead.starts_with("JJ-");
                    // The loop ends at the month it is done: each project is pushed once.
                    if done && year < this_year && in_jinjiang {
                        built.push((id, month.last_day().unwrap_or(on).min(on)));
                    }
                    month = month.next();
                }
            }
        }
        check_some_in_use(c, cal, &actor, &built, today).await?;
        anyhow::Ok(())
    })
    .await?;
    lights::relight(c, &rules, None, today).await?;
    Ok(count)
}

/// 运行使用情况 for four of last year's finished projects, two months after each was finished:
/// three in use as intended, one with a problem that becomes a supervision item.
async fn check_some_in_use(
    c: &mut Conn<'_>,
    cal: &Calendar,
    actor: &Actor,
    built: &[(ProjectId, NaiveDate)],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let notes = [
        (true, "设施完好，开放时间按公示执行，群众使用较多"),
        (false, "部分设施损坏未及时修复，夜间照明不足，群众反映较多"),
        (true, "运行正常，管护台账齐全"),
        (true, "运行正常"),
    ];
    for (&(id, finished), (normal, text)) in built.iter().zip(notes) {
        let on = finished.checked_add_days(chrono::Days::new(60)).unwrap_or(today).min(today);
        set_clock(beijing_at(on, 15, 0));
        let input = CheckInput { checked_on: Some(on.to_string()), normal, notes: Some(text.into()) };
        let check = checks::record(c, actor, id, &input, on).await?;
        // The problem found becomes an item of the project's office (泉州市 for a city project),
        // which assigns it to the lead unit at once: the 晋江市 office sees it, but does not own it.
        if let Some(code) = &check.item_code {
            let item = bangdu_store::items::query::get_by_code(c, actor, code).await?;
            // Assigned today, so that the ladder, replayed up to today already, owes it nothing.
            set_clock(beijing_at(today, 9, 0).min(chrono::Utc::now()));
            let mut assign = ActionRequest::new(Action::Assign, item.version);
            assign.input.deadline_workdays = Some(20);
            act(c, actor, cal, item.id, assign, today).await?;
        }
    }
    Ok(())
}
