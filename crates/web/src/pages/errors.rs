//! Error pages: the same `ApiError` as the API, shown to a person.

use crate::error::ApiError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    version: &'static str,
}

fn title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "提交的内容有误",
        401 => "请先登录",
        403 => "无权访问",
        404 => "页面不存在",
        409 => "操作冲突",
        413 => "内容过大",
        _ => "系统出错了",
    }
}

pub fn error_page(e: &ApiError) -> Response {
    let page = ErrorPage {
        status: e.status.as_u16(),
        title: title(e.status),
        message: &e.message,
        version: crate::assets::VERSION,
    };
    match page.render() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(_) => (e.status, e.message.clone()).into_response(),
    }
}

pub fn not_found_page() -> Response {
    error_page(&ApiError::new(StatusCode::NOT_FOUND, "not_found", "您要找的页面不存在，或者您无权查看。"))
}

/// An error from a page handler, shown as a page.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.0.status == StatusCode::UNAUTHORIZED {
            return axum::response::Redirect::to("/login").into_response();
        }
        error_page(&self.0)
    }
}

pub type PageResult<T = Response> = Result<T, PageError>;
