//! One generated item and its history, decided before anything is written: who, which state,
//! which dates (all counted on the real working-day calendar), and the events that led there.

use super::Spec;
use super::tree::{County, Person, Responsible, Tree};
use bangdu_domain::calendar::Calendar;
use bangdu_domain::item::{Escalation, EscalationSettings, ItemState, Priority, Source, escalation_target};
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

const OBJECTS: [&str; 20] = [
    "农村自来水管网",
    "学校综合楼",
    "公共文化空间",
    "小区停车场",
    "污水管道",
    "路灯改造工程",
    "口袋公园",
    "卫生院修缮工程",
    "适老化改造",
    "黑臭水体治理",
    "农贸市场",
    "安置房项目",
    "村道硬化工程",
    "社区养老服务中心",
    "老旧小区改造",
    "地震应急避难场所",
    "图书馆分馆",
    "户外劳动者驿站",
    "校园周边道路",
    "政务服务窗口",
];

const PROBLEMS: [&str; 16] = [
    "铺设后无法供水",
    "施工许可办理受阻",
    "建成后长期闲置",
    "建设进度滞后",
    "群众反映噪音扰民",
    "资金拨付缓慢",
    "审批材料重复提交",
    "验收后出现质量问题",
    "运营维护不到位",
    "用地手续未完善",
    "安全隐患未整改",
    "配套设施未移交",
    "群众投诉多次未解决",
    "招标延误",
    "设备未按期安装",
    "管理责任不清",
];

/// One event of the history, before it is numbered and chained.
#[derive(Clone, Debug)]
pub struct EventPlan {
    pub on: NaiveDate,
    /// Minutes after 08:30 Beijing time.
    pub minute: i64,
    pub action: &'static str,
    pub actor: Actor,
    pub from: Option<ItemState>,
    pub to: ItemState,
    pub payload: serde_json::Value,
    pub reason: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Office,
    Unit,
    System,
}

#[derive(Clone, Debug)]
pub struct ItemPlan {
    pub title: String,
    pub source: Source,
    pub priority: Priority,
    pub owner: i64,
    pub office: Person,
    pub responsible: Responsible,
    pub lead: Option<i64>,
    pub cooperating: Vec<i64>,
    pub state: ItemState,
    pub created: NaiveDate,
    pub assigned_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub deadline_workdays: Option<i64>,
    pub paused_since: Option<NaiveDate>,
    pub ext_deadline: Option<NaiveDate>,
    pub escalation: Escalation,
    pub escalated_on: Option<NaiveDate>,
    pub close_requested: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    pub confirmed: Option<NaiveDate>,
    pub events: Vec<EventPlan>,
}

pub struct Planner<'a> {
    pub cal: &'a Calendar,
    pub tree: &'a Tree,
    pub spec: &'a Spec,
    pub ladder: EscalationSettings,
    /// Events still owed to reach `events_per_item` on average: items that stop early (drafts,
    /// cancellations, items not yet signed for) leave a debt that later progress reports repay.
    pub debt: std::cell::Cell<i64>,
}

