//! Team formation "1+1+N" (DESIGN.md §5): for each target of a round, one leader (a member who can
//! lead), one member of the supervision office, and specialists whose domains cover the target's.
//! Hard constraints are `eligibility::refusals`; then, in order: cover every needed domain, spread the
//! load (lower maximum first, then fewer repeated batches), and break ties by the round's seed.
//!
//! This is the greedy heuristic: targets with the fewest eligible candidates are staffed first, each
//! seat goes to the least-loaded suitable member. It reports a lower bound on the maximum load so the
//! gap is visible; an exact solver for small rounds can be compared against it. Every choice
//! explains itself: per member the domains matched and the load before and after; per candidate left
//! out, the constraints that removed them; per missing seat, which constraint blocks it.

use super::draw::rank;
use super::eligibility::{Member, Refusal, Rules, Target, refusals};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// A pool member with what team formation needs beyond eligibility.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub member: Member,
    pub domains: Vec<String>,
    pub can_lead: bool,
    /// A member of the supervision office (the second "1").
    pub office: bool,
}

/// A target to staff.
#[derive(Clone, Debug)]
pub struct Need {
    /// The target's stable name (`project:147`), for the tie-break and the answer.
    pub key: String,
    pub target: Target,
    /// Domains the team must cover (from the project's kind or the item's category; editable).
    pub domains: Vec<String>,
    /// Specialists wanted (N), at least enough to cover the domains if the pool allows.
    pub specialists: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Leader,
    Office,
    Specialist,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Office => "office",
            Role::Specialist => "specialist",
        }
    }
}

/// One seat of a team and why this member holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seat {
    pub member: i64,
    pub role: Role,
    pub home_region: String,
    /// The target's domains this member brings.
    pub matched: Vec<String>,
    pub load_before: u32,
    pub load_after: u32,
}

/// A seat that could not be filled, and what stood in the way: for each constraint, how many of the
/// members who would otherwise fit it removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// `leader`, `office`, or `domain:<name>` for a domain no eligible specialist covers.
    pub seat: String,
    pub refused_by: BTreeMap<&'static str, usize>,
}

impl Blocked {
    /// What would unblock it, from the constraint that removed the most.
    pub fn hint(&self) -> String {
        let top = self.refused_by.iter().max_by_key(|(code, n)| (**n, std::cmp::Reverse(**code))).map(|(c, _)| *c);
        match top {
            Some("local_avoidance") => "放宽本地回避层级，或向人员库补充外地人员".into(),
            Some("responsible_unit" | "declared_conflict") => "向人员库补充与被督查单位无关联的人员".into(),
            Some("unavailable" | "already_serving") => "调整本轮日期，或补充当日可参加的人员".into(),
            Some("load_cap") => "提高本期负荷上限，或补充人员".into(),
            _ => "人员库中没有具备该条件的人员，请补充".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub key: String,
    pub seats: Vec<Seat>,
    /// Needed domains no seat covers.
    pub uncovered: Vec<String>,
    /// Candidates who would have fitted a seat but were removed, with every reason.
    pub removed: Vec<(i64, Vec<Refusal>)>,
    pub blocked: Vec<Blocked>,
}

/// All teams of a round and how good the result is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formation {
    pub teams: Vec<Team>,
    /// The highest load after forming, and a bound no formation filling the same seats can beat.
    pub max_load: u32,
    pub max_load_lower_bound: u32,
    /// The sum over members of load², the second objective.
    pub load_squares: u64,
}

struct State<'a> {
    candidates: &'a [Candidate],
    loads: HashMap<i64, u32>,
    busy: HashMap<i64, Vec<NaiveDate>>,
}

impl State<'_> {
    /// The member as they stand now (load and busy days include this round's seats so far).
    fn now(&self, c: &Candidate) -> Member {
        let mut m = c.member.clone();
        m.load = self.loads.get(&m.id).copied().unwrap_or(m.load);
        if let Some(days) = self.busy.get(&m.id) {
            m.busy = days.clone();
        }
        m
    }
}

