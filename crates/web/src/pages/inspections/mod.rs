//! 帮督行动 pages: campaigns, a campaign's rounds, a round — its draw, targets and teams — the phone
//! page of a team member, the 帮督报告, and the figures.

pub mod campaigns;
pub mod figures;
pub mod report;
pub mod round;
pub mod round_actions;
pub mod visits;
