//! 月度记账: the lead unit reports each month (cumulative progress, indicator, funds, narrative,
//! problems); the office checks the report. A report for a month can be replaced until it is
//! accepted or its period is frozen; the replaced row stays, marked with the day it was replaced.

use super::input::{blank, indicator};
use super::lights::{self, LightRules};
use super::query;
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::{ProjectFreezes, ProjectFrozen, ProjectReports, Projects, ReportRecord};
use crate::time::now;
use bangdu_domain::FieldError;
use bangdu_domain::field_error::optional_text;
use bangdu_domain::permission::Permission;
use bangdu_domain::project::plan::{check_progress, parse_date, parse_percent};
use bangdu_domain::project::{Percent, Period, ReportVerdict, Status, money};
use bangdu_domain::{ProjectId, ReportId};
use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde_json::json;

/// A monthly report as sent to `POST /api/v1/projects/{id}/reports`.
#[derive(Clone, Debug, Default)]
pub struct ReportInput {
    /// The month reported on, "YYYY-MM".
    pub period: String,
    /// Cumulative progress in percent (0–100).
    pub progress: Option<String>,
    /// Required when progress is lower than the previous month's.
    pub progress_reason: Option<String>,
    /// How much of the indicator is achieved (e.g. 2400 of 3000 停车位).
    pub indicator_achieved: Option<String>,
    /// Funds allocated (已下达) so far, 元.
    pub funds_allocated: Option<String>,
    /// Funds spent so far, 元.
    pub funds_spent: Option<String>,
    pub narrative: Option<String>,
    /// Problems met (存在问题).
    pub problems: Option<String>,
    /// The project's status now: `not_started`, `in_progress`, `completed`, `accepted`, `in_use`.
    pub status: Option<String>,
    /// The day it was completed (with a done status).
    pub completed_on: Option<String>,
}

joined_row! {
    /// A report as stored, with the name of the person who submitted it.
    pub struct ReportRow {
        report: ReportRecord,
        submitter_name: Option<String>,
    }
}

fn select_reports() -> sea_query::SelectStatement {
    use crate::tables::Users;
    let u = Alias::new("submitter");
    let mut select = Query::select();
    select
        .columns(ProjectReports::qualified())
        .expr_as(Expr::col((u.clone(), Users::DisplayName)), Alias::new("submitter_name"))
        .from(ProjectReports::Table)
        .join_as(
            JoinType::LeftJoin,
            Users::Table,
            u.clone(),
            Expr::col((u, Users::Id)).equals((ProjectReports::Table, ProjectReports::SubmittedBy)),
        );
    select
}

/// The current (not replaced) reports of a project, newest month first.
pub async fn list(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Vec<ReportRow>> {
    let project = project.id;
    let mut select = select_reports();
    select
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::ProjectId)).eq(project))
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::SupersededOn)).is_null())
        .order_by((ProjectReports::Table, ProjectReports::Period), Order::Desc);
    c.fetch_all(&select).await
}

pub(crate) async fn current(c: &mut Conn<'_>, project: ProjectId, period: &str) -> Result<Option<ReportRow>> {
    let mut select = select_reports();
    select
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::ProjectId)).eq(project))
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::Period)).eq(period))
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::SupersededOn)).is_null());
    c.fetch_optional(&select).await
}

/// The latest current report for a month before `period`.
async fn previous(c: &mut Conn<'_>, project: ProjectId, period: &str) -> Result<Option<ReportRow>> {
    let mut select = select_reports();
    select
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::ProjectId)).eq(project))
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::Period)).lt(period))
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::SupersededOn)).is_null())
        .order_by((ProjectReports::Table, ProjectReports::Period), Order::Desc)
        .limit(1);
    c.fetch_optional(&select).await
}

/// The freeze (if any) that covers `period` for a project the caller has read: its label.
pub async fn frozen_for(c: &mut Conn<'_>, project: &super::ProjectRow, period: &str) -> Result<Option<String>> {
    frozen_by(c, project.id, period).await
}

