//! The figures the articles quote, computed from the lights and the funds of a list of projects:
//! "17 个项目提前完工，4 个项目超时序，其余按时序推进", "资金已下达 4.06 亿元，完成年度计划的 84.50%".

use super::light::Light;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// One project as the figures see it.
#[derive(Clone, Debug)]
pub struct FigureInput {
    pub light: Light,
    pub completed_early: bool,
    /// Funds in 元, exact.
    pub funds_planned: Decimal,
    pub funds_allocated: Decimal,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub total: u64,
    /// 已完成 (blue).
    pub completed: u64,
    /// 提前完工: completed before the planned end.
    pub completed_early: u64,
    /// 超时序 (red).
    pub over_schedule: u64,
    /// 按时序推进: the rest, as the articles count them (total − early − over schedule).
    pub on_schedule: u64,
    pub by_light: BTreeMap<Light, u64>,
    pub funds_planned: Decimal,
    pub funds_allocated: Decimal,
    /// Allocated against planned, in percent with two decimals (half away from zero); none when
    /// nothing was planned.
    pub allocated_percent: Option<Decimal>,
}

/// Projects already counted by light and early completion (as a SQL `GROUP BY` answers).
#[derive(Clone, Debug)]
pub struct FigureGroup {
    pub light: Light,
    pub completed_early: bool,
    pub count: u64,
    pub funds_planned: Decimal,
    pub funds_allocated: Decimal,
}

pub fn figures<'a>(projects: impl IntoIterator<Item = &'a FigureInput>) -> Figures {
    let groups: Vec<FigureGroup> = projects
        .into_iter()
        .map(|p| FigureGroup {
            light: p.light,
            completed_early: p.completed_early,
            count: 1,
            funds_planned: p.funds_planned,
            funds_allocated: p.funds_allocated,
        })
        .collect();
    figures_of_groups(&groups)
}

pub fn figures_of_groups<'a>(groups: impl IntoIterator<Item = &'a FigureGroup>) -> Figures {
    let mut f = Figures::default();
    for g in groups {
        f.total += g.count;
        *f.by_light.entry(g.light).or_default() += g.count;
        match g.light {
            Light::Blue => {
                f.completed += g.count;
                if g.completed_early {
                    f.completed_early += g.count;
                }
            }
            Light::Red => f.over_schedule += g.count,
            _ => {}
        }
        f.funds_planned += g.funds_planned;
        f.funds_allocated += g.funds_allocated;
    }
    f.on_schedule = f.total - f.completed_early - f.over_schedule;
    f.allocated_percent = (!f.funds_planned.is_zero()).then(|| {
        (f.funds_allocated * Decimal::ONE_HUNDRED / f.funds_planned)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    });
    f
}

/// An amount in 元 as the articles print large sums: "4.06 亿元", "3520 万元", "860 元".
pub fn yuan_text(amount: Decimal) -> String {
    let yi = Decimal::from(100_000_000u64);
    let wan = Decimal::from(10_000u64);
    let round = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize();
    if amount.abs() >= yi {
        format!("{} 亿元", round(amount / yi))
    } else if amount.abs() >= wan {
        format!("{} 万元", round(amount / wan))
    } else {
        format!("{} 元", round(amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn yuan(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn p(light: Light, early: bool, planned: &str, allocated: &str) -> FigureInput {
        FigureInput { light, completed_early: early, funds_planned: yuan(planned), funds_allocated: yuan(allocated) }
    }

    #[test]
    fn counts_as_the_articles_count_them() {
        let list = [
            p(Light::Blue, true, "100000000", "100000000"),
            p(Light::Blue, false, "80000000", "80000000"),
            p(Light::Red, false, "150000000", "90000000"),
            p(Light::Yellow, false, "100000000", "85600000"),
            p(Light::Green, false, "50000000", "50000000"),
        ];
        let f = figures(&list);
        assert_eq!((f.total, f.completed, f.completed_early, f.over_schedule, f.on_schedule), (5, 2, 1, 1, 3));
        assert_eq!(f.by_light.get(&Light::Blue), Some(&2));
        assert_eq!(f.by_light.get(&Light::Gray), None);
        // 4.8 亿 planned, 4.056 亿 allocated: 84.50 %, printed "4.06 亿元".
        assert_eq!(f.funds_planned, yuan("480000000"));
        assert_eq!(f.funds_allocated, yuan("405600000"));
        assert_eq!(f.allocated_percent, Some(yuan("84.50")));
        assert_eq!(f.allocated_percent.unwrap().to_string(), "84.50");
        assert_eq!(yuan_text(f.funds_allocated), "4.06 亿元");
    }

    #[test]
    fn exact_sums_and_half_up_percentages() {
        // Three tenths of a 元 add up exactly; 1/3 allocated is 33.33 %, 2/3 is 66.67 %.
        let list = [p(Light::Green, false, "0.1", "0.1"), p(Light::Green, false, "0.2", "0")];
        assert_eq!(figures(&list).funds_planned, yuan("0.3"));
        let third = [p(Light::Green, false, "3", "1")];
        assert_eq!(figures(&third).allocated_percent, Some(yuan("33.33")));
        let two_thirds = [p(Light::Green, false, "3", "2")];
        assert_eq!(figures(&two_thirds).allocated_percent, Some(yuan("66.67")));
        // 1/800 = 0.125 %: a midpoint, rounded up to 0.13 %; 1/1600 = 0.0625 % is 0.06 %.
        assert_eq!(figures(&[p(Light::Green, false, "800", "1")]).allocated_percent, Some(yuan("0.13")));
        assert_eq!(figures(&[p(Light::Green, false, "1600", "1")]).allocated_percent, Some(yuan("0.06")));
        assert_eq!(figures(&[]).allocated_percent, None);
    }

    #[test]
    fn large_sums_read_as_people_write_them() {
        assert_eq!(yuan_text(yuan("35200000")), "3520 万元");
        assert_eq!(yuan_text(yuan("860")), "860 元");
        assert_eq!(yuan_text(yuan("123456789.99")), "1.23 亿元");
    }
}
