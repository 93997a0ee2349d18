//! The five ICAO 9303 layouts: where each field and check digit sits.

use serde::{Deserialize, Serialize};

/// An MRZ layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MrzFormat {
    /// ID card size, 3 lines of 30 (Doc 9303 Part 5).
    #[serde(rename = "TD1")]
    Td1,
    /// 2 lines of 36 (Part 6).
    #[serde(rename = "TD2")]
    Td2,
    /// Passport, 2 lines of 44 (Part 4).
    #[serde(rename = "TD3")]
    Td3,
    /// Visa, full size, 2 lines of 44, document code `V` (Part 7).
    #[serde(rename = "MRV-A")]
    MrvA,
    /// Visa, reduced size, 2 lines of 36, document code `V` (Part 7).
    #[serde(rename = "MRV-B")]
    MrvB,
}

impl MrzFormat {
    /// The name used in results (`TD1`, `MRV-A`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Td1 => "TD1",
            Self::Td2 => "TD2",
            Self::Td3 => "TD3",
            Self::MrvA => "MRV-A",
            Self::MrvB => "MRV-B",
        }
    }

    /// Number of lines.
    pub fn lines(self) -> usize {
        self.layout().lines
    }

    /// Characters per line.
    pub fn width(self) -> usize {
        self.layout().width
    }

    /// Every format, for generators and tests.
    pub const ALL: [MrzFormat; 5] = [Self::Td1, Self::Td2, Self::Td3, Self::MrvA, Self::MrvB];

    pub(super) fn layout(self) -> &'static Layout {
        match self {
            Self::Td1 => &TD1,
            Self::Td2 => &TD2,
            Self::Td3 => &TD3,
            Self::MrvA => &MRVA,
            Self::MrvB => &MRVB,
        }
    }

    /// Which format a set of line lengths and the first character select (a `V` makes a visa).
    pub(super) fn detect(lines: usize, width: usize, first: u8) -> Option<Self> {
        match (lines, width, first) {
            (3, 30, _) => Some(Self::Td1),
            (2, 36, b'V') => Some(Self::MrvB),
            (2, 36, _) => Some(Self::Td2),
            (2, 44, b'V') => Some(Self::MrvA),
            (2, 44, _) => Some(Self::Td3),
            _ => None,
        }
    }
}

/// A run of characters on one line (0-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) line: u8,
    pub(super) start: u8,
    pub(super) len: u8,
}

const fn sp(line: u8, start: u8, len: u8) -> Span {
    Span { line, start, len }
}

/// Field positions of one format.
#[derive(Debug)]
pub(super) struct Layout {
    pub(super) lines: usize,
    pub(super) width: usize,
    pub(super) doc_code: Span,
    pub(super) issuing_state: Span,
    pub(super) name: Span,
    pub(super) doc_number: Span,
    pub(super) doc_number_cd: Span,
    pub(super) nationality: Span,
    pub(super) birth: Span,
    pub(super) birth_cd: Span,
    pub(super) sex: Span,
    pub(super) expiry: Span,
    pub(super) expiry_cd: Span,
    /// Optional data (TD1 line 1, TD2/MRV line 2, the personal number on TD3).
    pub(super) optional: Span,
    /// The TD3 personal-number check digit.
    pub(super) optional_cd: Option<Span>,
    /// TD1 line 2 optional data.
    pub(super) optional2: Option<Span>,
    /// Whether a `<` in the document-number check digit announces an overflow in `optional`.
    pub(super) long_number: bool,
    pub(super) composite: Option<Span>,
    pub(super) composite_parts: &'static [Span],
}

static TD1: Layout = Layout {
    lines: 3,
    width: 30,
    doc_code: sp(0, 0, 2),
    issuing_state: sp(0, 2, 3),
    doc_number: sp(0, 5, 9),
    doc_number_cd: sp(0, 14, 1),
    optional: sp(0, 15, 15),
    birth: sp(1, 0, 6),
    birth_cd: sp(1, 6, 1),
    sex: sp(1, 7, 1),
    expiry: sp(1, 8, 6),
    expiry_cd: sp(1, 14, 1),
    nationality: sp(1, 15, 3),
    optional2: Some(sp(1, 18, 11)),
    composite: Some(sp(1, 29, 1)),
    composite_parts: &[sp(0, 5, 25), sp(1, 0, 7), sp(1, 8, 7), sp(1, 18, 11)],
    name: sp(2, 0, 30),
    optional_cd: None,
    long_number: true,
};