/// The freeze (if any) that covers `period` for `project`: its label, e.g. "2025 年第一季度收账".
pub(crate) async fn frozen_by(c: &mut Conn<'_>, project: ProjectId, period: &str) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct F {
        kind: String,
        year: i64,
        quarter: Option<i64>,
    }
    let found: Option<F> = c
        .fetch_optional(
            Query::select()
                .columns([
                    (ProjectFreezes::Table, ProjectFreezes::Kind),
                    (ProjectFreezes::Table, ProjectFreezes::Year),
                    (ProjectFreezes::Table, ProjectFreezes::Quarter),
                ])
                .from(ProjectFrozen::Table)
                .inner_join(
                    ProjectFreezes::Table,
                    Expr::col((ProjectFreezes::Table, ProjectFreezes::Id))
                        .equals((ProjectFrozen::Table, ProjectFrozen::FreezeId)),
                )
                .and_where(Expr::col((ProjectFrozen::Table, ProjectFrozen::ProjectId)).eq(project))
                .and_where(Expr::col((ProjectFreezes::Table, ProjectFreezes::Through)).gte(period))
                .order_by((ProjectFreezes::Table, ProjectFreezes::Through), Order::Asc)
                .limit(1),
        )
        .await?;
    Ok(found.map(|f| super::freeze::label(&f.kind, f.year, f.quarter)))
}

/// Submits (or replaces) the report for a month.
pub async fn submit(
    c: &mut Conn<'_>,
    actor: &Actor,
    rules: &LightRules<'_>,
    project_id: ProjectId,
    input: &ReportInput,
    today: NaiveDate,
) -> Result<ReportRow> {
    let project = query::get(c, actor, project_id).await?;
    let units = query::links_of(c, project_id).await?;
    if !super::can_report(actor, &project, &query::unit_paths(&units)) {
        return Err(StoreError::Forbidden);
    }
    let period = Period::parse(&input.period)
        .ok_or_else(|| FieldError::new("period", format!("月份“{}”无效，应为 YYYY-MM", input.period.trim())))?;
    if period > Period::of(today) {
        return Err(StoreError::invalid("period", format!("不能报送未来月份 {}", period.code())));
    }
    let code = period.code();
    let progress_text = blank(&input.progress).ok_or_else(|| FieldError::new("progress", "请填写累计进度"))?;
    let progress = parse_percent("progress", progress_text)?;
    let reason = optional_text("progress_reason", "进度回退原因", input.progress_reason.as_deref().unwrap_or(""), 500)?;
    let amount = |field: &str, v: &Option<String>| blank(v).map(|t| money::parse_yuan(field, t)).transpose();
    let funds_allocated = amount("funds_allocated", &input.funds_allocated)?;
    let funds_spent = amount("funds_spent", &input.funds_spent)?;
    let indicator = indicator("indicator_achieved", "指标完成值", &input.indicator_achieved)?;
    let narrative = optional_text("narrative", "进展情况", input.narrative.as_deref().unwrap_or(""), 5000)?;
    let problems = optional_text("problems", "存在问题", input.problems.as_deref().unwrap_or(""), 5000)?;
    let status = blank(&input.status)
        .map(|s| Status::parse(s).ok_or_else(|| FieldError::new("status", format!("未知状态“{s}”"))))
        .transpose()?;
    let completed_on = blank(&input.completed_on).map(|d| parse_date("completed_on", d)).transpose()?;
    match (status.is_some_and(Status::is_done), completed_on) {
        (true, None) => return Err(StoreError::invalid("completed_on", "已完工请填写完工日期")),
        (false, Some(_)) => return Err(StoreError::invalid("completed_on", "只有已完工的项目才填写完工日期")),
        (true, Some(d)) if d > today => return Err(StoreError::invalid("completed_on", "完工日期不能晚于今天")),
        (true, Some(d)) if d < project.planned_start => {
            return Err(StoreError::invalid("completed_on", "完工日期不能早于计划开工日期"));
        }
        (true, Some(_)) if progress != Percent::FULL => {
            return Err(StoreError::invalid("progress", "已完工的项目累计进度应为 100%"));
        }
        _ => {}
    }
    if let Some(freeze) = frozen_by(c, project_id, &code).await? {
        return Err(StoreError::conflict("period_frozen", format!("{freeze}已冻结 {code} 的数据，不能再报送或修改")));
    }
    let before = previous(c, project_id, &code).await?;
    check_progress(before.as_ref().map(|r| Percent(r.progress)), progress, reason.as_deref())?;
    if let Some(existing) = current(c, project_id, &code).await? {
        if existing.check_state == "accepted" {
            return Err(StoreError::conflict("report_checked", format!("{code} 的报告已审核通过，不能修改")));
        }
        c.execute(
            Query::update()
                .table(ProjectReports::Table)
                .value(ProjectReports::SupersededOn, today)
                .and_where(Expr::col(ProjectReports::Id).eq(existing.id)),
        )
        .await?;
    }
    #[derive(sqlx::FromRow)]
    struct Inserted {
        id: ReportId,
    }
    let record = ReportRecord {
        id: ReportId(0),
        project_id,
        period: code.clone(),
        progress: progress.0,
        progress_reason: reason.clone(),
        indicator_achieved: indicator.clone(),
        funds_allocated,
        funds_spent,
        narrative,
        problems,
        status: status.map(|s| s.code().to_string()),
        completed_on,
        submitted_by: actor.user_id.map(|u| u.0),
        submitted_on: today,
        submitted_at: now(),
        superseded_on: None,
        check_state: "submitted".into(),
        check_note: None,
        checked_by: None,
        checked_at: None,
    };
    let inserted: Inserted = c.fetch_one(record.insert().returning_col(ProjectReports::Id)).await?;
    // The project carries the figures of its latest month.
    let latest = project.last_reported.as_deref().is_none_or(|last| code.as_str() >= last);
    if latest {
        let mut update = Query::update();
        update
            .table(Projects::Table)
            .values([
                (Projects::ActualProgress, progress.0.into()),
                (Projects::LastReported, code.clone().into()),
                (Projects::UpdatedAt, now().into()),
            ])
            .value(Projects::Version, Expr::col(Projects::Version).add(1))
            .and_where(Expr::col(Projects::Id).eq(project_id));
        if let Some(v) = &indicator {
            update.value(Projects::IndicatorAchieved, v.clone());
        }
        if let Some(v) = funds_allocated {
            update.value(Projects::FundsAllocated, v);
        }
        if let Some(v) = funds_spent {
            update.value(Projects::FundsSpent, v);
        }
        if let Some(s) = status {
            update.value(Projects::Status, s.code());
            update.value(Projects::CompletedOn, completed_on);
        }
        c.execute(&update).await?;
    }
    lights::relight(c, rules, Some(&[project_id]), today).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.report", "project", project_id)
            .change(json!({"payload": {"period": code, "progress": progress.0, "status": status.map(|s| s.code()),
                "completed_on": completed_on, "funds_allocated": funds_allocated, "funds_spent": funds_spent,
                "indicator_achieved": indicator, "progress_reason": reason}}))
            .acting_as(actor, Permission::ReportProjects),
    )
    .await?;
    let mut select = select_reports();
    select.and_where(Expr::col((ProjectReports::Table, ProjectReports::Id)).eq(inserted.id));
    c.fetch_one(&select).await
}

