//! The organisation and who may sign in: units, users and their role grants, sessions and API tokens.

use crate::secrets::Secret;
use bangdu_domain::{GrantId, SessionId, TokenId};
use chrono::{DateTime, Utc};

tables! {
    ORGANISATION;

    "units" => Units, UnitRecord { key: id, serial: true, backup: true } {
        id: i64,
        code: String,
        name: String,
        kind: String,
        parent_id: Option<i64>,
        region: Option<String>,
        /// Materialised path of ids from the root, e.g. `/1/4/9/`; scope checks match on its prefix.
        path: String,
        depth: i64,
        sort_order: i64,
        active: bool,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        version: i64,
    }

    "users" => Users, UserRow { key: id, serial: true, backup: true } {
        // Backups have always listed `email` after `phone`, although a later migration added it last.
        id: i64,
        username: String,
        display_name: String,
        phone: Option<String>,
        #[serde(skip)]
        email: Option<String>,
        /// Argon2id.
        #[serde(skip)]
        password_hash: Secret,
        password_changed_at: DateTime<Utc>,
        must_change_password: bool,
        failed_sign_ins: i64,
        locked_until: Option<DateTime<Utc>>,
        active: bool,
        last_sign_in_at: Option<DateTime<Utc>>,
        #[serde(skip)]
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        version: i64,
    }

    "role_grants" => RoleGrants, RoleGrantRecord { key: id, serial: true, backup: true } {
        id: GrantId,
        user_id: i64,
        role: String,
        unit_id: i64,
        data_scope: String,
        created_at: DateTime<Utc>,
    }

    "grant_units" => GrantUnits, GrantUnitRecord { key: none, serial: false, backup: true } {
        grant_id: GrantId,
        unit_id: i64,
    }

    "sessions" => Sessions, SessionRow { key: none, serial: true, backup: false } {
        id: SessionId,
        /// SHA-256 of the cookie's token; the token itself is never stored.
        #[serde(skip)]
        token_hash: Secret,
        user_id: i64,
        #[serde(skip)]
        csrf_token: String,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        source_ip: Option<String>,
        user_agent: Option<String>,
    }

    "api_tokens" => ApiTokens, TokenRow { key: id, serial: true, backup: true } {
        id: TokenId,
        user_id: i64,
        name: String,
        /// SHA-256 of the token; the token itself is shown once and never stored.
        #[serde(skip)]
        token_hash: Secret,
        /// The first characters, so a person can tell their tokens apart.
        prefix: String,
        created_at: DateTime<Utc>,
        last_used_at: Option<DateTime<Utc>>,
        expires_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
    }
}
