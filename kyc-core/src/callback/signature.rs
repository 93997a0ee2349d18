//! Signatures in the Standard Webhooks style: `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256>` over `id.timestamp.body`.
//!
//! The HMAC key is the scenario's secret key as bytes, so a receiver may also verify with any
//! Standard Webhooks library given the secret `whsec_` + base64(secret key).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::CallbackError;
use crate::scenario::SecretKey;

type HmacSha256 = Hmac<Sha256>;

/// Header carrying the message id (the idempotency key, the same on every retry).
pub const HEADER_ID: &str = "webhook-id";
/// Header carrying the send time in Unix seconds.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Header carrying the signatures, space-delimited `v1,<base64>`.
pub const HEADER_SIGNATURE: &str = "webhook-signature";

/// Longest accepted `webhook-id`.
pub const MAX_ID_LEN: usize = 256;
/// Longest accepted `webhook-signature` header.
pub const MAX_SIGNATURE_HEADER_LEN: usize = 4096;
/// Most signatures looked at in one header.
pub const MAX_SIGNATURES: usize = 16;

fn mac(
    secret: &SecretKey,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<HmacSha256, CallbackError> {
    let mut mac = HmacSha256::new_from_slice(secret.expose()).map_err(|_| CallbackError::Crypto)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The `webhook-signature` header value: `v1,<base64>`.
pub fn sign(
    secret: &SecretKey,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, CallbackError> {
    let tag = mac(secret, id, timestamp, body)?.finalize().into_bytes();
    Ok(format!("v1,{}", STANDARD.encode(tag)))
}

/// Checks that one of the header's `v1` signatures matches, comparing in constant time. Other
/// versions are skipped, as the specification asks.
pub fn verify(
    secret: &SecretKey,
    id: &str,
    timestamp: i64,
    body: &[u8],
    signature_header: &str,
) -> Result<(), CallbackError> {
    if signature_header.len() > MAX_SIGNATURE_HEADER_LEN {
        return Err(CallbackError::MalformedHeader(HEADER_SIGNATURE));
    }
    let expected = mac(secret, id, timestamp, body)?;
    let mut any = false;
    for entry in signature_header
        .split(' ')
        .filter(|s| !s.is_empty())
        .take(MAX_SIGNATURES)
    {
        any = true;
        let Some(b64) = entry.strip_prefix("v1,") else {
            continue;
        };
        // HMAC-SHA256 in base64 is 44 characters; refuse longer before decoding.
        if b64.len() > 64 {
            continue;
        }
        let Ok(tag) = STANDARD.decode(b64) else {
            continue;
        };
        if expected.clone().verify_slice(&tag).is_ok() {
            return Ok(());
        }
    }
    if any {
        Err(CallbackError::SignatureMismatch)
    } else {
        Err(CallbackError::MalformedHeader(HEADER_SIGNATURE))
    }
}

/// Parses `webhook-timestamp`: decimal Unix seconds, at most 12 digits.
pub fn parse_timestamp(value: &str) -> Result<i64, CallbackError> {
    let bad = CallbackError::MalformedHeader(HEADER_TIMESTAMP);
    if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad);
    }
    value.parse().map_err(|_| bad)
}

/// Checks `webhook-id`: 1 to [`MAX_ID_LEN`] printable ASCII characters without spaces or dots
/// (the dot separates the signed parts).
pub fn check_id(value: &str) -> Result<(), CallbackError> {
    let ok = !value.is_empty()
        && value.len() <= MAX_ID_LEN
        && value.bytes().all(|b| b.is_ascii_graphic() && b != b'.');
    if ok {
        Ok(())
    } else {
        Err(CallbackError::MalformedHeader(HEADER_ID))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_webhooks_construction() {
        // HMAC-SHA256 keyed with the secret bytes over "id.ts.body", checked against Python's hmac.
        let secret = SecretKey::new("0123456789abcdef0123456789abcdef");
        let sig = sign(&secret, "msg_1", 1_674_087_231, b"{\"a\":1}").unwrap();
        // Python: base64(hmac.new(key, b'msg_1.1674087231.{"a":1}', sha256).digest())
        assert_eq!(sig, "v1,c9lhjcxcymv8/2VlKN9YRwiXq2vINjMBBrf/LxiKlvQ=");
        verify(&secret, "msg_1", 1_674_087_231, b"{\"a\":1}", &sig).unwrap();
        // Several signatures, one matching (key rotation).
        let header = format!("v2,abc v1,AAAA {sig}");
        verify(&secret, "msg_1", 1_674_087_231, b"{\"a\":1}", &header).unwrap();
    }

    #[test]
    fn refusals() {
        let secret = SecretKey::new("0123456789abcdef0123456789abcdef");
        let sig = sign(&secret, "msg_1", 10, b"x").unwrap();
        let mismatch = Err(CallbackError::SignatureMismatch);
        assert_eq!(verify(&secret, "msg_2", 10, b"x", &sig), mismatch);
        assert_eq!(verify(&secret, "msg_1", 11, b"x", &sig), mismatch);
        assert_eq!(verify(&secret, "msg_1", 10, b"y", &sig), mismatch);
        let other = SecretKey::new("fedcba9876543210fedcba9876543210");
        assert_eq!(verify(&other, "msg_1", 10, b"x", &sig), mismatch);
        assert_eq!(
            verify(&secret, "msg_1", 10, b"x", ""),
            Err(CallbackError::MalformedHeader(HEADER_SIGNATURE))
        );
        assert!(parse_timestamp("-1").is_err());
        assert!(parse_timestamp("1e9").is_err());
        assert!(check_id("a.b").is_err());
        assert!(check_id("").is_err());
    }
}
