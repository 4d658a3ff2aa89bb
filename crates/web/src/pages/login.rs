//! 登录 and 退出. The sign-in form is protected against login CSRF by a short-lived cookie whose
//! value the form must echo.

use super::errors::PageResult;
use super::render;
use crate::auth::{MaybeUser, PageUser, cookies, csrf};
use crate::extract::ClientInfo;
use crate::extract::Form;
use crate::pages::forms::CsrfForm;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use bangdu_store::secrets::random_token;
use bangdu_store::sessions;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
    notice: Option<String>,
    version: &'static str,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    pub next: Option<String>,
    pub done: Option<String>,
}

/// Only same-site paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_string(),
        _ => "/".into(),
    }
}

fn page(
    jar: CookieJar,
    secure: bool,
    next: String,
    username: String,
    error: Option<String>,
    notice: Option<String>,
) -> PageResult {
    let token = random_token()?;
    let jar = jar.add(cookies::build(cookies::LOGIN_CSRF, token.clone(), secure, Some(1800)));
    let html = render(&LoginPage { csrf: token, next, username, error, notice, version: crate::assets::VERSION })?;
    Ok((jar, html).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<LoginQuery>,
) -> PageResult {
    if user.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let secure = cookies::secure(&headers, state.config.secure_cookies, state.config.trust_proxy);
    let notice = (q.done.as_deref() == Some("signed_out")).then(|| "您已安全退出".to_string());
    page(jar, secure, safe_next(q.next.as_deref()), String::new(), None, notice)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub csrf_token: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
    jar: CookieJar,
    Extension(public): Extension<csrf::PublicOrigin>,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let secure = cookies::secure(&headers, state.config.secure_cookies, state.config.trust_proxy);
    let next = safe_next(Some(&form.next));
    let expected = jar.get(cookies::LOGIN_CSRF).map(|c| c.value().to_string()).unwrap_or_default();
    if csrf::cross_site(&headers, &public) || !csrf::tokens_match(&expected, &form.csrf_token) {
        let message = "登录页面已过期，请重新输入".to_string();
        return page(jar, secure, next, form.username, Some(message), None);
    }
    match crate::auth::throttle::sign_in(&state, &client, &form.username, &form.password).await {
        Ok(signed) => {
            let jar = jar.remove(cookies::removal(cookies::LOGIN_CSRF, secure)).add(cookies::build(
                cookies::SESSION,
                signed.session.token,
                secure,
                None,
            ));
            Ok((jar, Redirect::to(&next)).into_response())
        }
        // Refusals people can act on are said on the form; anything else is the error page.
        Err(e)
            if matches!(e.code, "invalid_credentials" | "account_locked" | "too_many_attempts" | "sign_in_delayed") =>
        {
            page(jar, secure, next, form.username, Some(e.message), None)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {}

pub async fn logout(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    headers: HeaderMap,
    jar: CookieJar,
    CsrfForm(_form): CsrfForm<LogoutForm>,
) -> PageResult<Response> {
    if let Some(session) = &authed.session {
        let mut tx = state.db.begin().await?;
        sessions::end_own(&mut tx.conn(), &authed.actor, session.id, "session.sign_out").await?;
        tx.commit().await?;
    }
    let secure = cookies::secure(&headers, state.config.secure_cookies, state.config.trust_proxy);
    Ok((jar.remove(cookies::removal(cookies::SESSION, secure)), Redirect::to("/login?done=signed_out")).into_response())
}
