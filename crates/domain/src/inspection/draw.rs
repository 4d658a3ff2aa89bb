//! 双随机、一公开: the draw of targets (and the tie-break between equally good teams), reproducible
//! by anyone from what the round shows — the seed, the algorithm's name and the candidates.
//!
//! Algorithm `sha256-rank-v1`: each candidate's rank is the SHA-256 of `seed + ":" + key` (key: the
//! candidate's stable name, e.g. `project:147`), in hex; the draw is the `k` candidates with the
//! smallest ranks, in rank order. Re-running it needs nothing but a SHA-256 tool:
//! `printf '%s' '20251105:project:147' | sha256sum`. Any change to this makes a new version name;
//! old rounds keep theirs and are re-drawn with it.

use sha2::{Digest, Sha256};

/// The version recorded with each draw.
pub const ALGORITHM: &str = "sha256-rank-v1";

/// A candidate's rank under `seed`: lower is drawn first.
pub fn rank(seed: &str, key: &str) -> String {
    hex::encode(Sha256::digest(format!("{seed}:{key}").as_bytes()))
}

/// The `k` keys drawn from `keys` under `seed` (all of them, ranked, when `k` is larger). Duplicate
/// keys count once; the order of `keys` does not matter.
pub fn draw<'a>(seed: &str, keys: impl IntoIterator<Item = &'a str>, k: usize) -> Vec<&'a str> {
    let mut ranked: Vec<(String, &str)> = keys.into_iter().map(|key| (rank(seed, key), key)).collect();
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    ranked.into_iter().take(k).map(|(_, key)| key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_what_sha256sum_prints() {
        // Checked by hand: printf '%s' '20251105:project:147' | sha256sum
        assert_eq!(rank("20251105", "project:147"), "7e756e1da5ee13513da0f946db72ef45563a6a9922bb46a4d473ebff69e7f498");
        assert_eq!(rank("20251105", "project:148"), "ea422b37bff8c8e7837bffb7056d2d86f766315bf990254f444b1bdac98d6686");
    }

    #[test]
    fn the_draw_is_reproducible_and_ignores_the_order_given() {
        let keys = ["project:1", "project:2", "project:3", "project:4", "project:5", "project:6"];
        let first = draw("2025-第45期", keys, 3);
        // Checked by hand with Python's hashlib, independently of this code.
        assert_eq!(first, ["project:2", "project:1", "project:3"]);
        let mut reversed = keys;
        reversed.reverse();
        assert_eq!(draw("2025-第45期", reversed, 3), first);
        assert_eq!(first.len(), 3);
        assert_eq!(draw("2025-第46期", keys, 3), ["project:2", "project:3", "project:5"]);
        // Asking for more than there are gives them all, ranked; duplicates count once.
        assert_eq!(draw("s", ["a", "b", "a"], 10).len(), 2);
        assert!(draw("s", keys, 0).is_empty());
    }
}
