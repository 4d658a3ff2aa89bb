//! Citizens' appeals: the list and one appeal, the 12345 import, 转办 into items, phone-back
//! ratings, satisfaction figures, 吐槽大会 meetings, the categories (Open311's services) and the
//! Open311 clients' keys.

pub mod categories;
pub mod export;
pub mod figures;
pub mod get;
pub mod import;
pub mod keys;
pub mod list;
pub mod meetings;
pub mod photos;
pub mod rate;
pub mod transfer;
