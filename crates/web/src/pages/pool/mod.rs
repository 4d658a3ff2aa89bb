//! The personnel pool (人员库) pages: the list with its filters, a member's page with their
//! conflicts and absences, the member form, and the import.

pub mod edit;
pub mod import;
pub mod list;
pub mod show;