/// The office checks a report: accepts it, or returns it with a note saying what to fix.
pub async fn check(
    c: &mut Conn<'_>,
    actor: &Actor,
    project_id: ProjectId,
    report_id: ReportId,
    verdict: ReportVerdict,
    note: Option<&str>,
) -> Result<ReportRow> {
    let project = query::get(c, actor, project_id).await?;
    let units = query::links_of(c, project_id).await?;
    if !super::can_manage(actor, &project, &query::unit_paths(&units)) {
        return Err(StoreError::Forbidden);
    }
    let note = optional_text("note", "审核意见", note.unwrap_or(""), 1000)?;
    if verdict == ReportVerdict::Return && note.is_none() {
        return Err(StoreError::invalid("note", "退回时请写明需要修改的内容"));
    }
    let mut select = select_reports();
    select
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::Id)).eq(report_id))
        .and_where(Expr::col((ProjectReports::Table, ProjectReports::ProjectId)).eq(project_id));
    let report: ReportRow = c.fetch_optional(&select).await?.ok_or(StoreError::NotFound)?;
    if report.superseded_on.is_some() {
        return Err(StoreError::conflict("report_superseded", "该报告已被新的报告替代"));
    }
    if report.check_state != "submitted" {
        return Err(StoreError::conflict("report_checked", "该报告已审核"));
    }
    let state = match verdict {
        ReportVerdict::Accept => "accepted",
        ReportVerdict::Return => "returned",
    };
    c.execute(
        Query::update()
            .table(ProjectReports::Table)
            .values([
                (ProjectReports::CheckState, state.into()),
                (ProjectReports::CheckNote, note.clone().into()),
                (ProjectReports::CheckedBy, actor.user_id.map(|u| u.0).into()),
                (ProjectReports::CheckedAt, now().into()),
            ])
            .and_where(Expr::col(ProjectReports::Id).eq(report_id)),
    )
    .await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.report_check", "project", project_id)
            .change(json!({"payload": {"report": report_id, "period": report.period, "result": state, "note": note}}))
            .acting_as(actor, Permission::ManageProjects),
    )
    .await?;
    let mut select = select_reports();
    select.and_where(Expr::col((ProjectReports::Table, ProjectReports::Id)).eq(report_id));
    c.fetch_one(&select).await
}
