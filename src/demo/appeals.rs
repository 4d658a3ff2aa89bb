//! The demo's citizens' appeals: a 12345 export of the last three months across Quanzhou's counties
//! (about 3,000 work orders, Jinjiang's the most), imported as an office would; two groups of
//! Jinjiang appeals about one problem each sent on as items — one written off (its appeals answered,
//! then rated by phone-back, one 不满意 asking for 回头看), one still running — and a 吐槽大会 in
//! 安海镇 whose issues became appeals, one of them sent on. The market's item waits for 交通运输局 to
//! accept it.

use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::Action;
use bangdu_domain::{AppealId, ItemId, UserId};
use bangdu_store::appeals::import::{ImportOptions, OnError, import};
use bangdu_store::appeals::meetings::{self, NewMeeting};
use bangdu_store::appeals::query::{self, AppealFilter};
use bangdu_store::appeals::ratings;
use bangdu_store::appeals::transfer::{Transfer, transfer};
use bangdu_store::db::Conn;
use bangdu_store::items::act::{ActionRequest, act};
use bangdu_store::units::NamedUnit;
use bangdu_store::{Actor, items, users};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use std::fmt::Write;

/// Work orders in the export.
const ROWS: u32 = 3_000;

/// (region, share in per mille, places) of Quanzhou's counties.
const COUNTIES: &[(&str, u32, &[&str])] = &[
    ("350582", 400, &["安海镇", "青阳街道", "梅岭街道", "陈埭镇", "池店镇", "西园街道", "罗山街道", "磁灶镇"]),
    ("350583", 110, &["溪美街道", "水头镇", "官桥镇"]),
    ("350581", 90, &["湖滨街道", "宝盖镇", "蚶江镇"]),
    ("350502", 80, &["开元街道", "海滨街道"]),
    ("350503", 80, &["东海街道", "丰泽街道"]),
    ("350521", 70, &["螺城镇", "崇武镇"]),
    ("350524", 60, &["凤城镇", "龙门镇"]),
    ("350505", 40, &["山腰街道"]),
    ("350504", 30, &["万安街道"]),
    ("350525", 20, &["桃城镇"]),
    ("350526", 20, &["浔中镇"]),
];

/// (category, what people call about, Jinjiang's unit that handles it).
const PROBLEMS: &[(&str, &str, &str)] = &[
    ("城乡建设", "小区周边道路破损，雨天积水严重，行人车辆通行困难", "JJ-027"),
    ("市容环境", "路边垃圾清运不及时，气味难闻，蚊蝇滋生", "JJ-027"),
    ("市容环境", "路灯损坏多日未修，夜间出行存在安全隐患", "JJ-027"),
    ("交通运输", "公交线路调整后老人出行不便，建议恢复原站点", "JJ-028"),
    ("交通运输", "学校门口上下学时段交通拥堵，建议增设交警疏导", "JJ-021"),
    ("水电气", "自来水水压不足，高层住户经常停水", "JJ-031"),
    ("住房保障", "公租房申请材料提交后迟迟没有答复", "JJ-027"),
    ("生态环境", "工厂夜间排放刺鼻气味，影响周边居民", "JJ-036"),
    ("市场监管", "商家销售过期食品，要求依法查处", "晋江市市场监督管理局"),
    ("劳动保障", "工地拖欠农民工工资三个月，请求帮助追讨", "JJ-025"),
    ("教育", "孩子入学报名系统无法提交，咨询办理途径", "JJ-018"),
    ("卫生健康", "社区卫生服务中心周末不开诊，看病不方便", "JJ-034"),
    ("民政", "高龄津贴申请后未到账，咨询进度", "JJ-022"),
    ("农业农村", "农田灌溉水渠堵塞，影响春耕", "JJ-029"),
    ("公共安全", "夜间施工噪音扰民，影响居民休息", "JJ-021"),
    ("营商环境", "企业办理施工许可审批时间过长，希望加快", "JJ-032"),
];
const SURNAMES: &[&str] = &["陈", "林", "黄", "张", "李", "王", "吴", "刘", "蔡", "许", "郑", "洪", "施", "苏"];
const ANSWERS: &[&str] = &[
    "已安排人员现场处置，问题已解决",
    "经核实情况属实，已责成相关单位限期整改完毕",
    "已向来电人解释相关政策，来电人表示理解",
    "已协调相关部门联合处理，并电话回复来电人",
];
const LEVELS: &[&str] = &["非常满意", "非常满意", "满意", "满意", "满意", "基本满意", "不满意", "", ""];

