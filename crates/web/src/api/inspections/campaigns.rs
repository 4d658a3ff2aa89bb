//! Campaigns (专项行动) and adding a round to one.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Id};
use crate::input::inspections::{CampaignBody, RoundBody};
use crate::output::inspections::{CampaignDetailOut, CampaignOut, RoundOut};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bangdu_domain::CampaignId;
use bangdu_store::inspections::campaigns;

/// The campaigns the caller may see, newest first (a 帮督人员 sees those they serve in).
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "inspections",
    responses((status = 200, body = Vec<CampaignOut>), (status = 403, body = ErrorBody)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
) -> WebResult<Json<Vec<CampaignOut>>> {
    let mut reader = state.db.reader().await?;
    Ok(Json(campaigns::list(&mut reader.conn(), &authed.actor).await?.iter().map(CampaignOut::from).collect()))
}

/// Starts a campaign led by an office (the caller's office unit unless `lead_unit` names another
/// in the caller's jurisdiction).
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "inspections", request_body = CampaignBody,
    responses((status = 201, body = CampaignOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiJson(body): ApiJson<CampaignBody>,
) -> WebResult<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let row = campaigns::create(&mut tx.conn(), &authed.actor, &body.into()).await?;
    tx.commit().await?;
    let out = CampaignOut::from(&row);
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/campaigns/{}", out.id))], Json(out)))
}

/// A campaign with its rounds.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = CampaignDetailOut), (status = 404, body = ErrorBody)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<CampaignId>,
) -> WebResult<Json<CampaignDetailOut>> {
    let mut reader = state.db.reader().await?;
    let d = campaigns::get(&mut reader.conn(), &authed.actor, id).await?;
    Ok(Json(CampaignDetailOut {
        campaign: CampaignOut::from(&d.campaign),
        rounds: d.rounds.iter().map(RoundOut::from).collect(),
    }))
}

/// Adds a round. 409 `no_working_day` when its dates hold no working day; 422 when they fall
/// outside the campaign's.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/rounds", tag = "inspections", request_body = RoundBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = RoundOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_round(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<CampaignId>,
    ApiJson(body): ApiJson<RoundBody>,
) -> WebResult<impl IntoResponse> {
    let cal = state.calendar().await?;
    let mut tx = state.db.begin().await?;
    let round = campaigns::create_round(&mut tx.conn(), &authed.actor, &cal, id, &body.into()).await?;
    tx.commit().await?;
    let out = RoundOut::from(&round);
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/rounds/{}", out.id))], Json(out)))
}
