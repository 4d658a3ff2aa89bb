//! Portable backups: every table as JSON lines, readable by either backend. A county's SQLite
//! file can be backed up and restored into a provincial PostgreSQL database, and back.
//!
//! Format: a first line `{"format":"bangdu-backup","version":1,"schema":N,…}`, then one line per
//! row, `{"t":"<table>","r":[values…]}` in the column order of `TABLES`. Sessions are not backed
//! up: after a restore everybody signs in again.

use crate::audit::{self, VerifyReport};
use crate::db::{Backend, Conn, Db};
use crate::error::{Result, StoreError};
use crate::items::attachments::FileStore;
use crate::schema;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr};
use serde_json::{Value, json};
use std::io::{BufRead, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
    Time,
    Date,
}

pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// An integer key to page through big tables in order; small tables are read whole.
    pub key: Option<&'static str>,
    /// Tables whose `id` comes from a sequence (PostgreSQL needs it moved past restored ids).
    pub serial: bool,
}

use Kind::*;

/// Every table with data, parents before children (the order of a restore).
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "units",
        columns: &[
            ("id", Int),
            ("code", Text),
            ("name", Text),
            ("kind", Text),
            ("parent_id", Int),
            ("region", Text),
            ("path", Text),
            ("depth", Int),
            ("sort_order", Int),
            ("active", Bool),
            ("created_by", Int),
            ("created_at", Time),
            ("updated_at", Time),
            ("version", Int),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "users",
        columns: &[
            ("id", Int),
            ("username", Text),
            ("display_name", Text),
            ("phone", Text),
            ("email", Text),
            ("password_hash", Text),
            ("password_changed_at", Time),
            ("must_change_password", Bool),
            ("failed_sign_ins", Int),
            ("locked_until", Time),
            ("active", Bool),
            ("last_sign_in_at", Time),
            ("created_by", Int),
            ("created_at", Time),
            ("updated_at", Time),
            ("version", Int),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "role_grants",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("role", Text),
            ("unit_id", Int),
            ("data_scope", Text),
            ("created_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec { name: "grant_units", columns: &[("grant_id", Int), ("unit_id", Int)], key: None, serial: false },
    TableSpec {
        name: "api_tokens",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("name", Text),
            ("token_hash", Text),
            ("prefix", Text),
            ("created_at", Time),
            ("last_used_at", Time),
            ("expires_at", Time),
            ("revoked_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "items",
        columns: &[
            ("id", Int),
            ("code", Text),
            ("title", Text),
            ("description", Text),
            ("source", Text),
            ("source_link", Text),
            ("tags", Text),
            ("related_projects", Text),
            ("priority", Text),
            ("parent_id", Int),
            ("owner_unit_id", Int),
            ("responsible_unit_id", Int),
            ("lead_unit_id", Int),
            ("responsible_person", Text),
            ("measures", Text),
            ("completion_standard", Text),
            ("state", Text),
            ("version", Int),
            ("assigned_on", Date),
            ("deadline", Date),
            ("deadline_workdays", Int),
            ("paused_since", Date),
            ("paused_workdays", Int),
            ("ext_deadline", Date),
            ("ext_reason", Text),
            ("ext_requested_by", Int),
            ("escalation", Int),
            ("escalated_on", Date),
            ("reopen_count", Int),
            ("close_measures", Text),
            ("close_result", Text),
            ("close_requested_by", Int),
            ("close_requested_at", Time),
            ("closed_at", Time),
            ("closed_by", Int),
            ("confirmed_at", Time),
            ("created_by", Int),
            ("created_at", Time),
            ("updated_at", Time),
            ("project_id", Int),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "item_units",
        columns: &[("item_id", Int), ("unit_id", Int), ("role", Text)],
        key: None,
        serial: false,
    },
    TableSpec { name: "item_counters", columns: &[("year", Int), ("last", Int)], key: None, serial: false },
    TableSpec {
        name: "projects",
        columns: &[
            ("id", Int),
            ("year", Int),
            ("level", Text),
            ("kind", Text),
            ("series", Text),
            ("seq", Int),
            ("name", Text),
            ("owner_unit_id", Int),
            ("lead_unit_id", Int),
            ("manager_unit_id", Int),
            ("responsible_person", Text),
            ("address", Text),
            ("lat_e6", Int),
            ("lon_e6", Int),
            ("target_text", Text),
            ("indicator_value", Text),
            ("indicator_unit", Text),
            ("funds_planned", Int),
            ("funds_allocated", Int),
            ("funds_spent", Int),
            ("planned_start", Date),
            ("planned_end", Date),
            ("milestones", Text),
            ("status", Text),
            ("completed_on", Date),
            ("actual_progress", Int),
            ("indicator_achieved", Text),
            ("last_reported", Text),
            ("light", Text),
            ("light_reason", Text),
            ("planned_progress", Int),
            ("completed_early", Bool),
            ("lit_on", Date),
            ("version", Int),
            ("created_by", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "project_units",
        columns: &[("project_id", Int), ("unit_id", Int), ("role", Text)],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "project_plans",
        columns: &[
            ("project_id", Int),
            ("valid_from", Date),
            ("planned_start", Date),
            ("planned_end", Date),
            ("milestones", Text),
        ],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "project_reports",
        columns: &[
            ("id", Int),
            ("project_id", Int),
            ("period", Text),
            ("progress", Int),
            ("progress_reason", Text),
            ("indicator_achieved", Text),
            ("funds_allocated", Int),
            ("funds_spent", Int),
            ("narrative", Text),
            ("problems", Text),
            ("status", Text),
            ("completed_on", Date),
            ("submitted_by", Int),
            ("submitted_on", Date),
            ("submitted_at", Time),
            ("superseded_on", Date),
            ("check_state", Text),
            ("check_note", Text),
            ("checked_by", Int),
            ("checked_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "project_lights",
        columns: &[
            ("project_id", Int),
            ("on_date", Date),
            ("light", Text),
            ("reason", Text),
            ("planned", Int),
            ("actual", Int),
        ],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "project_freezes",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("year", Int),
            ("quarter", Int),
            ("through", Text),
            ("unit_id", Int),
            ("note", Text),
            ("projects", Int),
            ("frozen_by", Int),
            ("frozen_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "project_frozen",
        columns: &[
            ("freeze_id", Int),
            ("project_id", Int),
            ("progress", Int),
            ("indicator_achieved", Text),
            ("funds_allocated", Int),
            ("funds_spent", Int),
            ("light", Text),
            ("reason", Text),
        ],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "project_checks",
        columns: &[
            ("id", Int),
            ("project_id", Int),
            ("checked_on", Date),
            ("normal", Bool),
            ("notes", Text),
            ("item_id", Int),
            ("checked_by", Int),
            ("created_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "project_files",
        columns: &[
            ("id", Int),
            ("project_id", Int),
            ("period", Text),
            ("check_id", Int),
            ("filename", Text),
            ("content_type", Text),
            ("size_bytes", Int),
            ("sha256", Text),
            ("uploaded_by", Int),
            ("uploaded_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "project_ratings",
        columns: &[
            ("id", Int),
            ("project_id", Int),
            ("visitor", Text),
            ("stars", Int),
            ("comment", Text),
            ("comment_state", Text),
            ("created_at", Time),
            ("moderated_by", Int),
            ("moderated_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "project_likes",
        columns: &[("project_id", Int), ("visitor", Text), ("created_at", Time)],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "attachments",
        columns: &[
            ("id", Int),
            ("item_id", Int),
            ("action", Text),
            ("audit_seq", Int),
            ("filename", Text),
            ("content_type", Text),
            ("size_bytes", Int),
            ("sha256", Text),
            ("uploaded_by", Int),
            ("uploaded_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "notifications",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("kind", Text),
            ("title", Text),
            ("body", Text),
            ("item_id", Int),
            ("created_at", Time),
            ("read_at", Time),
            ("event", Text),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "unit_webhooks",
        columns: &[
            ("id", Int),
            ("unit_id", Int),
            ("url", Text),
            ("secret", Text),
            ("active", Bool),
            ("created_by", Int),
            ("created_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "deliveries",
        columns: &[
            ("id", Int),
            ("channel", Text),
            ("target", Text),
            ("webhook_id", Int),
            ("subject", Text),
            ("payload", Text),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Time),
            ("last_status", Int),
            ("last_error", Text),
            ("created_at", Time),
            ("delivered_at", Time),
        ],
        key: Some("id"),
        serial: true,
    },
    TableSpec {
        name: "job_runs",
        columns: &[
            ("job", Text),
            ("run_key", Text),
            ("node", Text),
            ("started_at", Time),
            ("finished_at", Time),
            ("summary", Text),
        ],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "audit_events",
        columns: &[
            ("seq", Int),
            ("at", Time),
            ("actor_id", Int),
            ("actor_name", Text),
            ("actor_role", Text),
            ("source_ip", Text),
            ("action", Text),
            ("object_type", Text),
            ("object_id", Text),
            ("change", Text),
            ("result", Text),
            ("algorithm", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
        key: Some("seq"),
        serial: false,
    },
    TableSpec {
        name: "audit_head",
        columns: &[("id", Int), ("seq", Int), ("hash", Text), ("base_seq", Int), ("base_hash", Text)],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "settings",
        columns: &[("key", Text), ("value", Text), ("updated_at", Time), ("updated_by", Int)],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "calendar_years",
        columns: &[("year", Int), ("note", Text), ("loaded_at", Time), ("loaded_by", Int)],
        key: None,
        serial: false,
    },
    TableSpec {
        name: "calendar_days",
        columns: &[("year", Int), ("date", Date), ("kind", Text), ("name", Text)],
        key: None,
        serial: false,
    },
];

/// The tables and columns the database really has (to check `TABLES` against in a test).
pub async fn live_columns(db: &Db) -> Result<std::collections::BTreeMap<String, std::collections::BTreeSet<String>>> {
    use sqlx::Row;
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    let mut reader = db.reader().await?;
    match reader.conn() {
        Conn::Sqlite(c) => {
            let tables =
                sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .fetch_all(&mut *c)
                    .await?;
            for table in tables {
                let name: String = table.try_get(0)?;
                // The name comes from sqlite_master, not from input.
                let columns = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{name}')")))
                    .fetch_all(&mut *c)
                    .await?;
                let set = out.entry(name).or_default();
                for column in columns {
                    set.insert(column.try_get::<String, _>(0)?);
                }
            }
        }
        Conn::Postgres(c) => {
            let rows = sqlx::query(
                "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()",
            )
            .fetch_all(&mut *c)
            .await?;
            for row in rows {
                out.entry(row.try_get::<String, _>(0)?).or_default().insert(row.try_get::<String, _>(1)?);
            }
        }
    }
    Ok(out)
}

/// Tables that exist but are deliberately not backed up.
/// Left out: the schema version (the backup names it), sessions (people sign in again), and
/// `item_access`, which is derived from items and units and rebuilt on restore.
pub const NOT_BACKED_UP: &[&str] = &["schema_migrations", "sessions", "item_access"];

const BATCH: u64 = 2000;

#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub rows: u64,
    pub tables: Vec<(String, u64)>,
    /// Attachment files.
    pub files: u64,
}

fn select(spec: &TableSpec, after: Option<i64>) -> sea_query::SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new(spec.name));
    for (column, _) in spec.columns {
        q.column(Alias::new(*column));
    }
    match spec.key {
        Some(key) => {
            if let Some(after) = after {
                q.and_where(Expr::col(Alias::new(key)).gt(after));
            }
            q.order_by(Alias::new(key), Order::Asc).limit(BATCH);
        }
        None => {
            for (column, _) in spec.columns {
                q.order_by(Alias::new(*column), Order::Asc);
            }
        }
    }
    q
}

/// Writes the whole database to `out`, and the attachment files when `files` is given
/// (lines `{"f":"<sha256>","b":"<base64>"}` after the tables).
pub async fn dump(db: &Db, files: Option<&dyn FileStore>, out: &mut impl Write) -> Result<Summary> {
    let io = |e: std::io::Error| StoreError::Internal(format!("cannot write the backup: {e}"));
    let schema = schema::current_version(db).await?;
    let header = json!({
        "format": "bangdu-backup", "version": 1, "schema": schema,
        "created_at": crate::time::now(), "backend": format!("{:?}", db.backend()).to_lowercase(),
    });
    writeln!(out, "{header}").map_err(io)?;
    let mut summary = Summary::default();
    let mut reader = db.reader().await?;
    let mut c = reader.conn();
    for spec in TABLES {
        let mut count = 0u64;
        let mut after = None;
        loop {
            let rows = c.fetch_values(&select(spec, after), spec.columns).await?;
            let done = spec.key.is_none() || (rows.len() as u64) < BATCH;
            for row in &rows {
                writeln!(out, "{}", json!({"t": spec.name, "r": row})).map_err(io)?;
            }
            count += rows.len() as u64;
            if let (Some(last), Some(key)) = (rows.last(), spec.key) {
                let index = spec.columns.iter().position(|(c, _)| *c == key).unwrap_or(0);
                after = last.get(index).and_then(Value::as_i64);
            }
            if done || rows.is_empty() {
                break;
            }
        }
        summary.rows += count;
        summary.tables.push((spec.name.to_string(), count));
    }
    if let Some(files) = files {
        // Item attachments and project files share the store; a file used by both is written once.
        let keys = c
            .fetch_values(
                Query::select()
                    .distinct()
                    .column(Alias::new("sha256"))
                    .from(Alias::new("attachments"))
                    .union(
                        sea_query::UnionType::Distinct,
                        Query::select().column(Alias::new("sha256")).from(Alias::new("project_files")).to_owned(),
                    )
                    .order_by(Alias::new("sha256"), Order::Asc),
                &[("sha256", Text)],
            )
            .await?;
        for key in keys.iter().filter_map(|row| row.first().and_then(Value::as_str)) {
            let bytes =
                files.get(key).map_err(|e| StoreError::Internal(format!("attachment {key} is missing: {e}")))?;
            writeln!(out, "{}", json!({"f": key, "b": STANDARD.encode(bytes)})).map_err(io)?;
            summary.files += 1;
        }
    }
    Ok(summary)
}

fn to_sql(value: &Value, kind: Kind, table: &str, line: usize) -> Result<SimpleExpr> {
    let bad = || StoreError::Import { line, field: table.to_string(), message: format!("值 {value} 的类型不对") };
    if value.is_null() {
        return Ok(match kind {
            Int => Expr::val(Option::<i64>::None),
            Bool => Expr::val(Option::<bool>::None),
            Time => Expr::val(Option::<DateTime<Utc>>::None),
            Date => Expr::val(Option::<NaiveDate>::None),
            Text => Expr::val(Option::<String>::None),
        });
    }
    Ok(match kind {
        Int => Expr::val(value.as_i64().ok_or_else(bad)?),
        Bool => Expr::val(value.as_bool().ok_or_else(bad)?),
        Text => Expr::val(value.as_str().ok_or_else(bad)?.to_string()),
        Time => {
            let t: DateTime<Utc> = value.as_str().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
            Expr::val(t)
        }
        Date => {
            let d = value.as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).ok_or_else(bad)?;
            Expr::val(d)
        }
    })
}

/// Restores a backup into a database that has no units and no users yet (a fresh one).
/// All or nothing; afterwards the audit chain is verified.
pub async fn restore(db: &Db, files: Option<&dyn FileStore>, input: impl BufRead) -> Result<(Summary, VerifyReport)> {
    let mut lines = input.lines().enumerate();
    let header: Value = match lines.next() {
        Some((_, Ok(line))) => serde_json::from_str(&line).map_err(|_| not_backup())?,
        _ => return Err(not_backup()),
    };
    if header.get("format").and_then(Value::as_str) != Some("bangdu-backup") {
        return Err(not_backup());
    }
    let schema = schema::current_version(db).await?;
    if header.get("schema").and_then(Value::as_i64) != Some(schema) {
        return Err(StoreError::conflict(
            "schema_mismatch",
            format!("备份的数据库结构版本为 {}，当前为 {schema}；请使用同一版本的 bangdu 恢复", header["schema"]),
        ));
    }
    let mut tx = db.begin().await?;
    let mut c = tx.conn();
    for table in ["units", "users"] {
        let rows = c
            .fetch_values(Query::select().column(Alias::new("id")).from(Alias::new(table)).limit(1), &[("id", Int)])
            .await?;
        if !rows.is_empty() {
            return Err(StoreError::conflict("not_empty", "目标数据库已有单位或用户，只能恢复到新建的空数据库"));
        }
    }
    for spec in TABLES.iter().rev() {
        c.execute(Query::delete().from_table(Alias::new(spec.name))).await?;
    }
    let mut summary = Summary::default();
    let mut pending: Option<(&TableSpec, sea_query::InsertStatement, usize)> = None;
    for (index, line) in lines {
        let line_no = index + 1;
        let line = line.map_err(|e| StoreError::Internal(format!("cannot read the backup: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(&line).map_err(|_| StoreError::Import {
            line: line_no,
            field: "line".into(),
            message: "不是有效的 JSON".into(),
        })?;
        if let (Some(key), Some(body)) =
            (record.get("f").and_then(Value::as_str), record.get("b").and_then(Value::as_str))
        {
            let bytes = STANDARD.decode(body).map_err(|_| StoreError::Import {
                line: line_no,
                field: "b".into(),
                message: "附件内容不是有效的 base64".into(),
            })?;
            if let Some(files) = files {
                files
                    .put(key, &bytes)
                    .map_err(|e| StoreError::Internal(format!("cannot write attachment {key}: {e}")))?;
            }
            summary.files += 1;
            continue;
        }
        let table = record.get("t").and_then(Value::as_str).unwrap_or("");
        let spec = TABLES.iter().find(|s| s.name == table).ok_or_else(|| StoreError::Import {
            line: line_no,
            field: "t".into(),
            message: format!("未知的表“{table}”"),
        })?;
        let values =
            record.get("r").and_then(Value::as_array).filter(|v| v.len() == spec.columns.len()).ok_or_else(|| {
                StoreError::Import { line: line_no, field: table.into(), message: "列数不对".into() }
            })?;
        let exprs = values
            .iter()
            .zip(spec.columns)
            .map(|(v, (_, kind))| to_sql(v, *kind, table, line_no))
            .collect::<Result<Vec<_>>>()?;
        if pending.as_ref().is_some_and(|(s, _, n)| s.name != spec.name || *n >= 200)
            && let Some((_, insert, _)) = pending.take()
        {
            c.execute(&insert).await?;
        }
        let (_, insert, n) = pending.get_or_insert_with(|| {
            let mut insert = Query::insert();
            insert.into_table(Alias::new(spec.name)).columns(spec.columns.iter().map(|(col, _)| Alias::new(*col)));
            (spec, insert, 0)
        });
        insert.values(exprs).map_err(|e| StoreError::Internal(e.to_string()))?;
        *n += 1;
        summary.rows += 1;
        match summary.tables.last_mut() {
            Some((name, count)) if name == table => *count += 1,
            _ => summary.tables.push((table.to_string(), 1)),
        }
    }
    if let Some((_, insert, _)) = pending.take() {
        c.execute(&insert).await?;
    }
    if c.backend() == Backend::Postgres {
        for spec in TABLES.iter().filter(|s| s.serial) {
            c.move_sequence_past_max(spec.name).await?;
        }
    }
    crate::items::access::rebuild_all(&mut c).await?;
    tx.commit().await?;
    let report = audit::verify(db).await?;
    Ok((summary, report))
}

fn not_backup() -> StoreError {
    StoreError::conflict("not_a_backup", "这不是 bangdu 备份文件")
}

impl Conn<'_> {
    /// Rows as JSON values, decoded column by column by kind (for backups).
    pub async fn fetch_values(
        &mut self,
        stmt: &sea_query::SelectStatement,
        columns: &[(&'static str, Kind)],
    ) -> Result<Vec<Vec<Value>>> {
        use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
        use sea_query_sqlx::SqlxBinder;
        use sqlx::Row;
        macro_rules! decode {
            ($rows:expr) => {{
                let mut out = Vec::with_capacity($rows.len());
                for row in $rows {
                    let mut values = Vec::with_capacity(columns.len());
                    for (i, (_, kind)) in columns.iter().enumerate() {
                        values.push(match kind {
                            Int => json!(row.try_get::<Option<i64>, _>(i)?),
                            Text => json!(row.try_get::<Option<String>, _>(i)?),
                            Bool => json!(row.try_get::<Option<bool>, _>(i)?),
                            Time => json!(row.try_get::<Option<DateTime<Utc>>, _>(i)?),
                            Date => json!(row.try_get::<Option<NaiveDate>, _>(i)?),
                        });
                    }
                    out.push(values);
                }
                out
            }};
        }
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values).fetch_all(&mut **c).await?;
                decode!(rows)
            }
            Conn::Postgres(c) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values).fetch_all(&mut **c).await?;
                decode!(rows)
            }
        })
    }

    /// PostgreSQL only: moves a table's id sequence past the largest id (after rows were inserted
    /// with explicit ids). SQLite's AUTOINCREMENT follows explicit ids by itself.
    pub(crate) async fn move_sequence_past_max(&mut self, table: &str) -> Result<()> {
        if let Conn::Postgres(c) = self {
            // The table name comes from `TABLES`, never from input.
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut **c).await?;
        }
        Ok(())
    }
}
