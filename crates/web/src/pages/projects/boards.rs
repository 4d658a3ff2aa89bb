//! 批量打印公示牌: the boards of every project in a filtered list, one A3 page each, in one PDF.

use super::Filters;
use crate::auth::PageUser;
use crate::error::WebError;
use crate::input::projects::{project_filter, project_sort};
use crate::output::projects::outs;
use crate::pages::errors::PageResult;
use crate::pages::public::board::{Format, Site, board_of, draw, file_response};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use bangdu_store::projects::query;

/// Boards in one file at most: about 60 MB of PDF and a minute of drawing; more is a narrower filter.
pub const MAX_BOARDS: u64 = 200;

pub async fn pdf(State(state): State<AppState>, PageUser(authed): PageUser, Query(f): Query<Filters>) -> PageResult {
    let q = f.query();
    let (projects, site) = {
        let mut reader = state.db.reader().await?;
        let filter = project_filter(&mut reader.conn(), &authed.actor, &q).await?;
        let rows = query::all(&mut reader.conn(), &authed.actor, &filter, project_sort(&q)?, MAX_BOARDS + 1).await?;
        if rows.len() as u64 > MAX_BOARDS {
            return Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "too_many_boards",
                format!("一次最多打印 {MAX_BOARDS} 块公示牌，请按年度、单位或系列缩小范围后再打印"),
            ));
        }
        if rows.is_empty() {
            return Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_projects",
                "当前筛选没有项目，无公示牌可打印",
            ));
        }
        let site = Site::load(&mut reader.conn(), &state).await?;
        (outs(&mut reader.conn(), rows).await?, site)
    };
    let today = state.today();
    let boards = projects.iter().map(|p| board_of(p, &site, today)).collect();
    let title = format!("公示牌（{} 个项目，{today}）", projects.len());
    let drawn = draw(&state, boards, Format::Pdf, title.clone()).await?;
    let mut response = file_response(drawn.bytes, Format::Pdf, "boards", &title);
    // The last page names the boards left out; the count is here too, for scripts.
    response.headers_mut().insert("x-bangdu-skipped-boards", drawn.skipped.len().into());
    Ok(response)
}
