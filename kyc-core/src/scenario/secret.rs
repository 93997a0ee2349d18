//! The scenario's secret key: it encrypts and signs callbacks, so it must never leak through `Debug`,
//! logs, error messages or results.
//!
//! The secret itself keys nothing. Each use draws its own subkey, HKDF-SHA256 (salt
//! [`HKDF_SALT`]) with a label per [`KeyPurpose`], so a key learnt through one use (a webhook key
//! handed to a receiving service, a liveness challenge sequence) tells nothing of the others, and no
//! message of one protocol is valid in another.

use hkdf::Hkdf;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// HKDF salt of every subkey: fixed, names the protocol.
pub const HKDF_SALT: &[u8] = b"kyc-core";

/// What a subkey of the scenario's secret is for. Each purpose has its own HKDF info label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// The HMAC-SHA256 of callback signatures (`webhook-signature`).
    WebhookSignature,
    /// The AES-256-GCM key of encrypted callback bodies.
    CallbackEncryption,
    /// The HMAC-SHA256 of one-time link tokens.
    LinkToken,
    /// The HMAC-SHA256 that picks a session's active-liveness challenge.
    LivenessChallenge,
}

impl KeyPurpose {
    /// Every purpose, for tests that keys differ.
    pub const ALL: [KeyPurpose; 4] = [
        KeyPurpose::WebhookSignature,
        KeyPurpose::CallbackEncryption,
        KeyPurpose::LinkToken,
        KeyPurpose::LivenessChallenge,
    ];

    /// The HKDF info label. The callback encryption and link labels are those their keys were
    /// derived with before every purpose had one (encrypted bodies and issued links stay valid);
    /// the webhook and liveness labels are new (those keys were the raw secret before).
    pub const fn label(self) -> &'static [u8] {
        match self {
            KeyPurpose::WebhookSignature => b"kyc webhook hmac-sha256 v1",
            KeyPurpose::CallbackEncryption => b"kyc callback aes-256-gcm v1",
            KeyPurpose::LinkToken => b"kyc link token v1",
            KeyPurpose::LivenessChallenge => b"kyc liveness challenge v1",
        }
    }
}

/// A 256-bit key derived for one purpose; prints as `SubKey(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct SubKey([u8; 32]);

impl SubKey {
    /// The key bytes.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SubKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SubKey(***)")
    }
}

/// A secret that prints as `SecretKey(***)`. Serialised only as part of the scenario itself.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct SecretKey(String);

impl SecretKey {
    /// The shortest key accepted: 32 characters (at least 128 bits when drawn from base64 or hex).
    pub const MIN_LEN: usize = 32;
    /// The longest key accepted.
    pub const MAX_LEN: usize = 512;

    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key bytes, for key derivation.
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The subkey for `purpose`: HKDF-SHA256(salt [`HKDF_SALT`], ikm the secret, info
    /// [`KeyPurpose::label`]), 32 bytes.
    pub fn subkey(&self, purpose: KeyPurpose) -> SubKey {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), self.expose());
        let mut okm = [0u8; 32];
        // 32 bytes is far under HKDF-SHA256's limit of 8160: expanding cannot fail.
        let expanded = hk.expand(purpose.label(), &mut okm);
        debug_assert!(expanded.is_ok());
        SubKey(okm)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.chars().count()
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_has_its_own_key_none_the_secret() {
        let key = SecretKey::new("0123456789abcdef0123456789abcdef");
        let keys: Vec<SubKey> = KeyPurpose::ALL.iter().map(|p| key.subkey(*p)).collect();
        for (i, a) in keys.iter().enumerate() {
            assert_ne!(&a.expose()[..], key.expose());
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let other = SecretKey::new("0123456789abcdef0123456789abcdeF");
        assert_ne!(
            key.subkey(KeyPurpose::LinkToken),
            other.subkey(KeyPurpose::LinkToken)
        );
        assert_eq!(format!("{:?}", keys[0]), "SubKey(***)");
    }

    #[test]
    fn debug_hides_the_key() {
        let key = SecretKey::new("super-secret-value-0123456789abcdef");
        let shown = format!("{key:?} {:?}", Some(&key));
        assert!(!shown.contains("super-secret"), "{shown}");
    }
}
