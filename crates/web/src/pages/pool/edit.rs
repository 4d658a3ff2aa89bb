//! The member form: adding a member to the pool and changing one.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::inspections::MemberForm;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use bangdu_domain::MemberId;
use bangdu_domain::permission::Permission;
use bangdu_store::inspections::pool;
use chrono::Datelike;

#[derive(Template)]
#[template(path = "pool/edit.html")]
struct EditPage {
    shell: Shell,
    form: MemberForm,
    /// None for a new member.
    id: Option<i64>,
    domains: Vec<String>,
}

async fn edit_page(
    state: &AppState,
    authed: &Authed,
    id: Option<MemberId>,
    form: MemberForm,
    flash: Option<Flash>,
) -> PageResult {
    let domains = {
        let mut reader = state.db.reader().await?;
        bangdu_store::settings::inspection_domains(&mut reader.conn()).await?
    };
    let title = if id.is_some() { "修改人员" } else { "新增人员" };
    render(&EditPage {
        shell: shell(state, authed, "pool", title, &[("人员库", Some("/pool")), (title, None)]).await.flash(flash),
        form,
        id: id.map(|i| i.0),
        domains,
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    if !authed.actor.can(Permission::ManagePool) {
        return Err(WebError::forbidden());
    }
    edit_page(
        &state,
        &authed,
        None,
        MemberForm { can_lead: "否".into(), office: "否".into(), ..MemberForm::default() },
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> PageResult {
    let result = async {
        let mut tx = state.db.begin().await?;
        let row = pool::create(&mut tx.conn(), &authed.actor, &form.clone().into()).await?;
        tx.commit().await?;
        Ok::<_, WebError>(done(&format!("/pool/{}", row.id.0), "created"))
    }
    .await;
    settle(result, |e| edit_page(&state, &authed, None, form, flash::error(e.message))).await
}

pub async fn edit_form(State(state): State<AppState>, PageUser(authed): PageUser, Id(id): Id<MemberId>) -> PageResult {
    let m = {
        let mut reader = state.db.reader().await?;
        pool::get(&mut reader.conn(), &authed.actor, id, state.today().year()).await?
    };
    if !m.can_manage {
        return Err(WebError::forbidden());
    }
    let r = &m.row;
    let form = MemberForm {
        name: r.name.clone(),
        unit: r.unit_name.clone(),
        region: r.region.clone(),
        domains: r.domains.clone(),
        can_lead: if r.can_lead { "是" } else { "否" }.into(),
        office: if r.office { "是" } else { "否" }.into(),
        phone: r.phone_shown().unwrap_or("").into(),
        username: r.username.clone().unwrap_or_default(),
        note: r.note.clone().unwrap_or_default(),
        owner: r.owner_unit_id.to_string(),
        version: r.version.to_string(),
    };
    edit_page(&state, &authed, Some(id), form, None).await
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MemberId>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> PageResult {
    let result = async {
        let version: i64 =
            form.version.trim().parse().map_err(|_| WebError::invalid("version", "页面已过期，请刷新"))?;
        let mut tx = state.db.begin().await?;
        pool::update(&mut tx.conn(), &authed.actor, id, version, &form.clone().into()).await?;
        tx.commit().await?;
        Ok::<_, WebError>(done(&format!("/pool/{}", id.0), "saved"))
    }
    .await;
    settle(result, |e| edit_page(&state, &authed, Some(id), form, flash::error(e.message))).await
}
