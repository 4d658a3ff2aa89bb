//! Team formation at province size, and the heuristic against the proven optimum on rounds small
//! enough to solve — pure computation, no database (`bangdu bench --only teams`).
//!
//! The province instance: 5,000 members across 9 prefectures and 90 counties, 15 domains (one to
//! three each), 12 % who can lead, 8 % of the office; 2 % declared a conflict with a department,
//! 5 % are away a week, loads before the round 0–3; 1,000 targets over 20 working days, each in a
//! county, answerable by one of its departments, needing one or two domains and 2 specialists.

use super::Figure;
use bangdu_domain::inspection::eligibility::{AvoidanceLevel, Member, Rules, Target, UnitPath};
use bangdu_domain::inspection::exact::{Optimum, optimum};
use bangdu_domain::inspection::teams::{Candidate, Need, form_balanced};
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

const DOMAINS: [&str; 15] = [
    "项目建设",
    "财税金融",
    "产业发展",
    "营商环境",
    "交通物流",
    "教育",
    "卫健",
    "城建",
    "生态环境",
    "安全生产",
    "农业农村",
    "政务服务",
    "文化旅游",
    "水利",
    "市场监管",
];

struct Shape {
    members: usize,
    targets: usize,
    counties: usize,
    days: i64,
    specialists: usize,
    /// The first this many of `DOMAINS`.
    domains: usize,
    /// Loads before the round: 0 to this.
    load: u32,
}

fn county_of(i: usize) -> (String, Vec<i64>) {
    // 9 prefectures × 10 counties: region 35PPCC, unit path /1/pref/county/.
    let prefecture = i / 10 + 1;
    let county = i % 10 + 1;
    let region = format!("35{prefecture:02}{:02}", county * 2);
    (region, vec![1, 100 + prefecture as i64, 10_000 + i as i64])
}

fn instance(shape: &Shape, seed: u64) -> (Vec<Candidate>, Vec<Need>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
    let day = |k: i64| start + Duration::days(k / 5 * 7 + k % 5);
    let department = |county: usize, k: usize| -> UnitPath {
        let (_, mut path) = county_of(county);
        path.push(1_000_000 + (county * 20 + k) as i64);
        UnitPath(path)
    };
    let mut candidates = Vec::with_capacity(shape.members);
    for id in 0..shape.members {
        let county = rng.random_range(0..shape.counties);
        let (region, _) = county_of(county);
        let roll: f64 = rng.random();
        let (can_lead, office) = (roll < 0.12, (0.12..0.20).contains(&roll));
        let n = rng.random_range(1..=3);
        let mut domains: Vec<String> = Vec::new();
        while domains.len() < n {
            let d = DOMAINS[rng.random_range(0..shape.domains)].to_string();
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        let conflicts = if rng.random_bool(0.02) {
            department(rng.random_range(0..shape.counties), rng.random_range(0..20)).id().into_iter().collect()
        } else {
            vec![]
        };
        let away = if rng.random_bool(0.05) {
            let from = day(rng.random_range(0..shape.days));
            vec![(from, from + Duration::days(6))]
        } else {
            vec![]
        };
        candidates.push(Candidate {
            member: Member {
                id: id as i64,
                home_region: region,
                home_unit: Some(department(county, rng.random_range(0..20))),
                conflicts,
                conflict_people: vec![],
                away,
                busy: vec![],
                load: rng.random_range(0..=shape.load),
            },
            domains,
            can_lead,
            office,
        });
    }
    let mut needs = Vec::with_capacity(shape.targets);
    for t in 0..shape.targets {
        let county = rng.random_range(0..shape.counties);
        let (region, _) = county_of(county);
        let n = rng.random_range(1..=2);
        let mut domains: Vec<String> = Vec::new();
        while domains.len() < n {
            let d = DOMAINS[rng.random_range(0..shape.domains)].to_string();
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        needs.push(Need {
            key: format!("target:{t}"),
            target: Target {
                region,
                units: vec![department(county, rng.random_range(0..20))],
                people: vec![],
                day: day(t as i64 % shape.days),
            },
            domains,
            specialists: shape.specialists,
        });
    }
    (candidates, needs)
}

pub fn run(figures: &mut Vec<Figure>) {
    let rules = Rules { avoidance: AvoidanceLevel::County, load_cap: 6 };
    let province =
        Shape { members: 5_000, targets: 1_000, counties: 90, days: 20, specialists: 2, domains: 15, load: 3 };
    let (candidates, needs) = instance(&province, 2026);
    let started = Instant::now();
    let f = form_balanced(&candidates, &needs, &rules, "2026-province");
    let took = started.elapsed().as_secs_f64();
    let seats: usize = f.teams.iter().map(|t| t.seats.len()).sum();
    let unfilled: usize = f.teams.iter().map(|t| t.blocked.len()).sum();
    println!(
        "teams: {} members × {} targets, {} domains: {seats} seats in {took:.2} s; maximum load {} (lower bound {}), sum of squares {}; {unfilled} seats or domains left open",
        province.members,
        province.targets,
        DOMAINS.len(),
        f.max_load,
        f.max_load_lower_bound,
        f.load_squares
    );
    figures.push(Figure { name: "teams 5000×1000", value: took, unit: "s", target: 10.0, lower_is_better: true });

    // Small rounds: the heuristic's maximum load beside the proven optimum.
    println!(
        "\n{:<8} {:>8} {:>8} {:>10} {:>9} {:>8}  proof",
        "instance", "members", "targets", "heuristic", "optimum", "ratio"
    );
    let mut worst: f64 = 1.0;
    let mut solved = 0;
    let shapes = [
        // Few members for many seats, and domains that only some bring: the simple bound is often
        // weak here, so the optimum has to be found by solving.
        Shape { members: 40, targets: 16, counties: 6, days: 4, specialists: 2, domains: 8, load: 1 },
        Shape { members: 30, targets: 12, counties: 4, days: 3, specialists: 1, domains: 6, load: 0 },
        Shape { members: 60, targets: 20, counties: 8, days: 5, specialists: 2, domains: 10, load: 2 },
    ];
    let count = shapes.len() * 10;
    for (i, seed) in (0..count).zip(1u64..) {
        let shape = &shapes[i % shapes.len()];
        let (candidates, needs) = instance(shape, seed);
        let rules = Rules { avoidance: AvoidanceLevel::County, load_cap: 9 };
        let f = form_balanced(&candidates, &needs, &rules, "small");
        let started = Instant::now();
        match optimum(&candidates, &needs, &rules, &f) {
            Optimum::Proven(best) => {
                solved += 1;
                let ratio = f64::from(f.max_load) / f64::from(best.max(1));
                worst = worst.max(ratio);
                let proof = if f.max_load_lower_bound == best { "bound" } else { "solver" };
                println!(
                    "{seed:<8} {:>8} {:>8} {:>10} {:>9} {:>7.2}×  {proof} ({:.2} s)",
                    shape.members,
                    shape.targets,
                    f.max_load,
                    best,
                    ratio,
                    started.elapsed().as_secs_f64()
                );
            }
            Optimum::Unknown => {
                println!("{seed:<8} {:>8} {:>8} {:>10} {:>9}", shape.members, shape.targets, f.max_load, "—")
            }
        }
    }
    println!("{solved} of {count} small rounds solved exactly; worst heuristic/optimum {worst:.2}");
    figures.push(Figure { name: "heuristic/optimum", value: worst, unit: "×", target: 1.10, lower_is_better: true });
}
