//! The receiver's side: verify a callback's signature, timestamp and id, then decrypt it.
//!
//! Order of checks: headers present and well-formed, timestamp within tolerance, signature (constant
//! time), decryption (associated data re-derived from the envelope and required to agree with the
//! header), parsing, and last the replay check, so that only authentic callbacks enter the seen-id
//! store. A [`CallbackError::Replayed`] means the callback was already accepted: answer 2xx and do
//! nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::CallbackError;
use super::crypto::{self, CallbackKey};
use super::delivery::{self, ENCRYPTION_ALG, EncryptedBody};
use super::notification::Notification;
use super::signature::{self, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use crate::json::MAX_JSON_BYTES;
use crate::scenario::SecretKey;

/// Most secrets a receiver verifies with at once (the current one and those being retired).
pub const MAX_SECRETS: usize = 4;

/// Remembers accepted webhook ids, for replay protection. The host's store must insert atomically.
pub trait SeenIds: Send + Sync {
    /// Records `id` as seen; returns `false` when it already was. The id may be forgotten after
    /// `forget_after`: by then its timestamp is outside the tolerance anyway.
    fn insert_if_new(
        &self,
        id: &str,
        now: Timestamp,
        forget_after: Timestamp,
    ) -> Result<bool, CallbackError>;
}

/// An in-memory [`SeenIds`] holding at most `capacity` ids; expired ones are dropped when it fills,
/// and when it is full of live ids it refuses (fails closed) rather than forgetting one.
#[derive(Debug)]
pub struct InMemorySeenIds {
    ids: Mutex<HashMap<String, Timestamp>>,
    capacity: usize,
}

impl InMemorySeenIds {
    /// A store for up to `capacity` ids.
    pub fn new(capacity: usize) -> Self {
        Self {
            ids: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// Ids held.
    pub fn len(&self) -> usize {
        self.ids.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when none are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for InMemorySeenIds {
    /// Up to a million ids.
    fn default() -> Self {
        Self::new(1_000_000)
    }
}

impl SeenIds for InMemorySeenIds {
    fn insert_if_new(
        &self,
        id: &str,
        now: Timestamp,
        forget_after: Timestamp,
    ) -> Result<bool, CallbackError> {
        let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(until) = ids.get(id)
            && *until >= now
        {
            return Ok(false);
        }
        if ids.len() >= self.capacity {
            ids.retain(|_, until| *until >= now);
            if ids.len() >= self.capacity {
                return Err(CallbackError::SeenStore("full of unexpired ids".to_owned()));
            }
        }
        ids.insert(id.to_owned(), forget_after);
        Ok(true)
    }
}

/// The three signature headers as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookHeaders {
    /// `webhook-id`.
    pub id: Option<String>,
    /// `webhook-timestamp`.
    pub timestamp: Option<String>,
    /// `webhook-signature`.
    pub signature: Option<String>,
}

impl WebhookHeaders {
    /// Picks the three headers out of `(name, value)` pairs, names compared case-insensitively.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut out = Self::default();
        for (name, value) in pairs {
            let slot = if name.eq_ignore_ascii_case(HEADER_ID) {
                &mut out.id
            } else if name.eq_ignore_ascii_case(HEADER_TIMESTAMP) {
                &mut out.timestamp
            } else if name.eq_ignore_ascii_case(HEADER_SIGNATURE) {
                &mut out.signature
            } else {
                continue;
            };
            *slot = Some(value.to_owned());
        }
        out
    }
}

/// What the receiver is held to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Largest distance between the timestamp and now, either way. Default 300 s.
    pub tolerance: SignedDuration,
    /// Refuse bodies that are not encrypted. Default false.
    pub require_encryption: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            tolerance: SignedDuration::from_secs(300),
            require_encryption: false,
        }
    }
}

/// An authentic, fresh, first-seen callback.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedCallback {
    /// The `webhook-id`.
    pub webhook_id: String,
    /// The `webhook-timestamp`.
    pub timestamp: i64,
    /// Whether the body was encrypted.
    pub was_encrypted: bool,
    /// The notification.
    pub notification: Notification,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    encryption: Option<serde_json::Value>,
}

