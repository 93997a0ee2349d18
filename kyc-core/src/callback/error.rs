//! Why a callback could not be prepared or was refused by the receiver.

/// Callback errors. Messages never carry keys, signatures or body contents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The scenario has no callback configured.
    #[error("the scenario has no callback configured")]
    NotConfigured,
    /// The body would exceed the limit.
    #[error("callback body of {size} bytes is over the limit of {limit}")]
    TooLarge {
        /// The body's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A required header is absent.
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    /// A header is present but malformed or over its length limit.
    #[error("header {0} is malformed")]
    MalformedHeader(&'static str),
    /// The timestamp is further from the receiver's clock than the tolerance allows.
    #[error(
        "timestamp is {skew_seconds} s from now, outside the tolerance of {tolerance_seconds} s"
    )]
    TimestampOutOfTolerance {
        /// Signed distance from now, in seconds (positive: in the future).
        skew_seconds: i64,
        /// The tolerance.
        tolerance_seconds: i64,
    },
    /// No signature matches the body and headers under the key.
    #[error("no signature matches")]
    SignatureMismatch,
    /// The webhook id was already accepted once: the receiver has processed it and should answer 2xx.
    #[error("webhook id was already seen")]
    Replayed,
    /// The encrypted body does not open under the key and associated data.
    #[error("encrypted body could not be decrypted")]
    DecryptFailed,
    /// The (decrypted) body is not a notification.
    #[error("body is not a valid notification: {0}")]
    MalformedBody(String),
    /// The host's seen-id store failed or is full.
    #[error("seen-id store: {0}")]
    SeenStore(String),
    /// A receiver verifies with one to four secrets (`MAX_SECRETS`).
    #[error("a receiver verifies with 1 to 4 secrets, not {0}")]
    Secrets(usize),
    /// A retry policy out of range.
    #[error("retry policy: {0}")]
    InvalidPolicy(&'static str),
    /// A cryptographic primitive refused its input (never expected; reported rather than panicking).
    #[error("cryptographic failure")]
    Crypto,
}

impl CallbackError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotConfigured => "callback.not_configured",
            Self::TooLarge { .. } => "callback.too_large",
            Self::MissingHeader(_) => "callback.missing_header",
            Self::Secrets(_) => "callback.secrets",
            Self::MalformedHeader(_) => "callback.malformed_header",
            Self::TimestampOutOfTolerance { .. } => "callback.timestamp_out_of_tolerance",
            Self::SignatureMismatch => "callback.signature_mismatch",
            Self::Replayed => "callback.replayed",
            Self::DecryptFailed => "callback.decrypt_failed",
            Self::MalformedBody(_) => "callback.malformed_body",
            Self::SeenStore(_) => "callback.seen_store",
            Self::InvalidPolicy(_) => "callback.invalid_policy",
            Self::Crypto => "callback.crypto",
        }
    }
}
