//! 三张清单: the problem, responsibility and rectification lists, as tables and as XLSX.

use crate::output::download::content_disposition;
use crate::output::items::Context;
use axum::http::header;
use axum::response::IntoResponse;
use bangdu_domain::ItemId;
use bangdu_domain::item::{DueStatus, due_status};
use bangdu_store::items::ItemRow;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Problems,
    Responsibilities,
    Rectifications,
}

impl List {
    pub fn title(self) -> &'static str {
        match self {
            List::Problems => "问题清单",
            List::Responsibilities => "责任清单",
            List::Rectifications => "整改清单",
        }
    }

    pub fn file(self) -> &'static str {
        match self {
            List::Problems => "problems",
            List::Responsibilities => "responsibilities",
            List::Rectifications => "rectifications",
        }
    }

    fn columns(self) -> &'static [(&'static str, f64)] {
        match self {
            List::Problems => &[
                ("序号", 6.0),
                ("事项编号", 16.0),
                ("问题（事项）", 40.0),
                ("来源", 10.0),
                ("责任单位", 18.0),
                ("牵头单位", 18.0),
                ("立项日期", 12.0),
                ("期限", 12.0),
                ("状态", 10.0),
                ("期限状态", 10.0),
                ("督办层级", 10.0),
            ],
            List::Responsibilities => &[
                ("序号", 6.0),
                ("责任单位", 18.0),
                ("责任人", 10.0),
                ("事项编号", 16.0),
                ("事项", 40.0),
                ("牵头单位", 18.0),
                ("配合单位", 24.0),
                ("期限", 12.0),
                ("状态", 10.0),
            ],
            List::Rectifications => &[
                ("序号", 6.0),
                ("事项编号", 16.0),
                ("问题（事项）", 34.0),
                ("整改措施", 34.0),
                ("完成标准", 24.0),
                ("责任单位", 18.0),
                ("期限", 12.0),
                ("状态", 10.0),
                ("办理结果", 30.0),
                ("销号日期", 12.0),
            ],
        }
    }
}

/// The column headers of a list.
pub fn headers(list: List) -> Vec<&'static str> {
    list.columns().iter().map(|(name, _)| *name).collect()
}

/// The rows of a list, as text cells.
pub fn rows(list: List, ctx: &Context, items: &[ItemRow], cooperating: &HashMap<ItemId, String>) -> Vec<Vec<String>> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let n = (i + 1).to_string();
            let status = due_status(
                &ctx.cal,
                item.state(),
                item.deadline,
                item.paused_since.is_some(),
                ctx.today,
                ctx.due_soon_days,
            );
            match list {
                List::Problems => vec![
                    n,
                    item.code.clone(),
                    item.title.clone(),
                    item.source().label().into(),
                    text(&item.responsible_name),
                    text(&item.lead_name),
                    bangdu_store::time::beijing(&item.created_at, "%Y-%m-%d"),
                    date(item.deadline),
                    item.state().label().into(),
                    status.map(DueStatus::label).unwrap_or("").into(),
                    if item.escalation > 0 { item.escalation().label().into() } else { String::new() },
                ],
                List::Responsibilities => vec![
                    n,
                    text(&item.responsible_name),
                    text(&item.responsible_person),
                    item.code.clone(),
                    item.title.clone(),
                    text(&item.lead_name),
                    cooperating.get(&item.id).cloned().unwrap_or_default(),
                    date(item.deadline),
                    item.state().label().into(),
                ],
                List::Rectifications => vec![
                    n,
                    item.code.clone(),
                    item.title.clone(),
                    item.close_measures.clone().or(item.measures.clone()).unwrap_or_default(),
                    text(&item.completion_standard),
                    text(&item.responsible_name),
                    date(item.deadline),
                    item.state().label().into(),
                    text(&item.close_result),
                    item.closed_at.map(|t| bangdu_store::time::beijing(&t, "%Y-%m-%d")).unwrap_or_default(),
                ],
            }
        })
        .collect()
}

/// A workbook with one sheet: a title row, the header, the rows.
pub fn workbook(list: List, subtitle: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    table_workbook(list.title(), list.columns(), subtitle, rows)
}

/// One sheet named `title`: a merged title row "title（subtitle）", the header (name, width) with
/// filters and frozen, the rows as wrapped text — what offices print and re-sort in Excel or WPS.
pub fn table_workbook(
    title_text: &str,
    columns: &[(&str, f64)],
    subtitle: &str,
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(title_text)?;
    let font = "宋体";
    let title = Format::new().set_bold().set_font_name(font).set_font_size(16).set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = Format::new()
        .set_font_name(font)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let last = (columns.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last, &format!("{title_text}（{subtitle}）"), &title)?;
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(1, col as u16, *name, &header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 2, col as u16, value, &cell)?;
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, (rows.len() as u32 + 1).max(2), last)?;
    book.save_to_buffer()
}

pub fn xlsx_download(list: List, today: chrono::NaiveDate, bytes: Vec<u8>) -> impl IntoResponse {
    named_xlsx(list.file(), list.title(), today, bytes)
}

/// An XLSX download: an ASCII file name for old clients, the Chinese one (`title-date.xlsx`) for the rest.
pub fn named_xlsx(file: &str, title: &str, today: chrono::NaiveDate, bytes: Vec<u8>) -> impl IntoResponse + use<> {
    let name = format!("{title}-{today}.xlsx");
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(false, &format!("{file}.xlsx"), &name)),
        ],
        bytes,
    )
}
