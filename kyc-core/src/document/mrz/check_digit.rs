//! ICAO 9303 Part 3 check digits: weights 7-3-1 repeating, modulus 10, over byte slices so that no
//! check digit allocates.

/// The value ICAO gives a character: digits 0-9, `A`-`Z` 10-35, `<` 0; `None` outside the MRZ set.
#[inline]
pub fn char_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

const WEIGHTS: [u32; 3] = [7, 3, 1];

/// The check digit (0-9) over `data`, or `None` if a byte is outside the MRZ character set.
#[inline]
pub fn compute(data: &[u8]) -> Option<u8> {
    compute_parts(&[data])
}

/// The check digit over several slices read as one string (the composite check digit spans
/// non-adjacent fields); the weight sequence continues across parts.
#[inline]
pub fn compute_parts(parts: &[&[u8]]) -> Option<u8> {
    let mut sum: u32 = 0;
    let mut w = 0usize;
    for part in parts {
        for &b in *part {
            let v = char_value(b)?;
            // `w` cycles 0..3 so the lookup never misses; `unwrap_or` keeps the path panic-free.
            sum += v * WEIGHTS.get(w).copied().unwrap_or(1);
            w = if w == 2 { 0 } else { w + 1 };
        }
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
