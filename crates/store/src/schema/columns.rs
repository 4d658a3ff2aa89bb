//! Short constructors for the column kinds Bangdu uses, so table definitions read like a list.
//! Integers are always 64-bit (PostgreSQL `bigint`), so rows decode the same on both backends.

use sea_query::{ColumnDef, IntoIden};

pub fn id(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().auto_increment().primary_key().to_owned()
}

pub fn big(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}

pub fn big_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}

pub fn text(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

pub fn text_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

pub fn flag(name: impl IntoIden, default: bool) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().default(default).to_owned()
}

pub fn ts(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().not_null().to_owned()
}

pub fn ts_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().null().to_owned()
}

pub fn date(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).date().not_null().to_owned()
}

pub fn text_pk(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().not_null().primary_key().to_owned()
}

pub fn date_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).date().null().to_owned()
}
