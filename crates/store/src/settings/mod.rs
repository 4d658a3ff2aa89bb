//! System settings (系统设置): a small key–value table with a registry of the keys that exist,
//! their defaults and their validation. Each change is an audit event.

mod change;

pub use change::{change, set};

use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::tables::Settings;
use bangdu_domain::audit_chain::HashAlgorithm;
use bangdu_domain::permission::Permission;
use sea_query::{Expr, ExprTrait, Query};
use serde::Serialize;
use serde_json::{Value, json};

/// One known setting.
pub struct SettingDef {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub default: fn() -> Value,
    /// Checks a new value; the error is a Chinese sentence.
    pub validate: fn(&Value) -> std::result::Result<(), String>,
    /// Never shown back (passwords): reads answer a mask, and writing the mask keeps the value.
    pub secret: bool,
    /// The allowed values with their labels, when the value is one of a few.
    pub choices: &'static [(&'static str, &'static str)],
}

/// What a secret setting reads as.
pub const MASK: &str = "******";

pub const HASH_ALGORITHM: &str = "audit.hash_algorithm";
pub const ITEM_CODE_PREFIX: &str = "items.code_prefix";
pub const REMINDER_DAYS: &str = "escalation.reminder_days";
pub const SUPERVISE_AFTER: &str = "escalation.supervise_after";
pub const BULLETIN_AFTER: &str = "escalation.bulletin_after";
pub const ATTACHMENT_MAX_MB: &str = "attachments.max_mb";
pub const REOPEN_WORKDAYS: &str = "items.reopen_workdays";
pub const SMTP_HOST: &str = "notify.smtp_host";
pub const SMTP_PORT: &str = "notify.smtp_port";
pub const SMTP_SECURITY: &str = "notify.smtp_security";
pub const SMTP_USERNAME: &str = "notify.smtp_username";
pub const SMTP_PASSWORD: &str = "notify.smtp_password";
pub const SMTP_FROM: &str = "notify.smtp_from";
pub const SMS_URL: &str = "notify.sms_url";
pub const SMS_BODY: &str = "notify.sms_body";
pub const PROJECT_YELLOW_BEHIND: &str = "projects.yellow_behind";
pub const PROJECT_RED_BEHIND: &str = "projects.red_behind";
pub const PROJECT_REPORT_WORKDAY: &str = "projects.report_workday";
pub const PROJECT_KINDS: &str = "projects.kinds";
pub const SUPERVISION_PHONE: &str = "projects.supervision_phone";
pub const PUBLIC_BASE_URL: &str = "public.base_url";
pub const MAP_TILE_URL: &str = "map.tile_url";
pub const WEBHOOK_ALLOWED: &str = "webhooks.allowed_destinations";
pub const INSPECTION_DOMAINS: &str = "inspections.domains";
pub const INSPECTION_AVOIDANCE: &str = "inspections.avoidance";
pub const INSPECTION_LOAD_CAP: &str = "inspections.load_cap";
pub const INSPECTION_KIND_DOMAINS: &str = "inspections.kind_domains";
pub const APPEAL_MAPPING: &str = "appeals.import_mapping";

/// The project kinds offered by default; an administrator may add others.
pub const DEFAULT_PROJECT_KINDS: &str = "为民办实事,民生微实事,重点项目";

fn text_up_to(v: &Value, max: usize) -> std::result::Result<(), String> {
    match v.as_str() {
        Some(s) if s.chars().count() <= max && !s.chars().any(char::is_control) => Ok(()),
        _ => Err(format!("应为不超过 {max} 字的文本")),
    }
}

