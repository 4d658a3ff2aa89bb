//! The `table!` macro that turns one description of a table into its `Iden` enum, its row type,
//! its column list and its backup entry (see `tables/mod.rs`).

use chrono::{DateTime, NaiveDate, Utc};

/// How a column's values are written to and read from a backup line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
    Time,
    Date,
}

/// A Rust type that a column can hold, how it is backed up, and whether it may be NULL.
pub trait ColumnType {
    const KIND: Kind;
    const NULLABLE: bool = false;
}

impl ColumnType for i64 {
    const KIND: Kind = Kind::Int;
}
impl ColumnType for String {
    const KIND: Kind = Kind::Text;
}
impl ColumnType for bool {
    const KIND: Kind = Kind::Bool;
}
impl ColumnType for DateTime<Utc> {
    const KIND: Kind = Kind::Time;
}
impl ColumnType for NaiveDate {
    const KIND: Kind = Kind::Date;
}
impl<T: ColumnType> ColumnType for Option<T> {
    const KIND: Kind = T::KIND;
    const NULLABLE: bool = true;
}

/// One column as backups and the schema test see it.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
}

/// A table as backups see it.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    /// Every column in the table's order.
    pub columns: &'static [Column],
    /// An integer column to page through big tables in order; small tables are read whole.
    pub key: Option<&'static str>,
    /// Whether `id` comes from a sequence (PostgreSQL needs it moved past restored ids).
    pub serial: bool,
    /// Whether backups carry it (derived rows, sessions and the schema version are left out).
    pub backup: bool,
    /// The column names as the queries spell them (the `Iden` enum), to check against `columns`.
    pub iden_names: fn() -> Vec<String>,
}

