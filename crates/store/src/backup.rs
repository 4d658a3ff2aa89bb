//! Portable backups: every table as JSON lines, readable by either backend. A county's SQLite
//! file can be backed up and restored into a provincial PostgreSQL database, and back.
//!
//! Format: a first line `{"format":"bangdu-backup","version":1,"schema":N,…}`, then one line per
//! row, `{"t":"<table>","r":[values…]}` in the column order of the table's description (`tables`). Sessions are not backed
//! up: after a restore everybody signs in again.

use crate::audit::{self, VerifyReport};
use crate::db::{Backend, Conn, Db};
use crate::error::{Result, StoreError};
use crate::files::FileStore;
use crate::schema;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr};
use serde_json::{Value, json};
use std::io::{BufRead, Write};

pub use crate::tables::{Column, Kind, TableSpec};
use Kind::*;
use std::collections::BTreeMap;

/// Every table a backup carries, parents before children (the order of a restore).
pub fn tables() -> impl Iterator<Item = &'static TableSpec> {
    crate::tables::backed_up()
}

/// The tables the database really has: each column's name and whether it may be NULL (to check the
/// descriptions in `tables` against in a test).
pub async fn live_columns(db: &Db) -> Result<BTreeMap<String, BTreeMap<String, bool>>> {
    use sqlx::Row;
    let mut out: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
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
                let columns = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT name, \"notnull\" FROM pragma_table_info('{name}')"
                )))
                .fetch_all(&mut *c)
                .await?;
                let table = out.entry(name).or_default();
                for column in columns {
                    table.insert(column.try_get::<String, _>(0)?, column.try_get::<i64, _>(1)? == 0);
                }
            }
        }
        Conn::Postgres(c) => {
            let rows = sqlx::query(
                "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
                 WHERE table_schema = current_schema()",
            )
            .fetch_all(&mut *c)
            .await?;
            for row in rows {
                out.entry(row.try_get::<String, _>(0)?)
                    .or_default()
                    .insert(row.try_get::<String, _>(1)?, row.try_get::<String, _>(2)? == "YES");
            }
        }
    }
    Ok(out)
}

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
    for column in spec.columns {
        q.column(Alias::new(column.name));
    }
    match spec.key {
        Some(key) => {
            if let Some(after) = after {
                q.and_where(Expr::col(Alias::new(key)).gt(after));
            }
            q.order_by(Alias::new(key), Order::Asc).limit(BATCH);
        }
        None => {
            for column in spec.columns {
                q.order_by(Alias::new(column.name), Order::Asc);
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
    for spec in tables() {
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
                let index = spec.columns.iter().position(|c| c.name == key).unwrap_or(0);
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
        // Item attachments, project files and appeal photos share the store; a file used by both is written once.
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
                    .union(
                        sea_query::UnionType::Distinct,
                        Query::select().column(Alias::new("sha256")).from(Alias::new("appeal_photos")).to_owned(),
                    )
                    .order_by(Alias::new("sha256"), Order::Asc),
                &[Column { name: "sha256", kind: Text, nullable: false }],
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
        Text => {
            let text = value.as_str().ok_or_else(bad)?;
            // PostgreSQL keeps no NUL in text: say so at the line that holds it, before any insert.
            if text.contains('\0') {
                return Err(StoreError::Import {
                    line,
                    field: table.to_string(),
                    message: "文本含有 NUL 字符（U+0000），PostgreSQL 无法保存；请先在原数据库中修正该记录".into(),
                });
            }
            Expr::val(text.to_string())
        }
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
    let summary = load(db, files, input, Mode::Restore).await?;
    let report = audit::verify(db, &crate::Actor::system("restore")).await?;
    Ok((summary, report))
}

/// Tries a restore without keeping it: every line is read and inserted into the target inside one
/// transaction that is then rolled back, and no attachment is written. An error names the line
/// a real restore would stop at.
pub async fn check_restore(db: &Db, input: impl BufRead) -> Result<Summary> {
    load(db, None, input, Mode::Check).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Restore,
    Check,
}

/// Rows are inserted 200 at a time; a batch the database refuses is named by its lines.
async fn insert_batch(
    c: &mut crate::db::Conn<'_>,
    insert: &sea_query::InsertStatement,
    lines: (usize, usize),
) -> Result<()> {
    c.execute(insert).await.map(|_| ()).map_err(|e| match e {
        StoreError::Database(detail) => StoreError::Import {
            line: lines.0,
            field: "rows".into(),
            message: format!("第 {}–{} 行中有数据库拒绝保存的记录：{detail}", lines.0, lines.1),
        },
        other => other,
    })
}

async fn load(db: &Db, files: Option<&dyn FileStore>, input: impl BufRead, mode: Mode) -> Result<Summary> {
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
            .fetch_values(
                Query::select().column(Alias::new("id")).from(Alias::new(table)).limit(1),
                &[Column { name: "id", kind: Int, nullable: false }],
            )
            .await?;
        if !rows.is_empty() {
            return Err(StoreError::conflict("not_empty", "目标数据库已有单位或用户，只能恢复到新建的空数据库"));
        }
    }
    for spec in tables().collect::<Vec<_>>().into_iter().rev() {
        c.execute(Query::delete().from_table(Alias::new(spec.name))).await?;
    }
    let mut summary = Summary::default();
    // The batch being filled: its table, statement, row count and first and last lines.
    let mut pending: Option<(&TableSpec, sea_query::InsertStatement, usize, (usize, usize))> = None;
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
            if let Some(files) = files.filter(|_| mode == Mode::Restore) {
                files
                    .put(key, &bytes)
                    .map_err(|e| StoreError::Internal(format!("cannot write attachment {key}: {e}")))?;
            }
            summary.files += 1;
            continue;
        }
        let table = record.get("t").and_then(Value::as_str).unwrap_or("");
        let spec = tables().find(|s| s.name == table).ok_or_else(|| StoreError::Import {
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
            .map(|(v, column)| to_sql(v, column.kind, table, line_no))
            .collect::<Result<Vec<_>>>()?;
        if pending.as_ref().is_some_and(|(s, _, n, _)| s.name != spec.name || *n >= 200)
            && let Some((_, insert, _, lines)) = pending.take()
        {
            insert_batch(&mut c, &insert, lines).await?;
        }
        let (_, insert, n, lines) = pending.get_or_insert_with(|| {
            let mut insert = Query::insert();
            insert.into_table(Alias::new(spec.name)).columns(spec.columns.iter().map(|col| Alias::new(col.name)));
            (spec, insert, 0, (line_no, line_no))
        });
        insert.values(exprs).map_err(|e| StoreError::Internal(e.to_string()))?;
        *n += 1;
        lines.1 = line_no;
        summary.rows += 1;
        match summary.tables.last_mut() {
            Some((name, count)) if name == table => *count += 1,
            _ => summary.tables.push((table.to_string(), 1)),
        }
    }
    if let Some((_, insert, _, lines)) = pending.take() {
        insert_batch(&mut c, &insert, lines).await?;
    }
    if c.backend() == Backend::Postgres {
        for spec in tables().filter(|s| s.serial) {
            c.move_sequence_past_max(spec.name).await?;
        }
    }
    crate::item_access::rebuild_all(&mut c).await?;
    match mode {
        Mode::Restore => tx.commit().await?,
        Mode::Check => tx.rollback().await?,
    }
    Ok(summary)
}

fn not_backup() -> StoreError {
    StoreError::conflict("not_a_backup", "这不是 bangdu 备份文件")
}

impl Conn<'_> {
    /// Rows as JSON values, decoded column by column by kind (for backups).
    pub async fn fetch_values(
        &mut self,
        stmt: &sea_query::SelectStatement,
        columns: &[Column],
    ) -> Result<Vec<Vec<Value>>> {
        use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
        use sea_query_sqlx::SqlxBinder;
        use sqlx::Row;
        macro_rules! decode {
            ($rows:expr) => {{
                let mut out = Vec::with_capacity($rows.len());
                for row in $rows {
                    let mut values = Vec::with_capacity(columns.len());
                    for (i, column) in columns.iter().enumerate() {
                        values.push(match column.kind {
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
            // The table name comes from a table description, never from input.
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut **c).await?;
        }
        Ok(())
    }
}
