//! 新建用户: an account with its first role.

use super::{role_options, scope_options};
use crate::auth::{Authed, PageUser};
use crate::error::{WebError, WebResult};
use crate::input::users::{GrantIn, UserCreate, single_grant_fields};
use crate::pages::choice::Choice;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use bangdu_store::units::Picking;
use bangdu_store::users;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct NewUserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub must_change_password: Option<String>,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub data_scope: String,
}

impl NewUserForm {
    /// The form as the API's new account: one role, given when a unit is.
    fn to_create(&self) -> UserCreate {
        let roles = if self.unit.trim().is_empty() {
            vec![]
        } else {
            vec![GrantIn {
                role: self.role.clone(),
                unit: self.unit.clone(),
                data_scope: Some(self.data_scope.clone()),
                custom_units: vec![],
            }]
        };
        UserCreate {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            password: self.password.clone(),
            phone: Some(self.phone.clone()),
            email: Some(self.email.clone()),
            must_change_password: self.must_change_password.is_some(),
            roles,
        }
    }
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct NewPage {
    shell: Shell,
    form: NewUserForm,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    choices: Vec<UnitChoice>,
    error_field: String,
}

/// The form, empty or as sent (without its password) with the reason it was refused. Its unit
/// picker offers the units the person grants roles in, so only those who manage users see it.
async fn new_page(state: &AppState, authed: &Authed, form: NewUserForm, error: Option<WebError>) -> PageResult {
    let error = error.as_ref();
    let shell = shell(state, authed, "users", "新建用户", &[("用户管理", Some("/users")), ("新建用户", None)])
        .await
        .flash(error.and_then(|e| flash::error(e.message.clone())));
    render(&NewPage {
        shell,
        roles: role_options(&form.role),
        scopes: scope_options(&form.data_scope),
        choices: choices(state, authed, Picking::Grant).await?,
        error_field: error.and_then(|e| e.field.clone()).unwrap_or_default(),
        form,
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let form = NewUserForm { must_change_password: Some("on".into()), role: "unit".into(), ..NewUserForm::default() };
    new_page(&state, &authed, form, None).await
}

async fn try_create(state: &AppState, authed: &Authed, form: &NewUserForm) -> WebResult<Response> {
    let new = form.to_create().into_command(&state.db, &authed.actor).await.map_err(single_grant_fields)?;
    let mut tx = state.db.begin().await?;
    let user = users::create(&mut tx.conn(), &authed.actor, new).await?;
    tx.commit().await?;
    Ok(done(&format!("/users/{}", user.row.id), "created"))
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<NewUserForm>,
) -> PageResult {
    settle(try_create(&state, &authed, &form).await, |e| {
        new_page(&state, &authed, NewUserForm { password: String::new(), ..form.clone() }, Some(e))
    })
    .await
}