/// Forms every team of a round. Same inputs and seed, same teams.
pub fn form(candidates: &[Candidate], needs: &[Need], rules: &Rules, seed: &str) -> Formation {
    let mut state = State {
        candidates,
        loads: candidates.iter().map(|c| (c.member.id, c.member.load)).collect(),
        busy: candidates.iter().map(|c| (c.member.id, c.member.busy.clone())).collect(),
    };
    // Each member's place in the round's draw, the last tie-break: computed once per round.
    let ties: HashMap<i64, String> =
        candidates.iter().map(|c| (c.member.id, rank(seed, &format!("member:{}", c.member.id)))).collect();
    // The most constrained targets first: fewest eligible candidates, then the draw's order.
    let mut order: Vec<usize> = (0..needs.len()).collect();
    let eligible_count =
        |n: &Need| candidates.iter().filter(|c| refusals(&c.member, &n.target, rules).is_empty()).count();
    let counts: Vec<usize> = needs.iter().map(eligible_count).collect();
    order.sort_by(|a, b| {
        counts[*a].cmp(&counts[*b]).then_with(|| rank(seed, &needs[*a].key).cmp(&rank(seed, &needs[*b].key)))
    });
    let mut teams: Vec<Option<Team>> = vec![None; needs.len()];
    for i in order {
        teams[i] = Some(staff(&mut state, &ties, &needs[i], rules));
    }
    let max_load = state.loads.values().copied().max().unwrap_or(0);
    let max_load_lower_bound = lower_bound(candidates, &teams.iter().flatten().collect::<Vec<_>>());
    let load_squares = state.loads.values().map(|l| u64::from(*l) * u64::from(*l)).sum();
    Formation { teams: teams.into_iter().flatten().collect(), max_load, max_load_lower_bound, load_squares }
}

/// How many orderings `form_balanced` tries: many for a small round, one for a province's.
fn restarts(candidates: usize, needs: usize) -> usize {
    (20_000_000 / (candidates.max(1) * needs.max(1))).clamp(1, 64)
}

/// Seats filled and domains left uncovered.
fn filled(f: &Formation) -> (usize, usize) {
    (f.teams.iter().map(|t| t.seats.len()).sum(), f.teams.iter().map(|t| t.uncovered.len()).sum())
}

/// The heuristic, then again under a load cap one below its maximum for as long as that still
/// fills as many seats and covers as many domains — staffing the most constrained targets first can
/// pile seats on a few members early, and a tighter cap makes it share them out. A small round is
/// also tried in other orders (the seed followed by `#1`, `#2`, …: still the same answer for the
/// same seed), keeping the best: most seats, fewest uncovered domains, lowest maximum, then sum of
/// squares.
pub fn form_balanced(candidates: &[Candidate], needs: &[Need], rules: &Rules, seed: &str) -> Formation {
    let mut best: Option<Formation> = None;
    for k in 0..restarts(candidates.len(), needs.len()) {
        let seed_k = if k == 0 { seed.to_string() } else { format!("{seed}#{k}") };
        let mut f = form(candidates, needs, rules, &seed_k);
        while f.max_load > f.max_load_lower_bound {
            let tighter = Rules { load_cap: (f.max_load - 1).min(rules.load_cap), ..*rules };
            let next = form(candidates, needs, &tighter, &seed_k);
            let ((seats, uncovered), (next_seats, next_uncovered)) = (filled(&f), filled(&next));
            if next_seats < seats || next_uncovered > uncovered || next.max_load >= f.max_load {
                break;
            }
            f = next;
        }
        let score = |f: &Formation| {
            let (seats, uncovered) = filled(f);
            (std::cmp::Reverse(seats), uncovered, f.max_load, f.load_squares)
        };
        if best.as_ref().is_none_or(|b| score(&f) < score(b)) {
            best = Some(f);
        }
    }
    best.unwrap_or_else(|| form(candidates, needs, rules, seed))
}

