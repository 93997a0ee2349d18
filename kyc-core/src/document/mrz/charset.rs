//! The MRZ character set and the character classes fields are printed in.

/// `A`-`Z`, `0`-`9` or the filler `<`.
#[inline]
pub(super) fn is_mrz_byte(b: u8) -> bool {
    super::check_digit::in_set(b)
}

/// The filler character.
pub(super) const FILLER: u8 = b'<';

/// What a field may contain, which decides how OCR confusions are undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CharClass {
    /// Letters and fillers (names, codes).
    Alpha,
    /// Digits and fillers (dates, check digits).
    Numeric,
}

impl CharClass {
    /// Whether `b` belongs to the class.
    #[inline]
    pub(super) fn admits(self, b: u8) -> bool {
        match self {
            Self::Alpha => b.is_ascii_uppercase() || b == FILLER,
            Self::Numeric => b.is_ascii_digit() || b == FILLER,
        }
    }
}

/// Whether every byte is a filler (an empty field; also true for an empty slice).
#[inline]
pub(super) fn all_fillers(field: &[u8]) -> bool {
    field.iter().all(|&b| b == FILLER)
}

/// The field without its trailing fillers.
#[inline]
pub(super) fn trim_trailing_fillers(field: &[u8]) -> &[u8] {
    let end = field
        .iter()
        .rposition(|&b| b != FILLER)
        .map_or(0, |i| i + 1);
    field.get(..end).unwrap_or(&[])
}

/// Fillers inside a field read as spaces (`010195<112X` → `010195 112X`); trailing ones dropped.
pub(super) fn fillers_to_spaces(field: &[u8]) -> String {
    let mut out = String::with_capacity(field.len());
    let mut pending_space = false;
    for &b in trim_trailing_fillers(field) {
        if b == FILLER {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(char::from(b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(CharClass::Alpha.admits(b'<'));
        assert!(!CharClass::Alpha.admits(b'0'));
        assert!(CharClass::Numeric.admits(b'7'));
        assert!(!CharClass::Numeric.admits(b'O'));
        assert!(is_mrz_byte(b'O'));
        assert!(!is_mrz_byte(b'a'));
    }

    #[test]
    fn spaces() {
        assert_eq!(fillers_to_spaces(b"010195<112X<<<<"), "010195 112X");
        assert_eq!(fillers_to_spaces(b"<<ANNA<<MARIA<"), "ANNA MARIA");
        assert_eq!(fillers_to_spaces(b"<<<"), "");
        assert_eq!(trim_trailing_fillers(b"AB<<"), b"AB");
    }
}
