//! Callback receivers: verify (and decrypt) a callback the host's server received.

use std::sync::Arc;

use kyc_core::callback::{InMemorySeenIds, VerifyOptions, WebhookHeaders, verify_and_decrypt};
use kyc_core::scenario::SecretKey;

use crate::KycError;

/// One HTTP header.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Header {
    /// Name (compared case-insensitively).
    pub name: String,
    /// Value.
    pub value: String,
}

/// Verifies callbacks for one scenario secret, remembering ids it has seen to refuse replays.
#[derive(uniffi::Object)]
pub struct CallbackReceiver {
    secret: SecretKey,
    seen: InMemorySeenIds,
}

#[uniffi::export]
impl CallbackReceiver {
    /// A receiver for `secret_key`, remembering up to 100,000 ids.
    #[uniffi::constructor]
    pub fn new(secret_key: String) -> Arc<Self> {
        Arc::new(Self {
            secret: SecretKey::new(secret_key),
            seen: InMemorySeenIds::new(100_000),
        })
    }

    /// Checks signature, timestamp (within 300 s of `now_unix_seconds`) and replay, decrypts when
    /// encrypted, and returns the notification as JSON.
    pub fn verify(
        &self,
        headers: Vec<Header>,
        body: Vec<u8>,
        now_unix_seconds: i64,
    ) -> Result<String, KycError> {
        let now = jiff::Timestamp::from_second(now_unix_seconds).map_err(|e| KycError::Other {
            code: "callback.bad_time".to_owned(),
            detail: e.to_string(),
        })?;
        let headers =
            WebhookHeaders::from_pairs(headers.iter().map(|h| (h.name.as_str(), h.value.as_str())));
        let verified = verify_and_decrypt(
            &self.secret,
            &headers,
            &body,
            now,
            &self.seen,
            VerifyOptions::default(),
        )
        .map_err(kyc_core::Error::from)?;
        serde_json::to_string(&verified.notification).map_err(|e| KycError::Other {
            code: "callback.encode".to_owned(),
            detail: e.to_string(),
        })
    }
}
