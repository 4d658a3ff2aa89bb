//! 项目地图: projects as points coloured by their light, each a link to the project. Drawn by the
//! server in Web Mercator on a plain graticule, so it works with no internet; when the
//! administrator sets a tile server (`map.tile_url`), tiles are drawn underneath, fetched by this
//! server (the browser never calls a third party, and the CSP stays `img-src 'self'`).

use super::svg::{esc, light_fill};
use super::{FilterChoices, Filters};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::input::projects::{project_filter, project_sort};
use crate::pages::errors::PageResult;
use crate::pages::render;
use crate::pages::shell::{Shell, shell};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use bangdu_store::projects::{ProjectRow, query};
use std::f64::consts::PI;
use std::fmt::Write;

const MAX_POINTS: u64 = 20_000;
const W: f64 = 1000.0;
const H: f64 = 700.0;
const TILE: f64 = 256.0;

/// Longitude and latitude to Web Mercator world pixels at zoom `z`.
fn world(lon: f64, lat: f64, z: u32) -> (f64, f64) {
    let n = TILE * f64::from(1u32 << z);
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0 * n;
    (x, y)
}

/// The view: a zoom and the world pixel at the top-left corner, fitting every point with a margin.
pub struct View {
    pub z: u32,
    pub left: f64,
    pub top: f64,
}

impl View {
    pub fn fit(points: &[(f64, f64)]) -> View {
        let (mut lo_lon, mut hi_lon, mut lo_lat, mut hi_lat) = (180.0f64, -180.0f64, 90.0f64, -90.0f64);
        for (lon, lat) in points {
            lo_lon = lo_lon.min(*lon);
            hi_lon = hi_lon.max(*lon);
            lo_lat = lo_lat.min(*lat);
            hi_lat = hi_lat.max(*lat);
        }
        if points.is_empty() {
            // 泉州 by default: where the demo is.
            (lo_lon, hi_lon, lo_lat, hi_lat) = (118.3, 118.9, 24.6, 25.1);
        }
        let mut z = 18;
        while z > 1 {
            let (x1, y1) = world(lo_lon, hi_lat, z);
            let (x2, y2) = world(hi_lon, lo_lat, z);
            if x2 - x1 <= W * 0.85 && y2 - y1 <= H * 0.85 {
                break;
            }
            z -= 1;
        }
        let (x1, y1) = world(lo_lon, hi_lat, z);
        let (x2, y2) = world(hi_lon, lo_lat, z);
        View { z, left: (x1 + x2) / 2.0 - W / 2.0, top: (y1 + y2) / 2.0 - H / 2.0 }
    }

    pub fn at(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = world(lon, lat, self.z);
        (x - self.left, y - self.top)
    }

    fn lon_of(&self, px: f64) -> f64 {
        (self.left + px) / (TILE * f64::from(1u32 << self.z)) * 360.0 - 180.0
    }

    fn lat_of(&self, py: f64) -> f64 {
        let n = PI - 2.0 * PI * (self.top + py) / (TILE * f64::from(1u32 << self.z));
        n.sinh().atan().to_degrees()
    }
}

/// A step of 0.01°, 0.02°, 0.05°, 0.1° … giving about six lines across.
fn grid_step(span: f64) -> f64 {
    let raw = span / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag)
}

