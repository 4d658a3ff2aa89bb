//! The system's own records: scheduled job runs, the audit chain, settings, the working-day calendar and the schema version.

use chrono::{DateTime, NaiveDate, Utc};

tables! {
    SYSTEM;

    /// One row per run of a scheduled job: the node that inserts it runs the job.
    "job_runs" => JobRuns, JobRunRecord { key: none, serial: false, backup: true } {
        job: String,
        run_key: String,
        node: String,
        started_at: DateTime<Utc>,
        finished_at: Option<DateTime<Utc>>,
        summary: Option<String>,
    }

    "audit_events" => AuditEvents, EventRow { key: seq, serial: false, backup: true } {
        seq: i64,
        at: DateTime<Utc>,
        actor_id: Option<i64>,
        actor_name: String,
        actor_role: Option<String>,
        source_ip: Option<String>,
        action: String,
        object_type: String,
        object_id: Option<String>,
        change: String,
        result: String,
        algorithm: String,
        prev_hash: String,
        hash: String,
    }

    /// One row (id 1): the last sequence number and hash, and the base left by a purge.
    "audit_head" => AuditHead, AuditHeadRecord { key: none, serial: false, backup: true } {
        id: i64,
        seq: i64,
        hash: String,
        base_seq: i64,
        base_hash: String,
    }

    "settings" => Settings, SettingRecord { key: none, serial: false, backup: true } {
        key: String,
        value: String,
        updated_at: DateTime<Utc>,
        updated_by: Option<i64>,
    }

    "calendar_years" => CalendarYears, YearRow { key: none, serial: false, backup: true } {
        year: i64,
        note: String,
        loaded_at: DateTime<Utc>,
        loaded_by: Option<i64>,
    }

    "calendar_days" => CalendarDays, CalendarDayRecord { key: none, serial: false, backup: true } {
        year: i64,
        date: NaiveDate,
        kind: String,
        name: String,
    }

    "schema_migrations" => SchemaMigrations, MigrationRecord { key: none, serial: false, backup: false } {
        version: i64,
        name: String,
        applied_at: DateTime<Utc>,
    }
}
