//! The scenario's secret key: it encrypts and signs callbacks, so it must never leak through `Debug`,
//! logs, error messages or results.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    fn debug_hides_the_key() {
        let key = SecretKey::new("super-secret-value-0123456789abcdef");
        let shown = format!("{key:?} {:?}", Some(&key));
        assert!(!shown.contains("super-secret"), "{shown}");
    }
}
