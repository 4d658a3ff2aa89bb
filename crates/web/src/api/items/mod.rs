//! 督导事项: the items API, a file per action — list, read (and the record), register, act,
//! split, attachments, the dashboard summary and the three lists' exports.

pub mod act;
pub mod attachments;
pub mod batch;
pub mod create;
pub mod export;
pub mod get;
pub mod list;
pub mod split;
pub mod summary;
