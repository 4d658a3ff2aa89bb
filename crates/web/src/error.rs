//! The one error type of the web layer: a stable snake_case `code`, an HTTP status and a Chinese
//! `message`, rendered as `{"code":…,"message":…}` for the API (plus `field` when one field is at
//! fault) and as an error page for the browser (`pages::PageError`).
//!
//! Handlers return `Result<_, ApiError>` and let `?` convert storage errors. Internals (SQL, file
//! paths, stack traces) never reach a response; they are logged without personal data.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangdu_domain::FieldError;
use bangdu_domain::calendar::CalendarError;
use bangdu_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub line: Option<usize>,
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

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None, line: None }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录")
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "无权执行此操作")
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "记录不存在")
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message);
        e.field = Some(field.into());
        e
    }

    pub fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "服务器内部错误，请稍后重试")
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::invalid(e.field, e.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Forbidden => ApiError::forbidden(),
            StoreError::Invalid(f) => f.into(),
            StoreError::Import { line, field, message } => {
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_import_row",
                    format!("第 {line} 行 {field}：{message}"),
                );
                err.field = Some(field);
                err.line = Some(line);
                err
            }
            StoreError::Conflict { code, message } => ApiError::new(StatusCode::CONFLICT, code, message),
            StoreError::VersionConflict => ApiError::new(StatusCode::CONFLICT, "version_conflict", e.to_string()),
            StoreError::InvalidCredentials => {
                ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "用户名或密码错误")
            }
            StoreError::AccountLocked { .. } => ApiError::new(StatusCode::LOCKED, "account_locked", e.to_string()),
            StoreError::Calendar(CalendarError::NotLoaded(year)) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "calendar_not_loaded",
                format!("{year} 年的节假日安排尚未载入，请管理员先载入"),
            ),
            StoreError::Calendar(CalendarError::ZeroDays) => ApiError::invalid("days", "工作日数必须至少为 1"),
            StoreError::Database(db) => {
                if let bangdu_store::sqlx::Error::Database(inner) = &db {
                    // Log the SQLSTATE and constraint only: messages can quote the values of a row.
                    if inner.is_unique_violation() {
                        return ApiError::new(StatusCode::CONFLICT, "duplicate", "记录已存在");
                    }
                    tracing::error!(code = ?inner.code(), constraint = ?inner.constraint(), "database error");
                } else {
                    tracing::error!(kind = %database_error_kind(&db), "database error");
                }
                ApiError::internal()
            }
            StoreError::Internal(message) => {
                tracing::error!(%message, "internal error");
                ApiError::internal()
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

impl ApiError {
    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code, message: self.message.clone(), field: self.field.clone(), line: self.line }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
