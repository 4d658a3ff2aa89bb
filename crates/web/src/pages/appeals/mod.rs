//! Citizens' appeals for the office and the units: the list (filters, XLSX, 转办 of the chosen
//! rows), one appeal with its history and the phone-back rating, and the 12345 import.

pub mod figures;
pub mod import;
pub mod list;
pub mod show;