/// No formation that fills the same seats has a lower maximum load than this: the highest load
/// before; and for the whole pool, for those who can lead (the leaders' seats are theirs alone), and
/// for the office's members (only they take the office's seats), their loads before plus the seats
/// only they can take, shared as evenly as possible.
fn lower_bound(candidates: &[Candidate], teams: &[&Team]) -> u32 {
    let seats = |role: Option<Role>| -> u32 {
        teams.iter().flat_map(|t| &t.seats).filter(|s| role.is_none_or(|r| s.role == r)).count() as u32
    };
    let even = |fits: &dyn Fn(&Candidate) -> bool, extra: u32| -> u32 {
        let group: Vec<&Candidate> = candidates.iter().filter(|c| fits(c)).collect();
        let before: u32 = group.iter().map(|c| c.member.load).sum();
        if group.is_empty() { 0 } else { (before + extra).div_ceil(group.len() as u32) }
    };
    let highest_before = candidates.iter().map(|c| c.member.load).max().unwrap_or(0);
    highest_before
        .max(even(&|_| true, seats(None)))
        .max(even(&|c| c.can_lead && !c.office, seats(Some(Role::Leader))))
        .max(even(&|c| c.office, seats(Some(Role::Office))))
}

fn staff(state: &mut State<'_>, ties: &HashMap<i64, String>, need: &Need, rules: &Rules) -> Team {
    let tie = |id: i64| ties.get(&id).map_or("", String::as_str);
    let mut seats: Vec<Seat> = Vec::new();
    let mut removed: Vec<(&Candidate, Vec<Refusal>)> = Vec::new();
    let mut blocked = Vec::new();
    let mut eligible: Vec<&Candidate> = Vec::new();
    for c in state.candidates {
        let why = refusals(&state.now(c), &need.target, rules);
        let relevant = c.can_lead || c.office || c.domains.iter().any(|d| need.domains.contains(d));
        if why.is_empty() {
            eligible.push(c);
        } else if relevant {
            removed.push((c, why));
        }
    }
    let count_refusals = |fits: &dyn Fn(&Candidate) -> bool| {
        let mut by: BTreeMap<&'static str, usize> = BTreeMap::new();
        for (c, why) in &removed {
            if fits(c) {
                for r in why {
                    *by.entry(r.code()).or_default() += 1;
                }
            }
        }
        by
    };
    let matched = |c: &Candidate| need.domains.iter().filter(|d| c.domains.contains(d)).cloned().collect::<Vec<_>>();
    let load = |state: &State<'_>, c: &Candidate| state.loads.get(&c.member.id).copied().unwrap_or(c.member.load);
    let taken = |seats: &[Seat], c: &Candidate| seats.iter().any(|s| s.member == c.member.id);

    // The leader: can lead, not the office's seat; least loaded, then most domains, then the seed.
    let leader = eligible
        .iter()
        .filter(|c| c.can_lead && !c.office)
        .min_by_key(|c| (load(state, c), std::cmp::Reverse(matched(c).len()), tie(c.member.id)))
        .copied();
    match leader {
        Some(c) => seats.push(seat(state, c, Role::Leader, matched(c))),
        None => {
            blocked.push(Blocked { seat: "leader".into(), refused_by: count_refusals(&|c| c.can_lead && !c.office) })
        }
    }
    let office = eligible
        .iter()
        .filter(|c| c.office && !taken(&seats, c))
        .min_by_key(|c| (load(state, c), tie(c.member.id)))
        .copied();
    match office {
        Some(c) => seats.push(seat(state, c, Role::Office, matched(c))),
        None => blocked.push(Blocked { seat: "office".into(), refused_by: count_refusals(&|c| c.office) }),
    }
    // Specialists: greedy cover of the needed domains, then more up to N among those who bring any.
    let mut uncovered: Vec<String> = need.domains.clone();
    let mut specialists = 0;
    while specialists < need.specialists.max(1) {
        let best = eligible
            .iter()
            .filter(|c| !c.office && !taken(&seats, c))
            .map(|c| (*c, uncovered.iter().filter(|d| c.domains.contains(d)).count(), matched(c).len()))
            .filter(|(_, new, any)| *new > 0 || (uncovered.is_empty() && *any > 0))
            .min_by_key(|(c, new, _)| (std::cmp::Reverse(*new), load(state, c), tie(c.member.id)))
            .map(|(c, _, _)| c);
        let Some(c) = best else { break };
        uncovered.retain(|d| !c.domains.contains(d));
        seats.push(seat(state, c, Role::Specialist, matched(c)));
        specialists += 1;
        if uncovered.is_empty() && specialists >= need.specialists {
            break;
        }
    }
    for domain in &uncovered {
        blocked.push(Blocked {
            seat: format!("domain:{domain}"),
            refused_by: count_refusals(&|c| !c.office && c.domains.contains(domain)),
        });
    }
    for s in &seats {
        if let Some(days) = state.busy.get_mut(&s.member) {
            days.push(need.target.day);
        }
    }
    let mut removed: Vec<(i64, Vec<Refusal>)> = removed.into_iter().map(|(c, why)| (c.member.id, why)).collect();
    removed.sort_by_key(|(id, _)| *id);
    Team { key: need.key.clone(), seats, uncovered, removed, blocked }
}

