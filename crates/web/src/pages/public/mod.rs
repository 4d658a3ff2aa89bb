//! Pages for citizens, without sign-in: the public completion table (公开表) and each project's
//! public page, where people rate (五星 + a comment the office approves first) and like (点赞), and
//! its 公示牌 (board) as PDF and PNG.

pub mod appeal;
pub mod board;
pub mod project;
pub mod table;
