//! The JSON API under `/api/v1`. Each module holds one resource's handlers; each handler reads
//! like prose: extract → check → query → answer. Routes and the OpenAPI document come from the
//! same `#[utoipa::path]` attributes, so they cannot disagree.

pub mod appeals;
pub mod audit;
pub mod calendar;
pub mod health;
pub mod inspections;
pub mod items;
pub mod notifications;
pub mod pool;
pub mod projects;
pub mod session;
pub mod settings;
pub mod tokens;
pub mod units;
pub mod users;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bangdu 帮督 API",
        description = "帮督一体工作平台的 JSON 接口。错误统一为 {\"code\":\"snake_case\",\"message\":\"中文说明\"}；\
                       列表统一为 {\"data\":[…],\"total\":N,\"page\":P,\"per_page\":K}。",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "session", description = "登录、当前用户、会话与令牌"),
        (name = "units", description = "组织机构"),
        (name = "users", description = "用户与角色"),
        (name = "audit", description = "审计日志（全记录）"),
        (name = "calendar", description = "工作日历"),
        (name = "settings", description = "系统设置"),
        (name = "items", description = "督导事项：立项、交办、办理、销号、回头看，三张清单"),
        (name = "notifications", description = "站内通知与单位回调"),
        (name = "projects", description = "项目：为民办实事、民生微实事、重点项目；月度记账、亮灯、数据统计、收账清账、导入"),
        (name = "inspections", description = "帮督行动：人员库、专项行动与批次、双随机抽取、1+1+N 组队"),
        (name = "appeals", description = "群众诉求：12345 导入、转办为督导事项、办结答复、好差评、吐槽大会；诉求分类与 Open311 密钥"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("bd_…").build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::cookies::SESSION))),
        );
    }
}

/// Operations anyone may call without signing in (the calendar, signing in and out).
const PUBLIC_OPERATIONS: &[&str] =
    &["day", "add_workdays", "count_workdays", "list_years", "get_year", "sign_in", "sign_out"];

/// Applied to the finished document (after the routes are added). What the document needs besides
/// the handlers' own attributes, so that it validates as OpenAPI
/// 3.1: every response described (by its status, when the handler did not say more), and who may
/// call — a bearer token or the session cookie everywhere, nothing for the public operations.
pub struct ResponseDescriptions;

impl Modify for ResponseDescriptions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::security::SecurityRequirement;
        openapi.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ]
            .into_iter()
            .flatten()
            {
                if op.operation_id.as_deref().is_some_and(|id| PUBLIC_OPERATIONS.contains(&id)) {
                    op.security = Some(vec![SecurityRequirement::default()]);
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    if let RefOr::T(response) = response
                        && response.description.trim().is_empty()
                    {
                        response.description = status_description(status).to_string();
                    }
                }
            }
        }
    }
}

/// The meaning of a status in this API (errors carry `code` and a Chinese `message`).
fn status_description(status: &str) -> &'static str {
    match status {
        "200" => "成功",
        "201" => "已创建",
        "204" => "成功，无内容",
        "303" => "跳转",
        "400" => "请求格式有误（如 JSON 无法解析）",
        "401" => "未登录或令牌无效",
        "403" => "无权进行此操作",
        "404" => "不存在，或不在您的可见范围内",
        "409" => "与当前数据冲突（如记录已被他人修改，version_conflict）",
        "413" => "内容过大",
        "415" => "不支持的内容类型",
        "422" => "输入有误：field 指明字段，message 说明原因",
        "429" => "请求过于频繁，请稍后再试",
        _ => "见返回内容",
    }
}
