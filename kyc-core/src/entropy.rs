//! Injected randomness. Session ids, link tokens, callback nonces and retry jitter draw from an
//! [`Entropy`] the host passes in. Hosts pass [`OsEntropy`]: every draw is a fresh read of the
//! operating system's generator (`getrandom`; the browser's `crypto.getRandomValues` in
//! WebAssembly), so processes forked after the engine was built (a pre-forking web server, a
//! multiprocessing pool) never share a stream. [`SeededEntropy`] is for tests and golden files
//! only: a stream held in memory, which a `fork()` copies into every child.

use std::sync::Mutex;

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A source of random bytes.
pub trait Entropy: Send + Sync {
    /// Fills `dest` with random bytes.
    fn fill(&self, dest: &mut [u8]);
}

/// The operating system's randomness, read afresh on every draw: the entropy every host should
/// pass. No state lives in the process, so a child forked after the engine (or a link issuer) was
/// built draws its own bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsEntropy;

impl OsEntropy {
    /// The OS source, after one test draw: an error when this platform has none to give.
    pub fn new() -> Result<Self, getrandom::Error> {
        let mut probe = [0u8; 1];
        getrandom::fill(&mut probe)?;
        Ok(Self)
    }
}

impl Entropy for OsEntropy {
    fn fill(&self, dest: &mut [u8]) {
        // The OS generator answered at construction; one that stops answering later leaves no
        // safe value to return (zeros would repeat ids, tokens and nonces), so the process stops.
        if getrandom::fill(dest).is_err() {
            std::process::abort();
        }
    }
}

/// A deterministic ChaCha20 stream from a seed: **for tests and golden files only**. The stream is
/// process memory, so every child forked after it was made draws the same bytes (colliding session
/// ids and link tokens, repeated AES-GCM nonces); hosts pass [`OsEntropy`].
pub struct SeededEntropy(Mutex<ChaCha20Rng>);

impl SeededEntropy {
    /// A stream from `seed` (tests only: see the type's note on `fork()`).
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
    fn os_entropy_draws_differ() {
        let os = OsEntropy::new().unwrap();
        let first = random_hex::<16>(&os);
        assert_eq!(first.len(), 32);
        assert_ne!(first, random_hex::<16>(&os));
        assert_ne!(first, random_hex::<16>(&OsEntropy));
    }

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
