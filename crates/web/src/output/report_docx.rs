//! 帮督报告 as a DOCX in the 公文 layout of GB/T 9704: A4, margins 37/35/28/26 mm, title in 2号
//! 小标宋 centred, body in 3号仿宋_GB2312 at a fixed 28-point line, first lines indented two
//! characters, sections numbered 一、（黑体）and （一）（楷体）, page numbers "— 1 —" at the foot.
//! Fonts are named, never embedded: Word and WPS on an official's machine have them; LibreOffice
//! falls back to what the machine has.

use crate::output::inspections::BriefOut;
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType,
};

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体_GB2312";
/// 3号 = 16 pt, in half-points; 2号 = 22 pt.
const BODY_SIZE: usize = 32;
const TITLE_SIZE: usize = 44;
/// Millimetres to twentieths of a point.
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

fn line() -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(560)
}

/// A body paragraph: first line indented two characters.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, BODY_SIZE))
        .line_spacing(line())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .align(AlignmentType::Both)
}

fn heading(text: &str, font: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, font, BODY_SIZE)).line_spacing(line()).indent(
        None,
        Some(SpecialIndentType::FirstLine(640)),
        None,
        None,
    )
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn numeral(i: usize) -> String {
    match i {
        0..=9 => NUMERALS[i].to_string(),
        10..=19 => format!("十{}", if i == 10 { "" } else { NUMERALS[i - 11] }),
        _ => (i + 1).to_string(),
    }
}

/// The report's paragraphs, in order (the same text the page shows).
pub fn paragraphs(r: &BriefOut) -> Vec<(u8, String)> {
    // (0 body, 1 heading 一、, 2 subheading （一）)
    let mut out: Vec<(u8, String)> = Vec::new();
    let c = &r.counts;
    out.push((
        0,
        format!(
            "根据{}工作安排，{}于 {} 至 {} 开展{}（{}）。现将有关情况报告如下。",
            r.campaign, r.lead_unit, r.starts_on, r.ends_on, r.round_name, r.kind
        ),
    ));
    out.push((1, "一、基本情况".into()));
    out.push((
        0,
        format!(
            "本批次共组成帮督小组 {} 个，抽调人员 {} 人，实地督查对象 {} 个；发现问题 {} 个，其中现场协调解决 {} 个，转为督导事项 {} 个（已销号 {} 个），待处理 {} 个。",
            c.targets, c.people, c.targets, c.findings, c.solved, c.items, c.items_closed, c.pending
        ),
    ));
    out.push((1, "二、督查对象及发现问题".into()));
    for (i, t) in r.targets.iter().enumerate() {
        out.push((2, format!("（{}）{}", numeral(i), t.name)));
        out.push((0, format!("{}，{}，{} 实地督查。帮督小组：{}。", t.kind, t.basis, t.visit_on, t.team.join("；"))));
        if t.findings.is_empty() {
            out.push((0, "未发现问题。".into()));
        }
        for (k, f) in t.findings.iter().enumerate() {
            let mut text = format!("{}. {}", k + 1, f.description);
            text.push_str(&format!("（{}", f.outcome));
            if let Some(note) = &f.solved_note {
                text.push_str(&format!("：{note}"));
            }
            if let Some(item) = &f.item {
                text.push_str(&format!("，事项 {item}"));
            }
            text.push('）');
            out.push((0, text));
        }
        for o in &t.overrides {
            out.push((0, format!("人员安排说明：{o}。")));
        }
    }
    out.push((1, "三、工作建议".into()));
    if r.suggestions.trim().is_empty() {
        out.push((0, "（无）".into()));
    } else {
        for line in r.suggestions.lines().map(str::trim).filter(|l| !l.is_empty()) {
            out.push((0, line.to_string()));
        }
    }
    out
}

/// The DOCX file.
pub fn docx(r: &BriefOut) -> std::io::Result<Vec<u8>> {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(run("— ", "宋体", 28))
            .add_page_num(PageNum::new())
            .add_run(run(" —", "宋体", 28))
            .align(AlignmentType::Center),
    );
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(mm(37.0)).bottom(mm(35.0)).left(mm(28.0)).right(mm(26.0)).footer(mm(28.0)))
        .default_fonts(RunFonts::new().east_asia(BODY_FONT))
        .default_size(BODY_SIZE)
        .footer(footer)
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&r.title, TITLE_FONT, TITLE_SIZE))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(700).after(560)),
        );
    for (level, text) in paragraphs(r) {
        doc = doc.add_paragraph(match level {
            1 => heading(&text, HEADING_FONT),
            2 => heading(&text, SUBHEADING_FONT),
            _ => body(&text),
        });
    }
    let issued = match r.issued_at {
        Some(at) => bangdu_store::time::beijing(&at, "%Y年%-m月%-d日"),
        None => "（草稿，未印发）".into(),
    };
    doc = doc
        .add_paragraph(Paragraph::new().line_spacing(line()))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&r.lead_unit, BODY_FONT, BODY_SIZE))
                .align(AlignmentType::Right)
                .indent(None, None, Some(mm(14.0)), None)
                .line_spacing(line()),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&issued, BODY_FONT, BODY_SIZE))
                .align(AlignmentType::Right)
                .indent(None, None, Some(mm(14.0)), None)
                .line_spacing(line()),
        );
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(std::io::Error::other)?;
    Ok(bytes.into_inner())
}

/// The DOCX as a download, for the API and the page alike.
pub fn response(r: &BriefOut) -> crate::error::WebResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let bytes = docx(r).map_err(|e| {
        tracing::error!(error = %e, "report docx");
        crate::error::WebError::internal()
    })?;
    let name = format!("{}.docx", r.title);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                crate::output::download::content_disposition(false, "report.docx", &name),
            ),
            (axum::http::header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
