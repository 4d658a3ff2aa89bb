//! The personnel pool (人员库): members, their declared conflicts and absences, and the import.

pub mod import;
pub mod members;
