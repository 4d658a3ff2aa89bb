//! A project, at any date, and its light history.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiQuery, Id, nonempty};
use crate::output::projects::FrozenOut;
use crate::output::projects::LightChangeOut;
use crate::output::projects::ProjectOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::ProjectId;
use bangdu_domain::project::plan::parse_date;
use bangdu_store::projects::freeze;
use bangdu_store::projects::lights::{self, LightRules};
use bangdu_store::projects::query::{self};

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// The light as of this day (YYYY-MM-DD), from what was known that day.
    pub as_of: Option<String>,
}

/// A project in the caller's scope (404 otherwise); with `as_of`, its light on that day.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path), AsOfQuery),
    responses((status = 200, body = ProjectOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_project(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> WebResult<Json<ProjectOut>> {
    let as_of = nonempty(&q.as_of).map(|d| parse_date("as_of", d)).transpose()?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let units = query::units_of_one(&mut reader.conn(), &row).await?;
    let out = match as_of {
        Some(on) => {
            let cal = state.calendar().await?;
            let rules = LightRules::load(&mut reader.conn(), &cal).await?;
            let lit = lights::as_of(&mut reader.conn(), &rules, &row, on).await?;
            ProjectOut::new(row, &units).at(on, &lit)
        }
        None => ProjectOut::new(row, &units),
    };
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct LightsOut {
    /// Each change of colour, oldest first.
    pub changes: Vec<LightChangeOut>,
    /// The figures fixed by each freeze covering the project, newest first.
    pub frozen: Vec<FrozenOut>,
}

/// The light history (each change of colour) and the frozen figures of a project.
#[utoipa::path(get, path = "/api/v1/projects/{id}/lights", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = LightsOut), (status = 404, body = ErrorBody)))]
pub async fn light_history(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    Id(id): Id<ProjectId>,
) -> WebResult<Json<LightsOut>> {
    let mut reader = state.db.reader().await?;
    let project = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let cal = state.calendar().await?;
    let rules = LightRules::load(&mut reader.conn(), &cal).await?;
    let changes = lights::history(&mut reader.conn(), &rules, &project, state.today())
        .await?
        .into_iter()
        .map(LightChangeOut::from)
        .collect();
    let frozen = freeze::of_project(&mut reader.conn(), &project)
        .await?
        .into_iter()
        .map(|(f, v)| FrozenOut::new(&f, v))
        .collect();
    Ok(Json(LightsOut { changes, frozen }))
}
