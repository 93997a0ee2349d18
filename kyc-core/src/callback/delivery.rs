//! A delivery: the body and headers of one HTTP POST, signed (and encrypted when the scenario says
//! so). The host sends it and, on failure, asks [`super::RetryPolicy`] when to try again, preparing
//! the same notification anew (a fresh timestamp, signature and nonce; the same `webhook-id`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::CallbackError;
use super::crypto::{self, CallbackKey, NONCE_LEN};
use super::notification::Notification;
use super::signature::{self, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use crate::entropy::Entropy;
use crate::json::MAX_JSON_BYTES;
use crate::scenario::Scenario;

/// The `encryption` value of an encrypted body.
pub const ENCRYPTION_ALG: &str = "A256GCM-HKDF-SHA256";

/// The body of an encrypted callback. Its ids and timestamp are in the clear, for routing, and bound
/// to the ciphertext as associated data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct EncryptedBody {
    /// [`ENCRYPTION_ALG`].
    pub encryption: String,
    /// The scenario.
    pub scenario_id: String,
    /// The session.
    pub session_id: String,
    /// The `webhook-timestamp`, Unix seconds.
    pub timestamp: i64,
    /// 96-bit nonce, base64.
    pub nonce: String,
    /// Ciphertext with its 16-byte tag appended, base64.
    pub ciphertext: String,
}

/// One HTTP request for the host to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Where to POST.
    pub url: String,
    /// The `webhook-id` (the notification's idempotency key).
    pub webhook_id: String,
    /// The `webhook-timestamp`.
    pub timestamp: i64,
    /// Every header to send, `content-type` included.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether the body is encrypted.
    pub encrypted: bool,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may hold personal data; the signature is not for logs either.
        f.debug_struct("Delivery")
            .field("url", &self.url)
            .field("webhook_id", &self.webhook_id)
            .field("timestamp", &self.timestamp)
            .field("body_len", &self.body.len())
            .field("encrypted", &self.encrypted)
            .finish_non_exhaustive()
    }
}

/// Signs (and, when the scenario's callback says `encrypt`, encrypts) `notification` for sending at
/// `now`. The nonce comes from `entropy`.
pub fn prepare(
    scenario: &Scenario,
    notification: &Notification,
    now: Timestamp,
    entropy: &dyn Entropy,
) -> Result<Delivery, CallbackError> {
    let config = scenario
        .callback
        .as_ref()
        .ok_or(CallbackError::NotConfigured)?;
    let timestamp = now.as_second();
    let plaintext = notification.to_json().into_bytes();
    let body = if config.encrypt {
        let key = CallbackKey::derive(&scenario.secret_key)?;
        let aad = crypto::associated_data(&scenario.id, &notification.session_id, timestamp);
        let (nonce, ciphertext) = crypto::seal(&key, entropy, &aad, &plaintext)?;
        let envelope = EncryptedBody {
            encryption: ENCRYPTION_ALG.to_owned(),
            scenario_id: scenario.id.clone(),
            session_id: notification.session_id.clone(),
            timestamp,
            nonce: STANDARD.encode(nonce),
            ciphertext: STANDARD.encode(ciphertext),
        };
        serde_json::to_vec(&envelope).map_err(|e| CallbackError::MalformedBody(e.to_string()))?
    } else {
        plaintext
    };
    if body.len() > MAX_JSON_BYTES {
        return Err(CallbackError::TooLarge {
            size: body.len(),
            limit: MAX_JSON_BYTES,
        });
    }
    let webhook_id = notification.idempotency_key.clone();
    // The scenario's secret first, then each retiring one: receivers still on an old secret keep
    // verifying while they are moved over.
    let mut signatures = vec![signature::sign(
        &scenario.secret_key,
        &webhook_id,
        timestamp,
        &body,
    )?];
    for retiring in &config.retiring_secret_keys {
        signatures.push(signature::sign(retiring, &webhook_id, timestamp, &body)?);
    }
    let signature = signatures.join(" ");
    Ok(Delivery {
        url: config.url.clone(),
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            (HEADER_ID.to_owned(), webhook_id.clone()),
            (HEADER_TIMESTAMP.to_owned(), timestamp.to_string()),
            (HEADER_SIGNATURE.to_owned(), signature),
        ],
        webhook_id,
        timestamp,
        body,
        encrypted: config.encrypt,
    })
}

/// Decodes the nonce of an envelope.
pub(crate) fn decode_nonce(b64: &str) -> Result<[u8; NONCE_LEN], CallbackError> {
    if b64.len() > 32 {
        return Err(CallbackError::DecryptFailed);
    }
    let bytes = STANDARD
        .decode(b64)
        .map_err(|_| CallbackError::DecryptFailed)?;
    bytes.try_into().map_err(|_| CallbackError::DecryptFailed)
}
