//! Inspections (帮督行动): who may be sent where. The pool, campaigns and rounds are stored
//! elsewhere; here are the rules a team must keep, as pure functions the planner, the pages and the
//! explanations share.

pub mod draw;
pub mod eligibility;
pub mod exact;
pub mod pool;
pub mod round;
pub mod teams;
