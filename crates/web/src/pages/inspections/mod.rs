//! 帮督行动 pages: campaigns, a campaign's rounds, and a round — its draw, targets and teams.

pub mod campaigns;
pub mod round;
pub mod round_actions;
