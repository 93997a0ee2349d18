//! The generator's only source of randomness: ChaCha8 streams derived from the user's seed.
//!
//! Each document gets its own seed, and each purpose within a document (identity, render, each
//! variant) its own ChaCha stream, so that asking for fewer attacks or a different `--kind` does
//! not shift the random numbers of anything else: document 7 of seed 42 is the same document
//! whatever else is generated beside it.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// What a stream is used for; the discriminant is the ChaCha stream number.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Purpose {
    Identity = 1,
    Render = 2,
    Portrait = 3,
    Photo = 4,
    Screen = 10,
    Print = 11,
    Edit = 12,
    Blur = 13,
    Glare = 14,
    Crop = 15,
    Unsigned = 16,
    Stamped = 17,
}

/// A seeded generator with the few distributions the renderer needs.
pub(crate) struct Rng(ChaCha8Rng);

/// SplitMix64 finaliser: spreads `seed + index` so that neighbouring documents get unrelated keys.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of document `index` in a run seeded with `seed`.
pub(crate) fn document_seed(seed: u64, index: u64) -> u64 {
    mix(seed ^ mix(index))
}

impl Rng {
    /// The stream for `purpose` of the document seeded with `doc_seed`.
    pub(crate) fn new(doc_seed: u64, purpose: Purpose) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(doc_seed);
        r.set_stream(purpose as u64);
        Self(r)
    }

    /// Uniform in `[0, 1)`, 53 bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in `[lo, hi]` (both inclusive); `lo` when the range is empty.
    pub(crate) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo + 1) as u64;
        lo + (self.0.next_u64() % span) as i64
    }

    /// Index into a collection of `len` elements (0 when empty).
    pub(crate) fn index(&mut self, len: usize) -> usize {
        if len == 0 {
            return 0;
        }
        (self.0.next_u64() % len as u64) as usize
    }

    /// One element of a non-empty slice (`None` when empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal (Box-Muller; one value per call keeps the stream position simple).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A raw 64-bit value, to seed hash-based noise.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// A cheap deterministic hash of lattice coordinates, for value noise and sensor noise where
/// drawing one ChaCha value per pixel would dominate the run time.
pub(crate) fn hash2(key: u64, x: i64, y: i64) -> u64 {
    mix(key ^ mix((x as u64).wrapping_mul(0x9E37_79B9) ^ (y as u64).rotate_left(32)))
}

/// `hash2` mapped to `[0, 1)`.
pub(crate) fn hash_unit(key: u64, x: i64, y: i64) -> f32 {
    (hash2(key, x, y) >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_repeatable() {
        let a: Vec<u64> = (0..4)
            .map(|_| Rng::new(5, Purpose::Render).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::new(5, Purpose::Render).next_u64(),
            Rng::new(5, Purpose::Photo).next_u64()
        );
        assert_ne!(document_seed(1, 0), document_seed(1, 1));
    }
}
