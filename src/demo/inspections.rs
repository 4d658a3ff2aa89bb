//! The demo's inspections: the city's personnel pool (about 140 people across Quanzhou's counties
//! and the domains, as the seeds' "首批遴选 138 名人员入库"), a few Jinjiang people in Jinjiang's own
//! pool, and two campaigns — one led by Jinjiang (the demo office's), one by the city — each with a
//! round drawn from live data with a recorded seed and its teams formed.

use bangdu_domain::calendar::Calendar;
use bangdu_domain::inspection::pool::DEFAULT_DOMAINS;
use bangdu_store::inspections::campaigns::{self, CampaignInput, RoundInput};
use bangdu_store::inspections::pool_import;
use bangdu_store::inspections::targets::{self, PlanParams};
use bangdu_store::inspections::teams;
use bangdu_store::{Actor, Conn, StoreError};
use chrono::{Datelike, Duration, NaiveDate, Weekday};

const SURNAMES: [&str; 24] = [
    "林", "陈", "黄", "王", "张", "吴", "李", "蔡", "郑", "刘", "许", "洪", "苏", "庄", "施", "杨", "周", "曾", "谢",
    "傅", "颜", "柯", "卢", "潘",
];
const GIVEN: [&str; 12] =
    ["志强", "丽华", "建国", "晓梅", "文彬", "雅琴", "振华", "婷婷", "永福", "秀英", "国栋", "海燕"];

/// (region code, place, the bureaus people come from there).
const PLACES: [(&str, &str); 14] = [
    ("350500", "泉州市"),
    ("350502", "鲤城区"),
    ("350503", "丰泽区"),
    ("350504", "洛江区"),
    ("350505", "泉港区"),
    ("350521", "惠安县"),
    ("350524", "安溪县"),
    ("350525", "永春县"),
    ("350526", "德化县"),
    ("350581", "石狮市"),
    ("350582", "晋江市"),
    ("350583", "南安市"),
    ("350100", "福州市"),
    ("350200", "厦门市"),
];

/// The bureau a specialist in each domain comes from.
fn bureau(domain: &str) -> &'static str {
    match domain {
        "项目建设" | "城建" => "住房和城乡建设局",
        "财税金融" => "财政局",
        "产业发展" => "工业和信息化局",
        "营商环境" => "发展和改革局",
        "交通物流" => "交通运输局",
        "教育" => "教育局",
        "卫健" => "卫生健康局",
        "生态环境" => "生态环境局",
        "安全生产" => "应急管理局",
        "农业农村" => "农业农村局",
        _ => "行政服务中心",
    }
}

/// The city's pool as a file, the way an office would fill it in: 144 people (16 of the office, 20 leaders, 108 specialists).
fn city_pool() -> String {
    let mut csv = String::from("姓名,工作单位,所在地区划代码,专业领域,可任组长,手机,督查室成员,账号\n");
    let mut n = 0usize;
    let mut push =
        |csv: &mut String, unit: &str, region: &str, domains: &str, lead: bool, office: bool, account: &str| {
            let name = format!("{}{}", SURNAMES[n % SURNAMES.len()], GIVEN[(n / SURNAMES.len() + n) % GIVEN.len()]);
            let phone = format!("139{:08}", 50_000_000 + n * 7919 % 10_000_000);
            csv.push_str(&format!(
                "{name},{unit},{region},{domains},{},{phone},{},{account}\n",
                if lead { "是" } else { "否" },
                if office { "是" } else { "否" }
            ));
            n += 1;
        };
    // Sixteen members of the city's supervision office.
    for _ in 0..16 {
        push(&mut csv, "泉州市人民政府督查室", "350500", "营商环境、项目建设", false, true, "");
    }
    // Twenty leaders (县处级), from every county and the city.
    for i in 0..20 {
        let (region, place) = PLACES[i % 12];
        let domain = DEFAULT_DOMAINS[i % DEFAULT_DOMAINS.len()];
        push(&mut csv, &format!("{place}人民政府"), region, domain, true, false, "");
    }
    // 108 specialists: each domain from several places, some with two domains.
    for i in 0..108 {
        let (region, place) = PLACES[(i * 5 + 1) % PLACES.len()];
        let domain = DEFAULT_DOMAINS[i % DEFAULT_DOMAINS.len()];
        // Most projects need 城建 or 项目建设: a third of the specialists bring one as a second domain.
        let second = if domain == "城建" { "项目建设" } else { "城建" };
        let domains = if i % 3 == 0 && second != domain { format!("{domain}、{second}") } else { domain.to_string() };
        let account = if region == "350583" && domain == "项目建设" && !csv.contains(",inspector\n") {
            "inspector"
        } else {
            ""
        };
        push(&mut csv, &format!("{place}{}", bureau(domain)), region, &domains, false, false, account);
    }
    csv
}

