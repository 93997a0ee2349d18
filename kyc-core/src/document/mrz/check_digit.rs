//! ICAO 9303 Part 3 check digits: weights 7-3-1 repeating, modulus 10, over byte slices so that no
//! check digit allocates.

/// Marks a byte outside the MRZ set in [`VALUES`].
const INVALID: u8 = 0x80;

/// ICAO value of every byte, [`INVALID`] outside the set: one load per character in the hot loops.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: a bad index fails the build, never a run"
)]
static VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t[b'<' as usize] = 0;
    t
};

#[inline(always)]
fn value(b: u8) -> u8 {
    // A u8 always indexes a 256-entry table; `get` keeps the path free of panics all the same.
    VALUES.get(usize::from(b)).copied().unwrap_or(INVALID)
}

/// Whether `b` is `A`-`Z`, `0`-`9` or `<`.
#[inline(always)]
pub(super) fn in_set(b: u8) -> bool {
    value(b) & INVALID == 0
}

/// The value ICAO gives a character: digits 0-9, `A`-`Z` 10-35, `<` 0; `None` outside the MRZ set.
#[inline]
pub fn char_value(b: u8) -> Option<u32> {
    let v = value(b);
    if v & INVALID == 0 {
        Some(u32::from(v))
    } else {
        None
    }
}

/// The check digit (0-9) over `data`, or `None` if a byte is outside the MRZ character set.
#[inline]
pub fn compute(data: &[u8]) -> Option<u8> {
    compute_parts(&[data])
}

/// The check digit over several slices read as one string (the composite check digit spans
/// non-adjacent fields); the weight sequence 7-3-1 continues across parts.
#[inline]
pub fn compute_parts(parts: &[&[u8]]) -> Option<u8> {
    let mut sum: u32 = 0;
    let mut bad: u8 = 0;
    // Weights as a rotating packed triple: the low byte is the current weight.
    let mut w: u32 = 7 | (3 << 8) | (1 << 16);
    for part in parts {
        for &b in *part {
            let v = value(b);
            bad |= v;
            sum += u32::from(v) * (w & 0xff);
            w = (w >> 8) | ((w & 0xff) << 16);
        }
    }
    if bad & INVALID != 0 {
        return None;
    }
    // sum % 10 < 10 always fits in u8.
    Some((sum % 10) as u8)
}

/// The digit a check-digit byte carries: `0`-`9` → value; anything else → `None`.
#[inline]
pub(super) fn digit_of(b: u8) -> Option<u8> {
    if b.is_ascii_digit() {
        Some(b - b'0')
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // ICAO Doc 9303 Part 3, Appendix A, examples 1, 2, 4 and 5 (via ZeroPass/dmrtd's test-suite).
    #[test]
    fn icao_appendix_examples() {
        assert_eq!(compute(b"520727"), Some(3));
        assert_eq!(compute(b"AB2134<<<"), Some(5));
        assert_eq!(
            compute(b"D231458907<<<<<<<<<<<<<<<34071279507122<<<<<<<<<<<"),
            Some(2)
        );
        assert_eq!(compute(b"HA672242<658022549601086<<<<<<<0"), Some(8));
    }

    #[test]
    fn parts_equal_concatenation() {
        assert_eq!(compute_parts(&[b"L898902C3", b"6"]), compute(b"L898902C36"));
        assert_eq!(compute_parts(&[]), Some(0));
    }

    #[test]
    fn rejects_foreign_bytes() {
        assert_eq!(compute(b"ab"), None);
        assert_eq!(compute("É".as_bytes()), None);
    }
}
