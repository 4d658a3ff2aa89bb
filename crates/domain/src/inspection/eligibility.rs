//! Whether a pool member may join the team for a target, and if not, every reason why — the hard
//! constraints of "1+1+N" team formation (DESIGN.md §5):
//! - 本地回避: no member whose home region lies in the target's region at the configured level
//!   (county by default);
//! - no member from the target's responsible units, their ancestors or their descendants;
//! - no member with a declared conflict with one of those units;
//! - available on the day, and not already on another team that day;
//! - under the per-period load cap.
//!
//! Each refusal is a value the explanation shows ("removed: 本地回避（晋江市）"), never a boolean, so
//! a proposal can say which constraint removed whom and an override can name what it overrides.

use chrono::NaiveDate;

/// The level at which 本地回避 compares home and target regions: the first 2, 4 or 6 digits of the
/// 行政区划代码 (province, prefecture, county).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvoidanceLevel {
    Province,
    Prefecture,
    County,
}

impl AvoidanceLevel {
    fn digits(self) -> usize {
        match self {
            AvoidanceLevel::Province => 2,
            AvoidanceLevel::Prefecture => 4,
            AvoidanceLevel::County => 6,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AvoidanceLevel::Province => "省级",
            AvoidanceLevel::Prefecture => "市级",
            AvoidanceLevel::County => "县级",
        }
    }
}

/// A unit as the rules need it: its id and the ids from the root down to it (itself last).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitPath(pub Vec<i64>);

impl UnitPath {
    pub fn id(&self) -> Option<i64> {
        self.0.last().copied()
    }

    /// The same unit, or one is above the other.
    pub fn related(&self, other: &UnitPath) -> bool {
        match (self.id(), other.id()) {
            (Some(a), Some(b)) => self.0.contains(&b) || other.0.contains(&a),
            _ => false,
        }
    }
}

/// A pool member, as far as eligibility goes.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: i64,
    /// 行政区划代码 of where the member lives and works (6, 9 or 12 digits).
    pub home_region: String,
    pub home_unit: Option<UnitPath>,
    /// Units the member declared a conflict of interest with.
    pub conflicts: Vec<i64>,
    /// People the member declared a conflict with (a relative in charge, say), by name.
    pub conflict_people: Vec<String>,
    /// Days the member cannot serve, as closed ranges.
    pub away: Vec<(NaiveDate, NaiveDate)>,
    /// Days the member already serves on another team.
    pub busy: Vec<NaiveDate>,
    /// Batches served in the current period (derived from the record).
    pub load: u32,
}

/// A target of a round (a project, unit or item), as far as eligibility goes.
#[derive(Clone, Debug)]
pub struct Target {
    pub region: String,
    /// Its responsible units (lead, cooperating, the unit itself for a unit target).
    pub units: Vec<UnitPath>,
    /// The people in charge of it (责任人), by name, for conflicts declared with people.
    pub people: Vec<String>,
    pub day: NaiveDate,
}

/// The rules' parameters (settings of the office).
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub avoidance: AvoidanceLevel,
    /// Most batches one member serves in a period.
    pub load_cap: u32,
}

/// Why a member may not join a team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 本地回避: home region and target region share their first digits at this level.
    LocalAvoidance { level: AvoidanceLevel, region: String },
    /// The member's own unit is a responsible unit, or above or below one.
    ResponsibleUnit { unit: i64 },
    /// A declared conflict of interest with a responsible unit.
    DeclaredConflict { unit: i64 },
    /// A declared conflict with the person in charge of the target.
    DeclaredConflictPerson { name: String },
    /// Away on the day.
    Unavailable { from: NaiveDate, to: NaiveDate },
    /// On another team that day.
    AlreadyServing { day: NaiveDate },
    /// The period's load cap is reached.
    LoadCap { load: u32, cap: u32 },
}

impl Refusal {
    /// A stable code for the API and the override record.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::LocalAvoidance { .. } => "local_avoidance",
            Refusal::ResponsibleUnit { .. } => "responsible_unit",
            Refusal::DeclaredConflict { .. } | Refusal::DeclaredConflictPerson { .. } => "declared_conflict",
            Refusal::Unavailable { .. } => "unavailable",
            Refusal::AlreadyServing { .. } => "already_serving",
            Refusal::LoadCap { .. } => "load_cap",
        }
    }

    /// What the explanation says (unit names are the caller's to add).
    pub fn describe(&self) -> String {
        match self {
            Refusal::LocalAvoidance { level, region } => match crate::region::region_name(region) {
                Some(name) => format!("本地回避（{}，区划 {region}，{name}）", level.label()),
                None => format!("本地回避（{}，区划 {region}）", level.label()),
            },
            Refusal::ResponsibleUnit { .. } => "来自被督查的责任单位或其上下级".to_string(),
            Refusal::DeclaredConflict { .. } => "已申报与责任单位存在利益冲突".to_string(),
            Refusal::DeclaredConflictPerson { name } => format!("已申报与责任人{name}存在利益冲突"),
            Refusal::Unavailable { from, to } if from == to => format!("{from} 不能参加"),
            Refusal::Unavailable { from, to } => format!("{from} 至 {to} 不能参加"),
            Refusal::AlreadyServing { day } => format!("{day} 已在其他小组"),
            Refusal::LoadCap { load, cap } => format!("本期已参加 {load} 批次，达到上限 {cap}"),
        }
    }
}