/// Verifies and decrypts a callback received at `now` with any of `secrets` (the scenario's
/// secret, or during a rotation the new one and the old ones): a signature must match one of them,
/// and an encrypted body must open under one whose signature matched.
pub fn verify_and_decrypt(
    secrets: &[SecretKey],
    headers: &WebhookHeaders,
    body: &[u8],
    now: Timestamp,
    seen: &dyn SeenIds,
    options: VerifyOptions,
) -> Result<VerifiedCallback, CallbackError> {
    if body.len() > MAX_JSON_BYTES {
        return Err(CallbackError::TooLarge {
            size: body.len(),
            limit: MAX_JSON_BYTES,
        });
    }
    let id = headers
        .id
        .as_deref()
        .ok_or(CallbackError::MissingHeader(HEADER_ID))?;
    let ts_text = headers
        .timestamp
        .as_deref()
        .ok_or(CallbackError::MissingHeader(HEADER_TIMESTAMP))?;
    let sig = headers
        .signature
        .as_deref()
        .ok_or(CallbackError::MissingHeader(HEADER_SIGNATURE))?;
    signature::check_id(id)?;
    let timestamp = signature::parse_timestamp(ts_text)?;

    let tolerance = options.tolerance.as_secs().max(0);
    let skew = timestamp.saturating_sub(now.as_second());
    if skew.unsigned_abs() > tolerance.unsigned_abs() {
        return Err(CallbackError::TimestampOutOfTolerance {
            skew_seconds: skew,
            tolerance_seconds: tolerance,
        });
    }

    if secrets.is_empty() || secrets.len() > MAX_SECRETS {
        return Err(CallbackError::Secrets(secrets.len()));
    }
    let mut signed_by: Vec<&SecretKey> = Vec::with_capacity(secrets.len());
    let mut refusal = None;
    for secret in secrets {
        match signature::verify(secret, id, timestamp, body, sig) {
            Ok(()) => signed_by.push(secret),
            Err(e) => refusal = Some(e),
        }
    }
    if signed_by.is_empty() {
        return Err(refusal.unwrap_or(CallbackError::SignatureMismatch));
    }

    let probe: Probe =
        crate::json::from_slice(body).map_err(|e| CallbackError::MalformedBody(e.to_string()))?;
    let (plaintext, was_encrypted) = if probe.encryption.is_some() {
        let envelope: EncryptedBody = crate::json::from_slice(body)
            .map_err(|e| CallbackError::MalformedBody(e.to_string()))?;
        if envelope.encryption != ENCRYPTION_ALG || envelope.timestamp != timestamp {
            return Err(CallbackError::DecryptFailed);
        }
        let nonce = delivery::decode_nonce(&envelope.nonce)?;
        let ciphertext = STANDARD
            .decode(&envelope.ciphertext)
            .map_err(|_| CallbackError::DecryptFailed)?;
        let aad = crypto::associated_data(&envelope.scenario_id, &envelope.session_id, timestamp);
        // The sender encrypts under its current secret, which is among those that signed.
        let mut opened = None;
        for secret in &signed_by {
            let key = CallbackKey::derive(secret)?;
            if let Ok(plaintext) = crypto::open(&key, &nonce, &aad, &ciphertext) {
                opened = Some(plaintext);
                break;
            }
        }
        let plaintext = opened.ok_or(CallbackError::DecryptFailed)?;
        let notification: Notification = crate::json::from_slice(&plaintext)
            .map_err(|e| CallbackError::MalformedBody(e.to_string()))?;
        if notification.scenario_id != envelope.scenario_id
            || notification.session_id != envelope.session_id
        {
            return Err(CallbackError::MalformedBody(
                "the envelope's ids differ from the notification's".to_owned(),
            ));
        }
        (notification, true)
    } else {
        if options.require_encryption {
            return Err(CallbackError::MalformedBody(
                "the body is not encrypted".to_owned(),
            ));
        }
        let notification: Notification = crate::json::from_slice(body)
            .map_err(|e| CallbackError::MalformedBody(e.to_string()))?;
        (notification, false)
    };

    let forget_after = Timestamp::from_second(timestamp)
        .ok()
        .and_then(|t| t.checked_add(SignedDuration::from_secs(tolerance)).ok())
        .unwrap_or(Timestamp::MAX);
    if !seen.insert_if_new(id, now, forget_after)? {
        return Err(CallbackError::Replayed);
    }
    Ok(VerifiedCallback {
        webhook_id: id.to_owned(),
        timestamp,
        was_encrypted,
        notification: plaintext,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_ids_expire_and_fail_closed_when_full() {
        let store = InMemorySeenIds::new(2);
        let t = |s: i64| Timestamp::from_second(s).unwrap();
        assert!(store.insert_if_new("a", t(0), t(10)).unwrap());
        assert!(!store.insert_if_new("a", t(5), t(10)).unwrap());
        assert!(store.insert_if_new("b", t(5), t(20)).unwrap());
        assert_eq!(
            store.insert_if_new("c", t(6), t(20)).unwrap_err().code(),
            "callback.seen_store"
        );
        // "a" expired at 10: room again.
        assert!(store.insert_if_new("c", t(11), t(30)).unwrap());
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn headers_are_found_case_insensitively() {
        let h = WebhookHeaders::from_pairs([
            ("Webhook-Id", "x"),
            ("WEBHOOK-TIMESTAMP", "1"),
            ("webhook-signature", "v1,y"),
            ("other", "z"),
        ]);
        assert_eq!(h.id.as_deref(), Some("x"));
        assert_eq!(h.timestamp.as_deref(), Some("1"));
        assert_eq!(h.signature.as_deref(), Some("v1,y"));
    }
}
