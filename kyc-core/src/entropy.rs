//! Injected randomness. Session ids (and, later, tokens and nonces) draw from an [`Entropy`] the host
//! passes in; tests use a seeded one so ids and golden files are reproducible.

use std::sync::Mutex;

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A source of random bytes.
pub trait Entropy: Send + Sync {
    /// Fills `dest` with random bytes.
    fn fill(&self, dest: &mut [u8]);
}

/// A deterministic ChaCha20 stream from a 32-byte seed. Cryptographically strong when the seed is
/// secret and random; reproducible when the seed is fixed (tests, golden files).
pub struct SeededEntropy(Mutex<ChaCha20Rng>);

impl SeededEntropy {
    /// A stream from `seed`.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(Mutex::new(ChaCha20Rng::from_seed(seed)))
    }

    /// A stream from a small number, for tests.
    pub fn from_u64(seed: u64) -> Self {
        Self(Mutex::new(ChaCha20Rng::seed_from_u64(seed)))
    }
}

impl std::fmt::Debug for SeededEntropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The state is a secret when the seed is.
        f.write_str("SeededEntropy(..)")
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, dest: &mut [u8]) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .fill_bytes(dest);
    }
}

/// Lower-case hex of `n` random bytes (n is a compile-time size, never taken from input).
pub fn random_hex<const N: usize>(entropy: &dyn Entropy) -> String {
    let mut bytes = [0u8; N];
    entropy.fill(&mut bytes);
    let mut out = String::with_capacity(N * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids_different_seed_different_ids() {
        let a = SeededEntropy::from_u64(7);
        let b = SeededEntropy::from_u64(7);
        let c = SeededEntropy::from_u64(8);
        let first = random_hex::<16>(&a);
        assert_eq!(first.len(), 32);
        assert_eq!(first, random_hex::<16>(&b));
        assert_ne!(first, random_hex::<16>(&c));
        assert_ne!(first, random_hex::<16>(&a), "the stream moves on");
    }
}
