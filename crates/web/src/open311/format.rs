//! The two formats of GeoReport v2 and its error shape. XML is written element by element with
//! quick-xml (which escapes text); JSON with serde. Element names are the spec's.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::ser::{Serialize, SerializeMap, Serializer};

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

/// A record as JSON, written straight to the output in the spec's field order (no intermediate
/// map: a page of requests is a hundred records).
struct JsonRecord<'a>(&'a Record);

struct JsonField<'a>(&'a Field);

impl Serialize for JsonRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, field) in self.0 {
            map.serialize_entry(name, &JsonField(field))?;
        }
        map.end()
    }
}

impl Serialize for JsonField<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Field::Text(t) => t.serialize(s),
            // A number JSON cannot hold is null, as serde_json's own numbers make it.
            Field::Number(n) => n.filter(|n| n.is_finite()).serialize(s),
            Field::Int(n) => n.serialize(s),
            Field::Flag(b) => b.serialize(s),
            Field::List(_, _, items) => s.collect_seq(items.iter().map(JsonRecord)),
            Field::Strings(_, _, items) => items.serialize(s),
        }
    }
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
            let written = match item {
                Some(_) => serde_json::to_vec(&records.iter().map(JsonRecord).collect::<Vec<_>>()),
                None => serde_json::to_vec(&records.first().map(JsonRecord)),
            };
            match written {
                Ok(bytes) => {
                    (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], bytes).into_response()
                }
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
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
