//! The receiving side of callbacks, for the customer's server in any language: signature,
//! timestamp and replay checked, the body decrypted.

use super::PublicError;
use crate::callback::{
    CallbackError, InMemorySeenIds, MAX_SECRETS, VerifyOptions, WebhookHeaders, verify_and_decrypt,
};
use crate::scenario::SecretKey;

/// How many message ids a receiver remembers to refuse replays.
pub const SEEN_IDS: usize = 100_000;

/// Verifies callbacks for a scenario's secret (or, during a rotation, its new and old secrets),
/// remembering the ids it has seen.
pub struct CallbackReceiver {
    secrets: Vec<SecretKey>,
    seen: InMemorySeenIds,
    options: VerifyOptions,
}

impl std::fmt::Debug for CallbackReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackReceiver")
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

impl CallbackReceiver {
    /// A receiver for `secret_key` (the scenario's), with a 300 s timestamp tolerance, accepting
    /// plain and encrypted bodies; `require_encryption` refuses plain ones.
    pub fn new(secret_key: &str, require_encryption: bool) -> Self {
        Self {
            secrets: vec![SecretKey::new(secret_key)],
            seen: InMemorySeenIds::new(SEEN_IDS),
            options: VerifyOptions {
                require_encryption,
                ..VerifyOptions::default()
            },
        }
    }

    /// A receiver that accepts a callback signed with any of `secret_keys` (1 to
    /// [`MAX_SECRETS`]: during a rotation, the new secret and those being retired), with the
    /// timestamp held within `tolerance_seconds` (1 to 3600) of the host's clock. Replay protection
    /// remembers the last [`SEEN_IDS`] ids in memory: it refuses a callback accepted before, which
    /// is not idempotency (a host keeps its own record of what it processed).
    pub fn with_secrets(
        secret_keys: &[String],
        require_encryption: bool,
        tolerance_seconds: u32,
    ) -> Result<Self, PublicError> {
        if secret_keys.is_empty() || secret_keys.len() > MAX_SECRETS {
            return Err(CallbackError::Secrets(secret_keys.len()).into());
        }
        if !(1..=3600).contains(&tolerance_seconds) {
            return Err(PublicError::invalid_input(
                "callback.bad_tolerance",
                format!("tolerance must be 1 to 3600 seconds, not {tolerance_seconds}"),
            ));
        }
        Ok(Self {
            secrets: secret_keys.iter().map(SecretKey::new).collect(),
            seen: InMemorySeenIds::new(SEEN_IDS),
            options: VerifyOptions {
                require_encryption,
                tolerance: jiff::SignedDuration::from_secs(i64::from(tolerance_seconds)),
            },
        })
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
            verify_and_decrypt(&self.secrets, &headers, body, now, &self.seen, self.options)?;
        Ok(serde_json::to_string(&verified.notification).unwrap_or_default())
    }
}
