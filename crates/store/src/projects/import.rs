//! Importing a published project table (CSV or XLSX), such as the 2023 Jinjiang 民生微实事 table:
//! `序号,牵头单位,民生微实事,完成情况`. Columns are found by their Chinese or English names (a
//! mapping can name others); lead units are matched by name or code, or — only when asked — created
//! under a given parent unit; "已完成" marks a project done, "未完成" not, and any other 完成情况 is
//! an error (never a silent un-completion). One transaction: the first bad row aborts the import
//! with its line and column, and nothing is stored. A project already there (same year, kind, lead
//! unit and name) is updated only if the file says something different, so re-importing the same
//! file changes nothing; a blank 完成情况 keeps its stored status. A dry run (预览) does all of it
//! and rolls back, reporting what would be created and changed.

use super::create;
use super::input::{MilestoneInput, ProjectInput};
use super::lights::LightRules;
use super::row::ProjectRow;
use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::settings;
use crate::tables::{Projects, Units};
use crate::unit_csv::decode;
use crate::units::{self, NewUnit};
use bangdu_domain::ProjectId;
use bangdu_domain::permission::Permission;
use bangdu_domain::text::{escape_unstorable, first_unstorable_cell, refusal};
use bangdu_domain::unit::UnitKind;
use chrono::NaiveDate;
use sea_query::{Expr, ExprTrait, Query};
use serde::Serialize;
use std::collections::HashMap;

/// The fields a column can fill, with the headers that mean each.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("seq", &["序号", "编号", "seq"]),
    ("lead_unit", &["牵头单位", "责任单位", "牵头责任单位", "lead_unit"]),
    ("name", &["项目", "项目名称", "实事项目", "name"]),
    ("completion", &["完成情况", "进展情况", "完成状态", "completion"]),
    ("status", &["状态", "项目状态", "status"]),
    ("year", &["年度", "年份", "year"]),
    ("kind", &["类别", "项目类别", "kind"]),
    ("level", &["层级", "级别", "level"]),
    ("series", &["系列", "领域", "series"]),
    ("cooperating_units", &["配合单位", "协办单位", "cooperating_units"]),
    ("responsible_person", &["责任人", "负责人", "responsible_person"]),
    ("address", &["地址", "项目地址", "建设地点", "address"]),
    ("lat", &["纬度", "lat"]),
    ("lon", &["经度", "lon"]),
    ("target", &["年度目标", "建设内容", "目标", "target"]),
    ("indicator_value", &["指标值", "indicator_value"]),
    ("indicator_unit", &["指标单位", "indicator_unit"]),
    ("funds_planned", &["计划投资", "计划投资（元）", "年度计划投资", "funds_planned"]),
    ("funds_allocated", &["已下达资金", "已下达", "funds_allocated"]),
    ("funds_spent", &["已支出", "已完成投资", "funds_spent"]),
    ("planned_start", &["计划开工", "计划开工日期", "开工时间", "planned_start"]),
    ("planned_end", &["计划完工", "计划完工日期", "完工时间", "planned_end"]),
    ("completed_on", &["完工日期", "实际完工日期", "completed_on"]),
];

/// Columns our own export adds that are computed, not typed: skipped on import, so an exported
/// list can be edited and imported back.
pub const COMPUTED_COLUMNS: &[&str] = &["计划进度", "实际进度", "亮灯", "亮灯原因", "最近报送"];

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The year, when the file has no year column.
    pub year: Option<i32>,
    /// The kind, when the file has no kind column (a header naming a kind, such as 民生微实事, also
    /// gives it).
    pub kind: Option<String>,
    /// Lead units not found by name are matched under this unit first, and created under it when
    /// `create_units` is set.
    pub parent_unit: Option<String>,
    /// Create lead units that are not found (under `parent_unit`); otherwise such a row is an error.
    pub create_units: bool,
    /// Check everything and report what would change, storing nothing.
    pub dry_run: bool,
    /// The registering office (code); the actor's office unit by default.
    pub owner_unit: Option<String>,
    /// Extra header → field mappings, e.g. ("项目内容", "name").
    pub mapping: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub completed: usize,
    pub units_created: usize,
    /// The lead units created (or, in a dry run, to be created), by name.
    pub new_units: Vec<String>,
    /// Projects whose stored record the file changes (at most 200 named).
    pub updated_projects: Vec<String>,
    /// Of those, projects stored as done that the file marks not done.
    pub uncompleted: Vec<String>,
    /// Nothing was stored: this is what the import would do.
    pub dry_run: bool,
}

