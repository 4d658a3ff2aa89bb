//! 全记录: the audit log as a hash chain. Each event's hash covers the previous event's hash and
//! every field of the event, so editing, deleting, inserting or reordering events in the database
//! is detected by re-walking the chain.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest;

/// The hash before the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 by default; SM3 (GB/T 32905, the national standard hash) when the settings say so.
/// Each event records the algorithm that made its hash, so switching keeps old events verifiable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HashAlgorithm {
    Sha256,
    Sm3,
}

impl HashAlgorithm {
    pub fn code(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sm3 => "sm3",
        }
    }

    pub fn parse(text: &str) -> Option<HashAlgorithm> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sha256" | "sha-256" => Some(HashAlgorithm::Sha256),
            "sm3" => Some(HashAlgorithm::Sm3),
            _ => None,
        }
    }

    pub fn digest_hex(self, bytes: &[u8]) -> String {
        match self {
            HashAlgorithm::Sha256 => hex::encode(sha2::Sha256::digest(bytes)),
            HashAlgorithm::Sm3 => hex::encode(sm3::Sm3::digest(bytes)),
        }
    }
}

/// The fields of one audit event that the hash covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFields {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub actor_role: Option<String>,
    pub source_ip: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// The change as JSON text, hashed exactly as stored.
    pub change: String,
    pub result: String,
}

impl AuditFields {
    /// The bytes that are hashed: the previous hash, then the fields as a JSON array in fixed order.
    /// Time is written with microseconds, the precision both databases keep.
    fn canonical_bytes(&self, prev_hash: &str) -> Vec<u8> {
        let fields = serde_json::json!([
            self.seq,
            self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            self.actor_id,
            self.actor_name,
            self.actor_role,
            self.source_ip,
            self.action,
            self.object_type,
            self.object_id,
            self.change,
            self.result,
        ]);
        let mut bytes = Vec::with_capacity(256);
        bytes.extend_from_slice(prev_hash.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(fields.to_string().as_bytes());
        bytes
    }

    pub fn hash(&self, algorithm: HashAlgorithm, prev_hash: &str) -> String {
        algorithm.digest_hex(&self.canonical_bytes(prev_hash))
    }
}

/// One stored event with its links, as read back for verification.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    pub fields: AuditFields,
    pub algorithm: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Where and why the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The sequence number of the first event that does not fit (or was expected and missing).
    pub seq: i64,
    pub reason: String,
}

/// Walks events in sequence order and reports the first one that breaks the chain.
#[derive(Debug)]
pub struct ChainVerifier {
    next_seq: i64,
    prev_hash: String,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { next_seq: 1, prev_hash: GENESIS_HASH.to_string(), checked: 0 }
    }
}

impl ChainVerifier {
    /// A verifier that starts after a known event (the base left by a purge of older events).
    pub fn starting_after(base_seq: i64, base_hash: &str) -> ChainVerifier {
        ChainVerifier { next_seq: base_seq + 1, prev_hash: base_hash.to_string(), checked: 0 }
    }

    pub fn checked(&self) -> u64 {
        self.checked
    }

