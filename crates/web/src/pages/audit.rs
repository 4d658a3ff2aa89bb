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

/// Audit actions and their names, in the order the filter lists them.
const ACTIONS: &[(&str, &str)] = &[
    ("unit.create", "新建单位"),
    ("unit.update", "修改单位"),
    ("unit.move", "移动单位"),
    ("unit.deactivate", "停用单位"),
    ("unit.activate", "启用单位"),
    ("unit.import", "导入单位"),
    ("user.create", "新建用户"),
    ("user.update", "修改用户"),
    ("user.reset_password", "重置密码"),
    ("user.change_password", "修改本人密码"),
    ("user.unlock", "解除锁定"),
    ("user.lock", "账号锁定"),
    ("session.sign_in", "登录"),
    ("session.sign_out", "退出"),
    ("session.end", "结束会话"),
    ("token.create", "生成令牌"),
    ("token.revoke", "吊销令牌"),
    ("calendar.load_year", "载入节假日"),
    ("calendar.replace_year", "更新节假日"),
    ("setting.update", "修改设置"),
    ("audit.purge", "清理审计"),
    ("item.create", "登记事项"),
    ("item.split", "剥笋分解"),
    ("item.escalate", "梯级督查"),
    ("item.attach", "上传附件"),
    ("item.deadline_recount", "期限重算"),
    ("project.create", "登记项目"),
    ("project.update", "修改项目"),
    ("project.report", "月度报送"),
    ("project.report_check", "审核报送"),
    ("project.check", "运行检查"),
    ("project.check_item", "检查问题转督导事项"),
    ("project.freeze", "季度收账"),
    ("pool.member_create", "新增人员库成员"),
    ("pool.member_update", "修改人员库成员"),
    ("pool.member_import_update", "导入更新人员库成员"),
    ("pool.member_retire", "移出人员库"),
    ("pool.member_restore", "恢复入库"),
    ("pool.conflict_declare", "申报利益冲突"),
    ("pool.conflict_withdraw", "撤回利益冲突申报"),
    ("pool.absence_add", "登记不能参加日期"),
    ("pool.absence_remove", "删除不能参加日期"),
    ("inspection.campaign_create", "创建专项行动"),
    ("inspection.round_create", "新增帮督批次"),
    ("inspection.draw", "双随机抽取"),
    ("inspection.target_add", "人工添加督查对象"),
    ("inspection.target_drop", "移除督查对象"),
    ("inspection.target_edit", "修改督查对象"),
    ("inspection.teams_form", "组队"),
    ("inspection.seat_assign", "人工安排组员"),
    ("inspection.seat_remove", "移出组员"),
    ("inspection.finding_record", "记录帮督发现"),
    ("inspection.finding_solved", "问题当场协调解决"),
    ("inspection.finding_item", "帮督发现转为督导事项"),
    ("inspection.report_edit", "修改帮督报告建议"),
    ("inspection.report_issue", "印发帮督报告"),
    ("project.attach", "上传项目附件"),
    ("project.rate", "群众评价"),
    ("project.like", "群众点赞"),
    ("project.comment_moderate", "审核留言"),
    ("job.escalation", "手动运行梯级督查"),
    ("webhook.create", "新建推送地址"),
    ("webhook.deactivate", "停用推送地址"),
    ("appeal.import", "导入 12345 诉求"),
    ("appeal.receive", "受理诉求"),
    ("appeal.transfer", "诉求转办为督导事项"),
    ("appeal.answer", "答复诉求"),
    ("appeal.reopen", "诉求随事项重启"),
    ("appeal.rate", "诉求好差评"),
    ("appeal.photo", "诉求附照片"),
    ("appeal_category.create", "新增诉求分类"),
    ("appeal_category.update", "修改诉求分类"),
    ("appeal_meeting.create", "记录吐槽大会"),
    ("open311_key.create", "发放 Open311 密钥"),
    ("open311_key.revoke", "吊销 Open311 密钥"),
];

/// The Chinese name of an audit action. Item actions take the lifecycle's own words (交办, 销号…);
/// an action without a name here still reads in Chinese, never as its code (the code stays in a tooltip).
pub fn action_label(action: &str) -> String {
    let fixed = ACTIONS.iter().find(|(code, _)| *code == action).map_or("", |(_, label)| *label);
    if !fixed.is_empty() {
        return fixed.into();
    }
    if let Some(action) = action.strip_prefix("item.").and_then(bangdu_domain::item::Action::parse) {
        return action.label().into();
    }
    let object = action.split('.').next().unwrap_or("");
    match object_label(object) {
        known if known != object => format!("{known}操作"),
        _ => "其他操作".into(),
    }
}

