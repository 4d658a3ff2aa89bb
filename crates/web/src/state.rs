//! Application state shared by every handler.

use bangdu_domain::calendar::Calendar;
use bangdu_store::Db;
use bangdu_store::files::{FileStore, LocalFiles};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

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
    /// A fixed "today" (Beijing date) instead of the clock: for tests and rehearsals only.
    pub today: Option<chrono::NaiveDate>,
    /// Font files for the 公示牌 (empty: Noto Sans CJK where Linux distributions install it).
    pub board_fonts: Vec<std::path::PathBuf>,
    /// The address the server listens on (`http://127.0.0.1:8080`): public links fall back to it
    /// when no public address is configured.
    pub listen_url: Option<String>,
}

impl WebConfig {
    /// Where public links point when the 公开访问地址 setting is empty: `--public-url`, else the
    /// listening address. Never the request's Host header, which the sender chooses.
    pub fn fallback_public_url(&self) -> String {
        self.public_url
            .as_deref()
            .or(self.listen_url.as_deref())
            .unwrap_or("http://127.0.0.1:8080")
            .trim_end_matches('/')
            .to_string()
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            public_url: None,
            max_json_bytes: 1024 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
            today: None,
            board_fonts: Vec::new(),
            listen_url: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    /// The database (SQLite file or PostgreSQL); sessions live there too, so nodes are stateless.
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// Attachment files (local disk by default; shared storage when several nodes run).
    pub files: Arc<dyn FileStore>,
    calendar: Arc<RwLock<Option<CachedCalendar>>>,
    /// The 临期 threshold (a setting), read as often as the calendar.
    due_soon: Arc<RwLock<Option<(Instant, u32)>>>,
    /// The board's fonts, loaded on first use (tens of megabytes, so not at start-up).
    board_fonts: Arc<std::sync::Mutex<Option<bangdu_board::Fonts>>>,
    /// Boards drawn at once: drawing takes a core for a moment, and the board pages need no sign-in.
    pub board_permits: Arc<tokio::sync::Semaphore>,
    /// Sign-in and public-button limits per requesting address (`auth::throttle`).
    pub throttle: Arc<crate::auth::throttle::Throttle>,
}

/// The calendar and when it was read.
type CachedCalendar = (Instant, Arc<Calendar>);

/// How long a node keeps the calendar before reading it again (another node may load a year).
const CALENDAR_TTL: Duration = Duration::from_secs(60);

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> AppState {
        AppState::with_files(db, config, Arc::new(LocalFiles::new("bangdu-data/attachments")))
    }

    pub fn with_files(db: Db, config: WebConfig, files: Arc<dyn FileStore>) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            files,
            calendar: Arc::new(RwLock::new(None)),
            due_soon: Arc::new(RwLock::new(None)),
            board_fonts: Arc::new(std::sync::Mutex::new(None)),
            board_permits: Arc::new(tokio::sync::Semaphore::new(2)),
            throttle: Arc::default(),
        }
    }

    /// The board's fonts, loading them the first time. A failure is not remembered, so installing
    /// the font later needs no restart. Blocking: call from a blocking task.
    pub fn board_fonts(&self) -> Result<bangdu_board::Fonts, bangdu_board::BoardError> {
        let mut guard = self.board_fonts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(fonts) = guard.as_ref() {
            return Ok(fonts.clone());
        }
        let paths: Vec<std::path::PathBuf> = if self.config.board_fonts.is_empty() {
            bangdu_board::DEFAULT_FONT_PATHS.iter().map(std::path::PathBuf::from).collect()
        } else {
            self.config.board_fonts.clone()
        };
        let fonts = bangdu_board::Fonts::load(&paths)?;
        *guard = Some(fonts.clone());
        Ok(fonts)
    }

    /// The working-day calendar, read from the database at most once a minute.
    pub async fn calendar(&self) -> Result<Arc<Calendar>, bangdu_store::StoreError> {
        if let Ok(guard) = self.calendar.read()
            && let Some((loaded, cal)) = guard.as_ref()
            && loaded.elapsed() < CALENDAR_TTL
        {
            return Ok(cal.clone());
        }
        let cal = {
            let mut reader = self.db.reader().await?;
            Arc::new(bangdu_store::calendar::load(&mut reader.conn()).await?)
        };
        if let Ok(mut guard) = self.calendar.write() {
            *guard = Some((Instant::now(), cal.clone()));
        }
        Ok(cal)
    }

    /// Today in Beijing (or the fixed date of a test).
    pub fn today(&self) -> chrono::NaiveDate {
        self.config.today.unwrap_or_else(bangdu_store::time::today)
    }

    /// Working days before a deadline from which an item shows as 临期 (the reminder setting), read
    /// from the database at most once a minute.
    pub async fn due_soon_days(&self) -> Result<u32, bangdu_store::StoreError> {
        if let Ok(guard) = self.due_soon.read()
            && let Some((loaded, days)) = guard.as_ref()
            && loaded.elapsed() < CALENDAR_TTL
        {
            return Ok(*days);
        }
        let days = {
            let mut reader = self.db.reader().await?;
            let n = bangdu_store::settings::get_i64(&mut reader.conn(), bangdu_store::settings::REMINDER_DAYS).await?;
            u32::try_from(n).unwrap_or(3)
        };
        if let Ok(mut guard) = self.due_soon.write() {
            *guard = Some((Instant::now(), days));
        }
        Ok(days)
    }

    /// Forgets cached settings (after this node saves settings).
    pub fn settings_changed(&self) {
        if let Ok(mut guard) = self.due_soon.write() {
            *guard = None;
        }
    }

    /// Forgets the cached calendar (after this node loads a year).
    pub fn calendar_changed(&self) {
        if let Ok(mut guard) = self.calendar.write() {
            *guard = None;
        }
    }
}
