//! The one error of the web layer: a stable snake_case `code`, an HTTP status and a Chinese
//! `message` (plus the `field` or imported `line` at fault). It answers as
//! `{"code":…,"message":…}`; on page routes the router turns that answer into the error page
//! (`pages::errors::as_page`), so API and page handlers return the same error.
//!
//! Which error to use where:
//! - `bangdu_domain::FieldError` — a pure rule refusing one field's value (domain code);
//! - `bangdu_store::StoreError` — storage and its rules: not found (or out of the actor's scope),
//!   forbidden, invalid field, conflict, stale version, bad import row;
//! - `WebError` — everything a handler or extractor returns. Both errors above convert into it
//!   here, in one place (`From`), so handlers use `?`. Internals (SQL, file paths, stack traces)
//!   never reach an answer; they are logged without personal data.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangdu_domain::FieldError;
use bangdu_domain::calendar::CalendarError;
use bangdu_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Clone, Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub line: Option<usize>,
    /// Seconds to wait, sent as `Retry-After` (429).
    pub retry_after: Option<u64>,
}

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, machine-readable: `invalid_json`, `invalid_field`, `not_found`, `version_conflict`, …
    pub code: &'static str,
    /// For people, in Chinese.
    pub message: String,
    /// The field at fault, for `invalid_field` and import errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The line of an imported file at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError { status, code, message: message.into(), field: None, line: None, retry_after: None }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthenticated() -> WebError {
        WebError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录")
    }

    pub fn forbidden() -> WebError {
        WebError::new(StatusCode::FORBIDDEN, "forbidden", "无权执行此操作")
    }

    pub fn not_found() -> WebError {
        WebError::new(StatusCode::NOT_FOUND, "not_found", "记录不存在")
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> WebError {
        let mut e = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message);
        e.field = Some(field.into());
        e
    }

    pub fn internal() -> WebError {
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "服务器内部错误，请稍后重试")
    }
}

impl From<FieldError> for WebError {
    fn from(e: FieldError) -> Self {
        WebError::invalid(e.field, e.message)
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => WebError::not_found(),
            StoreError::Forbidden => WebError::forbidden(),
            StoreError::Invalid(f) => f.into(),
            StoreError::Import { line, field, message } => {
                let mut err = WebError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_import_row",
                    format!("第 {line} 行 {field}：{message}"),
                );
                err.field = Some(field);
                err.line = Some(line);
                err
            }
            StoreError::Conflict { code, message } => WebError::new(StatusCode::CONFLICT, code, message),
            StoreError::VersionConflict => WebError::new(StatusCode::CONFLICT, "version_conflict", e.to_string()),
            StoreError::InvalidCredentials => {
                WebError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "用户名或密码错误")
            }
            StoreError::AccountLocked { .. } => WebError::new(StatusCode::LOCKED, "account_locked", e.to_string()),
            StoreError::Calendar(CalendarError::NotLoaded(year)) => WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "calendar_not_loaded",
                format!("{year} 年的节假日安排尚未载入，请管理员先载入"),
            ),
            StoreError::YearFile(e) => {
                let mut err = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_year_file", e.to_string());
                err.line = Some(e.line);
                err.field = Some("file".into());
                err
            }
            StoreError::Calendar(CalendarError::ZeroDays) => WebError::invalid("days", "工作日数必须至少为 1"),
            StoreError::Database(db) => {
                if let bangdu_store::sqlx::Error::Database(inner) = &db {
                    // Log the SQLSTATE and constraint only: messages can quote the values of a row.
                    if inner.is_unique_violation() {
                        return WebError::new(StatusCode::CONFLICT, "duplicate", "记录已存在");
                    }
                    tracing::error!(code = ?inner.code(), constraint = ?inner.constraint(), "database error");
                } else {
                    tracing::error!(kind = %database_error_kind(&db), "database error");
                }
                WebError::internal()
            }
            StoreError::Internal(message) => {
                tracing::error!(%message, "internal error");
                WebError::internal()
            }
        }
    }
}

fn database_error_kind(e: &bangdu_store::sqlx::Error) -> &'static str {
    match e {
        bangdu_store::sqlx::Error::PoolTimedOut => "pool timed out",
        bangdu_store::sqlx::Error::PoolClosed => "pool closed",
        bangdu_store::sqlx::Error::Io(_) => "io",
        bangdu_store::sqlx::Error::Tls(_) => "tls",
        bangdu_store::sqlx::Error::Protocol(_) => "protocol",
        bangdu_store::sqlx::Error::RowNotFound => "row not found",
        bangdu_store::sqlx::Error::ColumnDecode { .. } | bangdu_store::sqlx::Error::Decode(_) => "decode",
        _ => "other",
    }
}

impl WebError {
    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code, message: self.message.clone(), field: self.field.clone(), line: self.line }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        // Page routes read the error back to draw the error page (see `pages::errors::as_page`).
        response.extensions_mut().insert(self);
        response
    }
}

pub type WebResult<T> = Result<T, WebError>;
