//! 导入单位: a CSV of units, all or nothing.

use crate::auth::{Authed, PageUser, csrf};
use crate::error::WebError;
use crate::pages::errors::PageResult;
use crate::pages::forms::expired;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{flash, refused, render, require};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use bangdu_domain::permission::Permission;
use bangdu_store::unit_csv::{self, ImportReport};

#[derive(Template)]
#[template(path = "units/import.html")]
struct ImportPage {
    shell: Shell,
    report: Option<ImportReport>,
    error: Option<String>,
}

async fn import_page(
    state: &AppState,
    authed: &Authed,
    report: Option<ImportReport>,
    error: Option<String>,
) -> PageResult {
    // The page shows nothing from the store, so it asks for the right itself (the store refuses an
    // import all the same).
    require(authed, Permission::ManageUnits)?;
    let shell = shell(state, authed, "units", "导入单位", &[("组织机构", Some("/units")), ("导入单位", None)]).await;
    let shell = match &report {
        Some(r) => shell.flash(Some(Flash {
            kind: "success",
            text: format!("导入完成：共 {} 行，新建 {}，更新 {}，未变 {}", r.rows, r.created, r.updated, r.unchanged),
        })),
        None => shell.flash(error.clone().and_then(flash::error)),
    };
    render(&ImportPage { shell, report, error })
}

pub async fn import_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    import_page(&state, &authed, None, None).await
}

/// The import form posts `multipart/form-data` (a file), so its CSRF token is read from the parts.
pub async fn import(State(state): State<AppState>, PageUser(authed): PageUser, mut multipart: Multipart) -> PageResult {
    let mut token = String::new();
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|_| WebError::bad_request("invalid_form", "上传内容无效"))?
    {
        match field.name() {
            Some("csrf_token") => token = field.text().await.unwrap_or_default(),
            Some("file") => {
                let bytes =
                    field.bytes().await.map_err(|_| WebError::bad_request("invalid_form", "文件读取失败或过大"))?;
                if !bytes.is_empty() {
                    file = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    let expected = authed.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("");
    if !csrf::tokens_match(expected, &token) {
        return Err(expired());
    }
    let Some(bytes) = file else {
        return import_page(&state, &authed, None, Some("请选择要导入的 CSV 文件".into())).await;
    };
    match unit_csv::import_file(&state.db, &authed.actor, &bytes).await.map_err(WebError::from) {
        Ok(report) => import_page(&state, &authed, Some(report), None).await,
        Err(e) if refused(&e) => import_page(&state, &authed, None, Some(e.message)).await,
        Err(e) => Err(e),
    }
}
