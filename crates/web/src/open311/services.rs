//! `GET services.{format}` (the categories) and `GET services/{code}.{format}` (a service's
//! attribute definitions).

use super::format::{Field, Format, Open311Error, Record, list, maybe, single, text};
use crate::state::AppState;
use axum::response::Response;
use bangdu_domain::appeal::attribute::{AttributeDef, Datatype};
use bangdu_store::Actor;
use bangdu_store::appeals::categories::{self, Category};

fn service(c: &Category) -> Record {
    vec![
        ("service_code", text(c.code.clone())),
        ("service_name", text(c.name.clone())),
        ("description", text(c.description.clone().unwrap_or_else(|| c.name.clone()))),
        ("metadata", Field::Flag(c.attributes.iter().any(|a| a.variable))),
        ("type", text("realtime")),
        ("keywords", text(c.name.clone())),
        ("group", text(c.group_name.clone())),
    ]
}

fn datatype(d: Datatype) -> &'static str {
    match d {
        Datatype::String => "string",
        Datatype::Number => "number",
        Datatype::Datetime => "datetime",
        Datatype::Text => "text",
        Datatype::Singlevaluelist => "singlevaluelist",
        Datatype::Multivaluelist => "multivaluelist",
    }
}

fn attribute(a: &AttributeDef) -> Record {
    vec![
        ("variable", Field::Flag(a.variable)),
        ("code", text(a.code.clone())),
        ("datatype", text(datatype(a.datatype))),
        ("required", Field::Flag(a.required)),
        ("datatype_description", maybe(a.datatype_description.clone())),
        ("order", Field::Int(a.order)),
        ("description", text(a.description.clone())),
        (
            "values",
            Field::List(
                "values",
                "value",
                a.values.iter().map(|v| vec![("key", text(v.key.clone())), ("name", text(v.name.clone()))]).collect(),
            ),
        ),
    ]
}

pub async fn services(state: &AppState, f: Format) -> Result<Response, Open311Error> {
    let mut reader = state.db.reader().await.map_err(|e| Open311Error::internal(f, e))?;
    let all = categories::list(&mut reader.conn(), &Actor::public(), false)
        .await
        .map_err(|e| Open311Error::from_store(f, e))?;
    let records: Vec<Record> = all.iter().map(service).collect();
    Ok(list(f, "services", "service", &records))
}

pub async fn definition(state: &AppState, code: &str, f: Format) -> Result<Response, Open311Error> {
    let mut reader = state.db.reader().await.map_err(|e| Open311Error::internal(f, e))?;
    let category = categories::by_code(&mut reader.conn(), &Actor::public(), code)
        .await
        .map_err(|_| Open311Error::new(f, 404, format!("service_code {code} not found")))?;
    let record: Record = vec![
        ("service_code", text(category.code.clone())),
        ("attributes", Field::List("attributes", "attribute", category.attributes.iter().map(attribute).collect())),
    ];
    Ok(single(f, "service_definition", record))
}
