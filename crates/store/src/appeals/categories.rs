//! 诉求分类: the categories appeals are filed under, which Open311 serves as services. Everyone may
//! read them (the public form offers them); the administrator edits them.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::{AppealCategories, CategoryRecord};
use crate::time::now;
use bangdu_domain::CategoryId;
use bangdu_domain::appeal::attribute::{self, AttributeDef};
use bangdu_domain::field_error::{FieldError, optional_prose, required_text};
use bangdu_domain::permission::Permission;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::json;
use std::collections::HashMap;

/// A category as it is read: the record with its attribute definitions decoded.
#[derive(Clone, Debug)]
pub struct Category {
    pub record: CategoryRecord,
    pub attributes: Vec<AttributeDef>,
}

impl std::ops::Deref for Category {
    type Target = CategoryRecord;
    fn deref(&self) -> &CategoryRecord {
        &self.record
    }
}

fn decode(record: CategoryRecord) -> Category {
    // Stored definitions were checked when saved; an unreadable one serves as none.
    let attributes = record.attributes.as_deref().and_then(|text| attribute::parse_defs(text).ok()).unwrap_or_default();
    Category { record, attributes }
}

/// Every category (the inactive ones too when asked), in the administrator's order.
pub async fn list(c: &mut Conn<'_>, actor: &Actor, include_inactive: bool) -> Result<Vec<Category>> {
    actor.require(Permission::PublicAppeals)?;
    let mut select = Query::select();
    select
        .columns(AppealCategories::COLUMNS.iter().copied())
        .from(AppealCategories::Table)
        .order_by(AppealCategories::SortOrder, Order::Asc)
        .order_by(AppealCategories::Id, Order::Asc);
    if !include_inactive {
        select.and_where(Expr::col(AppealCategories::Active).eq(true));
    }
    let rows: Vec<CategoryRecord> = c.fetch_all(&select).await?;
    Ok(rows.into_iter().map(decode).collect())
}

/// One active category by its service code.
pub async fn by_code(c: &mut Conn<'_>, actor: &Actor, code: &str) -> Result<Category> {
    actor.require(Permission::PublicAppeals)?;
    let row: Option<CategoryRecord> = c
        .fetch_optional(
            Query::select()
                .columns(AppealCategories::COLUMNS.iter().copied())
                .from(AppealCategories::Table)
                .and_where(Expr::col(AppealCategories::Code).eq(code.trim()))
                .and_where(Expr::col(AppealCategories::Active).eq(true)),
        )
        .await?;
    row.map(decode).ok_or(StoreError::NotFound)
}

/// One category by id, active or not (the administrator's edit page).
pub async fn get(c: &mut Conn<'_>, actor: &Actor, id: CategoryId) -> Result<Category> {
    actor.require(Permission::PublicAppeals)?;
    let row: Option<CategoryRecord> = c
        .fetch_optional(
            Query::select()
                .columns(AppealCategories::COLUMNS.iter().copied())
                .from(AppealCategories::Table)
                .and_where(Expr::col(AppealCategories::Id).eq(id)),
        )
        .await?;
    row.map(decode).ok_or(StoreError::NotFound)
}

/// Categories by what exports write: the name, the code, or the last part of a path such as
/// 城乡建设>市容环境>占道经营 that names one.
pub struct CategoryIndex {
    by_text: HashMap<String, (CategoryId, i64)>,
}

impl CategoryIndex {
    pub async fn load(c: &mut Conn<'_>) -> Result<CategoryIndex> {
        let rows: Vec<CategoryRecord> = c
            .fetch_all(Query::select().columns(AppealCategories::COLUMNS.iter().copied()).from(AppealCategories::Table))
            .await?;
        let mut by_text = HashMap::new();
        for r in rows.iter().filter(|r| r.active) {
            by_text.insert(r.code.clone(), (r.id, r.time_limit_days));
            by_text.insert(r.name.clone(), (r.id, r.time_limit_days));
        }
        Ok(CategoryIndex { by_text })
    }

