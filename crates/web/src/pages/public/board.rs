//! 公示牌: a project's printable board, A3, as PDF and PNG, with a QR code that opens its public
//! page — `/public/projects/{id}/board.pdf` and `board.png`, public like the page itself. The
//! batch print of a whole list is `/projects/boards.pdf` (signed in, in scope).

use crate::error::WebError;
use crate::extract::Id;
use crate::output::download::content_disposition;
use crate::output::projects::ProjectOut;
use crate::pages::errors::PageResult;
use crate::pages::projects::money_text;
use crate::state::AppState;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bangdu_board::{Board, Fact, Milestone};
use bangdu_domain::ProjectId;
use bangdu_store::Actor;
use bangdu_store::Conn;
use bangdu_store::projects::query;
use chrono::{Datelike, NaiveDate};

/// "2025年3月1日", as boards print dates.
pub fn date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// What every board of a request shares: the address its QR code points under and the phone.
pub struct Site {
    pub base: String,
    pub phone: String,
}

impl Site {
    pub async fn load(c: &mut Conn<'_>, state: &AppState) -> Result<Site, WebError> {
        let base = public_base(c, state).await?;
        let phone = bangdu_store::settings::get_text(c, bangdu_store::settings::SUPERVISION_PHONE).await?;
        Ok(Site { base, phone })
    }
}

/// The address the QR codes point under, from configuration only — never from the request, whose
/// Host header anyone can set: the 公开访问地址 setting, else `--public-url`, else the address the
/// server listens on (which citizens usually cannot reach: the settings page says so).
pub async fn public_base(c: &mut Conn<'_>, state: &AppState) -> Result<String, WebError> {
    let set = bangdu_store::settings::get_text(c, bangdu_store::settings::PUBLIC_BASE_URL).await?;
    if !set.is_empty() {
        return Ok(set.trim_end_matches('/').to_string());
    }
    Ok(state.config.fallback_public_url())
}

