//! The API and pages, driven in-process through the router. Runs on SQLite, or on PostgreSQL when
//! `BANGDU_TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod appeals;
mod audit;
mod bad_input;
mod boards;
mod calendar;
mod every_route;
mod inspections;
mod items;
mod items_lists;
mod items_notify;
mod items_pages;
mod openapi;
mod ownership;
mod pages;
mod project_checks;
mod projects;
mod projects_pages;
mod refusals;
mod scope;
mod session;
mod settings;
mod tokens;
mod units;
mod unstorable_text;
mod users;
