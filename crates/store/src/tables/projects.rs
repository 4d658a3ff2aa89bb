//! Projects (为民办实事 / 民生微实事 / 重点项目) and everything recorded about them.

use bangdu_domain::{CheckId, FileId, FreezeId, ItemId, ProjectId, RatingId, ReportId};
use chrono::{DateTime, NaiveDate, Utc};

tables! {
    PROJECTS;

    /// Projects (为民办实事 / 民生微实事 / 重点项目): the plan, the latest reported figures and the
    /// current light (recomputed, never typed in).
    "projects" => Projects, ProjectRecord { key: id, serial: true, backup: true } {
        id: ProjectId,
        year: i64,
        level: String,
        kind: String,
        series: Option<String>,
        /// 序号: the row number in the office's published table.
        seq: Option<i64>,
        name: String,
        owner_unit_id: i64,
        lead_unit_id: i64,
        manager_unit_id: Option<i64>,
        responsible_person: Option<String>,
        address: Option<String>,
        /// WGS84 coordinates in millionths of a degree (exact and portable).
        lat_e6: Option<i64>,
        lon_e6: Option<i64>,
        target_text: Option<String>,
        indicator_value: Option<String>,
        indicator_unit: Option<String>,
        /// Money in 分 (fen).
        funds_planned: i64,
        funds_allocated: i64,
        funds_spent: i64,
        planned_start: NaiveDate,
        planned_end: NaiveDate,
        /// JSON `[{"name","date","progress"}]`, progress in hundredths of a percent.
        milestones: String,
        status: String,
        completed_on: Option<NaiveDate>,
        /// From the latest report: cumulative progress (hundredths of a percent) and its period.
        actual_progress: i64,
        indicator_achieved: Option<String>,
        last_reported: Option<String>,
        light: String,
        light_reason: String,
        planned_progress: i64,
        completed_early: bool,
        lit_on: NaiveDate,
        version: i64,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    /// The units of a project by role: `owner` (the office that registered it), `lead`,
    /// `cooperating`, `manager` (建成后管理责任单位). Scope checks look here.
    "project_units" => ProjectUnits, ProjectUnitRecord { key: none, serial: false, backup: true } {
        project_id: ProjectId,
        unit_id: i64,
        role: String,
    }

    /// Each version of a project's schedule with the day it took effect, so that the light on a past
    /// day is computed against the plan of that day.
    "project_plans" => ProjectPlans, ProjectPlanRecord { key: none, serial: false, backup: true } {
        project_id: ProjectId,
        valid_from: NaiveDate,
        planned_start: NaiveDate,
        planned_end: NaiveDate,
        milestones: String,
    }

    /// 月度记账: one report per project and month; a replaced report keeps its row with
    /// `superseded_on` set, so what was known on a past day stays known.
    "project_reports" => ProjectReports, ReportRecord { key: id, serial: true, backup: true } {
        id: ReportId,
        project_id: ProjectId,
        period: String,
        progress: i64,
        progress_reason: Option<String>,
        indicator_achieved: Option<String>,
        funds_allocated: Option<i64>,
        funds_spent: Option<i64>,
        narrative: Option<String>,
        problems: Option<String>,
        status: Option<String>,
        completed_on: Option<NaiveDate>,
        submitted_by: Option<i64>,
        submitted_on: NaiveDate,
        submitted_at: DateTime<Utc>,
        superseded_on: Option<NaiveDate>,
        check_state: String,
        check_note: Option<String>,
        checked_by: Option<i64>,
        checked_at: Option<DateTime<Utc>>,
    }

    /// The light history: a row on each day a project's light or reason changed.
    "project_lights" => ProjectLights, ProjectLightRecord { key: none, serial: false, backup: true } {
        project_id: ProjectId,
        on_date: NaiveDate,
        light: String,
        reason: String,
        planned: i64,
        actual: i64,
    }

    /// 季度收账 / 年度清账: a period closed by an office for the projects in its scope.
    "project_freezes" => ProjectFreezes, FreezeRecord { key: id, serial: true, backup: true } {
        id: FreezeId,
        kind: String,
        year: i64,
        quarter: Option<i64>,
        /// The last month covered, "2025-03".
        through: String,
        unit_id: i64,
        note: Option<String>,
        projects: i64,
        frozen_by: Option<i64>,
        frozen_at: DateTime<Utc>,
    }

    /// The figures of each project as a freeze fixed them.
    "project_frozen" => ProjectFrozen, FrozenRow { key: none, serial: false, backup: true } {
        freeze_id: FreezeId,
        project_id: ProjectId,
        progress: i64,
        indicator_achieved: Option<String>,
        funds_allocated: i64,
        funds_spent: i64,
        light: String,
        reason: String,
    }

    /// 运行使用情况: checks of a finished project in use; a problem found becomes an item.
    "project_checks" => ProjectChecks, CheckRecord { key: id, serial: true, backup: true } {
        id: CheckId,
        project_id: ProjectId,
        checked_on: NaiveDate,
        normal: bool,
        notes: Option<String>,
        item_id: Option<ItemId>,
        checked_by: Option<i64>,
        created_at: DateTime<Utc>,
    }

    /// Files attached to a project's monthly report (by month) or to an operating check.
    "project_files" => ProjectFiles, ProjectFileRow { key: id, serial: true, backup: true } {
        id: FileId,
        project_id: ProjectId,
        period: Option<String>,
        check_id: Option<CheckId>,
        filename: String,
        content_type: String,
        size_bytes: i64,
        sha256: String,
        uploaded_by: Option<i64>,
        uploaded_at: DateTime<Utc>,
    }

    /// A citizen's rating of a project (五星 and an optional comment the office moderates). `visitor`
    /// is a digest of an anonymous browser token and the project id: one rating per person per
    /// project, and no way to link one person's ratings of different projects.
    "project_ratings" => ProjectRatings, RatingRecord { key: id, serial: true, backup: true } {
        id: RatingId,
        project_id: ProjectId,
        visitor: String,
        stars: i64,
        comment: Option<String>,
        /// `none` (no comment), `pending`, `approved`, `rejected`.
        comment_state: String,
        created_at: DateTime<Utc>,
        moderated_by: Option<i64>,
        moderated_at: Option<DateTime<Utc>>,
    }

    /// A citizen's like (点赞) of a project, one per visitor digest.
    "project_likes" => ProjectLikes, LikeRecord { key: none, serial: false, backup: true } {
        project_id: ProjectId,
        visitor: String,
        created_at: DateTime<Utc>,
    }
}