/// How many changed projects a report names.
const NAMED: usize = 200;

fn import_error(line: usize, field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Import { line, field: field.to_string(), message: message.into() }
}

/// A table read from a file: header cells and (line, cells) rows.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads CSV (UTF-8 or GBK) or XLSX (its first sheet), told apart by content.
pub fn read_table(bytes: &[u8]) -> Result<Table> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    // Excel on Windows writes CRLF; with plain LF the csv reader's line numbers are the file's.
    let text = decode(bytes).replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| import_error(1, "header", format!("无法读取表头：{e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            import_error(line, "row", format!("CSV 格式错误：{e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
    }
    refuse_unstorable(Table { headers, rows })
}

/// A cell holding text no database or board can keep (NUL, other controls, noncharacters) stops
/// the import at its line and column, before anything is looked up or stored.
fn refuse_unstorable(table: Table) -> Result<Table> {
    let bad = |cells: &[String]| first_unstorable_cell(cells.iter().map(String::as_str));
    if let Some((_, c)) = bad(&table.headers) {
        return Err(import_error(1, "header", format!("表头{}", refusal(c))));
    }
    for (line, cells) in &table.rows {
        if let Some((i, c)) = bad(cells) {
            let column =
                table.headers.get(i).map(|h| escape_unstorable(h)).unwrap_or_else(|| format!("第 {} 列", i + 1));
            return Err(import_error(*line, &column, format!("“{column}”{}", refusal(c))));
        }
    }
    Ok(table)
}

fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| import_error(1, "file", format!("无法读取 XLSX 文件：{e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| import_error(1, "file", "XLSX 文件没有工作表"))?
        .map_err(|e| import_error(1, "file", format!("无法读取工作表：{e}")))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            // Excel counts days from 1899-12-30; a fraction is the time of day (a 12345 export's
            // 来电时间), kept to the second.
            Data::DateTime(dt) => {
                let serial = dt.as_f64().max(0.0);
                let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|base| base.checked_add_days(chrono::Days::new(serial.floor() as u64)))
                    .map(|d| match seconds {
                        0 => d.to_string(),
                        s => (d.and_time(chrono::NaiveTime::MIN) + chrono::Duration::seconds(s))
                            .format("%Y-%m-%d %H:%M:%S")
                            .to_string(),
                    })
                    .unwrap_or_default()
            }
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
            Data::Error(e) => format!("{e}"),
        }
    };
    let start_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = range.rows().enumerate().peekable();
    // A title row above the header ("2025 年为民办实事项目表", merged across the sheet) has at
    // most one filled cell: skip such rows.
    while rows.peek().is_some_and(|(_, r)| r.iter().filter(|d| !cell(d).is_empty()).count() <= 1) {
        rows.next();
    }
    let headers: Vec<String> = rows.next().map(|(_, r)| r.iter().map(cell).collect()).unwrap_or_default();
    let rows = rows.map(|(i, r)| (start_row + i + 1, r.iter().map(cell).collect())).collect();
    refuse_unstorable(Table { headers, rows })
}

