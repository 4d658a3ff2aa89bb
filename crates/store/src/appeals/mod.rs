//! Citizens' appeals (诉求, DESIGN.md §6): intake from 12345 exports, Open311 clients, the public
//! form and 吐槽大会 meetings; 转办 into items and the answer back when the item is written off;
//! 好差评 ratings. An office sees the appeals of its area (`owner_unit_id`), a unit those it
//! handles; callers' personal data is kept apart and shown only to those who call back.

pub mod categories;
pub mod create;
pub mod import;
pub mod keys;
pub mod meetings;
pub mod places;
pub mod public;
pub mod query;
pub mod ratings;
pub mod transfer;