/// The facts of a project, worded for its board. Empty facts are left off rather than printed blank.
pub fn board_of(p: &ProjectOut, site: &Site, today: NaiveDate) -> Board {
    let mut facts = Vec::new();
    let mut fact = |label: &str, text: String, max_lines: usize| {
        if !text.trim().is_empty() {
            facts.push(Fact { label: label.into(), text, max_lines });
        }
    };
    let indicator = match (&p.indicator_value, &p.indicator_unit) {
        (Some(v), u) => format!("（目标：{v}{}）", u.as_deref().unwrap_or("")),
        _ => String::new(),
    };
    fact("建设内容", format!("{}{indicator}", p.target.as_deref().unwrap_or("")), 4);
    fact("建设地点", p.address.clone().unwrap_or_default(), 2);
    let mut schedule = format!("{} 至 {}", date_cn(p.planned_start), date_cn(p.planned_end));
    if let Some(done) = p.completed_on {
        schedule.push_str(&format!("（{} 完工）", date_cn(done)));
    }
    fact("计划工期", schedule, 2);
    // "0.00" (no funds recorded, as in the published micro-project tables) prints nothing.
    if !p.funds_planned.trim_start_matches(['0', '.']).is_empty() {
        fact(
            "项目资金",
            format!(
                "计划 {} · 已下达 {} · 已支出 {}",
                money_text(&p.funds_planned),
                money_text(&p.funds_allocated),
                money_text(&p.funds_spent)
            ),
            2,
        );
    }
    fact("牵头单位", p.lead_unit.name.clone(), 2);
    fact("配合单位", p.cooperating_units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、"), 2);
    fact("责任人", p.responsible_person.clone().unwrap_or_default(), 1);
    fact("建成后管理", p.manager_unit.as_ref().map(|u| u.name.clone()).unwrap_or_default(), 1);
    let mut as_of = format!("截至 {} · {}", date_cn(today), p.status_label);
    if let Some((y, m)) = p.last_reported.as_deref().and_then(|m| m.split_once('-')) {
        as_of.push_str(&format!(" · 最近报送 {y}年{}月", m.trim_start_matches('0')));
    }
    Board {
        kind_line: match &p.series {
            Some(s) if !s.is_empty() => format!("{} 年 {} · {s}", p.year, p.kind),
            _ => format!("{} 年 {}", p.year, p.kind),
        },
        name: p.name.clone(),
        facts,
        milestones: p
            .milestones
            .iter()
            .map(|m| Milestone { name: m.name.clone(), date: date_cn(m.date), progress: m.progress })
            .collect(),
        actual_progress: p.actual_progress,
        planned_progress: p.planned_progress,
        light_label: p.light_label.clone(),
        light_fill: crate::pages::projects::svg::light_fill(&p.light).to_string(),
        light_reason: p.light_reason.clone(),
        as_of_line: as_of,
        url: format!("{}/public/projects/{}", site.base, p.id),
        phone: site.phone.clone(),
        issuer: p.owner_unit.name.clone(),
    }
}

/// Which file.
#[derive(Clone, Copy)]
pub enum Format {
    Pdf,
    Png,
}

/// PNG resolution: 150 dpi gives 1754 × 2480 pixels for A3, sharp on a phone and fine to print.
const PNG_DPI: f32 = 150.0;

/// Drawn boards, and the names of those left out (a batch goes on without a board that cannot be
/// drawn, and ends with a page naming it).
pub struct Drawn {
    pub bytes: Vec<u8>,
    pub skipped: Vec<String>,
}

/// Draws boards off the async threads, at most two at a time.
pub async fn draw(state: &AppState, boards: Vec<Board>, format: Format, title: String) -> Result<Drawn, WebError> {
    let _permit = state
        .board_permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| WebError::new(StatusCode::SERVICE_UNAVAILABLE, "shutting_down", "服务正在停止"))?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let fonts = state.board_fonts().map_err(|e| {
            tracing::error!(error = %e, "公示牌 font");
            WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "board_font_missing",
                "未找到中文字体，无法生成公示牌：请在服务器上安装 Noto Sans CJK（Debian：apt-get install fonts-noto-cjk）或用 --board-font 指定字体文件",
            )
        })?;
        let (mut svgs, mut names, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
        let mut first_error = None;
        for board in &boards {
            match bangdu_board::svg(board) {
                Ok(svg) => {
                    svgs.push(svg);
                    names.push(board.name.clone());
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                    skipped.push(board.name.clone());
                }
            }
        }
        if let (true, Some(e)) = (svgs.is_empty(), first_error) {
            return Err(draw_failed(e));
        }
        match format {
            Format::Png => {
                let bytes = bangdu_board::png(svgs.first().map_or("", String::as_str), &fonts, PNG_DPI);
                Ok(Drawn { bytes: bytes.map_err(draw_failed)?, skipped })
            }
            Format::Pdf => {
                // Boards left out, whether their layout or their drawing failed, are named on a last page.
                let pages = bangdu_board::pdf(&svgs, &fonts, &title, |left_out| {
                    skipped.extend(left_out.iter().map(|i| names[*i].clone()));
                    (!skipped.is_empty()).then(|| bangdu_board::skipped_page(&skipped))
                })
                .map_err(draw_failed)?;
                if !skipped.is_empty() {
                    tracing::warn!(skipped = skipped.len(), "公示牌 left out of a batch");
                }
                Ok(Drawn { bytes: pages.bytes, skipped })
            }
        }
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "公示牌 task");
        WebError::internal()
    })?
}

fn draw_failed(e: bangdu_board::BoardError) -> WebError {
    tracing::error!(error = %e, "公示牌");
    WebError::internal()
}

/// The file, shown in the browser (a PDF viewer or the image) with a name to save it under.
pub fn file_response(bytes: Vec<u8>, format: Format, ascii_name: &str, name: &str) -> Response {
    let (mime, ext) = match format {
        Format::Pdf => ("application/pdf", "pdf"),
        Format::Png => ("image/png", "png"),
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(true, &format!("{ascii_name}.{ext}"), &format!("{name}.{ext}")),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn one(state: AppState, id: ProjectId, format: Format) -> Result<Response, WebError> {
    let (p, site) = {
        let mut reader = state.db.reader().await?;
        let row = query::get(&mut reader.conn(), &Actor::public(), id).await?;
        let units = query::units_of_one(&mut reader.conn(), &row).await?;
        (ProjectOut::new(row, &units), Site::load(&mut reader.conn(), &state).await?)
    };
    let board = board_of(&p, &site, state.today());
    let title = format!("公示牌-{}", p.name);
    let drawn = draw(&state, vec![board], format, title.clone()).await?;
    Ok(file_response(drawn.bytes, format, &format!("board-{id}"), &title))
}

pub async fn pdf(axum::extract::State(state): axum::extract::State<AppState>, Id(id): Id<ProjectId>) -> PageResult {
    one(state, id, Format::Pdf).await
}

pub async fn png(axum::extract::State(state): axum::extract::State<AppState>, Id(id): Id<ProjectId>) -> PageResult {
    one(state, id, Format::Png).await
}
