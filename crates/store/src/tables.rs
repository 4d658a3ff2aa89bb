//! Table and column names, shared by the schema (migrations) and the queries.

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub enum SchemaMigrations {
    Table,
    Version,
    Name,
    AppliedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Units {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ParentId,
    Region,
    /// Materialised path of ids from the root, e.g. `/1/4/9/`; scope checks match on its prefix.
    Path,
    Depth,
    SortOrder,
    Active,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    Phone,
    Email,
    PasswordHash,
    PasswordChangedAt,
    MustChangePassword,
    FailedSignIns,
    LockedUntil,
    Active,
    LastSignInAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub enum RoleGrants {
    Table,
    Id,
    UserId,
    Role,
    UnitId,
    DataScope,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum GrantUnits {
    Table,
    GrantId,
    UnitId,
}

#[derive(Iden, Clone, Copy)]
pub enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    SourceIp,
    UserAgent,
}

#[derive(Iden, Clone, Copy)]
pub enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum AuditEvents {
    Table,
    Seq,
    At,
    ActorId,
    ActorName,
    ActorRole,
    SourceIp,
    Action,
    ObjectType,
    ObjectId,
    Change,
    Result,
    Algorithm,
    PrevHash,
    Hash,
}

/// One row (id 1): the last sequence number and hash, and the base left by a purge.
#[derive(Iden, Clone, Copy)]
pub enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
    BaseSeq,
    BaseHash,
}

#[derive(Iden, Clone, Copy)]
pub enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
    UpdatedBy,
}

#[derive(Iden, Clone, Copy)]
pub enum CalendarYears {
    Table,
    Year,
    Note,
    LoadedAt,
    LoadedBy,
}

#[derive(Iden, Clone, Copy)]
pub enum CalendarDays {
    Table,
    Year,
    Date,
    Kind,
    Name,
}

