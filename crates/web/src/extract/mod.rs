//! Request extractors that validate before any handler code runs, and answer bad input with the
//! API's error shape instead of axum's plain-text rejections.

pub mod client;
pub mod id;
pub mod json;
pub mod parts;
pub mod query;
pub mod text;

pub use client::ClientInfo;
pub use id::{Id, Ids};
pub use json::{ApiJson, MaybeJson};
pub use parts::Parts;
pub use query::{ApiQuery, nonempty, parse_bool, parse_number, parse_opt};
pub use text::Form;
