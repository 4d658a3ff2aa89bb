//! Importing a pool file (CSV or XLSX): 姓名, 工作单位, 所在地区划代码, 专业领域 (several, separated by
//! 、), 可任组长 (是/否), 手机, and optionally 督查室成员, 账号, 备注. One transaction: the first bad
//! cell stops the import with its line and column and nothing is stored. A person already in the
//! pool (same name and unit) is updated only when the file says something different, so importing
//! the same file twice changes nothing; the same person twice in one file is an error.

use super::pool::{self, MemberInput};
use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::projects::import::read_table;
use crate::settings;
use bangdu_domain::permission::Permission;
use serde::Serialize;
use std::collections::HashMap;

/// The columns, by field, with the headers that mean each.
const COLUMNS: &[(&str, &[&str])] = &[
    ("name", &["姓名", "name"]),
    ("unit", &["工作单位", "单位", "unit"]),
    ("region", &["所在地区划代码", "区划代码", "行政区划代码", "region"]),
    ("domains", &["专业领域", "领域", "domains"]),
    ("can_lead", &["可任组长", "组长", "can_lead"]),
    ("phone", &["手机", "手机号码", "联系电话", "phone"]),
    ("office", &["督查室成员", "office"]),
    ("username", &["账号", "用户名", "username"]),
    ("note", &["备注", "note"]),
];

const REQUIRED: &[&str] = &["name", "unit", "region", "domains"];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PoolImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

fn import_error(line: usize, field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Import { line, field: field.to_string(), message: message.into() }
}

/// Imports a pool file in a transaction of its own; `owner` is the keeping office (the actor's
/// office unit when none).
pub async fn import_file(
    db: &crate::Db,
    actor: &Actor,
    bytes: &[u8],
    owner: Option<&str>,
    dry_run: bool,
) -> Result<PoolImportReport> {
    let mut tx = db.begin().await?;
    let mut report = import(&mut tx.conn(), actor, bytes, owner).await?;
    if dry_run {
        drop(tx);
        report.dry_run = true;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

pub async fn import(c: &mut Conn<'_>, actor: &Actor, bytes: &[u8], owner: Option<&str>) -> Result<PoolImportReport> {
    let manage = actor.require(Permission::ManagePool)?;
    let table = read_table(bytes)?;
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    for (i, header) in table.headers.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        let Some((field, _)) = COLUMNS.iter().find(|(_, names)| names.contains(&header.as_str())) else {
            let known: Vec<&str> = COLUMNS.iter().map(|(_, names)| names[0]).collect();
            return Err(import_error(1, header, format!("不认识的列“{header}”，可用的列：{}", known.join("、"))));
        };
        if columns.insert(field, i).is_some() {
            return Err(import_error(1, header, format!("列“{header}”重复")));
        }
    }
    for field in REQUIRED {
        if !columns.contains_key(field) {
            let header = COLUMNS.iter().find(|(f, _)| f == field).map_or("", |(_, names)| names[0]);
            return Err(import_error(1, "header", format!("缺少“{header}”列")));
        }
    }
    let header_of = |field: &str| -> String {
        columns.get(field).and_then(|i| table.headers.get(*i)).cloned().unwrap_or_else(|| field.to_string())
    };
    let known = settings::inspection_domains(c).await?;
    let owner_unit = pool::owner_unit(c, actor, &manage, owner.unwrap_or("")).await?;
    let mut report = PoolImportReport::default();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (line, cells) in &table.rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |field: &str| columns.get(field).and_then(|i| cells.get(*i)).cloned().unwrap_or_default();
        let input = MemberInput {
            name: cell("name"),
            unit: cell("unit"),
            region: cell("region"),
            domains: cell("domains"),
            can_lead: cell("can_lead"),
            phone: cell("phone"),
            office: cell("office"),
            username: cell("username"),
            note: cell("note"),
            owner: owner_unit.id.to_string(),
        };
        let checked = pool::check(c, actor, &manage, &input, &known).await.map_err(|e| match e {
            StoreError::Invalid(f) => import_error(*line, &header_of(&f.field), f.message),
            other => other,
        })?;
        let person = (checked.fields.name.clone(), checked.fields.unit.clone());
        if let Some(first) = seen.insert(person.clone(), *line) {
            return Err(import_error(
                *line,
                &header_of("name"),
                format!("{}（{}）与第 {first} 行重复", person.0, person.1),
            ));
        }
        report.rows += 1;
        match pool::find_person(c, owner_unit.id, &person.0, &person.1).await? {
            None => {
                pool::insert(c, actor, &checked).await?;
                report.created += 1;
            }
            Some(existing) => {
                // Only the columns the file has are compared and written.
                let mut after = existing.clone();
                after.region = checked.fields.region.clone();
                after.domains = checked.fields.domains.join("、");
                after.unit_id = checked.unit_id;
                if columns.contains_key("can_lead") {
                    after.can_lead = checked.fields.can_lead;
                }
                if columns.contains_key("phone") {
                    after.phone = checked.fields.phone.clone();
                }
                if columns.contains_key("office") {
                    after.office = checked.office;
                }
                if columns.contains_key("username") {
                    after.user_id = checked.user_id;
                }
                if columns.contains_key("note") {
                    after.note = checked.note.clone();
                }
                after.active = true;
                if after == existing {
                    report.unchanged += 1;
                    continue;
                }
                after.version += 1;
                after.updated_at = crate::time::now();
                pool::save(c, &after, existing.version).await?;
                crate::audit::append(
                    c,
                    actor,
                    crate::audit::AuditEvent::new("pool.member_import_update", "pool_member", existing.id)
                        .change(serde_json::json!({"payload": {"line": line, "phone_changed": existing.phone != after.phone}}))
                        .acting_as(actor, Permission::ManagePool),
                )
                .await?;
                report.updated += 1;
            }
        }
    }
    Ok(report)
}