static TD2: Layout = Layout {
    lines: 2,
    width: 36,
    doc_code: sp(0, 0, 2),
    issuing_state: sp(0, 2, 3),
    name: sp(0, 5, 31),
    doc_number: sp(1, 0, 9),
    doc_number_cd: sp(1, 9, 1),
    nationality: sp(1, 10, 3),
    birth: sp(1, 13, 6),
    birth_cd: sp(1, 19, 1),
    sex: sp(1, 20, 1),
    expiry: sp(1, 21, 6),
    expiry_cd: sp(1, 27, 1),
    optional: sp(1, 28, 7),
    optional_cd: None,
    optional2: None,
    long_number: true,
    composite: Some(sp(1, 35, 1)),
    composite_parts: &[sp(1, 0, 10), sp(1, 13, 7), sp(1, 21, 14)],
};

static TD3: Layout = Layout {
    lines: 2,
    width: 44,
    doc_code: sp(0, 0, 2),
    issuing_state: sp(0, 2, 3),
    name: sp(0, 5, 39),
    doc_number: sp(1, 0, 9),
    doc_number_cd: sp(1, 9, 1),
    nationality: sp(1, 10, 3),
    birth: sp(1, 13, 6),
    birth_cd: sp(1, 19, 1),
    sex: sp(1, 20, 1),
    expiry: sp(1, 21, 6),
    expiry_cd: sp(1, 27, 1),
    optional: sp(1, 28, 14),
    optional_cd: Some(sp(1, 42, 1)),
    optional2: None,
    long_number: false,
    composite: Some(sp(1, 43, 1)),
    composite_parts: &[sp(1, 0, 10), sp(1, 13, 7), sp(1, 21, 22)],
};

static MRVA: Layout = Layout {
    lines: 2,
    width: 44,
    doc_code: sp(0, 0, 2),
    issuing_state: sp(0, 2, 3),
    name: sp(0, 5, 39),
    doc_number: sp(1, 0, 9),
    doc_number_cd: sp(1, 9, 1),
    nationality: sp(1, 10, 3),
    birth: sp(1, 13, 6),
    birth_cd: sp(1, 19, 1),
    sex: sp(1, 20, 1),
    expiry: sp(1, 21, 6),
    expiry_cd: sp(1, 27, 1),
    optional: sp(1, 28, 16),
    optional_cd: None,
    optional2: None,
    long_number: false,
    composite: None,
    composite_parts: &[],
};

static MRVB: Layout = Layout {
    lines: 2,
    width: 36,
    doc_code: sp(0, 0, 2),
    issuing_state: sp(0, 2, 3),
    name: sp(0, 5, 31),
    doc_number: sp(1, 0, 9),
    doc_number_cd: sp(1, 9, 1),
    nationality: sp(1, 10, 3),
    birth: sp(1, 13, 6),
    birth_cd: sp(1, 19, 1),
    sex: sp(1, 20, 1),
    expiry: sp(1, 21, 6),
    expiry_cd: sp(1, 27, 1),
    optional: sp(1, 28, 8),
    optional_cd: None,
    optional2: None,
    long_number: false,
    composite: None,
    composite_parts: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn end(s: Span) -> usize {
        usize::from(s.start) + usize::from(s.len)
    }

    #[test]
    fn spans_fit_their_lines() {
        for f in MrzFormat::ALL {
            let l = f.layout();
            let mut spans = vec![
                l.doc_code,
                l.issuing_state,
                l.name,
                l.doc_number,
                l.doc_number_cd,
                l.nationality,
                l.birth,
                l.birth_cd,
                l.sex,
                l.expiry,
                l.expiry_cd,
                l.optional,
            ];
            spans.extend(l.optional_cd);
            spans.extend(l.optional2);
            spans.extend(l.composite);
            spans.extend(l.composite_parts.iter().copied());
            for s in spans {
                assert!(usize::from(s.line) < l.lines, "{f:?} {s:?}");
                assert!(end(s) <= l.width, "{f:?} {s:?}");
            }
        }
    }

    #[test]
    fn lines_are_fully_covered_once() {
        for f in MrzFormat::ALL {
            let l = f.layout();
            let mut seen = vec![0u8; l.lines * l.width];
            let mut spans = vec![
                l.doc_code,
                l.issuing_state,
                l.name,
                l.doc_number,
                l.doc_number_cd,
                l.nationality,
                l.birth,
                l.birth_cd,
                l.sex,
                l.expiry,
                l.expiry_cd,
                l.optional,
            ];
            spans.extend(l.optional_cd);
            spans.extend(l.optional2);
            spans.extend(l.composite);
            for s in spans {
                for c in s.start..s.start + s.len {
                    seen[usize::from(s.line) * l.width + usize::from(c)] += 1;
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{f:?} {seen:?}");
        }
    }
}
