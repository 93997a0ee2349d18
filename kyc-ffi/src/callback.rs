//! Callback receivers: verify (and decrypt) a callback the host's server received.

use std::sync::Arc;

use crate::KycError;

/// One HTTP header.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Header {
    /// Name (compared case-insensitively).
    pub name: String,
    /// Value.
    pub value: String,
}

/// Verifies callbacks for one scenario secret, remembering ids it has seen to refuse replays
/// (the façade's receiver).
#[derive(uniffi::Object)]
pub struct CallbackReceiver(kyc_core::facade::CallbackReceiver);

#[uniffi::export]
impl CallbackReceiver {
    /// A receiver for `secret_key`; with `require_encryption`, plain bodies are refused.
    #[uniffi::constructor]
    pub fn new(secret_key: String, require_encryption: bool) -> Arc<Self> {
        Arc::new(Self(kyc_core::facade::CallbackReceiver::new(
            &secret_key,
            require_encryption,
        )))
    }

    /// A receiver accepting callbacks signed with any of `secret_keys` (1 to 4: during a rotation,
    /// the new secret and those being retired), the timestamp within `tolerance_seconds` (1 to
    /// 3600) of the host's clock; with `require_encryption`, plain bodies are refused.
    #[uniffi::constructor]
    pub fn with_secrets(
        secret_keys: Vec<String>,
        require_encryption: bool,
        tolerance_seconds: u32,
    ) -> Result<Arc<Self>, KycError> {
        Ok(Arc::new(Self(
            kyc_core::facade::CallbackReceiver::with_secrets(
                &secret_keys,
                require_encryption,
                tolerance_seconds,
            )?,
        )))
    }

    /// Checks signature, timestamp (within the receiver's tolerance of `now_unix_seconds`) and replay, decrypts when
    /// encrypted, and returns the notification as JSON.
    pub fn verify(
        &self,
        headers: Vec<Header>,
        body: Vec<u8>,
        now_unix_seconds: i64,
    ) -> Result<String, KycError> {
        let pairs: Vec<(String, String)> = headers.into_iter().map(|h| (h.name, h.value)).collect();
        Ok(self.0.verify(&pairs, &body, now_unix_seconds)?)
    }
}
