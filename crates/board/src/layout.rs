//! The layout of one board: A3 portrait (297 × 420 mm), every length in millimetres. From the top:
//! a red band with the kind and "项目公示牌", the project's name, its progress and light on the
//! day printed, a table of facts, the milestones, and at the bottom the QR code to the project's
//! public page with the supervision phone. The middle gives up milestone rows (saying how many are
//! left out) before anything can run into the QR code.

use crate::wrap::{lines, width_em};
use crate::{BoardError, esc, qr};
use std::fmt::Write;

pub const WIDTH_MM: f64 = 297.0;
pub const HEIGHT_MM: f64 = 420.0;
const MARGIN: f64 = 14.0;
const CONTENT_W: f64 = WIDTH_MM - 2.0 * MARGIN;
const RED: &str = "#c0141b";
const INK: &str = "#1f2d3d";
const GREY: &str = "#606266";
const RULE: &str = "#c0c4cc";
const FONT: &str = "Noto Sans CJK SC, Source Han Sans SC, sans-serif";

/// One row of the facts table: a label (建设地点) and its text, wrapped to at most `max_lines`.
#[derive(Debug, Clone)]
pub struct Fact {
    pub label: String,
    pub text: String,
    pub max_lines: usize,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub name: String,
    /// As printed: "2025年6月30日".
    pub date: String,
    /// Planned cumulative percent.
    pub progress: f64,
}

/// Everything printed on a board, already worded.
#[derive(Debug, Clone)]
pub struct Board {
    /// Above the title: "2025 年 为民办实事".
    pub kind_line: String,
    pub name: String,
    pub facts: Vec<Fact>,
    pub milestones: Vec<Milestone>,
    pub actual_progress: f64,
    pub planned_progress: f64,
    /// "黄灯 进度滞后", and its colour.
    pub light_label: String,
    pub light_fill: String,
    pub light_reason: String,
    /// "截至 2026年11月22日 · 在建".
    pub as_of_line: String,
    /// The public page the QR code opens.
    pub url: String,
    pub phone: String,
    /// Who issues the board (监制), e.g. the managing office.
    pub issuer: String,
}

struct Canvas(String);