/// Jinjiang's own few: from Jinjiang itself, so 本地回避 keeps them off Jinjiang's targets.
const JINJIANG_POOL: &str = "姓名,工作单位,所在地区划代码,专业领域,可任组长,手机,督查室成员
陈督查,晋江市人民政府督查室,350582,营商环境,否,13960000001,是
许工程师,JJ-027,350582,项目建设、城建,否,13960000002,否
吴会计师,晋江市财政局,350582,财税金融,否,,否
";

/// The next Monday on or after `day`.
fn monday_from(day: NaiveDate) -> NaiveDate {
    let mut d = day;
    while d.weekday() != Weekday::Mon {
        d += Duration::days(1);
    }
    d
}

fn size(p: &mut PlanParams, pick: usize) -> &mut usize {
    match pick {
        0 => &mut p.random,
        1 => &mut p.lookback_projects,
        _ => &mut p.lookback_items,
    }
}

/// Draws with the wanted sizes, each smaller where the live data has fewer candidates.
async fn draw(
    c: &mut Conn<'_>,
    actor: &Actor,
    cal: &Calendar,
    round: bangdu_domain::RoundId,
    seed: &str,
    key: bool,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let wanted = PlanParams { key, random: 4, lookback_projects: 2, lookback_items: 2, ..PlanParams::default() };
    let none = PlanParams { random: 0, lookback_projects: 0, lookback_items: 0, ..wanted.clone() };
    let mut fits = none.clone();
    // The largest size of each sample that the candidates allow, one sample at a time.
    for pick in 0..3 {
        let mut n = *size(&mut wanted.clone(), pick);
        while n > 0 {
            let mut trial = none.clone();
            *size(&mut trial, pick) = n;
            match targets::plan(c, actor, cal, round, &trial, Some(seed), today).await {
                Ok(_) => break,
                Err(StoreError::Conflict { code: "draw_too_large", .. }) => n -= 1,
                Err(e) => return Err(e.into()),
            }
        }
        *size(&mut fits, pick) = n;
    }
    targets::plan(c, actor, cal, round, &fits, Some(seed), today).await?;
    Ok(())
}

pub async fn load(c: &mut Conn<'_>, cal: &Calendar, today: NaiveDate) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    pool_import::import(c, &actor, city_pool().as_bytes(), Some("350500")).await?;
    pool_import::import(c, &actor, JINJIANG_POOL.as_bytes(), Some("350582")).await?;
    let start = today - Duration::days(45);
    let end = today + Duration::days(75);
    // Jinjiang's campaign: every red project and overdue item over two weeks (visited), then a
    // sample next week, unannounced.
    let jinjiang = campaigns::create(
        c,
        &actor,
        &CampaignInput {
            name: "抓项目、促发展专项帮督".into(),
            theme: "聚焦为民办实事项目和重点项目，实地帮、书面督，现场协调解决堵点难点".into(),
            lead_unit: "350582".into(),
            starts_on: start.to_string(),
            ends_on: end.to_string(),
        },
    )
    .await?;
    let first = monday_from(today - Duration::days(21));
    let next = monday_from(today + Duration::days(1));
    for (name, kind, monday, days, seed, key) in
        [("第一批", "实地帮", first, 11, "2025158", true), ("第二批", "四不两直", next, 4, "2025163", false)]
    {
        let round = campaigns::create_round(
            c,
            &actor,
            cal,
            jinjiang.id,
            &RoundInput {
                name: name.into(),
                kind: kind.into(),
                starts_on: monday.to_string(),
                ends_on: (monday + Duration::days(days)).to_string(),
                specialists: "2".into(),
            },
        )
        .await;
        // A week with no working day (a long holiday) leaves the round out.
        let Ok(round) = round else { continue };
        draw(c, &actor, cal, round.id, seed, key, today).await?;
        let _ = teams::form_teams(c, &actor, round.id).await;
        if monday < today {
            visited(c, &actor, round.id).await?;
        } else {
            seat_the_inspector(c, &actor, round.id).await?;
        }
    }
    // The city's campaign on the business environment, one written round.
    let city = campaigns::create(
        c,
        &actor,
        &CampaignInput {
            name: "优化营商环境专项督查".into(),
            theme: "职能部门联查，回头看已销号问题".into(),
            lead_unit: "350500".into(),
            starts_on: start.to_string(),
            ends_on: end.to_string(),
        },
    )
    .await?;
    let monday = monday_from(today - Duration::days(7));
    if let Ok(round) = campaigns::create_round(
        c,
        &actor,
        cal,
        city.id,
        &RoundInput {
            name: "第一批".into(),
            kind: "职能部门联查".into(),
            starts_on: monday.to_string(),
            ends_on: (monday + Duration::days(4)).to_string(),
            specialists: "1".into(),
        },
    )
    .await
    {
        draw(c, &actor, cal, round.id, "2025160", false, today).await?;
        let _ = teams::form_teams(c, &actor, round.id).await;
    }
    Ok(())
}

