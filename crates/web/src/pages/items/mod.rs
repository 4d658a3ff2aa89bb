//! 督导事项 pages, a file per action: the list, an item's page, the new-item form, actions,
//! splits and attachments.

pub mod act;
pub mod acted;
pub mod attachments;
pub mod batch;
pub mod list;
pub mod new;
pub mod show;
pub mod split;

pub use list::ListParams;
