//! Files of a project: the evidence attached to a month's report (现场照片, 验收单) and to an
//! operating check. A report's files belong to its month, so a report replaced before it is
//! accepted keeps them; once the month is accepted or frozen its evidence is fixed too.

use super::checks::can_check;
use super::{can_report, query, reports};
use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::files::{FileStore, Upload, store_upload};
pub use crate::tables::ProjectFileRow;
use crate::tables::ProjectFiles;
use crate::time::now;
use bangdu_domain::project::Period;
use bangdu_domain::{CheckId, FileId, ProjectId};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;

/// What a file is evidence for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileFor {
    /// The report of a month, "YYYY-MM".
    Report(String),
    /// An operating check (its id).
    Check(CheckId),
}

/// The files of a project, oldest first (the caller has already read the project in scope).
pub async fn list(c: &mut Conn<'_>, project: &super::ProjectRow) -> Result<Vec<ProjectFileRow>> {
    let project = project.id;
    c.fetch_all(
        Query::select()
            .columns(ProjectFiles::COLUMNS.iter().copied())
            .from(ProjectFiles::Table)
            .and_where(Expr::col(ProjectFiles::ProjectId).eq(project))
            .order_by(ProjectFiles::Id, Order::Asc),
    )
    .await
}

/// A file of a project the actor can see (otherwise not found).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, project: ProjectId, id: FileId) -> Result<ProjectFileRow> {
    query::get(c, actor, project).await?;
    c.fetch_optional(
        Query::select()
            .columns(ProjectFiles::COLUMNS.iter().copied())
            .from(ProjectFiles::Table)
            .and_where(Expr::col(ProjectFiles::ProjectId).eq(project))
            .and_where(Expr::col(ProjectFiles::Id).eq(id)),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// Attaches a file to a month's report (by whoever may report, while the month is still open to
/// changes) or to an operating check (by whoever may record checks).
pub async fn add(
    c: &mut Conn<'_>,
    files: &dyn FileStore,
    actor: &Actor,
    project_id: ProjectId,
    target: &FileFor,
    filename: &str,
    bytes: &[u8],
) -> Result<ProjectFileRow> {
    let project = query::get(c, actor, project_id).await?;
    let units = query::links_of(c, project_id).await?;
    let paths = query::unit_paths(&units);
    let (period, check_id) = match target {
        FileFor::Report(period) => {
            if !can_report(actor, &project, &paths) {
                return Err(StoreError::Forbidden);
            }
            let code = Period::parse(period)
                .ok_or_else(|| StoreError::invalid("period", format!("月份“{}”无效，应为 YYYY-MM", period.trim())))?
                .code();
            let report = reports::current(c, project_id, &code)
                .await?
                .ok_or_else(|| StoreError::invalid("period", format!("{code} 尚未报送，请先报送当月进展")))?;
            if report.check_state == "accepted" {
                return Err(StoreError::conflict("report_checked", format!("{code} 的报告已审核通过，不能再添加附件")));
            }
            if let Some(freeze) = reports::frozen_by(c, project_id, &code).await? {
                return Err(StoreError::conflict("period_frozen", format!("{freeze}已冻结 {code} 的数据")));
            }
            (Some(code), None)
        }
        FileFor::Check(check) => {
            if !can_check(actor, &project, &paths) {
                return Err(StoreError::Forbidden);
            }
            super::checks::get(c, project_id, *check).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::invalid("check", "该项目没有这次运行检查"),
                other => other,
            })?;
            (None, Some(*check))
        }
    };
    let Upload { name, content_type, sha256, size } = store_upload(c, files, filename, bytes).await?;
    let file = ProjectFileRow {
        id: FileId(0),
        project_id,
        period: period.clone(),
        check_id,
        filename: name.clone(),
        content_type: content_type.into(),
        size_bytes: size,
        sha256: sha256.clone(),
        uploaded_by: actor.user_id.map(|u| u.0),
        uploaded_at: now(),
    };
    let row: ProjectFileRow =
        c.fetch_one(file.insert().returning(Query::returning().columns(ProjectFiles::COLUMNS.iter().copied()))).await?;
    audit::append(
        c,
        actor,
        AuditEvent::new("project.attach", "project", project_id).change(json!({"payload": {
            "file": row.id, "period": period, "check": check_id, "filename": name, "sha256": sha256, "size": size}})),
    )
    .await?;
    Ok(row)
}