fn seat(state: &mut State<'_>, c: &Candidate, role: Role, matched: Vec<String>) -> Seat {
    let load = state.loads.entry(c.member.id).or_insert(c.member.load);
    let before = *load;
    *load += 1;
    Seat {
        member: c.member.id,
        role,
        home_region: c.member.home_region.clone(),
        matched,
        load_before: before,
        load_after: before + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::eligibility::{AvoidanceLevel, UnitPath};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const RULES: Rules = Rules { avoidance: AvoidanceLevel::County, load_cap: 3 };

    fn person(id: i64, region: &str, domains: &[&str], can_lead: bool, office: bool, load: u32) -> Candidate {
        Candidate {
            member: Member {
                id,
                home_region: region.into(),
                home_unit: Some(UnitPath(vec![1, 100 + id])),
                conflicts: vec![],
                conflict_people: vec![],
                away: vec![],
                busy: vec![],
                load,
            },
            domains: domains.iter().map(|s| s.to_string()).collect(),
            can_lead,
            office,
        }
    }

    fn need(key: &str, region: &str, day: &str, domains: &[&str], n: usize) -> Need {
        Need {
            key: key.into(),
            target: Target { region: region.into(), units: vec![UnitPath(vec![1, 2, 3])], people: vec![], day: d(day) },
            domains: domains.iter().map(|s| s.to_string()).collect(),
            specialists: n,
        }
    }

    /// 晋江 350582, 石狮 350581, 南安 350583, 惠安 350521.
    fn pool() -> Vec<Candidate> {
        vec![
            person(1, "350582", &["城建"], true, false, 0),     // a 晋江 leader
            person(2, "350581", &["项目建设"], true, false, 1), // a 石狮 leader, busier
            person(3, "350583", &[], true, false, 0),           // a 南安 leader
            person(4, "350500", &[], false, true, 0),           // office, city level
            person(5, "350500", &[], false, true, 2),           // office, busier
            person(6, "350581", &["城建", "安全生产"], false, false, 0),
            person(7, "350582", &["城建", "安全生产"], false, false, 0), // from 晋江
            person(8, "350521", &["安全生产"], false, false, 0),
            person(9, "350583", &["项目建设"], false, false, 1),
        ]
    }

    #[test]
    fn one_leader_one_office_member_and_specialists_covering_the_domains_none_local() {
        let f = form(&pool(), &[need("project:147", "350582", "2025-11-05", &["城建", "安全生产"], 1)], &RULES, "s");
        let team = &f.teams[0];
        let roles: Vec<(i64, Role)> = team.seats.iter().map(|s| (s.member, s.role)).collect();
        // 1 and 7 are from 晋江 (本地回避); 3 is the least-loaded leader; 4 the least-loaded office
        // member; 6 covers both domains alone.
        assert_eq!(roles, [(3, Role::Leader), (4, Role::Office), (6, Role::Specialist)]);
        assert!(team.uncovered.is_empty() && team.blocked.is_empty());
        assert_eq!(team.seats[2].matched, ["城建", "安全生产"]);
        assert_eq!((team.seats[0].load_before, team.seats[0].load_after), (0, 1));
        let removed: Vec<(i64, &str)> = team.removed.iter().map(|(id, why)| (*id, why[0].code())).collect();
        assert_eq!(removed, [(1, "local_avoidance"), (7, "local_avoidance")]);
    }

    #[test]
    fn nobody_serves_two_teams_on_one_day_and_load_spreads() {
        let needs = [
            need("project:1", "350521", "2025-11-05", &["项目建设"], 1),
            need("project:2", "350521", "2025-11-05", &["项目建设"], 1),
        ];
        let f = form(&pool(), &needs, &RULES, "s");
        let mut members: Vec<i64> = f.teams.iter().flat_map(|t| t.seats.iter().map(|s| s.member)).collect();
        let count = members.len();
        members.sort();
        members.dedup();
        assert_eq!(members.len(), count, "a member on two teams the same day: {f:?}");
        // Two leaders were needed the same day: the three can all lead, the two least loaded are used.
        let leaders: Vec<i64> =
            f.teams.iter().flat_map(|t| t.seats.iter().filter(|s| s.role == Role::Leader).map(|s| s.member)).collect();
        assert_eq!(
            {
                let mut l = leaders.clone();
                l.sort();
                l
            },
            [1, 3]
        );
        assert!(f.max_load >= f.max_load_lower_bound);
    }

    #[test]
    fn the_lower_bound_counts_the_seats_only_some_members_can_take() {
        // Two office members (loads 0 and 2) and three office seats on three days: together they hold
        // 2 + 3 = 5 batches, so one has at least 3, whatever the formation.
        let needs = [
            need("p:1", "350521", "2025-11-05", &["项目建设"], 1),
            need("p:2", "350521", "2025-11-06", &["项目建设"], 1),
            need("p:3", "350521", "2025-11-07", &["项目建设"], 1),
        ];
        let rules = Rules { load_cap: 9, ..RULES };
        let f = form(&pool(), &needs, &rules, "s");
        assert_eq!(f.max_load_lower_bound, 3);
        assert_eq!(f.max_load, 3, "the heuristic reaches the bound here");
    }

    #[test]
    fn a_seat_nobody_may_take_says_which_constraint_blocks_it_and_what_would_help() {
        // A target in 南安 on a day the only non-local leaders are away: 3 is from 南安, 1 and 2 away.
        let mut members = pool();
        for id in [1, 2] {
            members[id as usize - 1].member.away = vec![(d("2025-11-01"), d("2025-11-10"))];
        }
        let f = form(&members, &[need("project:9", "350583", "2025-11-05", &["城建"], 1)], &RULES, "s");
        let team = &f.teams[0];
        assert!(team.seats.iter().all(|s| s.role != Role::Leader));
        let leader = team.blocked.iter().find(|b| b.seat == "leader").unwrap();
        assert_eq!(leader.refused_by, BTreeMap::from([("local_avoidance", 1), ("unavailable", 2)]));
        assert_eq!(leader.hint(), "调整本轮日期，或补充当日可参加的人员");
    }

    #[test]
    fn the_same_inputs_and_seed_give_the_same_teams() {
        let needs = [
            need("project:1", "350521", "2025-11-05", &["项目建设", "城建"], 2),
            need("project:2", "350582", "2025-11-06", &["安全生产"], 1),
            need("item:7", "350581", "2025-11-06", &["城建"], 1),
        ];
        let a = form(&pool(), &needs, &RULES, "2025-第45期");
        assert_eq!(a, form(&pool(), &needs, &RULES, "2025-第45期"));
        let mut shuffled = pool();
        shuffled.reverse();
        let b = form(&shuffled, &needs, &RULES, "2025-第45期");
        assert_eq!(a.teams, b.teams, "the pool's order does not matter");
    }
}