#[derive(Iden, Clone, Copy)]
pub enum Items {
    Table,
    Id,
    Code,
    Title,
    Description,
    Source,
    SourceLink,
    Tags,
    RelatedProjects,
    /// The project an item was raised from (source 项目滞后), if any.
    ProjectId,
    Priority,
    ParentId,
    OwnerUnitId,
    ResponsibleUnitId,
    LeadUnitId,
    ResponsiblePerson,
    Measures,
    CompletionStandard,
    State,
    Version,
    AssignedOn,
    Deadline,
    DeadlineWorkdays,
    PausedSince,
    PausedWorkdays,
    ExtDeadline,
    ExtReason,
    ExtRequestedBy,
    Escalation,
    EscalatedOn,
    ReopenCount,
    CloseMeasures,
    CloseResult,
    CloseRequestedBy,
    CloseRequestedAt,
    ClosedAt,
    ClosedBy,
    ConfirmedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

/// The units an item belongs to, by role: `owner` (the office that registered it),
/// `responsible`, `lead`, `cooperating`. Scope checks look here.
#[derive(Iden, Clone, Copy)]
pub enum ItemUnits {
    Table,
    ItemId,
    UnitId,
    Role,
}

/// Who can see an item, flattened for lists (see `items::access`).
#[derive(Iden, Clone, Copy)]
pub enum ItemAccess {
    Table,
    ItemId,
    UnitId,
    Direct,
    State,
    Open,
    DeadlineKey,
}

#[derive(Iden, Clone, Copy)]
pub enum ItemCounters {
    Table,
    Year,
    Last,
}

#[derive(Iden, Clone, Copy)]
pub enum Attachments {
    Table,
    Id,
    ItemId,
    Action,
    AuditSeq,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    UploadedBy,
    UploadedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    ItemId,
    CreatedAt,
    ReadAt,
    Event,
}

#[derive(Iden, Clone, Copy)]
pub enum UnitWebhooks {
    Table,
    Id,
    UnitId,
    Url,
    Secret,
    Active,
    CreatedBy,
    CreatedAt,
}

/// The outbox: webhook calls, e-mails and SMS waiting to go out, and their delivery log.
#[derive(Iden, Clone, Copy)]
pub enum Deliveries {
    Table,
    Id,
    Channel,
    Target,
    WebhookId,
    Subject,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LastStatus,
    LastError,
    CreatedAt,
    DeliveredAt,
}

/// One row per run of a scheduled job: the node that inserts it runs the job.
#[derive(Iden, Clone, Copy)]
pub enum JobRuns {
    Table,
    Job,
    RunKey,
    Node,
    StartedAt,
    FinishedAt,
    Summary,
}

/// Projects (为民办实事 / 民生微实事 / 重点项目): the plan, the latest reported figures and the
/// current light (recomputed, never typed in).
#[derive(Iden, Clone, Copy)]
pub enum Projects {
    Table,
    Id,
    Year,
    Level,
    Kind,
    Series,
    /// 序号: the row number in the office's published table.
    Seq,
    Name,
    OwnerUnitId,
    LeadUnitId,
    ManagerUnitId,
    ResponsiblePerson,
    Address,
    /// WGS84 coordinates in millionths of a degree (exact and portable).
    LatE6,
    LonE6,
    TargetText,
    IndicatorValue,
    IndicatorUnit,
    /// Money in 分 (fen).
    FundsPlanned,
    FundsAllocated,
    FundsSpent,
    PlannedStart,
    PlannedEnd,
    /// JSON `[{"name","date","progress"}]`, progress in hundredths of a percent.
    Milestones,
    Status,
    CompletedOn,
    /// From the latest report: cumulative progress (hundredths of a percent) and its period.
    ActualProgress,
    IndicatorAchieved,
    LastReported,
    Light,
    LightReason,
    PlannedProgress,
    CompletedEarly,
    LitOn,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

/// The units of a project by role: `owner` (the office that registered it), `lead`,
/// `cooperating`, `manager` (建成后管理责任单位). Scope checks look here.
#[derive(Iden, Clone, Copy)]
pub enum ProjectUnits {
    Table,
    ProjectId,
    UnitId,
    Role,
}

/// Each version of a project's schedule with the day it took effect, so that the light on a past
/// day is computed against the plan of that day.
#[derive(Iden, Clone, Copy)]
pub enum ProjectPlans {
    Table,
    ProjectId,
    ValidFrom,
    PlannedStart,
    PlannedEnd,
    Milestones,
}

/// 月度记账: one report per project and month; a replaced report keeps its row with
/// `superseded_on` set, so what was known on a past day stays known.
#[derive(Iden, Clone, Copy)]
pub enum ProjectReports {
    Table,
    Id,
    ProjectId,
    Period,
    Progress,
    ProgressReason,
    IndicatorAchieved,
    FundsAllocated,
    FundsSpent,
    Narrative,
    Problems,
    Status,
    CompletedOn,
    SubmittedBy,
    SubmittedOn,
    SubmittedAt,
    SupersededOn,
    CheckState,
    CheckNote,
    CheckedBy,
    CheckedAt,
}

/// The light history: a row on each day a project's light or reason changed.
#[derive(Iden, Clone, Copy)]
pub enum ProjectLights {
    Table,
    ProjectId,
    OnDate,
    Light,
    Reason,
    Planned,
    Actual,
}

/// 季度收账 / 年度清账: a period closed by an office for the projects in its scope.
#[derive(Iden, Clone, Copy)]
pub enum ProjectFreezes {
    Table,
    Id,
    Kind,
    Year,
    Quarter,
    /// The last month covered, "2025-03".
    Through,
    UnitId,
    Note,
    Projects,
    FrozenBy,
    FrozenAt,
}

/// The figures of each project as a freeze fixed them.
#[derive(Iden, Clone, Copy)]
pub enum ProjectFrozen {
    Table,
    FreezeId,
    ProjectId,
    Progress,
    IndicatorAchieved,
    FundsAllocated,
    FundsSpent,
    Light,
    Reason,
}

/// 运行使用情况: checks of a finished project in use; a problem found becomes an item.
#[derive(Iden, Clone, Copy)]
pub enum ProjectChecks {
    Table,
    Id,
    ProjectId,
    CheckedOn,
    Normal,
    Notes,
    ItemId,
    CheckedBy,
    CreatedAt,
}

/// Files attached to a project's monthly report (by month) or to an operating check.
#[derive(Iden, Clone, Copy)]
pub enum ProjectFiles {
    Table,
    Id,
    ProjectId,
    Period,
    CheckId,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    UploadedBy,
    UploadedAt,
}

/// A citizen's rating of a project (五星 and an optional comment the office moderates). `visitor`
/// is a digest of an anonymous browser token and the project id: one rating per person per
/// project, and no way to link one person's ratings of different projects.
#[derive(Iden, Clone, Copy)]
pub enum ProjectRatings {
    Table,
    Id,
    ProjectId,
    Visitor,
    Stars,
    Comment,
    /// `none` (no comment), `pending`, `approved`, `rejected`.
    CommentState,
    CreatedAt,
    ModeratedBy,
    ModeratedAt,
}

/// A citizen's like (点赞) of a project, one per visitor digest.
#[derive(Iden, Clone, Copy)]
pub enum ProjectLikes {
    Table,
    ProjectId,
    Visitor,
    CreatedAt,
}
