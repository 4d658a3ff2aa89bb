//! A small in-memory limit on citizens' writes (ratings, likes) per address: at most `MAX` in a
//! `WINDOW`. Addresses are held only in memory for the window and never stored or logged.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const MAX: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(600);

fn buckets() -> &'static Mutex<HashMap<String, (Instant, u32)>> {
    static BUCKETS: OnceLock<Mutex<HashMap<String, (Instant, u32)>>> = OnceLock::new();
    BUCKETS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Counts one write from `address`; false when it is over the limit.
pub fn allow(address: &str, at: Instant) -> bool {
    let mut map = buckets().lock().unwrap_or_else(|e| e.into_inner());
    if map.len() > 100_000 {
        map.retain(|_, (start, _)| at.duration_since(*start) < WINDOW);
    }
    let entry = map.entry(address.to_string()).or_insert((at, 0));
    if at.duration_since(entry.0) >= WINDOW {
        *entry = (at, 0);
    }
    entry.1 += 1;
    entry.1 <= MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_within_a_window_and_resets_after() {
        let start = Instant::now();
        let address = "test-address-limit";
        for _ in 0..MAX {
            assert!(allow(address, start));
        }
        assert!(!allow(address, start + Duration::from_secs(1)));
        assert!(allow(address, start + WINDOW + Duration::from_secs(1)));
    }
}