/// What the teams of a past round found, as a county's findings read: some solved on the spot, some
/// raised as items; and the round's report, issued.
async fn visited(c: &mut Conn<'_>, actor: &Actor, round: bangdu_domain::RoundId) -> anyhow::Result<()> {
    use bangdu_store::inspections::briefs;
    use bangdu_store::inspections::findings::{self, FindingInput};
    let formed = teams::formed_for(c, round).await?;
    let notes = [
        ("施工现场围挡破损，夜间照明不足", Some("现场要求施工单位当日修复围挡、增设警示灯，已整改"), "安全生产"),
        ("征迁遗留问题导致部分路段无法进场施工", None, "项目建设"),
        ("月度进度报送的完成量与现场不符，偏高约 10 个百分点", None, "项目建设"),
        ("验收资料缺少隐蔽工程影像记录", Some("现场协调监理单位补齐影像资料并归档"), "城建"),
        ("周边群众反映施工噪音扰民", Some("协调施工单位调整作业时间至 7:00–12:00、14:30–20:00"), "生态环境"),
        ("配套资金拨付滞后，影响工程款支付", None, "财税金融"),
    ];
    let files = bangdu_store::files::NoFiles;
    for (i, team) in formed.iter().take(6).enumerate() {
        let (text, solved, domain) = notes[i % notes.len()];
        let input = FindingInput {
            client_key: format!("demo-{}-{i}", round.0),
            description: text.into(),
            domain: domain.into(),
            outcome: if solved.is_some() { "solved".into() } else { "pending".into() },
            solved_note: solved.unwrap_or("").into(),
            ..FindingInput::default()
        };
        let (finding, _) = findings::record(c, &files, actor, *team, &input, &[]).await?;
        if solved.is_none() && i % 2 == 1 {
            findings::raise_item(c, actor, finding.id).await?;
        }
    }
    briefs::save_suggestions(
        c,
        actor,
        round,
        None,
        "一、对征迁遗留问题，建议由属地镇（街道）牵头，住建、自然资源部门配合，两周内拿出解决方案。\n二、对进度报送不实的项目，建议约谈牵头单位，并在下月月度记账中核实。\n三、建议对已转督导事项的问题实行周调度，逾期未办结的纳入通报。",
    )
    .await?;
    briefs::issue(c, actor, round, None).await?;
    Ok(())
}

/// The demo's 帮督人员 (account `inspector`) on a team of the coming round, so that the phone page
/// has something to show: the first target whose rules allow it.
async fn seat_the_inspector(c: &mut Conn<'_>, actor: &Actor, round: bangdu_domain::RoundId) -> anyhow::Result<()> {
    let Some(member) = teams::member_of_user(c, "inspector").await? else { return Ok(()) };
    let formed = teams::formed_for(c, round).await?;
    for target in &formed {
        if teams::assign(c, actor, round, *target, member, "specialist", None).await.is_ok() {
            return Ok(());
        }
    }
    Ok(())
}