pub fn object_label(object_type: &str) -> &str {
    match object_type {
        "unit" => "单位",
        "user" => "用户",
        "session" => "会话",
        "api_token" | "token" => "令牌",
        "calendar_year" | "calendar" => "日历",
        "setting" => "设置",
        "audit" => "审计",
        "item" => "督导事项",
        "project" => "项目",
        "job" => "定时任务",
        "webhook" => "推送地址",
        "attachment" => "附件",
        "pool_member" => "人员库成员",
        "campaign" => "专项行动",
        "round" => "帮督批次",
        "appeal" => "诉求",
        "appeal_import" => "诉求导入",
        "appeal_category" => "诉求分类",
        "appeal_meeting" => "吐槽大会",
        "open311_key" => "Open311 密钥",
        other => other,
    }
}

/// Who did it, in words: a person by account name; the system by what it was doing.
pub fn actor_label(name: &str, person: bool) -> String {
    if person {
        return name.to_string();
    }
    match name {
        "escalation" => "系统·梯级督查".into(),
        "project_lights" => "系统·亮灯计算".into(),
        "cli" => "命令行（运维）".into(),
        "demo" => "系统·演示数据".into(),
        "restore" => "系统·恢复备份".into(),
        "generate" => "系统·生成数据".into(),
        "bench" => "系统·性能测试".into(),
        "public" => "公众".into(),
        _ => "系统".into(),
    }
}

fn object_link(object_type: &str, id: Option<&str>) -> Option<String> {
    let id = id.filter(|i| i.parse::<i64>().is_ok())?;
    match object_type {
        "unit" => Some(format!("/units/{id}")),
        "user" => Some(format!("/users/{id}")),
        "calendar_year" => Some(format!("/calendar?year={id}")),
        "item" => Some(format!("/items/{id}")),
        "project" => Some(format!("/projects/{id}")),
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
    actions: Vec<(String, String)>,
    objects: Vec<(&'static str, &'static str)>,
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
    let page = page_request(&q.page, &crate::pages::pager::size(&q.per_page, "50"))?;
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
            actor: actor_label(&e.actor_name, e.actor_id.is_some()),
            // A system actor's "role" is what it was doing, already in the actor's name.
            role: view::or_dash(&e.actor_role.as_deref().filter(|_| e.actor_id.is_some()).map(role_words)),
            ip: view::or_dash(&e.source_ip),
            action: action_label(&e.action),
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
        actions: action_choices(),
        objects: OBJECT_TYPES.iter().map(|o| (*o, object_label(o))).collect(),
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

/// A role code as stored (`office`, `unit`; several joined by commas) in words.
fn role_words(codes: &str) -> String {
    codes
        .split(',')
        .map(|c| {
            bangdu_domain::role::Role::parse(c.trim()).map(|r| r.label().to_string()).unwrap_or_else(|| c.to_string())
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The choices of the action filter: every named action and the item lifecycle's, by name.
pub fn action_choices() -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> =
        ACTIONS.iter().map(|(c, l)| ((*c).to_string(), (*l).to_string())).collect();
    for action in bangdu_domain::item::Action::ALL {
        choices.push((format!("item.{}", action.code()), format!("{}（事项）", action.label())));
    }
    choices
}

/// The choices of the object filter.
pub const OBJECT_TYPES: &[&str] =
    &["unit", "user", "session", "api_token", "calendar_year", "setting", "item", "project", "job", "webhook", "audit"];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action the store writes to the audit chain, read from its source (`AuditEvent::new`
    /// and the item lifecycle's `item.<action>`), has a Chinese name: no code shows to a user.
    #[test]
    fn every_audit_action_reads_in_chinese() {
        let mut actions: Vec<String> =
            bangdu_domain::item::Action::ALL.iter().map(|a| format!("item.{}", a.code())).collect();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, _) in text.match_indices("AuditEvent::new(") {
                        let call: String = text[i..].chars().take(160).collect();
                        // The first argument, or both names of an `if … { "a" } else { "b" }`.
                        let args = call.split(", \"").next().unwrap_or("").to_string() + "\"";
                        let mut rest = call.as_str();
                        while let Some(start) = rest.find('"') {
                            let after = &rest[start + 1..];
                            let Some(end) = after.find('"') else { break };
                            let literal = &after[..end];
                            if literal.contains('.')
                                && literal.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                            {
                                actions.push(literal.to_string());
                            }
                            rest = &after[end + 1..];
                            if !args.contains(literal) {
                                break;
                            }
                        }
                    }
                }
            }
        }
        actions.sort();
        actions.dedup();
        assert!(actions.len() > 40, "{actions:?}");
        for action in &actions {
            let label = action_label(action);
            assert!(!label.is_empty() && !label.chars().any(|c| c.is_ascii_alphabetic()), "{action} → {label}");
            assert_ne!(label, "其他操作", "{action} has no name of its own");
        }
        assert_eq!(actor_label("escalation", false), "系统·梯级督查");
        assert_eq!(actor_label("cli", false), "命令行（运维）");
        assert_eq!(object_label("item"), "督导事项");
    }
}
