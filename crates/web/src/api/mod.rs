//! The JSON API under `/api/v1`. Each module holds one resource's handlers; each handler reads
//! like prose: extract → check → query → answer. Routes and the OpenAPI document come from the
//! same `#[utoipa::path]` attributes, so they cannot disagree.

pub mod audit;
pub mod calendar;
pub mod health;
pub mod items;
pub mod notifications;
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
