//! 导入人员库: upload a CSV or XLSX with 姓名, 工作单位, 所在地区划代码, 专业领域, 可任组长, 手机;
//! preview first, all or nothing.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::pages::errors::PageResult;
use crate::pages::forms::csrf_parts;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use bangdu_domain::permission::Permission;
use bangdu_store::inspections::pool_import::{self, PoolImportReport};

#[derive(Template)]
#[template(path = "pool/import.html")]
struct ImportPage {
    shell: Shell,
    report: Option<PoolImportReport>,
    error: Option<String>,
    domains: String,
}

async fn import_page(
    state: &AppState,
    authed: &Authed,
    report: Option<PoolImportReport>,
    error: Option<String>,
) -> PageResult {
    let domains = {
        let mut reader = state.db.reader().await?;
        bangdu_store::settings::inspection_domains(&mut reader.conn()).await?.join("、")
    };
    render(&ImportPage {
        shell: shell(state, authed, "pool", "导入人员库", &[("人员库", Some("/pool")), ("导入", None)]).await,
        report,
        error,
        domains,
    })
}

pub async fn form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    if !authed.actor.can(Permission::ManagePool) {
        return Err(WebError::forbidden());
    }
    import_page(&state, &authed, None, None).await
}

pub async fn upload(State(state): State<AppState>, PageUser(authed): PageUser, multipart: Multipart) -> PageResult {
    let parts = csrf_parts(&authed, multipart).await?;
    let Some((_, bytes)) = parts.file.as_ref() else {
        return import_page(&state, &authed, None, Some("请选择要导入的 CSV 或 XLSX 文件".into())).await;
    };
    let dry_run = parts.text("mode").as_deref() == Some("preview");
    match pool_import::import_file(&state.db, &authed.actor, bytes, None, dry_run).await.map_err(WebError::from) {
        Ok(report) => import_page(&state, &authed, Some(report), None).await,
        Err(e) if crate::pages::refused(&e) => import_page(&state, &authed, None, Some(e.message)).await,
        Err(e) => Err(e),
    }
}
