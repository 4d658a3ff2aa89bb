//! 系统设置 page (administrators): every setting of the registry, grouped by what it is about,
//! saved all together or not at all. Secrets (the SMTP password) are never shown back.

use super::errors::PageResult;
use super::forms::CsrfForm;
use super::shell::{Flash, shell};
use super::{Done, done, flash, render};
use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::settings::{self, MASK, SettingView};
use serde_json::Value;
use std::collections::HashMap;

/// One field of the form.
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// `number`, `text`, `password` or `select`.
    pub input: &'static str,
    pub value: String,
    pub choices: Vec<(&'static str, &'static str, bool)>,
    pub error: String,
}

pub struct Section {
    pub title: &'static str,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    shell: super::shell::Shell,
    sections: Vec<Section>,
    /// Until a public address is configured, where public links point instead, and why it matters.
    public_warning: Option<String>,
}

fn section_of(key: &str) -> &'static str {
    match key.split('.').next().unwrap_or("") {
        "audit" => "审计",
        "items" => "督导事项",
        "escalation" => "梯级督查（工作日）",
        "attachments" => "附件",
        "notify" => "通知：邮件与短信",
        _ => "其他",
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The fields, showing `typed` values (after a failed save) over the stored ones.
fn sections(views: Vec<SettingView>, typed: &HashMap<String, String>, error: Option<&WebError>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for v in views {
        let value = typed.get(v.key).cloned().unwrap_or_else(|| text_of(&v.value));
        let input = if v.secret {
            "password"
        } else if !v.choices.is_empty() {
            "select"
        } else if v.default.is_number() {
            "number"
        } else {
            "text"
        };
        let field = Field {
            key: v.key,
            label: v.label,
            help: v.help,
            input,
            choices: v.choices.iter().map(|(code, label)| (*code, *label, *code == value)).collect(),
            error: error.filter(|e| e.field.as_deref() == Some(v.key)).map(|e| e.message.clone()).unwrap_or_default(),
            value,
        };
        let title = section_of(v.key);
        match out.iter_mut().find(|s| s.title == title) {
            Some(section) => section.fields.push(field),
            None => out.push(Section { title, fields: vec![field] }),
        }
    }
    out
}

async fn settings_page(
    state: &AppState,
    authed: &Authed,
    typed: &HashMap<String, String>,
    error: Option<&WebError>,
    flash: Option<Flash>,
) -> PageResult {
    let views = {
        let mut reader = state.db.reader().await?;
        settings::all(&mut reader.conn(), &authed.actor).await?
    };
    let base_set = views.iter().any(|v| v.key == settings::PUBLIC_BASE_URL && !text_of(&v.value).trim().is_empty());
    let public_warning = (!base_set && state.config.public_url.is_none()).then(|| {
        format!(
            "尚未设置公开访问地址：公示牌二维码和公开链接暂时指向本机地址 {}，群众扫码多半打不开。请在下方“公开访问地址”填写群众能访问的地址（如 https://bangdu.example.gov.cn）。",
            state.config.fallback_public_url()
        )
    });
    render(&SettingsPage {
        shell: shell(state, authed, "settings", "系统设置", &[("系统设置", None)]).await.flash(flash),
        sections: sections(views, typed, error),
        public_warning,
    })
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    settings_page(&state, &authed, &HashMap::new(), None, flash::from_code(d.done.as_deref())).await
}

/// The typed text as the setting's JSON value: a number where the setting is numeric.
fn value_of(def: &settings::SettingDef, text: &str) -> Result<Value, WebError> {
    let text = text.trim();
    if (def.default)().is_number() {
        return text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| WebError::invalid(def.key, format!("“{}”应为整数", def.label)));
    }
    Ok(Value::String(text.to_string()))
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    let result: Result<(), WebError> = async {
        let mut changes = Vec::new();
        for def in settings::SETTINGS {
            // A field left out of the form keeps its value.
            let Some(text) = form.get(def.key) else { continue };
            if def.secret && text == MASK {
                continue;
            }
            changes.push((def.key.to_string(), value_of(def, text)?));
        }
        let mut tx = state.db.begin().await?;
        settings::change(&mut tx.conn(), &authed.actor, changes).await?;
        tx.commit().await?;
        state.settings_changed();
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done("/settings", "saved")),
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 403 => {
            let message = format!("未保存：{}", e.message);
            settings_page(&state, &authed, &form, Some(&e), flash::error(message)).await
        }
        Err(e) => Err(e),
    }
}