/// Every reason `member` may not join the team for `target`; empty when eligible.
pub fn refusals(member: &Member, target: &Target, rules: &Rules) -> Vec<Refusal> {
    let mut out = Vec::new();
    let digits = rules.avoidance.digits();
    let prefix = |code: &str| code.get(..digits).map(str::to_string);
    if let (Some(home), Some(there)) = (prefix(&member.home_region), prefix(&target.region))
        && home == there
    {
        out.push(Refusal::LocalAvoidance { level: rules.avoidance, region: there });
    }
    if let Some(home_unit) = &member.home_unit
        && let Some(unit) = target.units.iter().find(|u| u.related(home_unit)).and_then(UnitPath::id)
    {
        out.push(Refusal::ResponsibleUnit { unit });
    }
    // A conflict declared with a responsible unit or with a unit above it.
    for unit in target.units.iter().filter_map(|u| u.0.iter().find(|id| member.conflicts.contains(id))) {
        if !out.contains(&Refusal::DeclaredConflict { unit: *unit }) {
            out.push(Refusal::DeclaredConflict { unit: *unit });
        }
    }
    for name in target.people.iter().filter(|p| member.conflict_people.iter().any(|c| c.trim() == p.trim())) {
        out.push(Refusal::DeclaredConflictPerson { name: name.trim().to_string() });
    }
    if let Some((from, to)) = member.away.iter().find(|(from, to)| (*from..=*to).contains(&target.day)) {
        out.push(Refusal::Unavailable { from: *from, to: *to });
    }
    if member.busy.contains(&target.day) {
        out.push(Refusal::AlreadyServing { day: target.day });
    }
    if member.load >= rules.load_cap {
        out.push(Refusal::LoadCap { load: member.load, cap: rules.load_cap });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 泉州市 1 → 晋江市 2 → 住建局 3; 泉州市 1 → 石狮市 4 → 发改局 5.
    fn path(ids: &[i64]) -> UnitPath {
        UnitPath(ids.to_vec())
    }

    fn member() -> Member {
        Member {
            id: 7,
            home_region: "350581".into(), // 石狮市
            home_unit: Some(path(&[1, 4, 5])),
            conflicts: vec![],
            conflict_people: vec![],
            away: vec![],
            busy: vec![],
            load: 1,
        }
    }

    fn target() -> Target {
        Target {
            region: "350582".into(),
            units: vec![path(&[1, 2, 3])],
            people: vec!["王建国".into()],
            day: d("2025-11-05"),
        }
    }

    const RULES: Rules = Rules { avoidance: AvoidanceLevel::County, load_cap: 3 };

    #[test]
    fn a_member_from_another_county_and_unrelated_unit_is_eligible() {
        assert_eq!(refusals(&member(), &target(), &RULES), vec![]);
    }

    #[test]
    fn local_avoidance_compares_the_region_at_the_configured_level() {
        let mut m = member();
        m.home_region = "350582103".into(); // a town of 晋江市
        let r = refusals(&m, &target(), &RULES);
        assert_eq!(r, vec![Refusal::LocalAvoidance { level: AvoidanceLevel::County, region: "350582".into() }]);
        assert_eq!(r[0].describe(), "本地回避（县级，区划 350582，晋江市）");
        // 石狮 and 晋江 are both in 泉州: refused at the prefecture level, not at the county level.
        let city = Rules { avoidance: AvoidanceLevel::Prefecture, ..RULES };
        assert_eq!(refusals(&member(), &target(), &city)[0].code(), "local_avoidance");
        assert!(refusals(&member(), &target(), &RULES).is_empty());
        // A code too short to compare never matches by accident.
        m.home_region = "35".into();
        assert!(refusals(&m, &target(), &RULES).is_empty());
    }

    #[test]
    fn the_responsible_unit_and_those_above_and_below_it_are_excluded() {
        for home in [path(&[1, 2, 3]), path(&[1, 2]), path(&[1, 2, 3, 9])] {
            let m = Member { home_unit: Some(home.clone()), ..member() };
            assert_eq!(refusals(&m, &target(), &RULES), vec![Refusal::ResponsibleUnit { unit: 3 }], "{home:?}");
        }
        // A sibling department of the same city is not related.
        let m = Member { home_unit: Some(path(&[1, 2, 8])), ..member() };
        assert!(refusals(&m, &target(), &RULES).is_empty());
    }

    #[test]
    fn declared_conflicts_availability_busy_days_and_load_each_refuse_and_all_are_listed() {
        let m = Member {
            conflicts: vec![2],
            conflict_people: vec!["王建国".into(), "李四".into()],
            away: vec![(d("2025-11-03"), d("2025-11-07"))],
            busy: vec![d("2025-11-05")],
            load: 3,
            ..member()
        };
        let codes: Vec<&str> = refusals(&m, &target(), &RULES).iter().map(Refusal::code).collect();
        assert_eq!(codes, ["declared_conflict", "declared_conflict", "unavailable", "already_serving", "load_cap"]);
        let described: Vec<String> = refusals(&m, &target(), &RULES).iter().map(Refusal::describe).collect();
        assert_eq!(described[1], "已申报与责任人王建国存在利益冲突");
        assert_eq!(described[2], "2025-11-03 至 2025-11-07 不能参加");
        assert_eq!(described[4], "本期已参加 3 批次，达到上限 3");
        // The ends of an absence count; the day after does not.
        let after = Target { day: d("2025-11-08"), ..target() };
        let left: Vec<&str> = refusals(&m, &after, &RULES).iter().map(Refusal::code).collect();
        assert_eq!(left, ["declared_conflict", "declared_conflict", "load_cap"]);
    }
}