/// A small deterministic generator, so that the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(below.max(1))) as u32
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.next(from.len() as u32) as usize]
    }
}

/// The export as the 12345 platform writes it, over the 90 days before `today`.
fn export(today: NaiveDate) -> String {
    let mut dice = Dice(0x12345_u64 * 2_654_435_761);
    let mut csv = String::from(
        "工单编号,来电时间,诉求内容,诉求地址,所属区域,诉求分类,承办单位,办理状态,满意度,办理结果,来电人,联系电话\n",
    );
    let shares: u32 = COUNTIES.iter().map(|c| c.1).sum();
    for n in 0..ROWS {
        let mut roll = dice.next(shares);
        let county = COUNTIES
            .iter()
            .find(|c| {
                if roll < c.1 {
                    true
                } else {
                    roll -= c.1;
                    false
                }
            })
            .unwrap_or(&COUNTIES[0]);
        let ago = i64::from(dice.next(90));
        let day = today - Duration::days(ago + 1);
        let (hour, minute) = (7 + dice.next(14), dice.next(60));
        let place = dice.pick(county.2);
        let (category, problem, unit) = *dice.pick(PROBLEMS);
        let handling = if county.0 == "350582" { unit.to_string() } else { format!("{place}人民政府") };
        // Older work orders are mostly answered; the last ten days' are still being handled.
        let answered = ago > 10 && dice.next(10) < 8;
        let (status, level, answer) = if answered {
            ("已办结", *dice.pick(LEVELS), *dice.pick(ANSWERS))
        } else if ago > 3 {
            ("办理中", "", "")
        } else {
            ("已受理", "", "")
        };
        let caller = format!("{}{}", dice.pick(SURNAMES), ["先生", "女士"][dice.next(2) as usize]);
        let phone = format!("13{}{:08}", dice.next(10), dice.next(100_000_000));
        let _ = writeln!(
            csv,
            "QZ12345{}{:05},{} {:02}:{:02},{problem}（{place}）,{place}{}号,{},{category},{handling},{status},{level},{answer},{caller},{phone}",
            day.format("%Y%m%d"),
            n,
            day,
            hour,
            minute,
            1 + dice.next(300),
            county.0,
        );
    }
    // Two problems many people called about in Jinjiang this week, to be sent on as items.
    for (i, (text, place, unit)) in [
        ("西滨路路灯连续多晚不亮，夜里骑车看不清路面", "安海镇西滨路", "JJ-027"),
        ("西滨路一段路灯全部熄灭，老人晚上不敢出门", "安海镇西滨路口", "JJ-027"),
        ("安海西滨路路灯坏了，希望尽快维修", "安海镇西滨路中段", "JJ-027"),
        ("梅岭菜市场周边占道经营，早高峰车辆无法通行", "梅岭街道菜市场", "JJ-028"),
        ("菜市场门口摊贩占道，救护车都进不来", "梅岭街道菜市场北门", "JJ-028"),
        ("梅岭街道菜市场附近乱摆摊，交通堵塞", "梅岭街道", "JJ-028"),
    ]
    .into_iter()
    .enumerate()
    {
        let day = today - Duration::days(2 + (i as i64 % 3));
        let _ = writeln!(
            csv,
            "QZ12345{}{:05},{day} 20:{:02},{text},{place},350582,{},{unit},已受理,,,{}先生,1390595{:04}",
            day.format("%Y%m%d"),
            90_000 + i,
            10 + i,
            if i < 3 { "市容环境" } else { "交通运输" },
            SURNAMES[i],
            1000 + i,
        );
    }
    csv
}

async fn open_about(c: &mut Conn<'_>, actor: &Actor, words: &str) -> anyhow::Result<Vec<AppealId>> {
    let filter = AppealFilter { q: Some(words.into()), sent_on: Some(false), ..Default::default() };
    Ok(query::all(c, actor, &filter, 100).await?.into_iter().map(|a| a.id).collect())
}

async fn step(
    c: &mut Conn<'_>,
    cal: &Calendar,
    by: &Actor,
    id: ItemId,
    action: Action,
    fill: impl FnOnce(&mut ActionRequest),
) -> anyhow::Result<()> {
    let version = items::query::get(c, &Actor::system("demo"), id).await?.version;
    let mut request = ActionRequest::new(action, version);
    fill(&mut request);
    act(c, by, cal, id, request, bangdu_store::time::today()).await?;
    Ok(())
}

