//! Citizens' appeals (诉求): the categories Open311 calls services, the appeals themselves with their
//! callers kept apart, their history, ratings (好差评), imports of 12345 exports, the API keys of
//! Open311 clients and 吐槽大会 meetings.

use crate::secrets::Secret;
use bangdu_domain::{ApiKeyId, AppealId, AppealImportId, AppealPhotoId, AppealRatingId, CategoryId, ItemId, MeetingId};
use chrono::{DateTime, NaiveDate, Utc};

tables! {
    APPEALS;

    /// 诉求分类, edited by the administrator; Open311 serves each as a service (`code` its
    /// service_code). `time_limit_days` is the working days an appeal of the category is answered in.
    "appeal_categories" => AppealCategories, CategoryRecord { key: id, serial: true, backup: true } {
        id: CategoryId,
        code: String,
        name: String,
        /// Open311's `group`.
        group_name: String,
        description: Option<String>,
        time_limit_days: i64,
        /// Open311 attribute definitions (JSON list), served by `services/{code}` and checked on posts.
        attributes: Option<String>,
        active: bool,
        sort_order: i64,
        version: i64,
        updated_at: DateTime<Utc>,
    }

    /// One import of a 12345 export: the file's digest, the mapping used and what it did.
    "appeal_imports" => AppealImports, AppealImportRecord { key: id, serial: true, backup: true } {
        id: AppealImportId,
        filename: String,
        sha256: String,
        mapping: Option<String>,
        rows_total: i64,
        rows_added: i64,
        rows_updated: i64,
        rows_unchanged: i64,
        rows_skipped: i64,
        owner_unit_id: i64,
        imported_by: Option<i64>,
        imported_at: DateTime<Utc>,
    }

    /// 吐槽大会: a neighbourhood meeting where residents raise problems; each issue raised becomes an
    /// appeal (channel 吐槽大会, `appeals.meeting_id`).
    "appeal_meetings" => AppealMeetings, MeetingRecord { key: id, serial: true, backup: true } {
        id: MeetingId,
        unit_id: i64,
        held_on: NaiveDate,
        place: String,
        host: String,
        attendees: i64,
        /// The units that attended, as written (separated by 、).
        attendee_units: String,
        summary: Option<String>,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        version: i64,
    }

    /// An appeal. `owner_unit_id` is the office whose area it lies in; `handling_unit_id` the unit
    /// that handles it when it is one of ours (`handling_unit_name` keeps the export's text either
    /// way). Personal data is in `appeal_callers`, never here.
    "appeals" => Appeals, AppealRecord { key: id, serial: true, backup: true } {
        id: AppealId,
        /// 工单编号 (the 12345 platform's) or the number given here (Open311, the web form, a meeting).
        external_id: String,
        channel: String,
        received_at: DateTime<Utc>,
        content: String,
        address: Option<String>,
        /// WGS84 in millionths of a degree.
        lat_e6: Option<i64>,
        lon_e6: Option<i64>,
        /// 行政区划代码.
        region: Option<String>,
        category_id: Option<CategoryId>,
        owner_unit_id: i64,
        handling_unit_id: Option<i64>,
        handling_unit_name: Option<String>,
        status: String,
        /// The answer to the citizen (Open311's status_notes).
        status_notes: Option<String>,
        answered_at: Option<DateTime<Utc>>,
        /// When an answer is due: the received day plus the category's working days.
        expected_at: Option<DateTime<Utc>>,
        /// The latest 好差评 level, or the export's 满意度.
        satisfaction: Option<String>,
        /// The item it was sent on as (转办).
        item_id: Option<ItemId>,
        meeting_id: Option<MeetingId>,
        /// Open311 attribute values (JSON object), as posted.
        attributes: Option<String>,
        media_url: Option<String>,
        /// SHA-256 of the tracking link's secret; the link is shown once, to the citizen.
        #[serde(skip)]
        tracking_digest: Option<String>,
        import_id: Option<AppealImportId>,
        /// SHA-256 of the imported row's fields, so a re-import updates only what changed.
        row_digest: Option<String>,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        version: i64,
    }

    /// Personal data of the person who appealed, apart from the appeal: shown only to roles that
    /// call back (`ViewCallers`), masked in lists, never logged, exported or put in the audit chain.
    "appeal_callers" => AppealCallers, CallerRecord { key: appeal_id, serial: false, backup: true } {
        appeal_id: AppealId,
        #[serde(skip)]
        name: Option<String>,
        #[serde(skip)]
        phone: Option<String>,
        #[serde(skip)]
        email: Option<String>,
    }

    /// An appeal's history (received, imported again with changes, sent on, answered, reopened,
    /// rated). The audit chain holds the same changes with the personal data left out.
    "appeal_events" => AppealEvents, AppealEventRecord { key: id, serial: true, backup: true } {
        id: i64,
        appeal_id: AppealId,
        action: String,
        note: Option<String>,
        actor_id: Option<i64>,
        at: DateTime<Utc>,
    }

    /// Photos a citizen sent with an appeal (the public form takes one). The bytes live in the file
    /// store under their SHA-256, like item attachments; they are shown to those who see the appeal
    /// and to the holder of its tracking link, never published through Open311.
    "appeal_photos" => AppealPhotos, AppealPhotoRecord { key: id, serial: true, backup: true } {
        id: AppealPhotoId,
        appeal_id: AppealId,
        filename: String,
        content_type: String,
        size_bytes: i64,
        sha256: String,
        uploaded_at: DateTime<Utc>,
    }

    /// 好差评 of an answered appeal or a written-off item, from the tracking link or the office's
    /// phone-back.
    "appeal_ratings" => AppealRatings, AppealRatingRecord { key: id, serial: true, backup: true } {
        id: AppealRatingId,
        appeal_id: Option<AppealId>,
        item_id: Option<ItemId>,
        level: String,
        comment: Option<String>,
        /// `tracking` (the citizen, from the link) or `phone_back` (entered by the office).
        via: String,
        rated_by: Option<i64>,
        rated_at: DateTime<Utc>,
    }

    /// Open311 clients' API keys, issued by the administrator; only a digest is kept.
    "open311_keys" => Open311Keys, ApiKeyRecord { key: id, serial: true, backup: true } {
        id: ApiKeyId,
        name: String,
        #[serde(skip)]
        key_hash: Secret,
        prefix: String,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        last_used_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
    }
}