/// Which column fills which field; a header naming a project kind (民生微实事) is the name column
/// and gives the kind.
fn map_columns(
    headers: &[String],
    kinds: &[String],
    mapping: &[(String, String)],
) -> Result<(HashMap<&'static str, usize>, Option<String>)> {
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    let mut header_kind = None;
    for (i, header) in headers.iter().enumerate() {
        if header.is_empty() || COMPUTED_COLUMNS.contains(&header.as_str()) {
            continue;
        }
        let field = mapping
            .iter()
            .find(|(h, _)| h == header)
            .and_then(|(_, f)| FIELDS.iter().find(|(name, _)| name == f).map(|(name, _)| *name))
            .or_else(|| FIELDS.iter().find(|(_, names)| names.contains(&header.as_str())).map(|(name, _)| *name))
            .or_else(|| {
                kinds.contains(header).then(|| {
                    header_kind = Some(header.clone());
                    "name"
                })
            });
        let Some(field) = field else {
            return Err(import_error(1, header, format!("不认识的列“{header}”；可用 --map 列名=字段 指定它的含义")));
        };
        if columns.insert(field, i).is_some() {
            return Err(import_error(1, header, format!("列“{header}”与另一列含义重复（{field}）")));
        }
    }
    for (field, label) in [("name", "项目名称"), ("lead_unit", "牵头单位")] {
        if !columns.contains_key(field) {
            return Err(import_error(1, "header", format!("缺少{label}列")));
        }
    }
    for (header, field) in mapping {
        if !FIELDS.iter().any(|(name, _)| name == field) {
            return Err(import_error(1, header, format!("未知字段“{field}”")));
        }
    }
    Ok((columns, header_kind))
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: ProjectId,
    lead_unit_id: i64,
    name: String,
}

/// Finds a unit by code or by exact name (preferring one under `parent`).
struct UnitIndex {
    by_code: HashMap<String, (i64, String)>,
    by_name: HashMap<String, Vec<(i64, String, String)>>,
}

impl UnitIndex {
    async fn load(c: &mut Conn<'_>) -> Result<UnitIndex> {
        #[derive(sqlx::FromRow)]
        struct U {
            id: i64,
            code: String,
            name: String,
            path: String,
        }
        let all: Vec<U> = c
            .fetch_all(
                Query::select()
                    .columns([Units::Id, Units::Code, Units::Name, Units::Path])
                    .from(Units::Table)
                    .and_where(Expr::col(Units::Active).eq(true)),
            )
            .await?;
        let mut index = UnitIndex { by_code: HashMap::new(), by_name: HashMap::new() };
        for u in all {
            index.by_code.insert(u.code.clone(), (u.id, u.code.clone()));
            index.by_name.entry(u.name).or_default().push((u.id, u.code, u.path));
        }
        Ok(index)
    }

    fn find(&self, text: &str, parent_path: Option<&str>) -> Option<(i64, String)> {
        if let Some(found) = self.by_code.get(text) {
            return Some(found.clone());
        }
        let named = self.by_name.get(text)?;
        let under = parent_path.and_then(|p| named.iter().find(|(_, _, path)| path.starts_with(p)));
        under.or(named.first()).map(|(id, code, _)| (*id, code.clone()))
    }
}

