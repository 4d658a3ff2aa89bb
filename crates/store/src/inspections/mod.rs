//! Inspections (帮督行动): the personnel pool, campaigns and rounds, the draw of targets and the
//! teams formed for them (DESIGN.md §5). The rules themselves are `bangdu_domain::inspection`.

pub mod briefs;
pub mod campaigns;
pub mod figures;
pub mod findings;
pub mod load;
pub mod pool;
pub mod pool_import;
pub mod targets;
pub mod teams;
