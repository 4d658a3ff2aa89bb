//! Satisfaction figures (好差评) by unit and by category.

use crate::auth::ApiUser;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiQuery, nonempty};
use crate::output::appeals::SatisfactionOut;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bangdu_domain::project::plan::parse_date;
use bangdu_store::appeals::ratings::{self, GroupBy};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct SatisfactionQuery {
    /// unit (the handling unit, default) or category.
    pub by: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    pub to: Option<String>,
}

impl SatisfactionQuery {
    pub fn read(&self) -> WebResult<(GroupBy, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
        let by = match nonempty(&self.by) {
            None | Some("unit") => GroupBy::Unit,
            Some("category") => GroupBy::Category,
            Some(_) => return Err(WebError::invalid("by", "应为 unit 或 category")),
        };
        let day = |field: &str, v: &Option<String>| -> WebResult<_> {
            Ok(match nonempty(v) {
                Some(d) => Some(parse_date(field, d)?),
                None => None,
            })
        };
        Ok((by, day("from", &self.from)?, day("to", &self.to)?))
    }
}

/// Satisfaction of the appeals the caller sees: the five levels and the 满意率, by handling unit or
/// category, most rated first.
#[utoipa::path(get, path = "/api/v1/appeals/satisfaction", tag = "appeals", params(SatisfactionQuery),
    responses((status = 200, body = Vec<SatisfactionOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn satisfaction(
    State(state): State<AppState>,
    ApiUser(authed): ApiUser,
    ApiQuery(q): ApiQuery<SatisfactionQuery>,
) -> WebResult<Json<Vec<SatisfactionOut>>> {
    let (by, from, to) = q.read()?;
    let mut reader = state.db.reader().await?;
    let rows = ratings::satisfaction(&mut reader.conn(), &authed.actor, by, from, to).await?;
    Ok(Json(rows.iter().map(SatisfactionOut::from).collect()))
}