/// What a 完成情况 cell says: done, not done, or nothing (blank). Anything else is refused, so
/// that "完成了一半" never turns a finished project back into a running one.
fn done_text(text: &str) -> std::result::Result<Option<bool>, ()> {
    match text.trim() {
        "" => Ok(None),
        "已完成" | "完成" | "已完工" | "已竣工" | "是" | "√" | "✓" | "done" | "completed" | "yes" => {
            Ok(Some(true))
        }
        "未完成" | "未完工" | "推进中" | "正在推进" | "进行中" | "在建" | "否" | "×" | "✗" | "not done" | "no"
        | "in_progress" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// The values a 完成情况 cell may hold, for the error message.
const DONE_WORDS: &str = "“已完成”“未完成”或留空（进度可写在“状态”列：未开工、在建、已完工、已验收、已投用）";

/// Imports a table in a transaction of its own, with the lights computed against `cal` for `today`.
pub async fn import_file(
    db: &crate::Db,
    actor: &Actor,
    cal: &bangdu_domain::calendar::Calendar,
    bytes: &[u8],
    options: &ImportOptions,
    today: NaiveDate,
) -> Result<ImportReport> {
    let mut tx = db.begin().await?;
    let rules = LightRules::load(&mut tx.conn(), cal).await?;
    let mut report = import(&mut tx.conn(), actor, &rules, bytes, options, today).await?;
    if options.dry_run {
        // Everything was checked and written inside the transaction; dropping it stores nothing.
        drop(tx);
        report.dry_run = true;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

/// Imports a table inside the caller's transaction.
pub async fn import(
    c: &mut Conn<'_>,
    actor: &Actor,
    rules: &LightRules<'_>,
    bytes: &[u8],
    options: &ImportOptions,
    today: NaiveDate,
) -> Result<ImportReport> {
    actor.require(Permission::ManageProjects)?;
    let table = read_table(bytes)?;
    let kinds = settings::project_kinds(c).await?;
    let (columns, header_kind) = map_columns(&table.headers, &kinds, &options.mapping)?;
    let header_of = |field: &str| columns.get(field).map_or(field.to_string(), |i| table.headers[*i].clone());
    let parent = match &options.parent_unit {
        Some(code) => {
            Some(units::get_by_code_in(c, &actor.scope(Permission::ViewUnits), code).await.map_err(|e| match e {
                StoreError::NotFound => import_error(0, "--parent-unit", format!("单位“{code}”不存在")),
                other => other,
            })?)
        }
        None => None,
    };
    let mut index = UnitIndex::load(c).await?;
    let mut resolver = create::Resolver::new(c).await?;
    // New projects are checked row by row (an error names its line) and written in bulk.
    let mut pending: Vec<create::Resolved> = Vec::new();
    let mut report = ImportReport::default();
    let mut existing: HashMap<(i64, String, i64, String), ProjectId> = HashMap::new();
    let mut loaded_years: Vec<(i64, String)> = Vec::new();
    let mut created_codes = 0usize;
    let mut seen: HashMap<(i64, String, i64, String), usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let line = *line;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |field: &str| {
            columns.get(field).and_then(|i| cells.get(*i)).map(|s| s.trim().to_string()).unwrap_or_default()
        };
        let fail = |field: &str, message: String| import_error(line, &header_of(field), message);
        report.rows += 1;
        let year_text = Some(cell("year")).filter(|y| !y.is_empty()).or(options.year.map(|y| y.to_string()));
        let Some(year_text) = year_text else {
            return Err(fail("year", "没有年度：请加“年度”列或用 --year 指定".into()));
        };
        let year: i32 = year_text.parse().map_err(|_| fail("year", format!("年度“{year_text}”应为整数")))?;
        let kind = Some(cell("kind"))
            .filter(|k| !k.is_empty())
            .or(options.kind.clone())
            .or(header_kind.clone())
            .ok_or_else(|| fail("kind", "没有项目类别：请加“类别”列或用 --kind 指定".into()))?;
        let lead_text = cell("lead_unit");
        if lead_text.is_empty() {
            return Err(fail("lead_unit", "牵头单位不能为空".into()));
        }
        let lead = match index.find(&lead_text, parent.as_ref().map(|p| p.path.as_str())) {
            Some(found) => found,
            None => {
                if !options.create_units {
                    return Err(fail(
                        "lead_unit",
                        format!(
                            "单位“{lead_text}”不存在；请先在单位管理中添加，或勾选“新建找不到的牵头单位”并指定上级单位（命令行 --create-units --parent-unit）"
                        ),
                    ));
                }
                let Some(parent) = &parent else {
                    return Err(fail(
                        "lead_unit",
                        format!("单位“{lead_text}”不存在；新建单位需指定上级单位（--parent-unit）"),
                    ));
                };
                // An administrator, or an office creating its own departments under a unit it manages.
                let scope = if actor.can(Permission::ManageUnits) {
                    actor.scope(Permission::ManageUnits)
                } else {
                    actor.scope(Permission::ManageProjects)
                };
                if !scope.permits(&bangdu_domain::scope::RecordRef { units: &[parent.as_ref()], owner: None }) {
                    return Err(fail(
                        "lead_unit",
                        format!("单位“{lead_text}”不存在，且您无权在“{}”下创建单位", parent.name),
                    ));
                }
                let code = loop {
                    created_codes += 1;
                    let code = format!("{}-P{:03}", parent.code, created_codes);
                    if !index.by_code.contains_key(&code) {
                        break code;
                    }
                };
                let unit = units::create_within(
                    c,
                    actor,
                    &scope,
                    NewUnit {
                        code: code.clone(),
                        name: lead_text.clone(),
                        kind: UnitKind::Department,
                        parent: Some(parent.unit_id()),
                        region: None,
                        sort_order: 0,
                    },
                )
                .await
                .map_err(|e| match e {
                    StoreError::Invalid(f) => fail("lead_unit", f.message),
                    other => other,
                })?;
                report.units_created += 1;
                report.new_units.push(lead_text.clone());
                index.by_code.insert(code.clone(), (unit.id, code.clone()));
                index.by_name.entry(lead_text.clone()).or_default().push((unit.id, code.clone(), unit.path.clone()));
                (unit.id, code)
            }
        };
        let completion = cell("completion");
        let done = done_text(&completion)
            .map_err(|()| fail("completion", format!("完成情况“{completion}”无法识别：请填{DONE_WORDS}")))?;
        // The project this row describes, if already stored (same year, kind, lead unit and name).
        if !loaded_years.contains(&(i64::from(year), kind.clone())) {
            let rows: Vec<Existing> = c
                .fetch_all(
                    Query::select()
                        .columns([Projects::Id, Projects::LeadUnitId, Projects::Name])
                        .from(Projects::Table)
                        .and_where(Expr::col(Projects::Year).eq(year))
                        .and_where(Expr::col(Projects::Kind).eq(kind.clone())),
                )
                .await?;
            for r in rows {
                existing.insert((i64::from(year), kind.clone(), r.lead_unit_id, r.name), r.id);
            }
            loaded_years.push((i64::from(year), kind.clone()));
        }
        let stored = match existing.get(&(i64::from(year), kind.clone(), lead.0, cell("name"))) {
            Some(id) => Some(super::query::fetch(c, *id).await?),
            None => None,
        };
        let status = Some(cell("status"))
            .filter(|s| !s.is_empty())
            .or_else(|| done.map(|d| if d { "completed" } else { "in_progress" }.to_string()))
            // Nothing said about completion: a stored project keeps its status.
            .or_else(|| stored.as_ref().map(|row| row.status.clone()));
        let planned_start = Some(cell("planned_start")).filter(|s| !s.is_empty()).unwrap_or(format!("{year}-01-01"));
        let planned_end = Some(cell("planned_end")).filter(|s| !s.is_empty()).unwrap_or(format!("{year}-12-31"));
        let is_done = status.as_deref().and_then(bangdu_domain::project::Status::parse).is_some_and(|s| s.is_done());
        // A table that only says "已完成" gives no date: the project counts as done on its planned end
        // (or keeps the date it has).
        let completed_on = Some(cell("completed_on"))
            .filter(|s| !s.is_empty())
            .or_else(|| stored.as_ref().and_then(|row| row.completed_on).filter(|_| is_done).map(|d| d.to_string()))
            .or_else(|| is_done.then(|| planned_end.clone()));
        let split = |text: String| -> Vec<String> {
            text.split(['、', ',', '，', ';', '；'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        let mut cooperating = Vec::new();
        for name in split(cell("cooperating_units")) {
            let (_, code) = index
                .find(&name, parent.as_ref().map(|p| p.path.as_str()))
                .ok_or_else(|| fail("cooperating_units", format!("配合单位“{name}”不存在")))?;
            cooperating.push(code);
        }
        let opt = |field: &str| Some(cell(field)).filter(|s| !s.is_empty());
        let input = ProjectInput {
            name: cell("name"),
            year: Some(year.to_string()),
            level: opt("level"),
            kind: kind.clone(),
            series: opt("series"),
            seq: opt("seq"),
            lead_unit: lead.1.clone(),
            cooperating_units: cooperating,
            owner_unit: options.owner_unit.clone(),
            manager_unit: None,
            responsible_person: opt("responsible_person"),
            address: opt("address"),
            lat: opt("lat"),
            lon: opt("lon"),
            target: opt("target"),
            indicator_value: opt("indicator_value"),
            indicator_unit: opt("indicator_unit"),
            funds_planned: opt("funds_planned"),
            funds_allocated: opt("funds_allocated"),
            funds_spent: opt("funds_spent"),
            planned_start,
            planned_end,
            milestones: Vec::<MilestoneInput>::new(),
            status,
            completed_on,
        };
        let checked = input.check(&kinds).map_err(|e| {
            let field = if e.field == "completed_on" && cell("completed_on").is_empty() {
                "completion"
            } else {
                e.field.as_str()
            };
            fail(field, e.message)
        })?;
        let key = (i64::from(year), kind.clone(), lead.0, checked.name.clone());
        if let Some(first) = seen.insert(key.clone(), line) {
            return Err(fail("name", format!("与第 {first} 行重复（同一年度、类别、牵头单位和项目名称）")));
        }
        let map_err = |e: StoreError| match e {
            StoreError::Invalid(f) => fail(&f.field, f.message),
            other => other,
        };
        match stored {
            Some(row) => {
                if same(&row, &checked) {
                    report.unchanged += 1;
                } else {
                    create::update(c, actor, rules, row.id, row.version, &input, today).await.map_err(map_err)?;
                    report.updated += 1;
                    if report.updated_projects.len() < NAMED {
                        report.updated_projects.push(row.name.clone());
                    }
                    let was_done = bangdu_domain::project::Status::parse(&row.status).is_some_and(|s| s.is_done());
                    if was_done && !checked.status.is_done() && report.uncompleted.len() < NAMED {
                        report.uncompleted.push(row.name.clone());
                    }
                }
            }
            None => {
                pending.push(resolver.resolve(c, actor, &input).await.map_err(map_err)?);
                report.created += 1;
                if pending.len() >= PENDING_ROWS {
                    create::create_many(c, actor, rules, &pending, today).await?;
                    pending.clear();
                }
            }
        }
        if checked.status.is_done() {
            report.completed += 1;
        }
    }
    create::create_many(c, actor, rules, &pending, today).await?;
    Ok(report)
}

/// New projects held before they are written together (a few MB at most).
const PENDING_ROWS: usize = 2000;

/// Whether a stored project already says what the row says.
fn same(row: &ProjectRow, p: &super::input::CheckedProject) -> bool {
    row.name == p.name
        && row.seq == p.seq
        && row.level == p.level.code()
        && row.series == p.series
        && row.status == p.status.code()
        && row.completed_on == p.completed_on
        && row.planned_start == p.planned_start
        && row.planned_end == p.planned_end
        && row.funds_planned == p.funds_planned
        && (p.funds_allocated == 0 || row.funds_allocated == p.funds_allocated)
        && (p.funds_spent == 0 || row.funds_spent == p.funds_spent)
        && row.responsible_person == p.responsible_person
        && row.address == p.address
        && row.lat_e6 == p.lat_e6
        && row.lon_e6 == p.lon_e6
        && row.target_text == p.target
        && row.indicator_value == p.indicator_value
        && row.indicator_unit == p.indicator_unit
}
