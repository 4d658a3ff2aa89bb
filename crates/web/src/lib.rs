//! Bangdu's web application: the JSON API under `/api/v1` and the Chinese web pages, served by one
//! axum router. Controllers are the only code that knows HTTP; they call the same domain and
//! storage functions as the command line.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod extract;
pub mod input;
pub mod open311;
pub mod output;
pub mod pages;
pub mod router;
pub mod state;

pub use router::app;
pub use state::{AppState, WebConfig};
