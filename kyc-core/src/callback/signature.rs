//! Signatures in the Standard Webhooks style: `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256>` over `id.timestamp.body`.
//!
//! The HMAC key is the scenario secret's [`KeyPurpose::WebhookSignature`] subkey (HKDF-SHA256,
//! never the secret itself), so a receiver may also verify with any Standard Webhooks library given
//! [`standard_webhooks_secret`]: `whsec_` + base64(subkey). Handing that to a receiving service
//! gives it neither the body encryption key nor the link or liveness keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::CallbackError;
use crate::scenario::{KeyPurpose, SecretKey};

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
    let key = secret.subkey(KeyPurpose::WebhookSignature);
    let mut mac = HmacSha256::new_from_slice(key.expose()).map_err(|_| CallbackError::Crypto)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The secret a Standard Webhooks library verifies this scenario's callbacks with: `whsec_` +
/// base64 of the webhook subkey. It signs and verifies callbacks only.
pub fn standard_webhooks_secret(secret: &SecretKey) -> String {
    format!(
        "whsec_{}",
        STANDARD.encode(secret.subkey(KeyPurpose::WebhookSignature).expose())
    )
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
        // HMAC-SHA256 keyed with the webhook subkey over "id.ts.body", checked against Python:
        // prk = hmac.new(b"kyc-core", secret, sha256).digest()
        // key = hmac.new(prk, b"kyc webhook hmac-sha256 v1\x01", sha256).digest()
        // base64(hmac.new(key, b'msg_1.1674087231.{"a":1}', sha256).digest())
        let secret = SecretKey::new("0123456789abcdef0123456789abcdef");
        assert_eq!(
            standard_webhooks_secret(&secret),
            "whsec_IXPbT2tbrkq9i5tzuo8uaqfcMOng/97/FLZzD8M/e+8="
        );
        let sig = sign(&secret, "msg_1", 1_674_087_231, b"{\"a\":1}").unwrap();
        assert_eq!(sig, "v1,jLecwy6+9IEn/vAaxw/W3saCPrEvj8Z50TZR6cEnAyo=");
        // Keyed with the raw secret (before subkeys) it was another value: no longer accepted.
        let raw = "v1,c9lhjcxcymv8/2VlKN9YRwiXq2vINjMBBrf/LxiKlvQ=";
        assert_eq!(
            verify(&secret, "msg_1", 1_674_087_231, b"{\"a\":1}", raw),
            Err(CallbackError::SignatureMismatch)
        );
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
