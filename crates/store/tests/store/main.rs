//! Storage tests. They run on SQLite, or on PostgreSQL when `BANGDU_TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod appeals;
mod audit_chain;
mod inspections;
mod items;
mod light_history_property;
mod migrations;
mod projects;
mod scope_property;
mod sign_in;
mod support;
mod unit_csv;
mod units;
mod users;
