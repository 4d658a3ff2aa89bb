//! 三张清单: the problem, responsibility and rectification lists, as tables and as XLSX.

use crate::output::download::content_disposition;
use crate::output::items::Context;
use axum::http::header;
use axum::response::IntoResponse;
use bangdu_domain::ItemId;
use bangdu_domain::item::{DueStatus, due_status};
use bangdu_store::items::ItemRow;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// A cell of an exported table, typed so that Excel can sum the numbers and sort the dates; shown
/// as text on the pages.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A whole number (序号, 年度).
    Int(i64),
    /// An amount in fen, written as 元 with two decimals.
    Money(i64),
    /// Hundredths of a percent (7348 is 73.48 %), written as an Excel percentage.
    Percent(i64),
    /// A coordinate, six decimals.
    Degrees(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        if text.is_empty() { Cell::Empty } else { Cell::Text(text) }
    }

    pub fn date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(t) => f.write_str(t),
            Cell::Int(n) => write!(f, "{n}"),
            Cell::Money(fen) => write!(f, "{}", bangdu_domain::project::money::yuan(*fen)),
            Cell::Percent(p) => write!(f, "{}", *p as f64 / 100.0),
            Cell::Degrees(d) => write!(f, "{d:.6}"),
            Cell::Date(d) => write!(f, "{d}"),
            Cell::Empty => Ok(()),
        }
    }
}

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

/// The rows of a list.
pub fn rows(list: List, ctx: &Context, items: &[ItemRow], cooperating: &HashMap<ItemId, String>) -> Vec<Vec<Cell>> {
    let text = |v: &Option<String>| Cell::text(v.clone().unwrap_or_default());
    let date = Cell::date;
    let s = |t: &str| Cell::text(t);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let n = Cell::Int(i as i64 + 1);
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
                    s(&item.code),
                    s(&item.title),
                    s(item.source().label()),
                    text(&item.responsible_name),
                    text(&item.lead_name),
                    Cell::Date(bangdu_store::time::beijing_date(&item.created_at)),
                    date(item.deadline),
                    s(item.state().label()),
                    s(status.map(DueStatus::label).unwrap_or("")),
                    s(if item.escalation > 0 { item.escalation().label() } else { "" }),
                ],
                List::Responsibilities => vec![
                    n,
                    text(&item.responsible_name),
                    text(&item.responsible_person),
                    s(&item.code),
                    s(&item.title),
                    text(&item.lead_name),
                    Cell::text(cooperating.get(&item.id).cloned().unwrap_or_default()),
                    date(item.deadline),
                    s(item.state().label()),
                ],
                List::Rectifications => vec![
                    n,
                    s(&item.code),
                    s(&item.title),
                    text(&item.close_measures.clone().or(item.measures.clone())),
                    text(&item.completion_standard),
                    text(&item.responsible_name),
                    date(item.deadline),
                    s(item.state().label()),
                    text(&item.close_result),
                    date(item.closed_at.map(|t| bangdu_store::time::beijing_date(&t))),
                ],
            }
        })
        .collect()
}

/// A workbook with one sheet: a title row, the header, the rows.
pub fn workbook(list: List, subtitle: &str, rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    table_workbook(list.title(), list.columns(), subtitle, rows)
}

/// One sheet named `title`: a merged title row "title（subtitle）", the header (name, width) with
/// filters and frozen, the rows typed (numbers, amounts, percentages and dates that Excel sums and
/// sorts; text wrapped) — what offices print and re-sort in Excel or WPS.
pub fn table_workbook(
    title_text: &str,
    columns: &[(&str, f64)],
    subtitle: &str,
    rows: &[Vec<Cell>],
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
    let formats = Formats {
        text: cell.clone(),
        int: cell.clone().set_num_format("0"),
        money: cell.clone().set_num_format("#,##0.00"),
        percent: cell.clone().set_num_format("0.00%"),
        degrees: cell.clone().set_num_format("0.000000"),
        date: cell.clone().set_num_format("yyyy-mm-dd"),
    };
    for (r, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            write_cell(sheet, r as u32 + 2, col as u16, value, &formats)?;
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, (rows.len() as u32 + 1).max(2), last)?;
    book.save_to_buffer()
}

struct Formats {
    text: Format,
    int: Format,
    money: Format,
    percent: Format,
    degrees: Format,
    date: Format,
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, value: &Cell, f: &Formats) -> Result<(), XlsxError> {
    match value {
        Cell::Text(t) => sheet.write_string_with_format(row, col, t, &f.text)?,
        Cell::Int(n) => sheet.write_number_with_format(row, col, *n as f64, &f.int)?,
        Cell::Money(fen) => sheet.write_number_with_format(row, col, *fen as f64 / 100.0, &f.money)?,
        Cell::Percent(p) => sheet.write_number_with_format(row, col, *p as f64 / 10_000.0, &f.percent)?,
        Cell::Degrees(d) => sheet.write_number_with_format(row, col, *d, &f.degrees)?,
        Cell::Date(d) => {
            let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_datetime_with_format(row, col, &day, &f.date)?
        }
        Cell::Empty => sheet.write_blank(row, col, &f.text)?,
    };
    Ok(())
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
