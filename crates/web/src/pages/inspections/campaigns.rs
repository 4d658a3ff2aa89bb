//! The campaign list with the form to start one, and a campaign with its rounds and the form to add
//! a round.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::inspections::{CampaignBody, RoundBody};
use crate::output::inspections::{CampaignOut, RoundOut};
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::CampaignId;
use bangdu_domain::inspection::round::RoundKind;
use bangdu_domain::permission::Permission;
use bangdu_store::inspections::campaigns;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "inspections/list.html")]
struct ListPage {
    shell: Shell,
    campaigns: Vec<CampaignOut>,
    can_manage: bool,
    form: CampaignForm,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CampaignForm {
    pub name: String,
    pub theme: String,
    pub lead_unit: String,
    pub starts_on: String,
    pub ends_on: String,
}

async fn list_page(state: &AppState, authed: &Authed, form: CampaignForm, flash: Option<Flash>) -> PageResult {
    let campaigns = {
        let mut reader = state.db.reader().await?;
        campaigns::list(&mut reader.conn(), &authed.actor).await?.iter().map(CampaignOut::from).collect()
    };
    render(&ListPage {
        shell: shell(state, authed, "inspections", "帮督行动", &[("帮督行动", None)]).await.flash(flash),
        campaigns,
        can_manage: authed.actor.can(Permission::ManageInspections),
        form,
    })
}

pub async fn list(State(state): State<AppState>, PageUser(authed): PageUser, Query(d): Query<Done>) -> PageResult {
    list_page(&state, &authed, CampaignForm::default(), flash::from_code(d.done.as_deref())).await
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<CampaignForm>,
) -> PageResult {
    let body = CampaignBody {
        name: form.name.clone(),
        theme: Some(form.theme.clone()),
        lead_unit: Some(form.lead_unit.clone()),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
    };
    let result = async {
        let mut tx = state.db.begin().await?;
        let row = campaigns::create(&mut tx.conn(), &authed.actor, &body.into()).await?;
        tx.commit().await?;
        Ok::<_, WebError>(done(&format!("/inspections/{}", row.id.0), "created"))
    }
    .await;
    settle(result, |e| list_page(&state, &authed, form, flash::error(e.message))).await
}

#[derive(Template)]
#[template(path = "inspections/campaign.html")]
struct CampaignPage {
    shell: Shell,
    campaign: CampaignOut,
    rounds: Vec<RoundOut>,
    can_manage: bool,
    form: RoundForm,
    kinds: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RoundForm {
    pub name: String,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    pub specialists: String,
}

async fn campaign_page(
    state: &AppState,
    authed: &Authed,
    id: CampaignId,
    form: RoundForm,
    flash: Option<Flash>,
) -> PageResult {
    let detail = {
        let mut reader = state.db.reader().await?;
        campaigns::get(&mut reader.conn(), &authed.actor, id).await?
    };
    let campaign = CampaignOut::from(&detail.campaign);
    render(&CampaignPage {
        shell: shell(
            state,
            authed,
            "inspections",
            campaign.name.clone(),
            &[("帮督行动", Some("/inspections")), (campaign.name.as_str(), None)],
        )
        .await
        .flash(flash),
        rounds: detail.rounds.iter().map(RoundOut::from).collect(),
        campaign,
        can_manage: detail.can_manage,
        form,
        kinds: RoundKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<CampaignId>,
    Query(d): Query<Done>,
) -> PageResult {
    let form = RoundForm { kind: "on_site".into(), specialists: "2".into(), ..RoundForm::default() };
    campaign_page(&state, &authed, id, form, flash::from_code(d.done.as_deref())).await
}

pub async fn create_round(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<CampaignId>,
    CsrfForm(form): CsrfForm<RoundForm>,
) -> PageResult {
    let result = async {
        let specialists = match form.specialists.trim() {
            "" => None,
            n => Some(n.parse::<i64>().map_err(|_| WebError::invalid("specialists", "专家人数应为 0–10 的整数"))?),
        };
        let body = RoundBody {
            name: form.name.clone(),
            kind: form.kind.clone(),
            starts_on: form.starts_on.clone(),
            ends_on: form.ends_on.clone(),
            specialists,
        };
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        let round = campaigns::create_round(&mut tx.conn(), &authed.actor, &cal, id, &body.into()).await?;
        tx.commit().await?;
        Ok::<_, WebError>(done(&format!("/rounds/{}", round.id.0), "created"))
    }
    .await;
    settle(result, |e| campaign_page(&state, &authed, id, form, flash::error(e.message))).await
}
