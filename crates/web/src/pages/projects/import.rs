//! 导入项目表: upload a CSV or XLSX (the published completion table, or our own export), with the
//! year, kind and parent unit a bare table leaves out, and a header mapping for unusual columns.

use crate::auth::{Authed, PageUser, csrf};
use crate::error::WebError;
use crate::input::projects::parse_mapping;
use crate::pages::errors::PageResult;
use crate::pages::forms::expired;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use bangdu_store::projects::import::{FIELDS, ImportOptions, ImportReport};
use bangdu_store::units::Picking;
use chrono::Datelike;

/// What the form last held, shown again after an error.
#[derive(Default, Clone)]
pub struct ImportFields {
    pub year: String,
    pub kind: String,
    pub parent_unit: String,
    pub map: String,
    /// 新建找不到的牵头单位.
    pub create_units: bool,
}

#[derive(Template)]
#[template(path = "projects/import.html")]
struct ImportPage {
    shell: Shell,
    form: ImportFields,
    report: Option<ImportReport>,
    error: Option<String>,
    kinds: Vec<(String, bool)>,
    units: Vec<UnitChoice>,
    /// (field, the headers that mean it), for the help table.
    fields: Vec<(&'static str, String)>,
}

async fn import_page(
    state: &AppState,
    authed: &Authed,
    form: ImportFields,
    report: Option<ImportReport>,
    error: Option<String>,
) -> PageResult {
    let kinds = {
        let mut reader = state.db.reader().await?;
        bangdu_store::settings::project_kinds(&mut reader.conn()).await?
    };
    render(&ImportPage {
        shell: shell(state, authed, "projects", "导入项目", &[("项目", Some("/projects")), ("导入", None)]).await,
        kinds: kinds.into_iter().map(|k| (k.clone(), k == form.kind)).collect(),
        units: choices(state, authed, Picking::ProjectOwner).await?,
        fields: FIELDS.iter().map(|(f, names)| (*f, names.join("、"))).collect(),
        form,
        report,
        error,
    })
}

pub async fn form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let form = ImportFields { year: state.today().year().to_string(), ..ImportFields::default() };
    import_page(&state, &authed, form, None, None).await
}

/// The form posts `multipart/form-data`, so its CSRF token is read from the parts.
pub async fn upload(State(state): State<AppState>, PageUser(authed): PageUser, mut multipart: Multipart) -> PageResult {
    let mut token = String::new();
    let mut file: Option<Vec<u8>> = None;
    let mut form = ImportFields::default();
    let mut dry_run = false;
    while let Some(field) =
        multipart.next_field().await.map_err(|_| WebError::bad_request("invalid_form", "上传内容无效"))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let bytes = field.bytes().await.map_err(|_| WebError::bad_request("invalid_form", "文件读取失败或过大"))?;
            if !bytes.is_empty() {
                file = Some(bytes.to_vec());
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "csrf_token" => token = text,
            "year" => form.year = text.trim().to_string(),
            "kind" => form.kind = text.trim().to_string(),
            "parent_unit" => form.parent_unit = text.trim().to_string(),
            "map" => form.map = text,
            "create_units" => form.create_units = !text.trim().is_empty(),
            "mode" => dry_run = text.trim() == "preview",
            _ => {}
        }
    }
    let expected = authed.session.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("");
    if !csrf::tokens_match(expected, &token) {
        return Err(expired());
    }
    let Some(bytes) = file else {
        return import_page(&state, &authed, form, None, Some("请选择要导入的 CSV 或 XLSX 文件".into())).await;
    };
    let result: Result<ImportReport, WebError> = async {
        let year = match form.year.as_str() {
            "" => None,
            y => Some(y.parse::<i32>().map_err(|_| WebError::invalid("year", "年度应为整数"))?),
        };
        let options = ImportOptions {
            year,
            kind: Some(form.kind.clone()).filter(|k| !k.is_empty()),
            parent_unit: Some(form.parent_unit.clone()).filter(|p| !p.is_empty()),
            owner_unit: None,
            create_units: form.create_units,
            dry_run,
            mapping: parse_mapping(Some(&form.map))?,
        };
        bangdu_store::projects::import::import_file(
            &state.db,
            &authed.actor,
            &*state.calendar().await?,
            &bytes,
            &options,
            state.today(),
        )
        .await
        .map_err(WebError::from)
    }
    .await;
    match result {
        Ok(report) => import_page(&state, &authed, form, Some(report), None).await,
        Err(e) if e.status.is_client_error() => import_page(&state, &authed, form, None, Some(e.message)).await,
        Err(e) => Err(e),
    }
}
