//! Supervision items (督导事项): the items, the units they belong to, who can see them, their code counters and attachments.

use bangdu_domain::{AttachmentId, ItemId, ProjectId};
use chrono::{DateTime, NaiveDate, Utc};

tables! {
    ITEMS;

    "items" => Items, ItemRecord { key: id, serial: true, backup: true } {
        id: ItemId,
        code: String,
        title: String,
        description: Option<String>,
        source: String,
        source_link: Option<String>,
        tags: Option<String>,
        related_projects: Option<String>,
        priority: String,
        parent_id: Option<ItemId>,
        owner_unit_id: i64,
        responsible_unit_id: Option<i64>,
        lead_unit_id: Option<i64>,
        responsible_person: Option<String>,
        measures: Option<String>,
        completion_standard: Option<String>,
        state: String,
        version: i64,
        assigned_on: Option<NaiveDate>,
        deadline: Option<NaiveDate>,
        deadline_workdays: Option<i64>,
        paused_since: Option<NaiveDate>,
        paused_workdays: i64,
        ext_deadline: Option<NaiveDate>,
        ext_reason: Option<String>,
        ext_requested_by: Option<i64>,
        escalation: i64,
        escalated_on: Option<NaiveDate>,
        reopen_count: i64,
        close_measures: Option<String>,
        close_result: Option<String>,
        close_requested_by: Option<i64>,
        close_requested_at: Option<DateTime<Utc>>,
        closed_at: Option<DateTime<Utc>>,
        closed_by: Option<i64>,
        confirmed_at: Option<DateTime<Utc>>,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        /// The project an item was raised from (source 项目滞后), if any.
        project_id: Option<ProjectId>,
        /// The deadline was counted in working days into a year whose notice is not loaded: 暂定.
        deadline_provisional: bool,
    }

    /// The units an item belongs to, by role: `owner` (the office that registered it),
    /// `responsible`, `lead`, `cooperating`. Scope checks look here.
    "item_units" => ItemUnits, ItemUnitRecord { key: none, serial: false, backup: true } {
        item_id: ItemId,
        unit_id: i64,
        role: String,
    }

    "item_counters" => ItemCounters, ItemCounterRecord { key: none, serial: false, backup: true } {
        year: i64,
        last: i64,
    }

    /// Who can see an item, flattened for lists (see `item_access`).
    "item_access" => ItemAccess, ItemAccessRecord { key: none, serial: false, backup: false } {
        item_id: ItemId,
        unit_id: i64,
        direct: bool,
        state: String,
        open: bool,
        deadline_key: NaiveDate,
    }

    "attachments" => Attachments, AttachmentRow { key: id, serial: true, backup: true } {
        id: AttachmentId,
        item_id: ItemId,
        action: Option<String>,
        audit_seq: Option<i64>,
        filename: String,
        content_type: String,
        size_bytes: i64,
        sha256: String,
        uploaded_by: Option<i64>,
        uploaded_at: DateTime<Utc>,
    }
}
