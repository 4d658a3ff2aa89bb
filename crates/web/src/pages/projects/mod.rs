//! 项目 pages: the list with lights and filters, a project with its reports and light history, the
//! register/edit form, the quoted figures, import, 收账, the wall chart and the map.

pub mod boards;
pub mod chart;
pub mod comments;
pub mod edit;
pub mod evidence;
pub mod freezes;
pub mod import;
pub mod list;
pub mod map;
pub mod show;
pub mod stats;
pub mod svg;

use super::choice::Choice;
use super::units::{UnitChoice, choices};
use crate::auth::Authed;
use crate::error::WebResult;
use crate::input::projects::ProjectQuery;
use crate::state::AppState;
use bangdu_domain::project::{Level, Light, Status};
use bangdu_store::units::Picking;
use chrono::Datelike;
use serde::Deserialize;

/// The filters of the project pages (list, stats, wall chart, map), as the query string carries them.
#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    pub year: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub series: Option<String>,
    pub light: Option<String>,
    pub status: Option<String>,
    pub under: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    /// Rows a page: 20, 50, 100 or 200.
    pub per_page: Option<String>,
    pub done: Option<String>,
}

impl Filters {
    pub fn query(&self) -> ProjectQuery {
        ProjectQuery {
            year: self.year.clone(),
            kind: self.kind.clone(),
            level: self.level.clone(),
            series: self.series.clone(),
            light: self.light.clone(),
            status: self.status.clone(),
            under: self.under.clone(),
            q: self.q.clone(),
            sort: self.sort.clone(),
            ..ProjectQuery::default()
        }
    }

    /// The filters (not the page) as pairs, for links.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("year", v(&self.year)),
            ("kind", v(&self.kind)),
            ("level", v(&self.level)),
            ("series", v(&self.series)),
            ("light", v(&self.light)),
            ("status", v(&self.status)),
            ("under", v(&self.under)),
            ("q", v(&self.q)),
            ("sort", v(&self.sort)),
        ]
    }

    /// `?year=…&light=…` (empty when nothing is filtered), for links to the other views.
    pub fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs().iter().filter(|(_, v)| !v.is_empty()) {
            s.append_pair(k, v);
        }
        let q = s.finish();
        if q.is_empty() { q } else { format!("?{q}") }
    }

    pub fn text(&self, which: &Option<String>) -> String {
        which.clone().unwrap_or_default()
    }
}

/// The choices of the filter form (`projects/_filters.html`), the same on every project view.
pub struct FilterChoices {
    pub lights: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub kinds: Vec<(String, bool)>,
    pub years: Vec<(i64, bool)>,
    /// The units the user may name, for the unit field's suggestions.
    pub units: Vec<UnitChoice>,
}

impl FilterChoices {
    /// The choices for the user: the kinds from the settings, the years up to next year, the units they see.
    pub async fn load(state: &AppState, authed: &Authed, f: &Filters) -> WebResult<FilterChoices> {
        let kinds = {
            let mut reader = state.db.reader().await?;
            bangdu_store::settings::project_kinds(&mut reader.conn()).await?
        };
        let units = choices(state, authed, Picking::Any).await?;
        Ok(FilterChoices::new(f, kinds, i64::from(state.today().year()), units))
    }

    fn new(f: &Filters, kinds: Vec<String>, this_year: i64, units: Vec<UnitChoice>) -> FilterChoices {
        let sel = |v: &Option<String>, code: &str| v.as_deref() == Some(code);
        let year: Option<i64> = f.year.as_deref().and_then(|y| y.parse().ok());
        FilterChoices {
            lights: Light::ALL
                .iter()
                .map(|l| Choice { code: l.code(), label: l.label(), selected: sel(&f.light, l.code()) })
                .collect(),
            statuses: Status::ALL
                .iter()
                .map(|s| Choice { code: s.code(), label: s.label(), selected: sel(&f.status, s.code()) })
                .collect(),
            levels: Level::ALL
                .iter()
                .map(|l| Choice { code: l.code(), label: l.label(), selected: sel(&f.level, l.code()) })
                .collect(),
            kinds: kinds.into_iter().map(|k| (k.clone(), f.kind.as_deref() == Some(k.as_str()))).collect(),
            years: (2020..=this_year + 1).rev().map(|y| (y, year == Some(y))).collect(),
            units,
        }
    }
}

/// The short word of a light code (绿灯, 红灯 …); empty for an unknown code.
pub fn light_word(code: &str) -> &'static str {
    Light::parse(code).map_or("", Light::word)
}

/// An amount in 元 as the API writes it ("24000000.00") the way officials read it ("2400 万元").
pub fn money_text(text: &str) -> String {
    match bangdu_domain::project::money::parse_yuan("amount", text) {
        Ok(fen) => bangdu_domain::project::yuan_text(bangdu_domain::project::money::yuan(fen)),
        Err(_) => text.to_string(),
    }
}
