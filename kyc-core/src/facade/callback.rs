//! The receiving side of callbacks, for the customer's server in any language: signature,
//! timestamp and replay checked, the body decrypted.

use super::PublicError;
use crate::callback::{InMemorySeenIds, VerifyOptions, WebhookHeaders, verify_and_decrypt};
use crate::scenario::SecretKey;

/// How many message ids a receiver remembers to refuse replays.
pub const SEEN_IDS: usize = 100_000;

/// Verifies callbacks for one scenario secret, remembering the ids it has seen.
pub struct CallbackReceiver {
    secret: SecretKey,
    seen: InMemorySeenIds,
    options: VerifyOptions,
}

impl std::fmt::Debug for CallbackReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackReceiver")
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

impl CallbackReceiver {
    /// A receiver for `secret_key` (the scenario's), with a 300 s timestamp tolerance, accepting
    /// plain and encrypted bodies; `require_encryption` refuses plain ones.
    pub fn new(secret_key: &str, require_encryption: bool) -> Self {
        Self {
            secret: SecretKey::new(secret_key),
            seen: InMemorySeenIds::new(SEEN_IDS),
            options: VerifyOptions {
                require_encryption,
                ..VerifyOptions::default()
            },
        }
    }

    /// Checks the callback's headers (name, value pairs; names compare case-insensitively),
    /// signature, timestamp against `now_unix_seconds` (the host's clock) and replay; decrypts
    /// the body; returns the notification JSON.
    pub fn verify(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<String, PublicError> {
        let now = jiff::Timestamp::from_second(now_unix_seconds).map_err(|e| {
            PublicError::invalid_input("callback.bad_time", format!("{now_unix_seconds}: {e}"))
        })?;
        let headers =
            WebhookHeaders::from_pairs(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let verified =
            verify_and_decrypt(&self.secret, &headers, body, now, &self.seen, self.options)?;
        Ok(serde_json::to_string(&verified.notification).unwrap_or_default())
    }
}
