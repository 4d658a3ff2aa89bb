//! 审计日志 pages: the event list with filters, and chain verification.

use super::errors::PageResult;
use super::pager::Pager;
use super::shell::{Shell, shell};
use super::{render, view};
use crate::auth::PageUser;
use crate::input::audit::{EventQuery, event_filter};
use crate::input::page_request;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::audit::{self, VerifyReport};

/// The Chinese name of an audit action.
pub fn action_label(action: &str) -> &str {
    match action {
        "unit.create" => "新建单位",
        "unit.update" => "修改单位",
        "unit.move" => "移动单位",
        "unit.deactivate" => "停用单位",
        "unit.activate" => "启用单位",
        "unit.import" => "导入单位",
        "user.create" => "新建用户",
        "user.update" => "修改用户",
        "user.reset_password" => "重置密码",
        "user.change_password" => "修改本人密码",
        "user.unlock" => "解除锁定",
        "user.lock" => "账号锁定",
        "session.sign_in" => "登录",
        "session.sign_out" => "退出",
        "session.end" => "结束会话",
        "token.create" => "生成令牌",
        "token.revoke" => "吊销令牌",
        "calendar.load_year" => "载入节假日",
        "calendar.replace_year" => "更新节假日",
        "setting.update" => "修改设置",
        "audit.purge" => "清理审计",
        other => other,
    }
}

pub fn object_label(object_type: &str) -> &str {
    match object_type {
        "unit" => "单位",
        "user" => "用户",
        "session" => "会话",
        "api_token" => "令牌",
        "calendar_year" => "日历",
        "setting" => "设置",
        "audit" => "审计",
        other => other,
    }
}

fn object_link(object_type: &str, id: Option<&str>) -> Option<String> {
    let id = id.filter(|i| i.parse::<i64>().is_ok())?;
    match object_type {
        "unit" => Some(format!("/units/{id}")),
        "user" => Some(format!("/users/{id}")),
        "calendar_year" => Some(format!("/calendar?year={id}")),
        _ => None,
    }
}

pub fn result_label(result: &str) -> &str {
    match result {
        "ok" => "成功",
        "failed" => "失败",
        "locked" => "账号已锁定",
        "inactive" => "账号已停用",
        other => other,
    }
}

/// A short Chinese summary of a change: the fields that differ between before and after.
pub fn change_summary(change: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(change) else { return String::new() };
    let (Some(before), Some(after)) =
        (value.get("before").and_then(|v| v.as_object()), value.get("after").and_then(|v| v.as_object()))
    else {
        return String::new();
    };
    let show = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => "空".into(),
        Some(other) => other.to_string(),
    };
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k} {} → {}", show(before.get(k)), show(Some(v))))
        .collect::<Vec<_>>()
        .join("；")
}

pub struct EventLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub ip: String,
    pub action: String,
    pub code: String,
    pub object: String,
    /// The page of the object, when it has one.
    pub object_link: Option<String>,
    pub result: String,
    pub ok: bool,
    pub summary: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<EventLine>,
    pager: Pager,
    action: String,
    object_type: String,
    object_id: String,
    since: String,
    until: String,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(q): Query<EventQuery>,
) -> PageResult {
    let filter = event_filter(&q)?;
    let page = page_request(&q.page, &Some("50".into()))?;
    let paged = {
        let mut reader = state.db.reader().await?;
        audit::list(&mut reader.conn(), &authed.actor, &filter, page).await?
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let params = [
        ("action", text(&q.action)),
        ("object_type", text(&q.object_type)),
        ("object_id", text(&q.object_id)),
        ("since", text(&q.since)),
        ("until", text(&q.until)),
    ];
    let rows = paged
        .data
        .iter()
        .map(|e| EventLine {
            seq: e.seq,
            at: view::time(&e.at),
            actor: e.actor_name.clone(),
            role: view::or_dash(&e.actor_role),
            ip: view::or_dash(&e.source_ip),
            action: action_label(&e.action).to_string(),
            code: e.action.clone(),
            object: format!("{} {}", object_label(&e.object_type), e.object_id.clone().unwrap_or_default()),
            object_link: object_link(&e.object_type, e.object_id.as_deref()),
            result: result_label(&e.result).to_string(),
            ok: e.result == "ok",
            summary: change_summary(&e.change),
            hash: e.hash.chars().take(12).collect(),
        })
        .collect();
    render(&ListPage {
        shell: shell(&state, &authed, "audit", "审计日志", &[("审计日志", None)]).await,
        pager: Pager::new(&paged, "/audit", &params),
        rows,
        action: text(&q.action),
        object_type: text(&q.object_type),
        object_id: text(&q.object_id),
        since: text(&q.since),
        until: text(&q.until),
    })
}

#[derive(Template)]
#[template(path = "audit_verify.html")]
struct VerifyPage {
    shell: Shell,
    report: VerifyReport,
    broken_seq: i64,
    broken_reason: String,
}

pub async fn verify(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let report = audit::verify(&state.db, &authed.actor).await?;
    let (broken_seq, broken_reason) = report.broken.as_ref().map(|b| (b.seq, b.reason.clone())).unwrap_or_default();
    render(&VerifyPage {
        shell: shell(&state, &authed, "audit", "校验审计链", &[("审计日志", Some("/audit")), ("校验审计链", None)])
            .await,
        report,
        broken_seq,
        broken_reason,
    })
}
