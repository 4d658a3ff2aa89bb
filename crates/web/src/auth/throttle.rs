//! Slowing down guessing, per requesting address (kept in memory by each node):
//! - an address that fails to sign in 10 times within 15 minutes, whatever the accounts, waits
//!   until the oldest of those failures is 15 minutes old (429) — spraying one password over
//!   many accounts stops at the tenth;
//! - an address that fails 5 times in a row on one account waits before trying that account
//!   again from there: 30 seconds, doubling with each further failure, at most 15 minutes (429).
//!   The owner signing in from another address is not held up: a stranger cannot lock them out;
//! - the public rating and like buttons: 20 per address per 10 minutes;
//! - new appeals from the public form and Open311 clients: 10 per address per hour (a client
//!   posting for many citizens has a key and no such limit).
//!
//! The account-wide lock in the store stays as the last line against a guesser with many
//! addresses; it starts later and also only delays (see `bangdu_store::auth`).

use crate::error::WebError;
use crate::extract::ClientInfo;
use crate::state::AppState;
use axum::http::StatusCode;
use bangdu_store::{StoreError, auth};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures an address may have within `ADDRESS_WINDOW` before it waits.
pub const ADDRESS_FAILURES: usize = 10;
pub const ADDRESS_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Consecutive failures on one account from one address before each try waits.
pub const PAIR_FAILURES: u32 = 5;
const PAIR_FIRST_DELAY: Duration = Duration::from_secs(30);
const PAIR_MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Public ratings and likes per address within `PUBLIC_WINDOW`.
pub const PUBLIC_ACTIONS: usize = 20;
pub const PUBLIC_WINDOW: Duration = Duration::from_secs(10 * 60);
/// New appeals per address within `APPEAL_WINDOW` from the public form.
pub const PUBLIC_APPEALS: usize = 10;
pub const APPEAL_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Addresses and pairs remembered at most; past this, the oldest are forgotten first (a flood
/// from many addresses costs memory, not correctness for the rest).
const MAX_KEYS: usize = 100_000;

/// Recent events per key, within a sliding window.
#[derive(Default)]
struct Window {
    events: HashMap<String, VecDeque<Instant>>,
}

impl Window {
    /// How long `key` must wait before another event, when it already has `limit` within `period`.
    fn wait(&mut self, key: &str, limit: usize, period: Duration, now: Instant) -> Option<Duration> {
        let events = self.events.get_mut(key)?;
        while events.front().is_some_and(|t| now.duration_since(*t) >= period) {
            events.pop_front();
        }
        (events.len() >= limit).then(|| period - now.duration_since(events[0]))
    }

    fn record(&mut self, key: &str, period: Duration, now: Instant) {
        if self.events.len() >= MAX_KEYS && !self.events.contains_key(key) {
            self.events.retain(|_, e| e.back().is_some_and(|t| now.duration_since(*t) < period));
            if self.events.len() >= MAX_KEYS {
                self.events.clear();
            }
        }
        self.events.entry(key.to_string()).or_default().push_back(now);
    }
}

#[derive(Default)]
struct Pair {
    failures: u32,
    until: Option<Instant>,
}

#[derive(Default)]
struct State {
    address_failures: Window,
    pairs: HashMap<(String, String), Pair>,
    public: Window,
    appeals: Window,
}

#[derive(Default)]
pub struct Throttle {
    state: Mutex<State>,
}

fn too_many(code: &'static str, message: String, wait: Duration) -> WebError {
    let mut e = WebError::new(StatusCode::TOO_MANY_REQUESTS, code, message);
    e.retry_after = Some(whole_seconds(wait));
    e
}

/// A wait in whole seconds, rounded up (29.9 s is 30), at least one.
fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// A wait as people read it.
fn spoken(wait: Duration) -> String {
    let secs = whole_seconds(wait);
    if secs < 60 { format!("{secs} 秒") } else { format!("{} 分钟", secs.div_ceil(60)) }
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Addresses and names stay out of debug output.
        f.write_str("Throttle")
    }
}

impl Throttle {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Before a sign-in is checked: 429 when this address (or this address on this account) must wait.
    pub fn before_sign_in(&self, address: &str, username: &str, now: Instant) -> Result<(), WebError> {
        let mut state = self.lock();
        if let Some(wait) = state.address_failures.wait(address, ADDRESS_FAILURES, ADDRESS_WINDOW, now) {
            return Err(too_many(
                "too_many_attempts",
                format!("本地址登录失败次数过多，请 {} 后再试", spoken(wait)),
                wait,
            ));
        }
        let key = (username.to_lowercase(), address.to_string());
        if let Some(until) = state.pairs.get(&key).and_then(|p| p.until).filter(|until| *until > now) {
            let wait = until - now;
            return Err(too_many(
                "sign_in_delayed",
                format!("该账号在本地址连续登录失败，请 {} 后再试", spoken(wait)),
                wait,
            ));
        }
        Ok(())
    }

    /// After a failed sign-in (wrong name or password, or a locked account).
    pub fn failed(&self, address: &str, username: &str, now: Instant) {
        let mut state = self.lock();
        state.address_failures.record(address, ADDRESS_WINDOW, now);
        if state.pairs.len() >= MAX_KEYS {
            state.pairs.retain(|_, p| p.until.is_some_and(|u| u > now));
        }
        let pair = state.pairs.entry((username.to_lowercase(), address.to_string())).or_default();
        pair.failures += 1;
        if pair.failures >= PAIR_FAILURES {
            let doublings = (pair.failures - PAIR_FAILURES).min(10);
            pair.until = Some(now + (PAIR_FIRST_DELAY * 2u32.pow(doublings)).min(PAIR_MAX_DELAY));
        }
    }