    /// The category and its time limit in working days; a blank cell is none.
    pub fn find(&self, field: &str, text: &str) -> std::result::Result<Option<(CategoryId, i64)>, FieldError> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if let Some(found) = self.by_text.get(t) {
            return Ok(Some(*found));
        }
        let parts = t.split(['>', '/', '＞', '-', '—', '→', '\\']).map(str::trim).filter(|p| !p.is_empty());
        for part in parts.collect::<Vec<_>>().into_iter().rev() {
            if let Some(found) = self.by_text.get(part) {
                return Ok(Some(*found));
            }
        }
        Err(FieldError::new(field, format!("诉求分类“{t}”不在分类表中（可由管理员在“诉求分类”中添加）")))
    }
}

/// A category as the administrator edits it.
#[derive(Clone, Debug, Default)]
pub struct CategoryInput {
    pub code: String,
    pub name: String,
    pub group_name: String,
    pub description: Option<String>,
    pub time_limit_days: i64,
    /// Open311 attribute definitions as JSON (a list), blank for none.
    pub attributes: Option<String>,
    pub active: bool,
    pub sort_order: i64,
}

impl CategoryInput {
    fn check(self) -> std::result::Result<CategoryInput, FieldError> {
        let code = required_text("code", "服务代码", &self.code, 40)?;
        if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') {
            return Err(FieldError::new("code", "服务代码只能由字母、数字和 - _ . 组成"));
        }
        if !(1..=365).contains(&self.time_limit_days) {
            return Err(FieldError::new("time_limit_days", "办理时限应为 1–365 个工作日"));
        }
        let attributes = match self.attributes.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => {
                let defs = attribute::parse_defs(text).map_err(|m| FieldError::new("attributes", m))?;
                (!defs.is_empty()).then(|| attribute::defs_json(&defs))
            }
            None => None,
        };
        Ok(CategoryInput {
            code,
            name: required_text("name", "分类名称", &self.name, 60)?,
            group_name: required_text("group_name", "分组", &self.group_name, 60)?,
            description: optional_prose("description", "说明", self.description.as_deref().unwrap_or(""), 2000)?,
            attributes,
            ..self
        })
    }
}

/// Adds a category (`id` none) or changes one at `version`.
pub async fn save(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: Option<(CategoryId, i64)>,
    input: CategoryInput,
) -> Result<Category> {
    actor.require(Permission::ManageSettings)?;
    let input = input.check()?;
    let at = now();
    let mut record = CategoryRecord {
        id: CategoryId(0),
        code: input.code,
        name: input.name,
        group_name: input.group_name,
        description: input.description,
        time_limit_days: input.time_limit_days,
        attributes: input.attributes,
        active: input.active,
        sort_order: input.sort_order,
        version: 1,
        updated_at: at,
    };
    let saved = match id {
        None => {
            let inserted: std::result::Result<CategoryRecord, StoreError> =
                c.fetch_one(record.insert().returning_all()).await;
            inserted.map_err(|e| duplicate(e, &record.code))?
        }
        Some((id, version)) => {
            let old = get(c, actor, id).await?;
            if old.version != version {
                return Err(StoreError::VersionConflict);
            }
            record.id = id;
            record.version = version + 1;
            let columns: Vec<AppealCategories> =
                AppealCategories::COLUMNS.iter().copied().filter(|c| *c != AppealCategories::Id).collect();
            let updated: Option<CategoryRecord> = c
                .fetch_optional(
                    Query::update()
                        .table(AppealCategories::Table)
                        .values(record.assignments(&columns))
                        .and_where(Expr::col(AppealCategories::Id).eq(id))
                        .and_where(Expr::col(AppealCategories::Version).eq(version))
                        .returning_all(),
                )
                .await
                .map_err(|e| duplicate(e, &record.code))?;
            updated.ok_or(StoreError::VersionConflict)?
        }
    };
    audit::append(
        c,
        actor,
        AuditEvent::new(if id.is_some() { "appeal_category.update" } else { "appeal_category.create" }, "appeal_category", saved.id)
            .change(json!({"code": saved.code, "name": saved.name, "time_limit_days": saved.time_limit_days, "active": saved.active}))
            .acting_as(actor, Permission::ManageSettings),
    )
    .await?;
    Ok(decode(saved))
}

fn duplicate(error: StoreError, code: &str) -> StoreError {
    if error.is_unique_violation() {
        StoreError::invalid("code", format!("服务代码“{code}”已被另一分类使用"))
    } else {
        error
    }
}
