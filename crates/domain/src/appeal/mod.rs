//! Citizens' appeals (诉求, DESIGN.md §6): the rules that do not need the database — where an appeal
//! came from, the national five-level satisfaction scale, the times and columns of 12345 exports as
//! they really come, and how personal data is masked wherever it is listed.

pub mod attribute;
pub mod channel;
pub mod columns;
pub mod mask;
pub mod received;
pub mod satisfaction;
pub mod status;
