//! A project's light on every day, from one reading of its plans and reports: `as_of` (one day)
//! and the light history (each change of colour) are both read from it, so they cannot disagree.
//! The light of a day uses the plan in force that day and the latest report for a month up to that
//! day that had been submitted (and not yet replaced) by then.

use super::lights::{LightFacts, LightRules, compute};
use crate::db::Conn;
use crate::error::Result;
use crate::tables::{ProjectPlans, ProjectReports};
use bangdu_domain::project::{Lit, Milestone, Percent, Period};
use chrono::{Duration, NaiveDate};
use sea_query::{Expr, ExprTrait, Order, Query};

#[derive(sqlx::FromRow)]
struct PlanRow {
    valid_from: NaiveDate,
    planned_start: NaiveDate,
    planned_end: NaiveDate,
    milestones: String,
}

struct Plan {
    valid_from: NaiveDate,
    planned_start: NaiveDate,
    planned_end: NaiveDate,
    milestones: Vec<Milestone>,
}

#[derive(sqlx::FromRow)]
struct Known {
    period: String,
    progress: i64,
    submitted_on: NaiveDate,
    superseded_on: Option<NaiveDate>,
}

/// One row of the light history: the day a colour began, and the light that day.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LightChange {
    pub on_date: NaiveDate,
    pub light: String,
    pub reason: String,
    pub planned: i64,
    pub actual: i64,
}

pub struct Timeline {
    /// Oldest first; never empty (a project without recorded plans has its own as the only one).
    plans: Vec<Plan>,
    reports: Vec<(Period, Known)>,
    completed_on: Option<NaiveDate>,
    /// The first day the history covers: the project's registration, or its planned start if
    /// earlier (a project imported after the fact still shows its whole course).
    pub first_day: NaiveDate,
}

impl Timeline {
    pub async fn load(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Timeline> {
        let mut timeline = Timeline::load_plans(c, project).await?;
        let known: Vec<Known> = c
            .fetch_all(
                Query::select()
                    .columns([
                        ProjectReports::Period,
                        ProjectReports::Progress,
                        ProjectReports::SubmittedOn,
                        ProjectReports::SupersededOn,
                    ])
                    .from(ProjectReports::Table)
                    .and_where(Expr::col(ProjectReports::ProjectId).eq(project.id))
                    .order_by(ProjectReports::Period, Order::Desc),
            )
            .await?;
        timeline.reports = known.into_iter().filter_map(|k| Period::parse(&k.period).map(|p| (p, k))).collect();
        Ok(timeline)
    }

    /// The plans alone, for a light computed from figures given by the caller (a freeze's).
    pub async fn load_plans(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Timeline> {
        let rows: Vec<PlanRow> = c
            .fetch_all(
                Query::select()
                    .columns([
                        ProjectPlans::ValidFrom,
                        ProjectPlans::PlannedStart,
                        ProjectPlans::PlannedEnd,
                        ProjectPlans::Milestones,
                    ])
                    .from(ProjectPlans::Table)
                    .and_where(Expr::col(ProjectPlans::ProjectId).eq(project.id))
                    .order_by(ProjectPlans::ValidFrom, Order::Asc),
            )
            .await?;
        let mut plans: Vec<Plan> = rows
            .into_iter()
            .map(|p| Plan {
                valid_from: p.valid_from,
                planned_start: p.planned_start,
                planned_end: p.planned_end,
                milestones: super::row::parse_milestones(&p.milestones),
            })
            .collect();
        if plans.is_empty() {
            plans.push(Plan {
                valid_from: project.planned_start,
                planned_start: project.planned_start,
                planned_end: project.planned_end,
                milestones: super::row::parse_milestones(&project.milestones),
            });
        }
        let registered = crate::time::beijing_date(&project.created_at);
        let first_day = plans.iter().map(|p| p.planned_start).chain([registered]).min().unwrap_or(registered);
        Ok(Timeline { plans, reports: Vec::new(), completed_on: project.completed_on, first_day })
    }

    /// The light on `on`.
    pub fn on(&self, rules: &LightRules<'_>, on: NaiveDate) -> Lit {
        let month = Period::of(on);
        // Newest period first: the first report known on `on` is the one that counts.
        let report = self
            .reports
            .iter()
            .find(|(period, k)| *period <= month && k.submitted_on <= on && k.superseded_on.is_none_or(|s| s > on));
        self.with_figures(rules, on, Percent(report.map_or(0, |(_, k)| k.progress)), report.map(|(p, _)| *p))
    }

    /// The light on `on` against the plan in force that day, given the progress and last report.
    pub fn with_figures(
        &self,
        rules: &LightRules<'_>,
        on: NaiveDate,
        actual: Percent,
        last_reported: Option<Period>,
    ) -> Lit {
        // The plan in force: the latest that took effect by `on`; before any did, the first.
        let plan = self.plans.iter().rev().find(|p| p.valid_from <= on).unwrap_or(&self.plans[0]);
        compute(
            rules,
            &LightFacts {
                planned_start: plan.planned_start,
                planned_end: plan.planned_end,
                milestones: &plan.milestones,
                actual,
                completed_on: self.completed_on.filter(|d| *d <= on),
                last_reported,
            },
            on,
        )
    }

    /// Each change of colour from `first_day` up to `until`, oldest first (the first day always).
    pub fn changes(&self, rules: &LightRules<'_>, until: NaiveDate) -> Vec<LightChange> {
        let mut changes: Vec<LightChange> = Vec::new();
        let mut day = self.first_day;
        while day <= until {
            let lit = self.on(rules, day);
            if changes.last().is_none_or(|last| last.light != lit.light.code()) {
                changes.push(LightChange {
                    on_date: day,
                    light: lit.light.code().into(),
                    reason: lit.reason,
                    planned: lit.planned.0,
                    actual: lit.actual.0,
                });
            }
            day += Duration::days(1);
        }
        changes
    }
}
