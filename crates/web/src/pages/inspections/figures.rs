//! 工作成效: the figures the seeds quote, each counted by a query and each a link to what it counts.

use crate::auth::PageUser;
use crate::pages::errors::PageResult;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::inspections::figures::{self, Figures, FindingLine, SeatLine};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "inspections/figures.html")]
struct FiguresPage {
    shell: Shell,
    f: Figures,
    /// `seats`, `solved`, `items`, `findings`: the records behind one figure.
    detail: String,
    seats: Vec<SeatLine>,
    findings: Vec<FindingLine>,
}

impl FiguresPage {
    fn role(&self, code: &str) -> &'static str {
        match code {
            "leader" => "组长",
            "office" => "督查室",
            _ => "专家",
        }
    }

    fn outcome(&self, code: &str) -> &'static str {
        bangdu_domain::inspection::round::Outcome::parse(code).map_or("", |o| o.label())
    }
}

#[derive(Deserialize, Default)]
pub struct FiguresParams {
    pub detail: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(p): Query<FiguresParams>,
) -> PageResult {
    let detail = p.detail.unwrap_or_default();
    let (f, seats, findings) = {
        let mut reader = state.db.reader().await?;
        let f = figures::figures(&mut reader.conn(), &authed.actor).await?;
        let seats = if detail == "seats" { figures::seats(&mut reader.conn(), &authed.actor).await? } else { vec![] };
        let outcome = match detail.as_str() {
            "solved" => Some("solved"),
            "items" => Some("item"),
            _ => None,
        };
        let findings = if matches!(detail.as_str(), "solved" | "items" | "findings") {
            figures::findings(&mut reader.conn(), &authed.actor, outcome).await?
        } else {
            vec![]
        };
        (f, seats, findings)
    };
    render(&FiguresPage {
        shell: shell(
            &state,
            &authed,
            "inspections",
            "工作成效",
            &[("帮督行动", Some("/inspections")), ("工作成效", None)],
        )
        .await,
        f,
        detail,
        seats,
        findings,
    })
}
