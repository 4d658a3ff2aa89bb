//! What the JSON API and the pages both show: list envelopes and the shapes of units, users,
//! items and projects as a person sees them, and file downloads. Built from the store's rows; the
//! API serialises them, the pages render them.

pub mod appeals;
pub mod audit;
pub mod common;
pub mod download;
pub mod inspections;
pub mod items;
pub mod lists;
pub mod projects;
pub mod report_docx;

pub use common::*;
