//! The two formats of GeoReport v2 and its error shape. XML is written element by element with
//! quick-xml (which escapes text); JSON with serde. Element names are the spec's.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// One value of a record: text, a number, a flag, or a list of child records.
#[derive(Clone, Debug)]
pub enum Field {
    Text(Option<String>),
    Number(Option<f64>),
    Int(i64),
    Flag(bool),
    /// (list element, item element, items) — `<values><value>…</value></values>`.
    List(&'static str, &'static str, Vec<Record>),
    /// A list of plain strings (`<formats><format>text/xml</format></formats>`).
    Strings(&'static str, &'static str, Vec<String>),
}

/// A record: named fields in the spec's order.
pub type Record = Vec<(&'static str, Field)>;

pub fn text(v: impl Into<String>) -> Field {
    Field::Text(Some(v.into()))
}

pub fn maybe(v: Option<impl Into<String>>) -> Field {
    Field::Text(v.map(Into::into))
}

fn to_json(record: &Record) -> Value {
    let mut map = serde_json::Map::new();
    for (name, field) in record {
        let value = match field {
            Field::Text(t) => t.clone().map(Value::String).unwrap_or(Value::Null),
            Field::Number(n) => n.and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null),
            Field::Int(n) => Value::from(*n),
            Field::Flag(b) => Value::Bool(*b),
            Field::List(_, _, items) => Value::Array(items.iter().map(to_json).collect()),
            Field::Strings(_, _, items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        };
        map.insert((*name).to_string(), value);
    }
    Value::Object(map)
}

fn write_record(w: &mut Writer<Vec<u8>>, element: &str, record: &Record) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(element)))?;
    for (name, field) in record {
        match field {
            Field::List(outer, inner, items) => {
                w.write_event(Event::Start(BytesStart::new(*outer)))?;
                for item in items {
                    write_record(w, inner, item)?;
                }
                w.write_event(Event::End(BytesEnd::new(*outer)))?;
            }
            Field::Strings(outer, inner, items) => {
                w.write_event(Event::Start(BytesStart::new(*outer)))?;
                for item in items {
                    leaf(w, inner, item)?;
                }
                w.write_event(Event::End(BytesEnd::new(*outer)))?;
            }
            Field::Text(t) => leaf(w, name, t.as_deref().unwrap_or(""))?,
            Field::Number(n) => leaf(w, name, &n.map(|n| n.to_string()).unwrap_or_default())?,
            Field::Int(n) => leaf(w, name, &n.to_string())?,
            Field::Flag(b) => leaf(w, name, if *b { "true" } else { "false" })?,
        }
    }
    w.write_event(Event::End(BytesEnd::new(element)))?;
    Ok(())
}

fn leaf(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

/// XML of a list (`<services><service>…`) or of one record (`root` only).
fn xml(root: &str, item: Option<&str>, records: &[Record]) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    match item {
        Some(item) => {
            w.write_event(Event::Start(BytesStart::new(root)))?;
            for r in records {
                write_record(&mut w, item, r)?;
            }
            w.write_event(Event::End(BytesEnd::new(root)))?;
        }
        None => {
            if let Some(r) = records.first() {
                write_record(&mut w, root, r)?;
            }
        }
    }
    Ok(w.into_inner())
}

fn body(status: StatusCode, f: Format, root: &str, item: Option<&str>, records: &[Record]) -> Response {
    match f {
        Format::Json => {
            let value = match item {
                Some(_) => Value::Array(records.iter().map(to_json).collect()),
                None => records.first().map(to_json).unwrap_or(Value::Null),
            };
            (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], value.to_string()).into_response()
        }
        Format::Xml => match xml(root, item, records) {
            Ok(bytes) => (status, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], bytes).into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}

/// A list answer: `[…]` in JSON, `<root><item>…</item></root>` in XML.
pub fn list(f: Format, root: &str, item: &str, records: &[Record]) -> Response {
    body(StatusCode::OK, f, root, Some(item), records)
}

/// A single-record answer: `{…}` in JSON, `<root>…</root>` in XML.
pub fn single(f: Format, root: &str, record: Record) -> Response {
    body(StatusCode::OK, f, root, None, &[record])
}

/// An error as the spec shapes it: `[{"code":400,"description":"…"}]`, `<errors><error>…`.
#[derive(Debug)]
pub struct Open311Error {
    pub format: Format,
    pub status: u16,
    pub description: String,
}

impl Open311Error {
    pub fn new(format: Format, status: u16, description: impl Into<String>) -> Open311Error {
        Open311Error { format, status, description: description.into() }
    }

    pub fn bad(format: Format, description: impl Into<String>) -> Open311Error {
        Open311Error::new(format, 400, description)
    }

    /// A failure of ours, logged without the request's content.
    pub fn internal(format: Format, error: impl std::fmt::Display) -> Open311Error {
        tracing::error!(error = %error, "open311 request failed");
        Open311Error::new(format, 500, "internal error")
    }

    /// A store error as the spec's: not found 404, refused 403, invalid input 400 naming the field.
    pub fn from_store(format: Format, error: bangdu_store::StoreError) -> Open311Error {
        use bangdu_store::StoreError;
        match error {
            StoreError::NotFound => Open311Error::new(format, 404, "not found"),
            StoreError::Forbidden => Open311Error::new(format, 403, "forbidden"),
            StoreError::Invalid(f) => Open311Error::bad(format, format!("{}: {}", f.field, f.message)),
            StoreError::Conflict { message, .. } => Open311Error::bad(format, message),
            other => Open311Error::internal(format, other),
        }
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let record: Record =
            vec![("code", Field::Int(i64::from(self.status))), ("description", text(self.description))];
        body(status, self.format, "errors", Some("error"), &[record])
    }
}
