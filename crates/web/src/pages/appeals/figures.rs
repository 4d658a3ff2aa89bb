//! 好差评统计: satisfaction of the appeals in view, by handling unit and by category.

use crate::auth::PageUser;
use crate::input::appeals::SatisfactionQuery;
use crate::output::appeals::SatisfactionOut;
use crate::pages::errors::PageResult;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_store::appeals::ratings::{self, GroupBy};

#[derive(Template)]
#[template(path = "appeals/figures.html")]
struct FiguresPage {
    shell: Shell,
    /// (heading, rows): by handling unit, then by category.
    groups: Vec<(&'static str, Vec<SatisfactionOut>)>,
    from: String,
    to: String,
}

impl FiguresPage {
    fn percent(&self, r: &SatisfactionOut) -> String {
        r.satisfied_percent.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into())
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Query(q): Query<SatisfactionQuery>,
) -> PageResult {
    let (_, from, to) = q.read()?;
    let (by_unit, by_category) = {
        let mut reader = state.db.reader().await?;
        let unit = ratings::satisfaction(&mut reader.conn(), &authed.actor, GroupBy::Unit, from, to).await?;
        let category = ratings::satisfaction(&mut reader.conn(), &authed.actor, GroupBy::Category, from, to).await?;
        (unit, category)
    };
    render(&FiguresPage {
        shell: shell(&state, &authed, "appeals", "好差评统计", &[("群众诉求", Some("/appeals")), ("好差评统计", None)])
            .await,
        groups: vec![
            ("按承办单位", by_unit.iter().map(SatisfactionOut::from).collect()),
            ("按诉求分类", by_category.iter().map(SatisfactionOut::from).collect()),
        ],
        from: from.map(|d| d.to_string()).unwrap_or_default(),
        to: to.map(|d| d.to_string()).unwrap_or_default(),
    })
}
