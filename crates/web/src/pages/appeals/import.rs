//! 导入 12345 工单: upload an export (CSV or XLSX), preview it, then import it skipping bad rows or
//! not at all; the bad rows are listed by line and column. The upload's progress shows on the page
//! (`static/upload.js`).

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::input::appeals::AppealImportQuery;
use crate::output::appeals::AppealImportOut;
use crate::pages::errors::PageResult;
use crate::pages::forms::csrf_parts;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use bangdu_domain::permission::Permission;
use bangdu_store::appeals::import;

#[derive(Template)]
#[template(path = "appeals/import.html")]
struct ImportPage {
    shell: Shell,
    report: Option<AppealImportOut>,
    error: Option<String>,
    on_error: String,
}

async fn import_page(
    state: &AppState,
    authed: &Authed,
    report: Option<AppealImportOut>,
    error: Option<String>,
    on_error: String,
) -> PageResult {
    render(&ImportPage {
        shell: shell(state, authed, "appeals", "导入 12345 工单", &[("群众诉求", Some("/appeals")), ("导入", None)])
            .await,
        report,
        error,
        on_error,
    })
}

pub async fn form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    if !authed.actor.can(Permission::ManageAppeals) {
        return Err(WebError::forbidden());
    }
    import_page(&state, &authed, None, None, "abort".into()).await
}

pub async fn upload(State(state): State<AppState>, PageUser(authed): PageUser, multipart: Multipart) -> PageResult {
    let parts = csrf_parts(&authed, multipart).await?;
    let on_error = parts.text("on_error").unwrap_or_else(|| "abort".into());
    let Some((filename, bytes)) = parts.file.as_ref() else {
        return import_page(&state, &authed, None, Some("请选择要导入的 CSV 或 XLSX 文件".into()), on_error).await;
    };
    let query = AppealImportQuery {
        on_error: Some(on_error.clone()),
        dry_run: Some((parts.text("mode").as_deref() == Some("preview")).to_string()),
        map: parts.text("map"),
        filename: Some(filename.clone()),
        unit: None,
    };
    let result = async {
        let options = query.options()?;
        Ok::<_, WebError>(import::import_file(&state.db, &authed.actor, bytes, &options, &|_, _, _| {}).await?)
    }
    .await;
    match result {
        Ok(report) => import_page(&state, &authed, Some(AppealImportOut::from(&report)), None, on_error).await,
        Err(e) if crate::pages::refused(&e) => {
            let at = e.line.map(|l| format!("第 {l} 行 ")).unwrap_or_default();
            import_page(&state, &authed, None, Some(format!("{at}{}", e.message)), on_error).await
        }
        Err(e) => Err(e),
    }
}
