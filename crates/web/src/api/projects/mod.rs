//! 项目: the projects API — register and change projects, monthly reports and their checking,
//! lights at any date, the quoted figures, freezes (季度收账 / 年度清账) and table import.

pub mod checks;
pub mod edit;
pub mod export;
pub mod files;
pub mod freezes;
pub mod get;
pub mod import;
pub mod items;
pub mod list;
pub mod reports;
