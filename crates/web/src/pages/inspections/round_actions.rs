//! The round's forms: draw, form the teams, add or drop a target, change a target, put a member on
//! a team (with an override reason when a hard constraint is broken) or take one off.

use super::round::{Forms, round_page};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::extract::{Id, Ids};
use crate::input::inspections::DrawBody;
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::{done, flash, settle};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use bangdu_domain::{MemberId, RoundId, TargetId};
use bangdu_store::inspections::targets::{self, TargetChanges};
use bangdu_store::inspections::teams;

fn back(id: RoundId, code: &str) -> Response {
    done(&format!("/rounds/{}", id.0), code)
}

fn count(field: &str, text: &str) -> Result<u32, WebError> {
    match text.trim() {
        "" => Ok(0),
        t => t.parse().map_err(|_| WebError::invalid(field, "应为 0 或正整数")),
    }
}

pub async fn draw(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    CsrfForm(form): CsrfForm<Forms>,
) -> PageResult {
    let result = async {
        let body = DrawBody {
            seed: Some(form.seed.clone()),
            key: true,
            random: count("random", &form.random)?,
            lookback_projects: count("lookback_projects", &form.lookback_projects)?,
            lookback_items: count("lookback_items", &form.lookback_items)?,
            months: count("months", &form.months)?,
            year: None,
            kind: Some(form.kind.clone()),
        };
        let params = body.params()?;
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        targets::plan(&mut tx.conn(), &authed.actor, &cal, id, &params, body.seed.as_deref(), state.today()).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "drawn"))
    }
    .await;
    settle(result, |e| round_page(&state, &authed, id, form, false, flash::error(e.message))).await
}

pub async fn form_teams(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    CsrfForm(form): CsrfForm<Forms>,
) -> PageResult {
    let result = async {
        let mut tx = state.db.begin().await?;
        teams::form_teams(&mut tx.conn(), &authed.actor, id).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "formed"))
    }
    .await;
    settle(result, |e| round_page(&state, &authed, id, form, false, flash::error(e.message))).await
}

pub async fn add_target(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<RoundId>,
    CsrfForm(form): CsrfForm<Forms>,
) -> PageResult {
    let result = async {
        let target: i64 = form.add_id.trim().parse().map_err(|_| WebError::invalid("id", "请填写对象编号"))?;
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        targets::add(&mut tx.conn(), &authed.actor, &cal, id, &form.add_kind, target, &form.add_reason).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "saved"))
    }
    .await;
    settle(result, |e| round_page(&state, &authed, id, form, false, flash::error(e.message))).await
}

pub async fn drop_target(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, target): Ids<RoundId, TargetId>,
    CsrfForm(form): CsrfForm<Forms>,
) -> PageResult {
    let result = async {
        let mut tx = state.db.begin().await?;
        targets::drop_target(&mut tx.conn(), &authed.actor, id, target, &form.reason).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "saved"))
    }
    .await;
    let form = Forms { target: target.0.to_string(), ..form };
    settle(result, |e| round_page(&state, &authed, id, form, false, flash::error(e.message))).await
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct EditForm {
    pub domains: String,
    pub specialists: String,
    pub visit_on: String,
}

pub async fn edit_target(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, target): Ids<RoundId, TargetId>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> PageResult {
    let changes = TargetChanges { domains: form.domains, specialists: form.specialists, visit_on: form.visit_on };
    let result = async {
        let cal = state.calendar().await?;
        let mut tx = state.db.begin().await?;
        targets::edit_target(&mut tx.conn(), &authed.actor, &cal, id, target, &changes).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "saved"))
    }
    .await;
    settle(result, |e| round_page(&state, &authed, id, Forms::default(), false, flash::error(e.message))).await
}

pub async fn assign(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, target): Ids<RoundId, TargetId>,
    CsrfForm(form): CsrfForm<Forms>,
) -> PageResult {
    let result = async {
        let member: i64 = form.member_id.trim().parse().map_err(|_| WebError::invalid("member_id", "请选择人员"))?;
        let reason = Some(form.override_reason.as_str()).filter(|r| !r.trim().is_empty());
        let mut tx = state.db.begin().await?;
        teams::assign(&mut tx.conn(), &authed.actor, id, target, MemberId(member), &form.role, reason).await?;
        tx.commit().await?;
        Ok::<_, WebError>(back(id, "saved"))
    }
    .await;
    let form = Forms { target: target.0.to_string(), ..form };
    settle(result, |e| round_page(&state, &authed, id, form, false, flash::error(e.message))).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SeatForm {
    pub member_id: String,
}

pub async fn unassign(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Ids(id, target): Ids<RoundId, TargetId>,
    CsrfForm(form): CsrfForm<SeatForm>,
) -> PageResult {
    let member: i64 = form.member_id.trim().parse().map_err(|_| WebError::invalid("member_id", "请选择人员"))?;
    let mut tx = state.db.begin().await?;
    teams::unassign(&mut tx.conn(), &authed.actor, id, target, MemberId(member)).await?;
    tx.commit().await?;
    Ok(back(id, "saved"))
}