impl Canvas {
    fn text(&mut self, x: f64, y: f64, size: f64, fill: &str, extra: &str, text: &str) {
        let _ = write!(
            self.0,
            r##"<text x="{x:.2}" y="{y:.2}" font-size="{size}" fill="{fill}" {extra}>{}</text>"##,
            esc(text)
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
        let _ = write!(self.0, r##"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" {attrs}/>"##);
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64) {
        let _ = write!(
            self.0,
            r##"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="{RULE}" stroke-width="0.35"/>"##
        );
    }
}

const QR_SIZE: f64 = 74.0;
/// Where the QR block starts: everything above must end here.
const BOTTOM_TOP: f64 = HEIGHT_MM - MARGIN - QR_SIZE - 8.0;

/// The board as an SVG document (A3, millimetres).
pub fn svg(b: &Board) -> Result<String, BoardError> {
    let mut c = Canvas(String::with_capacity(32 * 1024));
    let _ = write!(
        c.0,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" font-family="{FONT}">"##
    );
    c.rect(0.0, 0.0, WIDTH_MM, HEIGHT_MM, r##"fill="#fff""##);
    let mid = WIDTH_MM / 2.0;

    // The red band.
    c.rect(0.0, 0.0, WIDTH_MM, 54.0, &format!(r##"fill="{RED}""##));
    c.text(mid, 19.0, 9.0, "#fff", r#"text-anchor="middle""#, &b.kind_line);
    c.text(mid, 43.0, 20.0, "#fff", r#"text-anchor="middle" font-weight="bold" letter-spacing="3""#, "项目公示牌");

    // The name, centred, up to three lines.
    let mut y = 72.0;
    let name_size = 13.0;
    for l in lines(&b.name, CONTENT_W / name_size, 3) {
        c.text(mid, y, name_size, INK, r#"text-anchor="middle" font-weight="bold""#, &l);
        y += name_size * 1.3;
    }

    // Progress: a bar of actual progress with a tick at the plan, the light and its reason.
    y += 2.0;
    let bar_x = MARGIN + 30.0;
    let bar_w = 150.0;
    c.text(MARGIN, y + 6.0, 6.5, GREY, "", "项目进度");
    c.rect(bar_x, y, bar_w, 8.0, r##"fill="#ebeef5" rx="1.5""##);
    let done = (b.actual_progress.clamp(0.0, 100.0) / 100.0) * bar_w;
    if done > 0.0 {
        c.rect(bar_x, y, done, 8.0, &format!(r##"fill="{}" rx="1.5""##, b.light_fill));
    }
    let plan_x = bar_x + (b.planned_progress.clamp(0.0, 100.0) / 100.0) * bar_w;
    let _ = write!(
        c.0,
        r##"<line x1="{plan_x:.2}" y1="{:.2}" x2="{plan_x:.2}" y2="{:.2}" stroke="{INK}" stroke-width="0.8"/>"##,
        y - 1.5,
        y + 9.5
    );
    c.text(
        bar_x + bar_w + 4.0,
        y + 6.5,
        6.5,
        INK,
        r#"font-weight="bold""#,
        &format!("实际 {}% · 计划 {}%", pct(b.actual_progress), pct(b.planned_progress)),
    );
    y += 16.0;
    let _ = write!(c.0, r##"<circle cx="{:.2}" cy="{:.2}" r="3.2" fill="{}"/>"##, MARGIN + 3.2, y - 2.2, b.light_fill);
    c.text(MARGIN + 9.0, y, 6.5, INK, r#"font-weight="bold""#, &b.light_label);
    let reason_x = MARGIN + 9.0 + width_em(&b.light_label) * 6.5 + 4.0;
    let reason_em = (MARGIN + CONTENT_W - reason_x) / 5.5;
    if let Some(first) = lines(&b.light_reason, reason_em, 1).first() {
        c.text(reason_x, y, 5.5, GREY, "", first);
    }
    y += 8.0;
    c.text(MARGIN, y, 5.5, GREY, "", &b.as_of_line);
    y += 6.0;

    // The facts table.
    let label_w = 48.0;
    let text_size = 7.2;
    let line_h = text_size * 1.45;
    let text_em = (CONTENT_W - label_w - 8.0) / text_size;
    c.line(MARGIN, y, MARGIN + CONTENT_W, y);
    for f in &b.facts {
        let ls = lines(&f.text, text_em, f.max_lines.max(1));
        let h = ls.len() as f64 * line_h + 5.0;
        if y + h > BOTTOM_TOP {
            break;
        }
        c.rect(MARGIN, y, label_w, h, r##"fill="#f5f7fa""##);
        c.text(MARGIN + 4.0, y + 3.0 + text_size, text_size, GREY, "", &f.label);
        for (i, l) in ls.iter().enumerate() {
            c.text(MARGIN + label_w + 4.0, y + 3.0 + text_size + i as f64 * line_h, text_size, INK, "", l);
        }
        y += h;
        c.line(MARGIN, y, MARGIN + CONTENT_W, y);
    }

    // The milestones, as many as fit.
    if !b.milestones.is_empty() {
        let row_h = 10.0;
        let room = ((BOTTOM_TOP - (y + 19.0)) / row_h).floor().max(0.0) as usize;
        if room >= 2 {
            y += 13.0;
            c.text(MARGIN, y, 8.0, INK, r#"font-weight="bold""#, "节点计划");
            y += 4.0;
            let shown = if b.milestones.len() <= room { b.milestones.len() } else { room - 1 };
            let date_x = MARGIN + 150.0;
            let pct_x = MARGIN + CONTENT_W - 4.0;
            c.line(MARGIN, y, MARGIN + CONTENT_W, y);
            for m in &b.milestones[..shown] {
                let name = lines(&m.name, 140.0 / 6.4, 1).into_iter().next().unwrap_or_default();
                c.text(MARGIN + 4.0, y + 6.8, 6.4, INK, "", &name);
                c.text(date_x, y + 6.8, 6.4, INK, "", &m.date);
                c.text(pct_x, y + 6.8, 6.4, INK, r#"text-anchor="end""#, &format!("计划累计 {}%", pct(m.progress)));
                y += row_h;
                c.line(MARGIN, y, MARGIN + CONTENT_W, y);
            }
            if shown < b.milestones.len() {
                c.text(
                    MARGIN + 4.0,
                    y + 6.8,
                    6.4,
                    GREY,
                    "",
                    &format!("……另有 {} 个节点，扫码查看", b.milestones.len() - shown),
                );
            }
        }
    }

    // The QR code and what it is for.
    let qy = BOTTOM_TOP + 4.0;
    let _ = write!(
        c.0,
        r##"<line x1="{MARGIN}" y1="{BOTTOM_TOP:.2}" x2="{:.2}" y2="{BOTTOM_TOP:.2}" stroke="{RED}" stroke-width="0.8"/>"##,
        MARGIN + CONTENT_W
    );
    c.0.push_str(&qr::path(&b.url, MARGIN - 3.0, qy, QR_SIZE)?);
    let tx = MARGIN + QR_SIZE + 4.0;
    c.text(tx, qy + 16.0, 9.0, INK, r#"font-weight="bold""#, "扫码查看项目进展");
    c.text(tx, qy + 29.0, 6.5, GREY, "", "欢迎评价、点赞，对项目提出意见建议");
    c.text(tx, qy + 47.0, 10.0, RED, r#"font-weight="bold""#, &format!("监督电话：{}", b.phone));
    let url_em = (MARGIN + CONTENT_W - tx) / 4.5;
    if let Some(u) = lines(&b.url, url_em, 1).first() {
        c.text(tx, qy + 60.0, 4.5, GREY, "", u);
    }
    if !b.issuer.is_empty() {
        c.text(tx, qy + 70.0, 5.0, GREY, "", &format!("监制：{}", b.issuer));
    }
    c.0.push_str("</svg>");
    Ok(c.0)
}

/// Names listed on the last page of a batch, at most; more are counted.
const SKIPPED_LISTED: usize = 50;

/// The last page of a batch in which some boards could not be drawn: which were left out, so the
/// office prints them again once their records are put right.
pub fn skipped_page(names: &[String]) -> String {
    let mut c = Canvas(String::with_capacity(4 * 1024));
    let _ = write!(
        c.0,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" font-family="{FONT}">"##
    );
    c.rect(0.0, 0.0, WIDTH_MM, HEIGHT_MM, r##"fill="#fff""##);
    c.text(
        MARGIN,
        40.0,
        11.0,
        RED,
        r#"font-weight="bold""#,
        &format!("以下 {} 个项目的公示牌未能生成，已跳过", names.len()),
    );
    c.text(MARGIN, 54.0, 6.0, GREY, "", "请核对这些项目的名称等信息后单独打印。");
    let mut y = 70.0;
    for (i, name) in names.iter().take(SKIPPED_LISTED).enumerate() {
        let line = lines(name, (CONTENT_W - 10.0) / 6.0, 1).into_iter().next().unwrap_or_default();
        c.text(MARGIN, y, 6.0, INK, "", &format!("{}. {line}", i + 1));
        y += 6.8;
    }
    if names.len() > SKIPPED_LISTED {
        c.text(MARGIN, y, 6.0, GREY, "", &format!("……另有 {} 个", names.len() - SKIPPED_LISTED));
    }
    c.0.push_str("</svg>");
    c.0
}

/// A percentage without a needless ".0": 60, 62.5.
fn pct(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> Board {
        Board {
            kind_line: "2023 年 民生微实事".into(),
            name: "青阳街道阳光社区老年人助餐点 & <改造>".into(),
            facts: vec![Fact { label: "建设地点".into(), text: "晋江市青阳街道".into(), max_lines: 2 }],
            milestones: (1..=30)
                .map(|i| Milestone { name: format!("节点{i}"), date: "2023年6月30日".into(), progress: 50.0 })
                .collect(),
            actual_progress: 62.5,
            planned_progress: 70.0,
            light_label: "黄灯".into(),
            light_fill: "#e0a100".into(),
            light_reason: "计划进度 70%，实际 62.5%".into(),
            as_of_line: "截至 2023年7月1日 · 在建".into(),
            url: "https://bangdu.example.gov.cn/public/projects/12".into(),
            phone: "12345".into(),
            issuer: "晋江市委督查室".into(),
        }
    }

    #[test]
    fn names_are_escaped_and_every_part_is_there() {
        let s = svg(&sample()).unwrap_or_default();
        assert!(s.contains("&amp; &lt;改造&gt;"), "{s}");
        assert!(s.contains("监督电话：12345"));
        assert!(s.contains("实际 62.5% · 计划 70%"));
        assert!(s.contains("监制：晋江市委督查室"));
    }

    #[test]
    fn milestones_that_do_not_fit_are_counted_not_drawn_over_the_qr_code() {
        let s = svg(&sample()).unwrap_or_default();
        assert!(s.contains("节点1<"));
        assert!(!s.contains("节点30<"));
        assert!(s.contains("……另有"), "{s}");
    }

    #[test]
    fn percentages_print_without_needless_decimals() {
        assert_eq!(pct(60.0), "60");
        assert_eq!(pct(62.54), "62.5");
    }
}