pub fn draw(rows: &[ProjectRow], tiles: bool, title: &str) -> String {
    let points: Vec<(f64, f64)> = rows.iter().filter_map(|p| p.location().map(|(lat, lon)| (lon, lat))).collect();
    let v = View::fit(&points);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif" font-size="12" role="img" aria-label="{}"><rect width="{W}" height="{H}" fill="#f4f7fb"/>"##,
        esc(title)
    );
    if tiles {
        let n = 1i64 << v.z;
        let (tx0, ty0) = ((v.left / TILE).floor() as i64, (v.top / TILE).floor() as i64);
        let (tx1, ty1) = (((v.left + W) / TILE).floor() as i64, ((v.top + H) / TILE).floor() as i64);
        for ty in ty0.max(0)..=ty1.min(n - 1) {
            for tx in tx0..=tx1 {
                let wrapped = tx.rem_euclid(n);
                let _ = write!(
                    s,
                    r##"<image href="/projects/map/tiles/{}/{wrapped}/{ty}" x="{:.1}" y="{:.1}" width="{TILE}" height="{TILE}"/>"##,
                    v.z,
                    tx as f64 * TILE - v.left,
                    ty as f64 * TILE - v.top
                );
            }
        }
    }
    // Graticule with degree labels, so the map reads without a base map.
    let (west, east) = (v.lon_of(0.0), v.lon_of(W));
    let (north, south) = (v.lat_of(0.0), v.lat_of(H));
    let step = grid_step((east - west).max(north - south));
    let mut lon = (west / step).ceil() * step;
    while lon < east {
        let (x, _) = v.at(lon, north);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="{H}" stroke="#d5dde8"/><text x="{:.1}" y="{}" fill="#8a96a8" font-size="10">{lon:.2}°E</text>"##,
            x + 2.0,
            H - 4.0
        );
        lon += step;
    }
    let mut lat = (south / step).ceil() * step;
    while lat < north {
        let (_, y) = v.at(west, lat);
        let _ = write!(
            s,
            r##"<line x1="0" y1="{y:.1}" x2="{W}" y2="{y:.1}" stroke="#d5dde8"/><text x="4" y="{:.1}" fill="#8a96a8" font-size="10">{lat:.2}°N</text>"##,
            y - 2.0
        );
        lat += step;
    }
    // Red and yellow last, so they sit on top where points crowd.
    let order = |l: &str| match l {
        "red" => 4,
        "yellow" => 3,
        "green" => 2,
        "gray" => 1,
        _ => 0,
    };
    let mut sorted: Vec<&ProjectRow> = rows.iter().filter(|p| p.location().is_some()).collect();
    sorted.sort_by_key(|p| order(&p.light));
    for p in sorted {
        let Some((lat, lon)) = p.location() else { continue };
        let (x, y) = v.at(lon, lat);
        let _ = write!(
            s,
            r##"<a href="/projects/{}"><title>{}（{}）{}</title><circle cx="{x:.1}" cy="{y:.1}" r="7" fill="{}" stroke="#fff" stroke-width="2"/></a>"##,
            p.id,
            esc(&p.name),
            esc(&p.lead_name),
            esc(&p.light_reason),
            light_fill(&p.light)
        );
    }
    let _ =
        write!(s, r##"<text x="10" y="20" font-size="14" font-weight="bold" fill="#303133">{}</text>"##, esc(title));
    let mut lx = 10.0;
    for (code, word) in [("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯"), ("blue", "蓝灯"), ("gray", "灰灯")]
    {
        let _ = write!(
            s,
            r##"<circle cx="{}" cy="38" r="6" fill="{}" stroke="#fff" stroke-width="2"/><text x="{}" y="42" fill="#606266">{word}</text>"##,
            lx + 6.0,
            light_fill(code),
            lx + 16.0
        );
        lx += 60.0;
    }
    s.push_str("</svg>");
    s
}

#[derive(Template)]
#[template(path = "projects/map.html")]
struct MapPage {
    shell: Shell,
    svg: String,
    located: usize,
    unlocated: i64,
    f: Filters,
    c: FilterChoices,
    qs: String,
}

async fn tile_url(state: &AppState) -> Result<String, WebError> {
    let mut reader = state.db.reader().await?;
    Ok(bangdu_store::settings::get_text(&mut reader.conn(), bangdu_store::settings::MAP_TILE_URL).await?)
}

pub async fn page(State(state): State<AppState>, PageUser(authed): PageUser, Query(f): Query<Filters>) -> PageResult {
    let q = f.query();
    let mut reader = state.db.reader().await?;
    let mut filter = project_filter(&mut reader.conn(), &authed.actor, &q).await?;
    let all = query::list(
        &mut reader.conn(),
        &authed.actor,
        &filter,
        project_sort(&q)?,
        bangdu_store::paging::PageRequest { page: 1, per_page: 1 },
    )
    .await?
    .total;
    filter.located = true;
    let rows = query::all(&mut reader.conn(), &authed.actor, &filter, project_sort(&q)?, MAX_POINTS).await?;
    drop(reader);
    let tiles = !tile_url(&state).await?.is_empty();
    render(&MapPage {
        shell: shell(&state, &authed, "projects", "项目地图", &[("项目", Some("/projects")), ("项目地图", None)]).await,
        svg: draw(&rows, tiles, &format!("项目分布（截至 {}）", state.today())),
        located: rows.len(),
        unlocated: all - rows.len() as i64,
        c: FilterChoices::load(&state, &authed, &f).await?,
        qs: f.query_string(),
        f,
    })
}

/// One base-map tile from the configured tile server (404 when none is configured).
pub async fn tile(
    State(state): State<AppState>,
    PageUser(_authed): PageUser,
    Path((z, x, y)): Path<(u32, u32, u32)>,
) -> PageResult {
    let template = tile_url(&state).await?;
    if template.is_empty() || z > 19 || x >= (1 << z) || y >= (1 << z) {
        return Err(WebError::not_found());
    }
    let url = template.replace("{z}", &z.to_string()).replace("{x}", &x.to_string()).replace("{y}", &y.to_string());
    let fetched = async {
        let response = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()?
            .get(&url)
            .send()
            .await?
            .error_for_status()?;
        let kind = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.starts_with("image/"))
            .unwrap_or("image/png")
            .to_string();
        Ok::<_, reqwest::Error>((kind, response.bytes().await?))
    }
    .await;
    match fetched {
        Ok((kind, bytes)) => {
            Ok(([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "private, max-age=86400".to_string())], bytes)
                .into_response())
        }
        Err(e) => {
            tracing::warn!(error = %e, "map tile fetch failed");
            Err(WebError::new(axum::http::StatusCode::BAD_GATEWAY, "tile_unavailable", "底图暂不可用"))
        }
    }
}
