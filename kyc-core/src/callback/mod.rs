//! Callbacks: notifications to the customer's backend, built from session events according to the
//! scenario, signed in the Standard Webhooks style and optionally encrypted with AES-256-GCM; the
//! retry schedule; and the receiver's verify-and-decrypt.
//!
//! The library never sends HTTP: [`notifications`] says what to send, [`prepare`] makes the request,
//! the host sends it and asks [`RetryPolicy::delay_after`] when to try again.

mod crypto;
mod delivery;
mod error;
mod notification;
mod receiver;
mod retry;
mod signature;

pub use crypto::{HKDF_INFO, NONCE_LEN};
pub use delivery::{Delivery, ENCRYPTION_ALG, EncryptedBody, prepare};
pub use error::CallbackError;
pub use notification::{
    DatabaseCheckSummary, NOTIFICATION_SCHEMA_VERSION, Notification, NotificationKind,
    idempotency_key, notifications,
};
pub use receiver::{
    InMemorySeenIds, MAX_SECRETS, SeenIds, VerifiedCallback, VerifyOptions, WebhookHeaders,
    verify_and_decrypt,
};
pub use retry::{AttemptOutcome, RetryPolicy};
pub use signature::{
    HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign, standard_webhooks_secret, verify,
};
