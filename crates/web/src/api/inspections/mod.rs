//! Inspections (帮督行动): campaigns and their rounds, the draw of targets, and the teams.

pub mod campaigns;
pub mod findings;
pub mod reports;
pub mod rounds;
pub mod targets;
pub mod teams;
