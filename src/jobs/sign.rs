//! Webhook signatures: `X-Bangdu-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact request
//! body under the webhook's secret. Receivers recompute it and compare in constant time.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub const HEADER: &str = "X-Bangdu-Signature";

pub fn signature(secret: &str, body: &[u8]) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        }
        // HMAC takes keys of any length; this branch cannot happen.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn rfc_4231_test_case_2() {
        // Key "Jefe", data "what do ya want for nothing?" (RFC 4231, test case 2).
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
