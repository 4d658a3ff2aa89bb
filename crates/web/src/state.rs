//! Application state shared by every handler.

use bangdu_store::Db;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure`: set when Bangdu serves TLS itself or `public_url` is https.
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For` / `X-Forwarded-Proto` (only behind a reverse proxy you run).
    pub trust_proxy: bool,
    /// The address citizens and QR codes use, e.g. `https://bangdu.example.gov.cn`.
    pub public_url: Option<String>,
    /// Largest JSON body accepted.
    pub max_json_bytes: usize,
    /// Largest upload (CSV, year files).
    pub max_upload_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            public_url: None,
            max_json_bytes: 1024 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    /// The database (SQLite file or PostgreSQL); sessions live there too, so nodes are stateless.
    pub db: Db,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> AppState {
        AppState { db, config: Arc::new(config) }
    }
}