/// Loads the appeals; `accounts` are the demo's (the office sends on and rates, 住建局's liaison
/// handles).
pub async fn load(
    c: &mut Conn<'_>,
    cal: &Calendar,
    today: NaiveDate,
    accounts: &HashMap<&'static str, UserId>,
) -> anyhow::Result<()> {
    // The export comes in through the hotline platform's nightly import (the operator's).
    let actor = Actor::system("demo");
    let office = users::load_actor(c, accounts["office"], None, "demo").await?;
    let liaison = users::load_actor(c, accounts["unit"], None, "demo").await?;
    let options = ImportOptions {
        filename: "12345热线工单导出（近三个月）.csv".into(),
        on_error: OnError::Abort,
        ..Default::default()
    };
    let report = import(c, &actor, cal, export(today).as_bytes(), &options, &|_, _, _| {}).await?;
    anyhow::ensure!(!report.aborted, "the demo export has bad rows: {:?}", report.errors.first());

    // The street lights: sent on, handled, written off — the citizens are answered.
    let lights = open_about(c, &office, "西滨路").await?;
    let item = transfer(
        c,
        &office,
        Transfer {
            appeals: lights.clone(), title: Some("安海镇西滨路路灯不亮".into()), ..Default::default()
        },
    )
    .await?;
    step(c, cal, &office, item.id, Action::Assign, |r| r.input.deadline_workdays = Some(5)).await?;
    step(c, cal, &liaison, item.id, Action::Accept, |_| {}).await?;
    step(c, cal, &liaison, item.id, Action::RequestClose, |r| {
        r.input.measures = Some("更换损坏灯具 12 盏，检修线路".into());
        r.input.result = Some("西滨路全段路灯已恢复照明".into());
    })
    .await?;
    step(c, cal, &office, item.id, Action::ApproveClose, |r| {
        r.input.opinion = Some("夜间现场核实，路灯全部亮起".into())
    })
    .await?;
    for (id, level) in
        lights.iter().zip([Satisfaction::VerySatisfied, Satisfaction::Satisfied, Satisfaction::Dissatisfied])
    {
        let comment = (level == Satisfaction::Dissatisfied).then_some("路灯亮了，但路口那盏还是暗");
        ratings::rate_appeal(c, &office, *id, level, comment).await?;
    }

    // The market: sent on and being handled.
    let market = open_about(c, &actor, "菜市场").await?;
    let item = transfer(
        c,
        &actor,
        Transfer {
            appeals: market, title: Some("梅岭街道菜市场周边占道经营".into()), ..Default::default()
        },
    )
    .await?;
    step(c, cal, &office, item.id, Action::Assign, |r| r.input.deadline_workdays = Some(10)).await?;

    // A 吐槽大会 in 安海镇 last week; the first issue is sent on.
    let meeting = meetings::record(
        c,
        &office,
        cal,
        NewMeeting {
            unit: Some(NamedUnit::named("350582")),
            held_on: Some(today - Duration::days(6)),
            place: "安海镇星塔社区居民活动中心".into(),
            host: "安海镇党委副书记 王明".into(),
            attendees: 46,
            attendee_units: vec![
                "安海镇人民政府".into(),
                "住建局".into(),
                "交通运输局".into(),
                "星塔社区居委会".into(),
            ],
            summary: Some(
                "居民集中反映了停车、积水、垃圾分类和老年食堂四方面问题，现场答复两项，其余转相关部门办理。".into(),
            ),
            issues: vec![
                ("星塔社区内部道路雨后积水，老人出行不便".into(), Some("星塔社区".into())),
                ("小区周边停车位不足，晚上乱停车堵消防通道".into(), None),
                ("垃圾分类投放点离住户太远".into(), None),
                ("希望开办老年食堂，解决独居老人吃饭问题".into(), None),
            ],
            category: Some("urban".into()),
        },
    )
    .await?;
    let (_, issues) = meetings::get(c, &actor, meeting).await?;
    if let Some(first) = issues.first() {
        transfer(
            c,
            &actor,
            Transfer {
                appeals: vec![first.id],
                responsible_unit: Some(NamedUnit::named("JJ-027")),
                ..Default::default()
            },
        )
        .await?;
    }
    Ok(())
}