/// Describes the tables of one area, parents before children, and lists them in that order:
///
/// ```ignore
/// tables! {
///     ITEMS;
///     /// What the table holds.
///     "items" => Items, ItemRecord { key: id, serial: true, backup: true } {
///         id: i64,
///         /// Why a column is there.
///         title: String,
///     }
/// }
/// ```
///
/// `key: none` for tables without an integer key to page by. Column attributes (docs, `serde`)
/// go to the row type's field.
macro_rules! tables {
    (
        $list:ident;
        $(
            $(#[$doc:meta])*
            $name:literal => $iden:ident, $row:ident { $($options:tt)* } { $($fields:tt)* }
        )+
    ) => {
        $( table! { $(#[$doc])* $name => $iden, $row { $($options)* } { $($fields)* } } )+

        /// This area's tables, parents before children.
        pub const $list: &[&$crate::tables::TableSpec] = &[ $( &$iden::SPEC, )+ ];
    };
}

/// One table of a `tables!` list.
macro_rules! table {
    (
        $(#[$doc:meta])*
        $name:literal => $iden:ident, $row:ident { key: $key:ident, serial: $serial:literal, backup: $backup:literal }
        { $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),+ $(,)? }
    ) => {
        pastey::paste! {
            $(#[$doc])*
            #[derive(sea_query::Iden, Clone, Copy, Debug, PartialEq, Eq)]
            #[iden = $name]
            pub enum $iden {
                Table,
                $( [<$field:camel>], )+
            }

            #[doc = concat!("One row of `", $name, "`, every column.")]
            #[derive(Clone, Debug, PartialEq, serde::Serialize, sqlx::FromRow)]
            pub struct $row {
                $( $(#[$field_meta])* pub $field: $ty, )+
            }

            impl $iden {
                /// Every column, in the table's order (a backup line lists values in this order).
                pub const COLUMNS: &'static [$iden] = &[ $( $iden::[<$field:camel>], )+ ];

                pub const SPEC: $crate::tables::TableSpec = $crate::tables::TableSpec {
                    name: $name,
                    columns: &[ $( $crate::tables::Column {
                        name: stringify!($field),
                        kind: <$ty as $crate::tables::ColumnType>::KIND,
                        nullable: <$ty as $crate::tables::ColumnType>::NULLABLE,
                    }, )+ ],
                    key: table!(@key $key),
                    serial: $serial,
                    backup: $backup,
                    iden_names: || Self::COLUMNS.iter().map(|c| sea_query::Iden::to_string(c)).collect(),
                };

                /// Every column qualified by the table (`items.title`), for selects with joins.
                pub fn qualified() -> impl Iterator<Item = ($iden, $iden)> {
                    Self::COLUMNS.iter().map(|column| ($iden::Table, *column))
                }

                /// The columns an insert writes: all of them, but a serial `id` (the database's).
                pub fn insert_columns() -> Vec<$iden> {
                    Self::COLUMNS
                        .iter()
                        .copied()
                        .filter(|column| !($serial && sea_query::Iden::to_string(column) == "id"))
                        .collect()
                }
            }

            impl $row {
                /// One column's value, for inserts and updates (`Table` gives NULL).
                pub fn value(&self, column: $iden) -> sea_query::Expr {
                    match column {
                        $( $iden::[<$field:camel>] => sea_query::Expr::val(self.$field.clone()), )+
                        $iden::Table => sea_query::Expr::val(Option::<i64>::None),
                    }
                }

                /// The values of these columns, in their order.
                pub fn values(&self, columns: &[$iden]) -> Vec<sea_query::Expr> {
                    columns.iter().map(|column| self.value(*column)).collect()
                }

                /// An insert of this row (a serial `id` is left to the database; add `RETURNING`).
                pub fn insert(&self) -> sea_query::InsertStatement {
                    let columns = $iden::insert_columns();
                    let mut insert = sea_query::Query::insert();
                    insert.into_table($iden::Table).columns(columns.clone()).values_panic(self.values(&columns));
                    insert
                }

                /// `(column, value)` pairs for an update of these columns.
                pub fn assignments(&self, columns: &[$iden]) -> Vec<($iden, sea_query::Expr)> {
                    columns.iter().map(|column| (*column, self.value(*column))).collect()
                }
            }
        }
    };
    (@key none) => { None };
    (@key $key:ident) => { Some(stringify!($key)) };
}

/// A row type made of a table's record and columns joined from other tables (codes and names of
/// linked units, say). The record's fields read through it (`row.title`), so callers need not know
/// which columns were joined.
macro_rules! joined_row {
    (
        $(#[$doc:meta])*
        pub struct $row:ident {
            $record_field:ident: $record:ty,
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, sqlx::FromRow)]
        pub struct $row {
            #[sqlx(flatten)]
            #[serde(flatten)]
            pub $record_field: $record,
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl std::ops::Deref for $row {
            type Target = $record;

            fn deref(&self) -> &$record {
                &self.$record_field
            }
        }
    };
}

macro_rules! id_columns {
    ($($id:ty),+ $(,)?) => {
        $( impl ColumnType for $id {
            const KIND: Kind = Kind::Int;
        } )+
    };
}

id_columns!(
    bangdu_domain::ItemId,
    bangdu_domain::AttachmentId,
    bangdu_domain::ProjectId,
    bangdu_domain::ReportId,
    bangdu_domain::FileId,
    bangdu_domain::CheckId,
    bangdu_domain::FreezeId,
    bangdu_domain::RatingId,
    bangdu_domain::GrantId,
    bangdu_domain::TokenId,
    bangdu_domain::SessionId,
    bangdu_domain::WebhookId,
    bangdu_domain::NotificationId,
    bangdu_domain::UnitId,
    bangdu_domain::UserId,
    bangdu_domain::MemberId,
    bangdu_domain::CampaignId,
    bangdu_domain::RoundId,
    bangdu_domain::TargetId,
    bangdu_domain::FindingId,
    bangdu_domain::BriefId,
    bangdu_domain::AppealId,
    bangdu_domain::CategoryId,
    bangdu_domain::AppealImportId,
    bangdu_domain::ApiKeyId,
    bangdu_domain::MeetingId,
    bangdu_domain::AppealRatingId,
    bangdu_domain::AppealPhotoId,
);