impl Planner<'_> {
    /// The working day `n` working days after `day`, or the last day the calendar can count to.
    fn after(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut n = n.max(1);
        loop {
            match self.cal.add_workdays(day, n) {
                Ok(d) => return d,
                Err(_) if n > 1 => n /= 2,
                Err(_) => return day,
            }
        }
    }

    /// The working day `n` working days before `day` (or as far back as loaded).
    fn before(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        while left > 0 {
            d -= Duration::days(1);
            match self.cal.is_workday(d) {
                Ok(true) => left -= 1,
                Ok(false) => {}
                Err(_) => return d + Duration::days(1),
            }
        }
        d
    }

    fn workdays(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.cal.count_workdays(from, to).unwrap_or(0)
    }

    /// The `index`-th item: its county comes round-robin, everything else from the generator.
    /// The plan of item `index`, keeping the average number of events on target.
    pub fn item(&self, rng: &mut StdRng, index: u64) -> ItemPlan {
        let plan = self.plan_item(rng, index);
        let owed = i64::from(self.spec.events_per_item) - plan.events.len() as i64;
        self.debt.set(self.debt.get() + owed);
        plan
    }

    fn plan_item(&self, rng: &mut StdRng, index: u64) -> ItemPlan {
        let county: &County = &self.tree.counties[(index % self.tree.counties.len() as u64) as usize];
        let responsible = county.units[rng.random_range(0..county.units.len())].clone();
        let lead = rng.random_bool(0.2).then(|| county.units[rng.random_range(0..30.min(county.units.len()))].unit);
        let cooperating: Vec<i64> = (0..rng.random_range(0..3usize))
            .map(|_| county.units[rng.random_range(0..county.units.len())].unit)
            .filter(|u| *u != responsible.unit)
            .collect();
        let today = self.spec.today;
        let yesterday = self.before(today, 1);
        let title = format!(
            "{}{}{}",
            responsible.place.unwrap_or(""),
            OBJECTS[rng.random_range(0..OBJECTS.len())],
            PROBLEMS[rng.random_range(0..PROBLEMS.len())]
        );
        let mut plan = ItemPlan {
            title,
            source: Source::ALL[rng.random_range(0..Source::ALL.len())],
            priority: match rng.random_range(0..10) {
                0 => Priority::Urgent,
                1..=2 => Priority::High,
                _ => Priority::Normal,
            },
            owner: county.unit,
            office: county.office.clone(),
            responsible,
            lead,
            cooperating,
            state: ItemState::Registered,
            created: today,
            assigned_on: None,
            deadline: None,
            deadline_workdays: None,
            paused_since: None,
            ext_deadline: None,
            escalation: Escalation::None,
            escalated_on: None,
            close_requested: None,
            closed: None,
            confirmed: None,
            events: Vec::new(),
        };
        let days: u32 = [5, 10, 15, 20, 30, 45, 60][rng.random_range(0..7)];
        let roll: f64 = rng.random();
        if self.spec.all_open {
            // Deadlines from a week and a half past to `days` ahead: every item is still on its
            // way up the ladder (none has reached 通报), so the job has to look at each of them,
            // and each day's run raises some steps.
            plan.created = self.before(today, rng.random_range(1..=days + 8));
            self.assign(rng, &mut plan, days);
            let deadline = plan.deadline.unwrap_or(today);
            if rng.random_bool(0.1) && deadline >= today {
                plan.state = ItemState::Assigned;
            } else {
                self.accept(rng, &mut plan);
            }
            self.escalate_until(rng, &mut plan, yesterday);
            self.reports(rng, &mut plan, today, 0);
            plan.events.sort_by_key(|e| (e.on, e.minute));
            return plan;
        }
        plan.created = self.before(today, rng.random_range(0..=260));
        if roll < 0.01 {
            plan.state = ItemState::Draft;
            self.create_event(&mut plan);
            return plan;
        }
        if roll < 0.03 {
            self.create_event(&mut plan);
            return plan;
        }
        if roll < 0.05 {
            self.create_event(&mut plan);
            let on = self.after(plan.created, rng.random_range(1..5)).min(today);
            plan.state = ItemState::Cancelled;
            plan.events.push(event(
                on,
                120,
                "cancel",
                Actor::Office,
                Some(ItemState::Registered),
                ItemState::Cancelled,
                serde_json::json!({}),
                Some("与已有事项重复，合并办理"),
            ));
            return plan;
        }
        self.assign(rng, &mut plan, days);
        let deadline = plan.deadline.unwrap_or(today);
        let assigned = plan.assigned_on.unwrap_or(today);
        if self.workdays(assigned, today) < 2 && rng.random_bool(0.6) {
            plan.state = ItemState::Assigned;
            self.escalate_until(rng, &mut plan, yesterday);
            return plan;
        }
        self.accept(rng, &mut plan);
        let past = self.workdays(deadline, today);
        let close = |p: f64| rng_roll(roll, p);
        if past > 20 && close(0.92) || (0..=20).contains(&past) && close(0.60) || past < 0 && close(0.10) {
            // Written off: mostly on time, some late.
            let on_time = rng.random_bool(0.85);
            let mut closed = if on_time {
                self.before(deadline, rng.random_range(0..=(days / 3).max(1)))
            } else {
                self.after(deadline, rng.random_range(1..10))
            };
            closed = closed.min(yesterday).max(self.after(plan.assigned_on.unwrap_or(assigned), 2));
            self.escalate_until(rng, &mut plan, self.before(closed, 1));
            self.reports(rng, &mut plan, closed, 2);
            let requested = self.before(closed, rng.random_range(1..3)).max(self.after(assigned, 1));
            self.request_close(&mut plan, requested);
            plan.events.push(event(
                closed,
                90,
                "approve_close",
                Actor::Office,
                Some(ItemState::CloseRequested),
                ItemState::Closed,
                serde_json::json!({}),
                None,
            ));
            plan.state = ItemState::Closed;
            plan.closed = Some(closed);
            if rng.random_bool(0.3) && closed < yesterday {
                let confirmed = self.after(closed, rng.random_range(5..40)).min(yesterday);
                plan.events.push(event(
                    confirmed,
                    100,
                    "confirm",
                    Actor::Office,
                    Some(ItemState::Closed),
                    ItemState::Closed,
                    serde_json::json!({}),
                    None,
                ));
                plan.confirmed = Some(confirmed);
            }
        } else if rng.random_bool(0.12) {
            // Asked for the write-off; the office has not decided yet.
            let requested = self.before(today, rng.random_range(0..4)).max(self.after(assigned, 1));
            self.escalate_until(rng, &mut plan, self.before(requested, 1));
            self.reports(rng, &mut plan, requested, 1);
            self.request_close(&mut plan, requested);
            plan.state = ItemState::CloseRequested;
        } else {
            plan.state = ItemState::InProgress;
            if rng.random_bool(0.01) {
                plan.paused_since = Some(self.before(today, rng.random_range(1..10)).max(assigned));
            }
            let stop = plan.paused_since.map(|p| self.before(p, 1)).unwrap_or(yesterday);
            self.escalate_until(rng, &mut plan, stop);
            if plan.paused_since.is_none() && rng.random_bool(0.02) {
                plan.ext_deadline = Some(self.after(deadline, 10));
            }
            self.reports(rng, &mut plan, today, 0);
        }
        plan.events.sort_by_key(|e| (e.on, e.minute));
        plan
    }

    fn create_event(&self, plan: &mut ItemPlan) {
        let to = if plan.state == ItemState::Draft { ItemState::Draft } else { ItemState::Registered };
        plan.events.push(event(plan.created, 0, "create", Actor::Office, None, to, serde_json::json!({}), None));
    }

    fn assign(&self, rng: &mut StdRng, plan: &mut ItemPlan, days: u32) {
        self.create_event(plan);
        let on = self.after(plan.created, rng.random_range(1..3)).min(self.spec.today);
        let deadline = self.after(on, days);
        plan.assigned_on = Some(on);
        plan.deadline = Some(deadline);
        plan.deadline_workdays = Some(i64::from(days));
        plan.state = ItemState::Assigned;
        let payload = serde_json::json!({"unit": plan.responsible.code, "assigned_on": on, "deadline": deadline, "deadline_workdays": days});
        plan.events.push(event(
            on,
            30,
            "assign",
            Actor::Office,
            Some(ItemState::Registered),
            ItemState::Assigned,
            payload,
            None,
        ));
    }

    fn accept(&self, rng: &mut StdRng, plan: &mut ItemPlan) {
        let assigned = plan.assigned_on.unwrap_or(self.spec.today);
        let on = self.after(assigned, rng.random_range(1..3)).min(self.spec.today);
        plan.events.push(event(
            on,
            200,
            "accept",
            Actor::Unit,
            Some(ItemState::Assigned),
            ItemState::InProgress,
            serde_json::json!({}),
            None,
        ));
        plan.state = ItemState::InProgress;
    }

    /// Progress reports between signing for the item and `until`, enough to bring the history to
    /// the wanted number of events.
    /// `to_come`: events that will still follow (the write-off request and decision).
    fn reports(&self, rng: &mut StdRng, plan: &mut ItemPlan, until: NaiveDate, to_come: usize) {
        let Some(start) = plan.events.iter().find(|e| e.action == "accept").map(|e| e.on) else { return };
        let target = i64::from(self.spec.events_per_item) + rng.random_range(-2..=2);
        let repay = self.debt.get().clamp(0, i64::from(self.spec.events_per_item));
        let wanted = (target + repay - (plan.events.len() + to_come) as i64).max(0);
        let span = self.workdays(start, until).max(1);
        for k in 0..wanted {
            let on = self.after(start, u32::try_from(1 + span * k / wanted.max(1)).unwrap_or(1)).min(until);
            let payload = serde_json::json!({"note": format!("第 {} 次进展：已按计划推进", k + 1)});
            plan.events.push(event(
                on,
                300 + k,
                "report",
                Actor::Unit,
                Some(ItemState::InProgress),
                ItemState::InProgress,
                payload,
                None,
            ));
        }
    }

    fn request_close(&self, plan: &mut ItemPlan, on: NaiveDate) {
        let payload = serde_json::json!({"measures": "已按整改要求落实各项措施", "result": "问题已解决，群众满意"});
        plan.events.push(event(
            on,
            400,
            "request_close",
            Actor::Unit,
            Some(ItemState::InProgress),
            ItemState::CloseRequested,
            payload,
            None,
        ));
        plan.close_requested = Some(on);
    }

    /// The ladder steps the daily job would have raised by `until` (each on the day it was due).
    fn escalate_until(&self, _rng: &mut StdRng, plan: &mut ItemPlan, until: NaiveDate) {
        let Some(deadline) = plan.deadline else { return };
        let Ok(target) = escalation_target(self.cal, deadline, until, &self.ladder) else { return };
        let state = plan.state;
        for step in Escalation::LADDER.into_iter().filter(|s| *s <= target) {
            if step == Escalation::Reminder && self.ladder.reminder_days == 0 {
                continue;
            }
            // The first day the step was due, walking forward from before the deadline.
            let mut day = self.before(deadline, self.ladder.reminder_days.max(1));
            while day < until
                && escalation_target(self.cal, deadline, day, &self.ladder).unwrap_or(Escalation::None) < step
            {
                day = self.after(day, 1);
            }
            let payload =
                serde_json::json!({"step": step.code(), "label": step.label(), "deadline": deadline, "on": day});
            plan.events.push(event(day, -450, "escalate", Actor::System, Some(state), state, payload, None));
            plan.escalation = step;
            plan.escalated_on = Some(day);
        }
    }
}

fn rng_roll(roll: f64, p: f64) -> bool {
    // `roll` was drawn in [0.05, 1) for items that reach assignment: rescale it to [0, 1).
    (roll - 0.05) / 0.95 < p
}

#[allow(clippy::too_many_arguments)]
fn event(
    on: NaiveDate,
    minute: i64,
    action: &'static str,
    actor: Actor,
    from: Option<ItemState>,
    to: ItemState,
    payload: serde_json::Value,
    reason: Option<&'static str>,
) -> EventPlan {
    EventPlan { on, minute, action, actor, from, to, payload, reason }
}