fn whole_number(v: &Value, min: i64, max: i64) -> std::result::Result<(), String> {
    match v.as_i64() {
        Some(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(format!("应为 {min}–{max} 的整数")),
    }
}

pub static SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: HASH_ALGORITHM,
        label: "审计哈希算法",
        help: "新审计事件使用的哈希算法：sha256（默认）或 sm3（国密）。已有事件按各自记录的算法校验。",
        default: || json!("sha256"),
        validate: |v| match v.as_str().and_then(HashAlgorithm::parse) {
            Some(_) => Ok(()),
            None => Err("应为 sha256 或 sm3".into()),
        },
        secret: false,
        choices: &[("sha256", "SHA-256（默认）"), ("sm3", "SM3（国密 GB/T 32905）")],
    },
    SettingDef {
        key: ITEM_CODE_PREFIX,
        label: "督导事项编号前缀",
        help: "事项编号形如“前缀-年份-序号”，如 QZ-2025-000123。2–10 位大写字母或数字。",
        default: || json!("DB"),
        validate: |v| match v.as_str() {
            Some(p)
                if (2..=10).contains(&p.len()) && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) =>
            {
                Ok(())
            }
            _ => Err("应为 2–10 位大写字母或数字".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: REMINDER_DAYS,
        label: "临近提醒（工作日）",
        help: "期限前这么多个工作日起发出临近提醒，事项显示“临期”。0 表示不提醒。",
        default: || json!(3),
        validate: |v| whole_number(v, 0, 30),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SUPERVISE_AFTER,
        label: "催办后转督办（工作日）",
        help: "逾期后第一个工作日催办；再过这么多个工作日仍未办结，向牵头单位发出督办。",
        default: || json!(3),
        validate: |v| whole_number(v, 1, 60),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: BULLETIN_AFTER,
        label: "督办后转通报（工作日）",
        help: "督办后再过这么多个工作日仍未办结，列入通报。",
        default: || json!(5),
        validate: |v| whole_number(v, 1, 60),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: REOPEN_WORKDAYS,
        label: "回头看重启后的办理期限（工作日）",
        help: "回头看发现问题、重启事项时，新期限默认从重启之日起算这么多个工作日；重启时可另行指定。",
        default: || json!(10),
        validate: |v| whole_number(v, 1, 365),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: ATTACHMENT_MAX_MB,
        label: "附件大小上限（MB）",
        help: "单个附件的最大大小。",
        default: || json!(20),
        validate: |v| whole_number(v, 1, 200),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SMTP_HOST,
        label: "邮件服务器（SMTP）",
        help: "发送通知邮件的 SMTP 服务器地址；留空则不发邮件。有邮箱的用户会收到通知。",
        default: || json!(""),
        validate: |v| text_up_to(v, 200),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SMTP_PORT,
        label: "SMTP 端口",
        help: "通常 465（TLS）或 587（STARTTLS）。",
        default: || json!(465),
        validate: |v| whole_number(v, 1, 65535),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SMTP_SECURITY,
        label: "SMTP 加密方式",
        help: "tls、starttls 或 none（仅内网）。",
        default: || json!("tls"),
        validate: |v| match v.as_str() {
            Some("tls" | "starttls" | "none") => Ok(()),
            _ => Err("应为 tls、starttls 或 none".into()),
        },
        secret: false,
        choices: &[("tls", "TLS（465）"), ("starttls", "STARTTLS（587）"), ("none", "不加密（仅内网）")],
    },
    SettingDef {
        key: SMTP_USERNAME,
        label: "SMTP 用户名",
        help: "留空则不登录。",
        default: || json!(""),
        validate: |v| text_up_to(v, 200),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SMTP_PASSWORD,
        label: "SMTP 密码",
        help: "保存后不再显示。",
        default: || json!(""),
        validate: |v| text_up_to(v, 200),
        secret: true,
        choices: &[],
    },
    SettingDef {
        key: SMTP_FROM,
        label: "发件人",
        help: "如：帮督平台 <bangdu@example.gov.cn>",
        default: || json!(""),
        validate: |v| text_up_to(v, 200),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SMS_URL,
        label: "短信网关地址",
        help: "短信网关的 HTTP 地址，可含 {phone} 和 {text}（自动编码）；留空则不发短信。催办、到期通知发短信。",
        default: || json!(""),
        validate: |v| match v.as_str() {
            Some("") => Ok(()),
            Some(u) if (u.starts_with("http://") || u.starts_with("https://")) && u.len() <= 500 => Ok(()),
            _ => Err("应为 http:// 或 https:// 开头的地址".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SMS_BODY,
        label: "短信请求体（JSON 模板）",
        help: "填写则以 POST 发送此 JSON，其中 {phone} 和 {text} 会被替换；留空则用 GET 调用地址。",
        default: || json!(""),
        validate: |v| text_up_to(v, 1000),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: PROJECT_YELLOW_BEHIND,
        label: "项目亮黄灯：落后计划（百分点）",
        help: "实际进度落后计划进度超过这么多个百分点时亮黄灯。",
        default: || json!(5),
        validate: |v| whole_number(v, 1, 100),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: PROJECT_RED_BEHIND,
        label: "项目亮红灯：落后计划（百分点）",
        help: "实际进度落后计划进度超过这么多个百分点时亮红灯（超时序）；应大于黄灯阈值。",
        default: || json!(15),
        validate: |v| whole_number(v, 1, 100),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: PROJECT_REPORT_WORKDAY,
        label: "月度进展报送截止（次月第几个工作日）",
        help: "每月进展须在次月第这么多个工作日（含）前报送，逾期未报亮黄灯。",
        default: || json!(5),
        validate: |v| whole_number(v, 1, 20),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: PROJECT_KINDS,
        label: "项目类别",
        help: "可选的项目类别，用逗号分隔，如“为民办实事,民生微实事,重点项目”。",
        default: || json!(DEFAULT_PROJECT_KINDS),
        validate: |v| match v.as_str() {
            Some(s) if !s.split(',').any(|k| k.trim().is_empty()) && s.chars().count() <= 500 => Ok(()),
            _ => Err("应为用逗号分隔的类别名称".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: INSPECTION_DOMAINS,
        label: "人员库专业领域",
        help: "人员库成员和督查对象可选的专业领域，用逗号分隔。已在使用的领域删去后，原有记录保留，但不能再选。",
        default: || json!(bangdu_domain::inspection::pool::DEFAULT_DOMAINS.join(",")),
        validate: |v| match v.as_str() {
            Some(s)
                if !s.split(',').any(|k| k.trim().is_empty() || k.contains(['、', '，', ';', '；', ' ']))
                    && s.chars().count() <= 1000 =>
            {
                Ok(())
            }
            _ => Err("应为用逗号分隔的领域名称（名称中不能有顿号、空格或分号）".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: INSPECTION_AVOIDANCE,
        label: "本地回避层级",
        help: "组队时，成员所在地区与督查对象所在地区在这一层级相同即回避。",
        default: || json!("county"),
        validate: |v| match v.as_str() {
            Some("county" | "prefecture" | "province") => Ok(()),
            _ => Err("应为 county、prefecture 或 province".into()),
        },
        secret: false,
        choices: &[
            ("county", "县级（同一县市区回避）"),
            ("prefecture", "市级（同一设区市回避）"),
            ("province", "省级"),
        ],
    },
    SettingDef {
        key: INSPECTION_LOAD_CAP,
        label: "每年参加批次上限",
        help: "一名成员一年内最多参加的帮督批次数；达到上限后不再被抽调。",
        default: || json!(6),
        validate: |v| whole_number(v, 1, 100),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: INSPECTION_KIND_DOMAINS,
        label: "项目类别对应的专业领域",
        help: "督查项目时默认需要的专业领域，如“为民办实事=项目建设;重点项目=项目建设、产业发展”。督导事项按其标签中的领域；未列出的类别默认“项目建设”。每个督查对象可单独修改。",
        default: || json!("为民办实事=项目建设、城建;民生微实事=城建;重点项目=项目建设、产业发展"),
        validate: |v| match v.as_str() {
            Some(s)
                if s.chars().count() <= 1000
                    && s.split(';').filter(|p| !p.trim().is_empty()).all(|p| p.contains('=')) =>
            {
                Ok(())
            }
            _ => Err("应为“类别=领域、领域;类别=领域”".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: SUPERVISION_PHONE,
        label: "监督电话",
        help: "印在公示牌和项目公开页上的监督电话。",
        default: || json!("12345"),
        validate: |v| text_up_to(v, 40),
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: PUBLIC_BASE_URL,
        label: "公开访问地址",
        help: "群众访问公开页的地址（如 https://bangdu.example.gov.cn），公示牌二维码指向此地址下的项目公开页。留空则使用启动参数 --public-url，再无则用服务器监听的地址（群众通常无法访问），请务必填写。",
        default: || json!(""),
        validate: |v| match v.as_str() {
            Some("") => Ok(()),
            Some(s)
                if (s.starts_with("https://") || s.starts_with("http://"))
                    && s.len() <= 200
                    && !s.contains(char::is_whitespace) =>
            {
                Ok(())
            }
            _ => Err("应为以 http:// 或 https:// 开头的地址".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: WEBHOOK_ALLOWED,
        label: "允许回调的内网地址",
        help: "单位回调（Webhook）默认只能调用公网地址；本机、内网、链路本地（含云主机元数据服务）等地址一律拒绝。确需调用内网系统时，在此列出允许的主机名、IP 地址或网段，用逗号分隔，如“oa.intranet, 10.1.0.0/16”。保存回调时和每次发送时都会检查。",
        default: || json!(""),
        validate: |v| match v.as_str() {
            Some(s) if s.chars().count() <= 1000 => bangdu_domain::destination::Allowed::parse(s).map(|_| ()),
            _ => Err("应为不超过 1000 字的主机名、IP 地址或网段列表".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: MAP_TILE_URL,
        label: "地图底图瓦片地址",
        help: "项目地图的底图瓦片，如 https://tiles.example.gov.cn/{z}/{x}/{y}.png（Web 墨卡托）。由本系统代为获取，浏览器不直接访问外部地址。留空则不加载底图，地图在无外网时照常使用。",
        default: || json!(""),
        validate: |v| match v.as_str() {
            Some("") => Ok(()),
            Some(s)
                if (s.starts_with("https://") || s.starts_with("http://"))
                    && ["{z}", "{x}", "{y}"].iter().all(|p| s.contains(p))
                    && s.len() <= 300
                    && !s.contains(char::is_whitespace) =>
            {
                Ok(())
            }
            _ => Err("应为含 {z}、{x}、{y} 的 http:// 或 https:// 地址".into()),
        },
        secret: false,
        choices: &[],
    },
    SettingDef {
        key: APPEAL_MAPPING,
        label: "12345 导入列映射",
        help: "非标准格式的 12345 导出表：每行一条“列名=字段”，如“反映事项=content”。字段：external_id 工单编号、received_at 来电时间、content 诉求内容、address 诉求地址、region 所属区域、category 诉求分类、unit 承办单位、status 办理状态、satisfaction 满意度、channel 来源、caller_name 来电人、caller_phone 联系电话、answer 办理结果。常见列名无需映射。",
        default: || json!(""),
        validate: |v| match v.as_str() {
            Some(text) => parse_mapping(text).map(|_| ()),
            None => Err("应为文本".into()),
        },
        secret: false,
        choices: &[],
    },
];

/// A header mapping as typed: one 列名=字段 per line (or separated by commas); each field one of
/// the 12345 import's.
pub fn parse_mapping(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in text.split(['\n', ',', '，']).map(str::trim).filter(|p| !p.is_empty()) {
        let Some((header, field)) = part.split_once(['=', '＝']) else {
            return Err(format!("“{part}”应写成 列名=字段"));
        };
        let (header, field) = (header.trim(), field.trim());
        if header.is_empty() || !bangdu_domain::appeal::columns::FIELDS.iter().any(|(f, _)| *f == field) {
            return Err(format!("“{part}”：未知字段“{field}”"));
        }
        out.push((header.to_string(), field.to_string()));
    }
    Ok(out)
}

pub fn definition(key: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|s| s.key == key)
}

#[derive(sqlx::FromRow)]
struct ValueRow {
    value: String,
}

/// The stored value of a setting, or its default.
pub async fn get(c: &mut Conn<'_>, key: &str) -> Result<Value> {
    let def = definition(key).ok_or_else(|| StoreError::Internal(format!("unknown setting {key}")))?;
    let row: Option<ValueRow> = c
        .fetch_optional(
            Query::select().column(Settings::Value).from(Settings::Table).and_where(Expr::col(Settings::Key).eq(key)),
        )
        .await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.value).ok()).unwrap_or_else(def.default))
}

pub async fn hash_algorithm(c: &mut Conn<'_>) -> Result<HashAlgorithm> {
    let value = get(c, HASH_ALGORITHM).await?;
    Ok(value.as_str().and_then(HashAlgorithm::parse).unwrap_or(HashAlgorithm::Sha256))
}

#[derive(Clone, Debug, Serialize)]
pub struct SettingView {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub value: Value,
    pub default: Value,
    pub secret: bool,
    pub choices: &'static [(&'static str, &'static str)],
}

/// Every setting with its value, for those who manage settings (secrets masked).
pub async fn all(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<SettingView>> {
    actor.require(Permission::ManageSettings)?;
    let mut out = Vec::new();
    for def in SETTINGS {
        let mut value = get(c, def.key).await?;
        if def.secret && value.as_str().is_some_and(|v| !v.is_empty()) {
            value = json!(MASK);
        }
        out.push(SettingView {
            key: def.key,
            label: def.label,
            help: def.help,
            value,
            default: (def.default)(),
            secret: def.secret,
            choices: def.choices,
        });
    }
    Ok(out)
}

/// An integer setting (falls back to its default).
pub async fn get_i64(c: &mut Conn<'_>, key: &str) -> Result<i64> {
    let def = definition(key).ok_or_else(|| StoreError::Internal(format!("unknown setting {key}")))?;
    Ok(get(c, key).await?.as_i64().or_else(|| (def.default)().as_i64()).unwrap_or(0))
}

/// A text setting; its default when unset or blank.
pub async fn get_text(c: &mut Conn<'_>, key: &str) -> Result<String> {
    let def = definition(key).ok_or_else(|| StoreError::Internal(format!("unknown setting {key}")))?;
    let value = get(c, key).await?;
    let text = value.as_str().filter(|t| !t.trim().is_empty()).map(String::from);
    Ok(text.or_else(|| (def.default)().as_str().map(String::from)).unwrap_or_default())
}

/// The light thresholds and the reporting deadline.
pub async fn lights(c: &mut Conn<'_>) -> Result<(bangdu_domain::project::LightSettings, u32)> {
    use bangdu_domain::project::{LightSettings, Percent};
    let settings = LightSettings {
        yellow_behind: Percent::whole(get_i64(c, PROJECT_YELLOW_BEHIND).await?),
        red_behind: Percent::whole(get_i64(c, PROJECT_RED_BEHIND).await?),
    };
    Ok((settings, u32::try_from(get_i64(c, PROJECT_REPORT_WORKDAY).await?).unwrap_or(5)))
}

/// The project kinds an office may choose.
pub async fn project_kinds(c: &mut Conn<'_>) -> Result<Vec<String>> {
    let text = get_text(c, PROJECT_KINDS).await?;
    Ok(text.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect())
}

pub async fn escalation(c: &mut Conn<'_>) -> Result<bangdu_domain::item::EscalationSettings> {
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Ok(bangdu_domain::item::EscalationSettings {
        reminder_days: n(get_i64(c, REMINDER_DAYS).await?),
        supervise_after: n(get_i64(c, SUPERVISE_AFTER).await?),
        bulletin_after: n(get_i64(c, BULLETIN_AFTER).await?),
    })
}

/// The domains the pool and targets may name.
pub async fn inspection_domains(c: &mut Conn<'_>) -> Result<Vec<String>> {
    let text = get_text(c, INSPECTION_DOMAINS).await?;
    Ok(text.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect())
}

/// Team formation's hard limits: the 本地回避 level and the yearly load cap.
pub async fn inspection_rules(c: &mut Conn<'_>) -> Result<bangdu_domain::inspection::eligibility::Rules> {
    use bangdu_domain::inspection::eligibility::{AvoidanceLevel, Rules};
    let avoidance = match get_text(c, INSPECTION_AVOIDANCE).await?.as_str() {
        "province" => AvoidanceLevel::Province,
        "prefecture" => AvoidanceLevel::Prefecture,
        _ => AvoidanceLevel::County,
    };
    Ok(Rules { avoidance, load_cap: u32::try_from(get_i64(c, INSPECTION_LOAD_CAP).await?).unwrap_or(6) })
}

/// The domains a project of each kind needs by default: (kind, domains).
pub async fn kind_domains(c: &mut Conn<'_>) -> Result<Vec<(String, Vec<String>)>> {
    let text = get_text(c, INSPECTION_KIND_DOMAINS).await?;
    Ok(text
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .map(|(kind, domains)| {
            let list = domains.split(['、', ',']).map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
            (kind.trim().to_string(), list)
        })
        .collect())
}

/// The destinations webhooks may call although they are not public (none by default).
pub async fn webhook_destinations(c: &mut Conn<'_>) -> Result<bangdu_domain::destination::Allowed> {
    let text = get(c, WEBHOOK_ALLOWED).await?;
    bangdu_domain::destination::Allowed::parse(text.as_str().unwrap_or(""))
        .map_err(|e| StoreError::Internal(format!("setting {WEBHOOK_ALLOWED}: {e}")))
}
