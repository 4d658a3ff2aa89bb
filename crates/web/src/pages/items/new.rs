//! 登记督导事项: the form for a new item.

use super::list::{priority_choices, source_choices};
use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::input::items::ItemCreate;
use crate::input::items::ItemForm;
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use bangdu_store::items::create::create;
use bangdu_store::units::Picking;

#[derive(Template)]
#[template(path = "items/new.html")]
struct NewPage {
    shell: Shell,
    form: ItemForm,
    sources: Vec<Choice>,
    priorities: Vec<Choice>,
    choices: Vec<UnitChoice>,
    error_field: String,
}

async fn new_page(state: &AppState, authed: &Authed, form: ItemForm, error: Option<WebError>) -> PageResult {
    let error = error.as_ref();
    let shell = shell(state, authed, "items", "登记督导事项", &[("督导事项", Some("/items")), ("登记", None)])
        .await
        .flash(error.and_then(|e| flash::error(e.message.clone())));
    render(&NewPage {
        shell,
        sources: source_choices(&form.source),
        priorities: priority_choices(&form.priority),
        choices: choices(state, authed, Picking::NewItem).await?,
        error_field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
        form,
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    new_page(
        &state,
        &authed,
        ItemForm { source: "inspection".into(), priority: "normal".into(), ..ItemForm::default() },
        None,
    )
    .await
}

pub async fn create_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> PageResult {
    let result = async {
        let new = ItemCreate::from(&form).into_command()?;
        let mut tx = state.db.begin().await?;
        let row = create(&mut tx.conn(), &authed.actor, new).await?;
        tx.commit().await?;
        Ok(done(&format!("/items/{}", row.id), "created"))
    }
    .await;
    settle(result, |e| new_page(&state, &authed, form.clone(), Some(e))).await
}
