//! The one error type of the storage layer. The web layer maps each variant to an HTTP status and
//! a stable code; the CLI prints the message.
//!
//! Use `NotFound` for a record that does not exist *or is out of the caller's scope* (the caller
//! must not learn that it exists), `Forbidden` when the record is visible but the action is not
//! allowed, `Invalid` for a bad field value, `Conflict` for a state that forbids the change, and
//! `VersionConflict` for a stale optimistic-lock version.

use bangdu_domain::FieldError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("记录不存在")]
    NotFound,
    #[error("无权执行此操作")]
    Forbidden,
    #[error("{0}")]
    Invalid(FieldError),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("记录已被他人修改，请刷新后重试")]
    VersionConflict,
    #[error("用户名或密码错误")]
    InvalidCredentials,
    #[error("连续登录失败次数过多，账号已锁定，请于 {} 后再试", crate::time::beijing(.until, "%H:%M"))]
    AccountLocked { until: chrono::DateTime<chrono::Utc> },
    /// A bad row in an imported file; nothing of the file was stored.
    #[error("第 {line} 行 {field}：{message}")]
    Import { line: usize, field: String, message: String },
    #[error("{0}")]
    Calendar(#[from] bangdu_domain::calendar::CalendarError),
    /// A year file that does not read; nothing was loaded.
    #[error("{0}")]
    YearFile(#[from] bangdu_domain::calendar::ParseError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> StoreError {
        StoreError::Invalid(FieldError::new(field, message))
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Conflict { code, message: message.into() }
    }

    /// True when the database refused a row because of a unique constraint.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// True when SQLite gave up waiting for another connection's write lock (SQLITE_BUSY).
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.code().as_deref() == Some("5"))
    }
}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Invalid(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
