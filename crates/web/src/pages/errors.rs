//! Error pages: the web layer's one error (`WebError`), shown to a person. Page routes pass every
//! answer through `as_page`, which turns an error answered as JSON into the error page (and a
//! missing sign-in into the sign-in page), so page handlers return the same error as the API.

use crate::error::WebError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

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

pub fn error_page(e: &WebError) -> Response {
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
    error_page(&WebError::new(StatusCode::NOT_FOUND, "not_found", "您要找的页面不存在，或者您无权查看。"))
}

/// For page routes: an error answer becomes the error page; without a sign-in, the sign-in page.
pub async fn as_page(response: Response) -> Response {
    match response.extensions().get::<WebError>() {
        Some(e) if e.status == StatusCode::UNAUTHORIZED => Redirect::to("/login").into_response(),
        Some(e) => error_page(e),
        None => response,
    }
}

pub type PageResult<T = Response> = Result<T, WebError>;