    pub fn push(&mut self, event: &StoredEvent) -> Result<(), ChainBreak> {
        let seq = event.fields.seq;
        if seq != self.next_seq {
            let reason = if seq > self.next_seq {
                format!("缺少第 {} 号事件（可能被删除）", self.next_seq)
            } else {
                format!("事件序号 {seq} 重复或顺序错乱")
            };
            return Err(ChainBreak { seq: self.next_seq, reason });
        }
        if event.prev_hash != self.prev_hash {
            return Err(ChainBreak {
                seq, reason: "前一事件哈希不符（事件被插入、删除或调换顺序）".into()
            });
        }
        let Some(algorithm) = HashAlgorithm::parse(&event.algorithm) else {
            return Err(ChainBreak { seq, reason: format!("未知的哈希算法 {}", event.algorithm) });
        };
        if event.fields.hash(algorithm, &self.prev_hash) != event.hash {
            return Err(ChainBreak { seq, reason: "事件内容与哈希不符（事件被修改）".into() });
        }
        self.prev_hash = event.hash.clone();
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// Checks the recorded head (last sequence number and hash) against the walked chain, which
    /// catches events deleted from the end.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<u64, ChainBreak> {
        if head_seq != self.next_seq - 1 || head_hash != self.prev_hash {
            return Err(ChainBreak {
                seq: self.next_seq,
                reason: format!(
                    "审计链末端不符：记录的最后事件为第 {head_seq} 号，实际只有 {} 个事件",
                    self.next_seq - 1
                ),
            });
        }
        Ok(self.checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn fields(seq: i64, action: &str) -> AuditFields {
        AuditFields {
            seq,
            at: Utc.with_ymd_and_hms(2025, 10, 9, 8, 30, 0).unwrap(),
            actor_id: Some(1),
            actor_name: "admin".into(),
            actor_role: Some("admin".into()),
            source_ip: Some("127.0.0.1".into()),
            action: action.into(),
            object_type: "unit".into(),
            object_id: Some(seq.to_string()),
            change: "{\"name\":\"晋江市\"}".into(),
            result: "ok".into(),
        }
    }

    fn chain(n: i64, algorithm: HashAlgorithm) -> Vec<StoredEvent> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let f = fields(seq, "unit.create");
                let hash = f.hash(algorithm, &prev);
                let event =
                    StoredEvent { fields: f, algorithm: algorithm.code().into(), prev_hash: prev.clone(), hash };
                prev = event.hash.clone();
                event
            })
            .collect()
    }

    fn verify(events: &[StoredEvent]) -> Result<u64, ChainBreak> {
        let mut verifier = ChainVerifier::default();
        for event in events {
            verifier.push(event)?;
        }
        Ok(verifier.checked())
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            HashAlgorithm::Sm3.digest_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            HashAlgorithm::Sha256.digest_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn intact_chain_verifies_with_either_algorithm() {
        assert_eq!(verify(&chain(5, HashAlgorithm::Sha256)), Ok(5));
        assert_eq!(verify(&chain(5, HashAlgorithm::Sm3)), Ok(5));
    }

    #[test]
    fn edit_delete_insert_reorder_are_detected() {
        let mut edited = chain(5, HashAlgorithm::Sha256);
        edited[2].fields.change = "{\"name\":\"石狮市\"}".into();
        assert_eq!(verify(&edited).unwrap_err().seq, 3);

        let mut deleted = chain(5, HashAlgorithm::Sha256);
        deleted.remove(1);
        assert_eq!(verify(&deleted).unwrap_err().seq, 2);

        let mut renumbered = chain(5, HashAlgorithm::Sha256);
        renumbered.remove(1);
        for (i, e) in renumbered.iter_mut().enumerate() {
            e.fields.seq = i as i64 + 1;
        }
        assert_eq!(verify(&renumbered).unwrap_err().seq, 2);

        let mut swapped = chain(5, HashAlgorithm::Sha256);
        swapped.swap(1, 2);
        swapped[1].fields.seq = 2;
        swapped[2].fields.seq = 3;
        assert_eq!(verify(&swapped).unwrap_err().seq, 2);
    }

    #[test]
    fn head_catches_a_truncated_tail() {
        let events = chain(5, HashAlgorithm::Sha256);
        let mut verifier = ChainVerifier::default();
        for event in &events[..4] {
            verifier.push(event).unwrap();
        }
        assert!(verifier.finish(5, &events[4].hash).is_err());
        verifier.push(&events[4]).unwrap();
        assert_eq!(verifier.finish(5, &events[4].hash), Ok(5));
    }

    #[test]
    fn verification_can_start_after_a_purged_prefix() {
        let events = chain(5, HashAlgorithm::Sm3);
        let mut verifier = ChainVerifier::starting_after(2, &events[1].hash);
        for event in &events[2..] {
            verifier.push(event).unwrap();
        }
        assert_eq!(verifier.finish(5, &events[4].hash), Ok(3));
    }
}
