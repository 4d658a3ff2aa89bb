//! Units as CSV: `单位代码,单位名称,上级单位代码,单位类型,行政区划代码` (parent by code; type in
//! words). Imports also take the English headers (`code,name,parent,kind,region`) and kind codes.
//!
//! An import is one transaction: the first bad row aborts it with an error naming the line and the
//! field, and nothing of the file is stored. Rows may come in any order (a child before its parent);
//! a row whose unit already exists updates it, so importing the same file twice changes nothing.

use crate::actor::Actor;
use crate::audit::{self, AuditEvent};
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::unit_input;
use crate::units::{self, Unit, UnitChanges, UnitFilter};
use bangdu_domain::UnitId;
use bangdu_domain::permission::Permission;
use bangdu_domain::scope::Scope;
use bangdu_domain::text::{escape_unstorable, first_unstorable_cell, refusal};
use bangdu_domain::unit::UnitKind;
use serde::Serialize;
use std::collections::HashMap;

/// The header an export writes: what an office reads in Excel.
pub const HEADER: [&str; 5] = ["单位代码", "单位名称", "上级单位代码", "单位类型", "行政区划代码"];

/// Accepted spellings of each column (English as exported, and the Chinese an office would type).
const ALIASES: [(&str, &[&str]); 5] = [
    ("code", &["code", "单位代码", "代码", "编码"]),
    ("name", &["name", "单位名称", "名称"]),
    ("parent", &["parent", "上级单位代码", "上级代码", "上级单位", "上级"]),
    ("kind", &["kind", "单位类型", "类型"]),
    ("region", &["region", "行政区划代码", "区划代码", "行政区划"]),
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A column's Chinese name, for errors found after the header was read.
fn column_name(field: &str) -> &str {
    ALIASES.iter().find(|(f, _)| *f == field).map_or(field, |(_, names)| names[1])
}

fn import_error(line: usize, field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Import { line, field: field.to_string(), message: message.into() }
}

/// Text from a file as Excel or WPS may have saved it: UTF-8 (with or without BOM) or GB18030/GBK.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

struct Row {
    line: usize,
    code: String,
    name: String,
    parent: Option<String>,
    kind: UnitKind,
    region: Option<String>,
}

fn parse_rows(text: &str) -> Result<Vec<Row>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| import_error(1, "表头", format!("无法读取表头：{e}")))?.clone();
    let mut columns: HashMap<&str, usize> = HashMap::new();
    for (index, header) in headers.iter().enumerate() {
        let header = header.trim().trim_start_matches('\u{feff}');
        let Some((field, _)) = ALIASES.iter().find(|(_, names)| names.contains(&header)) else {
            return Err(import_error(
                1,
                "表头",
                format!("未知的列“{header}”，应为 单位代码,单位名称,上级单位代码,单位类型,行政区划代码"),
            ));
        };
        if columns.insert(field, index).is_some() {
            return Err(import_error(1, "表头", format!("列“{header}”重复")));
        }
    }
    // An error names the column as the file calls it (or its Chinese name when the file lacks it).
    let header_of = |field: &str| -> String {
        match columns.get(field) {
            Some(i) => headers.get(*i).unwrap_or(field).trim().trim_start_matches('\u{feff}').to_string(),
            None => ALIASES.iter().find(|(f, _)| *f == field).map_or(field, |(_, names)| names[1]).to_string(),
        }
    };
    for required in ["code", "name", "kind"] {
        if !columns.contains_key(required) {
            return Err(import_error(1, "表头", format!("缺少“{}”列", header_of(required))));
        }
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            import_error(line, "行", format!("CSV 格式错误：{e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        // Text no database can keep stops the import at its line, before any code is looked up.
        if let Some((i, c)) = first_unstorable_cell(record.iter()) {
            let column = headers.get(i).map_or_else(|| format!("第 {} 列", i + 1), escape_unstorable);
            return Err(import_error(line, &column, format!("“{column}”{}", refusal(c))));
        }
        let cell = |field: &str| unguard(columns.get(field).and_then(|i| record.get(*i)).unwrap_or("").trim());
        let fail = |e: bangdu_domain::FieldError| import_error(line, &header_of(&e.field), e.message);
        let code = unit_input::code(&cell("code")).map_err(fail)?;
        if let Some(first) = seen.insert(code.clone(), line) {
            return Err(import_error(line, &header_of("code"), format!("单位代码“{code}”与第 {first} 行重复")));
        }
        let parent = Some(cell("parent")).filter(|p| !p.is_empty());
        if parent.as_deref() == Some(code.as_str()) {
            return Err(import_error(line, &header_of("parent"), "上级单位不能是自己"));
        }
        rows.push(Row {
            line,
            name: unit_input::name(&cell("name")).map_err(fail)?,
            kind: unit_input::kind(&cell("kind")).map_err(fail)?,
            region: unit_input::region(&cell("region")).map_err(fail)?,
            code,
            parent,
        });
    }
    Ok(rows)
}

/// Imports units from CSV text in a transaction of its own.
pub async fn import_file(db: &crate::Db, actor: &Actor, bytes: &[u8]) -> Result<ImportReport> {
    let mut tx = db.begin().await?;
    let report = import(&mut tx.conn(), actor, bytes).await?;
    tx.commit().await?;
    Ok(report)
}

/// Imports units from CSV text inside the caller's transaction.
pub async fn import(c: &mut Conn<'_>, actor: &Actor, bytes: &[u8]) -> Result<ImportReport> {
    actor.require(Permission::ManageUnits)?;
    let rows = parse_rows(&decode(bytes))?;
    let mut report = ImportReport { rows: rows.len(), ..ImportReport::default() };
    let everything = Scope::everything();
    // Resolve codes to units as rows are stored, parents first, whatever the file's order.
    let mut pending: Vec<Row> = rows;
    let mut known: HashMap<String, Unit> = HashMap::new();
    while !pending.is_empty() {
        let mut progressed = false;
        let mut waiting = Vec::new();
        for row in pending {
            let parent = match &row.parent {
                None => None,
                Some(code) => match known.get(code) {
                    Some(unit) => Some(unit.clone()),
                    None => match units::get_by_code_in(c, &everything, code).await {
                        Ok(unit) => Some(unit),
                        Err(StoreError::NotFound) => {
                            waiting.push(row);
                            continue;
                        }
                        Err(e) => return Err(e),
                    },
                },
            };
            let unit = store_row(c, actor, &row, parent.as_ref(), &mut report).await?;
            known.insert(row.code.clone(), unit);
            progressed = true;
        }
        if !progressed {
            let row =
                waiting.iter().min_by_key(|r| r.line).ok_or_else(|| StoreError::Internal("import stalled".into()))?;
            let parent = row.parent.clone().unwrap_or_default();
            return Err(import_error(
                row.line,
                "上级单位代码",
                format!("上级单位“{parent}”不存在（既不在系统中，也不在文件中），或上下级关系成环"),
            ));
        }
        pending = waiting;
    }
    audit::append(
        c,
        actor,
        AuditEvent::new("unit.import", "unit", "csv")
            .change(serde_json::to_value(&report).unwrap_or_default())
            .acting_as(actor, Permission::ManageUnits),
    )
    .await?;
    Ok(report)
}

async fn store_row(
    c: &mut Conn<'_>,
    actor: &Actor,
    row: &Row,
    parent: Option<&Unit>,
    report: &mut ImportReport,
) -> Result<Unit> {
    let at_line = |e: StoreError| match e {
        StoreError::Invalid(fe) => import_error(row.line, column_name(&fe.field), fe.message),
        StoreError::Conflict { message, .. } => import_error(row.line, "单位代码", message),
        StoreError::Forbidden | StoreError::NotFound => {
            import_error(row.line, "上级单位代码", "无权在该上级单位下导入单位")
        }
        other => other,
    };
    let existing = match units::get_by_code_in(c, &Scope::everything(), &row.code).await {
        Ok(unit) => Some(unit),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    match existing {
        None => {
            let new = units::NewUnit {
                code: row.code.clone(),
                name: row.name.clone(),
                kind: row.kind,
                parent: parent.map(|p| UnitId(p.id)),
                region: row.region.clone(),
                sort_order: 0,
            };
            let unit = units::create(c, actor, new).await.map_err(at_line)?;
            report.created += 1;
            Ok(unit)
        }
        Some(unit) => {
            let changes = UnitChanges {
                name: Some(row.name.clone()),
                kind: Some(row.kind),
                region: Some(row.region.clone()),
                parent: Some(parent.map(|p| UnitId(p.id))),
                ..UnitChanges::default()
            };
            let after = units::update(c, actor, UnitId(unit.id), changes).await.map_err(at_line)?;
            if after.version == unit.version {
                report.unchanged += 1;
            } else {
                report.updated += 1;
            }
            Ok(after)
        }
    }
}

/// The units the actor may see as CSV, parents before children; re-importing the output changes
/// nothing.
pub async fn export(c: &mut Conn<'_>, actor: &Actor, filter: &UnitFilter) -> Result<String> {
    let all = units::all(c, actor, filter).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| StoreError::Internal(format!("csv: {e}"));
    writer.write_record(HEADER).map_err(csv_err)?;
    for unit in &all {
        writer
            .write_record([
                guard(&unit.code).as_bytes(),
                guard(&unit.name).as_bytes(),
                guard(unit.parent_code.as_deref().unwrap_or("")).as_bytes(),
                guard(UnitKind::parse(&unit.kind).map_or(unit.kind.as_str(), |k| k.label())).as_bytes(),
                guard(unit.region.as_deref().unwrap_or("")).as_bytes(),
            ])
            .map_err(csv_err)?;
    }
    let bytes = writer.into_inner().map_err(|e| StoreError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| StoreError::Internal(format!("csv: {e}")))
}

/// A cell Excel or WPS would run as a formula (`= + - @`, or a leading tab or carriage return) is
/// written behind an apostrophe, as OWASP advises for CSV; so is one that starts with an apostrophe,
/// so that the import, which takes one leading apostrophe off, gives back exactly what was stored.
fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The reverse of `guard`, for cells read back.
fn unguard(cell: &str) -> String {
    cell.strip_prefix('\'').unwrap_or(cell).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_come_back_exact() {
        for (stored, written) in [
            ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("'引号开头", "''引号开头"),
            ("住建局", "住建局"),
        ] {
            assert_eq!(guard(stored), written);
            assert_eq!(unguard(written), stored);
        }
    }
}