    /// After a successful sign-in: this address starts afresh on this account.
    pub fn succeeded(&self, address: &str, username: &str) {
        self.lock().pairs.remove(&(username.to_lowercase(), address.to_string()));
    }

    /// A public rating or like: 429 past the limit, else counted.
    pub fn public_action(&self, address: &str, now: Instant) -> Result<(), WebError> {
        let mut state = self.lock();
        if let Some(wait) = state.public.wait(address, PUBLIC_ACTIONS, PUBLIC_WINDOW, now) {
            return Err(too_many("too_many_requests", format!("操作过于频繁，请 {} 后再试", spoken(wait)), wait));
        }
        state.public.record(address, PUBLIC_WINDOW, now);
        Ok(())
    }
}

impl Throttle {
    /// A new appeal from the public form: 429 past the limit, else counted.
    pub fn public_appeal(&self, address: &str, now: Instant) -> Result<(), WebError> {
        let mut state = self.lock();
        if let Some(wait) = state.appeals.wait(address, PUBLIC_APPEALS, APPEAL_WINDOW, now) {
            return Err(too_many("too_many_requests", format!("提交过于频繁，请 {} 后再试", spoken(wait)), wait));
        }
        state.appeals.record(address, APPEAL_WINDOW, now);
        Ok(())
    }
}

/// The address a request is counted under (one bucket when it is not known).
fn address_of(client: &ClientInfo) -> &str {
    client.ip.as_deref().unwrap_or("unknown")
}

/// Signs in through the throttle: the one way the API and the login page sign people in.
pub async fn sign_in(
    state: &AppState,
    client: &ClientInfo,
    username: &str,
    password: &str,
) -> Result<auth::SignedIn, WebError> {
    let address = address_of(client);
    state.throttle.before_sign_in(address, username, Instant::now())?;
    let origin = auth::Origin { ip: client.ip.clone(), user_agent: client.user_agent.clone() };
    match auth::sign_in(&state.db, username, password, &origin).await {
        Ok(signed) => {
            state.throttle.succeeded(address, username);
            Ok(signed)
        }
        Err(e @ (StoreError::InvalidCredentials | StoreError::AccountLocked { .. })) => {
            state.throttle.failed(address, username, Instant::now());
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Counts a public rating or like from this request's address.
pub fn public_action(state: &AppState, client: &ClientInfo) -> Result<(), WebError> {
    state.throttle.public_action(address_of(client), Instant::now())
}

/// Counts a new public appeal from this address (429 past the limit).
pub fn public_appeal(state: &AppState, client: &ClientInfo) -> Result<(), WebError> {
    state.throttle.public_appeal(address_of(client), Instant::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPRAYER: &str = "203.0.113.7";
    const OWNER: &str = "10.0.0.5";

    #[test]
    fn spraying_many_accounts_from_one_address_stops_at_the_tenth_failure() {
        let t = Throttle::default();
        let start = Instant::now();
        for i in 0..ADDRESS_FAILURES {
            let name = format!("user{i}");
            assert!(t.before_sign_in(SPRAYER, &name, start).is_ok(), "attempt {i}");
            t.failed(SPRAYER, &name, start);
        }
        let e = t.before_sign_in(SPRAYER, "user99", start).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code, e.retry_after), (429, "too_many_attempts", Some(900)));
        // Another address is not concerned, and the first may try again once the window has passed.
        assert!(t.before_sign_in(OWNER, "user99", start).is_ok());
        assert!(t.before_sign_in(SPRAYER, "user99", start + ADDRESS_WINDOW).is_ok());
    }

    #[test]
    fn guessing_one_account_slows_that_address_only_and_the_owner_still_signs_in() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..PAIR_FAILURES {
            assert!(t.before_sign_in(SPRAYER, "admin", start).is_ok());
            t.failed(SPRAYER, "admin", start);
        }
        let e = t.before_sign_in(SPRAYER, "Admin", start).unwrap_err();
        assert_eq!((e.code, e.retry_after), ("sign_in_delayed", Some(30)));
        assert!(t.before_sign_in(OWNER, "admin", start).is_ok(), "the owner elsewhere is not locked out");
        // The wait doubles with each further failure: 30 s, 60 s, 120 s … at most 15 minutes.
        let later = start + Duration::from_secs(30);
        assert!(t.before_sign_in(SPRAYER, "admin", later).is_ok());
        t.failed(SPRAYER, "admin", later);
        assert_eq!(t.before_sign_in(SPRAYER, "admin", later).unwrap_err().retry_after, Some(60));
        for _ in 0..20 {
            t.failed("198.51.100.1", "admin", start);
        }
        let capped = t.before_sign_in("198.51.100.1", "leader", start).unwrap_err();
        assert_eq!(capped.code, "too_many_attempts", "the address limit also applies");
        // A success clears the address's record on the account.
        t.succeeded(SPRAYER, "admin");
        assert!(t.before_sign_in(SPRAYER, "admin", later).is_ok());
    }

    #[test]
    fn public_buttons_allow_twenty_per_ten_minutes() {
        let t = Throttle::default();
        let start = Instant::now();
        for i in 0..PUBLIC_ACTIONS {
            assert!(t.public_action(SPRAYER, start).is_ok(), "{i}");
        }
        assert_eq!(t.public_action(SPRAYER, start).unwrap_err().status.as_u16(), 429);
        assert!(t.public_action(OWNER, start).is_ok());
        assert!(t.public_action(SPRAYER, start + PUBLIC_WINDOW).is_ok());
    }
}
