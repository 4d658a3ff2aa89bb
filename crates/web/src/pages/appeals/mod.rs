//! Citizens' appeals for the office and the units: the list (filters, XLSX, 转办 of the chosen
//! rows), one appeal with its history and the phone-back rating, the 12345 import, 吐槽大会, and
//! for the administrator the categories and the Open311 clients' keys.

pub mod categories;
pub mod figures;
pub mod import;
pub mod keys;
pub mod list;
pub mod meetings;
pub mod show;
