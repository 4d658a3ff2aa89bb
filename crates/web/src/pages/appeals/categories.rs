//! 诉求分类 for the administrator: the categories appeals are sorted into and Open311 serves as
//! services — code, name, group, the working days to answer, attribute definitions, on or off.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::appeals::CategoryForm;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::CategoryId;
use bangdu_domain::permission::Permission;
use bangdu_store::appeals::categories::{self, Category};

#[derive(Template)]
#[template(path = "appeals/categories.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<Category>,
    form: CategoryForm,
}

#[derive(Template)]
#[template(path = "appeals/category_edit.html")]
struct EditPage {
    shell: Shell,
    id: CategoryId,
    form: CategoryForm,
}

fn form_of(c: &Category) -> CategoryForm {
    CategoryForm {
        code: c.code.clone(),
        name: c.name.clone(),
        group_name: c.group_name.clone(),
        description: c.description.clone().unwrap_or_default(),
        time_limit_days: c.time_limit_days.to_string(),
        attributes: c.record.attributes.clone().unwrap_or_default(),
        active: c.active.then(|| "on".to_string()),
        sort_order: c.sort_order.to_string(),
        version: Some(c.version),
    }
}

async fn list_page(state: &AppState, authed: &Authed, form: CategoryForm, flash: Option<Flash>) -> PageResult {
    if !authed.actor.can(Permission::ManageSettings) {
        return Err(WebError::forbidden());
    }
    let rows = {
        let mut reader = state.db.reader().await?;
        categories::list(&mut reader.conn(), &authed.actor, true).await?
    };
    render(&ListPage {
        shell: shell(state, authed, "appeals", "诉求分类", &[("群众诉求", Some("/appeals")), ("诉求分类", None)])
            .await
            .flash(flash),
        rows,
        form,
    })
}

pub async fn list(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    let form = CategoryForm { time_limit_days: "5".into(), active: Some("on".into()), ..CategoryForm::default() };
    list_page(&state, &authed, form, flash::from_code(d.done.as_deref())).await
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> PageResult {
    let result: Result<_, WebError> = async {
        let input = form.clone().into_input()?;
        let mut tx = state.db.begin().await?;
        categories::save(&mut tx.conn(), &authed.actor, None, input).await?;
        tx.commit().await?;
        Ok(done("/appeals/categories", "category_saved"))
    }
    .await;
    settle(result, |e| list_page(&state, &authed, form, flash::error(e.message))).await
}

async fn edit_page(
    state: &AppState,
    authed: &Authed,
    id: CategoryId,
    form: Option<CategoryForm>,
    flash: Option<Flash>,
) -> PageResult {
    let category = {
        let mut reader = state.db.reader().await?;
        categories::get(&mut reader.conn(), &authed.actor, id).await?
    };
    if !authed.actor.can(Permission::ManageSettings) {
        return Err(WebError::forbidden());
    }
    let title = format!("修改分类 · {}", category.name);
    render(&EditPage {
        shell: shell(
            state,
            authed,
            "appeals",
            title,
            &[
                ("群众诉求", Some("/appeals")),
                ("诉求分类", Some("/appeals/categories")),
                (category.name.as_str(), None),
            ],
        )
        .await
        .flash(flash),
        id,
        form: form.unwrap_or_else(|| form_of(&category)),
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<CategoryId>,
) -> PageResult {
    edit_page(&state, &authed, id, None, None).await
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<CategoryId>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> PageResult {
    let result: Result<_, WebError> = async {
        let version = form.version.ok_or_else(|| WebError::invalid("version", "页面已过期，请刷新后重试"))?;
        let input = form.clone().into_input()?;
        let mut tx = state.db.begin().await?;
        categories::save(&mut tx.conn(), &authed.actor, Some((id, version)), input).await?;
        tx.commit().await?;
        Ok(done("/appeals/categories", "category_saved"))
    }
    .await;
    settle(result, |e| edit_page(&state, &authed, id, Some(form), flash::error(e.message))).await
}
