//! Every table, described once. A description names the table, lists its columns with their Rust
//! types in the table's own order, and says how backups page through it. From it come:
//!
//! - the `Iden` enum the queries name columns with (`Items::Title`, `Items::Table`);
//! - the row type a whole-row select decodes into (`ItemRecord`), with `value(column)` for inserts
//!   and updates;
//! - the column list (`Items::COLUMNS`) that selects and inserts spell out instead of typing it again;
//! - the table's entry in backups (`Items::SPEC`), and its place in [`ALL`], the restore order.
//!
//! Migrations stay the history they are and build tables with the same `Iden` enums; the test
//! `backups_cover_every_table_and_column` checks the migrated schema against these descriptions.
//!
//! Adding a table: describe it in its area's `tables!` (after the tables it refers to; new columns
//! last), write its migration, and use the description in the area's store module. Nothing else
//! lists it.

#[macro_use]
mod describe;

pub mod appeals;
pub mod inspections;
pub mod items;
pub mod notices;
pub mod organisation;
pub mod projects;
pub mod system;

pub use appeals::*;
pub use describe::{Column, ColumnType, Kind, TableSpec};
pub use inspections::*;
pub use items::*;
pub use notices::*;
pub use organisation::*;
pub use projects::*;
pub use system::*;

/// Every table, parents before children: the order of a backup and of a restore.
pub fn all() -> impl Iterator<Item = &'static TableSpec> {
    [ORGANISATION, ITEMS, PROJECTS, INSPECTIONS, APPEALS, NOTICES, SYSTEM].into_iter().flatten().copied()
}

/// The tables a backup writes (derived data, sessions and the schema version are left out).
pub fn backed_up() -> impl Iterator<Item = &'static TableSpec> {
    all().filter(|spec| spec.backup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_query::Iden;

    #[test]
    fn column_names_agree_with_the_iden_enums() {
        // Backups name columns by the description's field names, queries by the enum's variants
        // (snake-cased by `Iden`): both must spell the same column, in every table.
        for spec in all() {
            let described: Vec<String> = spec.columns.iter().map(|c| c.name.to_string()).collect();
            assert_eq!((spec.iden_names)(), described, "columns of {}", spec.name);
        }
        assert_eq!(Projects::LatE6.to_string(), "lat_e6");
        assert_eq!(Projects::Table.to_string(), "projects");
        assert_eq!(Users::SPEC.columns[4].name, "email", "backups keep email after phone");
    }

    #[test]
    fn every_table_once_parents_first() {
        let names: Vec<&str> = all().map(|s| s.name).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "a table is described twice");
        let at = |name: &str| names.iter().position(|n| *n == name).unwrap_or(usize::MAX);
        for (child, parent) in [
            ("users", "units"),
            ("role_grants", "users"),
            ("items", "units"),
            ("attachments", "items"),
            ("project_files", "project_checks"),
            ("project_frozen", "project_freezes"),
            ("calendar_days", "calendar_years"),
            ("pool_members", "units"),
            ("team_seats", "pool_members"),
            ("team_seats", "round_targets"),
            ("round_targets", "projects"),
        ] {
            assert!(at(parent) < at(child), "{parent} must come before {child}");
        }
    }
}
