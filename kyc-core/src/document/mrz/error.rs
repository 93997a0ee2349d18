//! Errors of the MRZ engine: a stable machine code for callers and a message for people.

use thiserror::Error;

/// Why an MRZ could not be read at all.
///
/// A readable MRZ whose check digits fail is *not* an error: it parses and reports refuted checks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MrzError {
    /// No MRZ text was given.
    #[error("the MRZ is empty")]
    Empty,
    /// The input is larger than the engine reads, refused before any work.
    #[error("the MRZ input is {len} bytes, more than the limit of {max}")]
    TooLong {
        /// Bytes given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The number of lines fits no format.
    #[error("an MRZ has 2 or 3 lines, found {found}")]
    LineCount {
        /// Lines found.
        found: usize,
    },
    /// A line length fits no format, or the lines differ in length.
    #[error("line {line} has {found} characters: {expected}")]
    LineLength {
        /// 1-based line number.
        line: usize,
        /// Characters found.
        found: usize,
        /// What was expected, for people.
        expected: &'static str,
    },
    /// A character outside `A-Z 0-9 <`.
    #[error(
        "line {line}, column {column}: character {found:?} is not allowed in an MRZ (A-Z, 0-9, <)"
    )]
    Charset {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The character.
        found: char,
    },
    /// Lines of a known size that are not an ICAO 9303 document (for example a national format).
    #[error("unsupported document: {reason}")]
    UnsupportedFormat {
        /// What was recognised, for people.
        reason: &'static str,
    },
    /// The shape matches no format.
    #[error("unknown MRZ format: {reason}")]
    UnknownFormat {
        /// Why, for people.
        reason: &'static str,
    },
    /// OCR repair found two or more different readings that all validate; none was chosen.
    #[error("OCR repair is ambiguous: {candidates} different readings of {field} all validate")]
    AmbiguousRepair {
        /// The field whose repair is ambiguous.
        field: &'static str,
        /// How many validating readings were found (bounded).
        candidates: usize,
    },
    /// OCR text in which no MRZ-shaped group of lines was found.
    #[error("no MRZ found in the OCR text")]
    NotFound,
    /// A division-code database could not be loaded.
    #[error("division-code database: {reason}")]
    DivisionDb {
        /// Why, for people.
        reason: String,
    },
    /// A value given to the MRZ generator does not fit its field.
    #[error("cannot build an MRZ: {reason}")]
    Build {
        /// Why, for people.
        reason: String,
    },
}

impl MrzError {
    /// A stable code for programs (`mrz.line_length`, ...); never changes for a given kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "mrz.empty",
            Self::TooLong { .. } => "mrz.too_long",
            Self::LineCount { .. } => "mrz.line_count",
            Self::LineLength { .. } => "mrz.line_length",
            Self::Charset { .. } => "mrz.charset",
            Self::UnsupportedFormat { .. } => "mrz.unsupported_format",
            Self::UnknownFormat { .. } => "mrz.unknown_format",
            Self::AmbiguousRepair { .. } => "mrz.ambiguous_repair",
            Self::NotFound => "mrz.not_found",
            Self::DivisionDb { .. } => "mrz.division_db",
            Self::Build { .. } => "mrz.build",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(MrzError::Empty.code(), "mrz.empty");
        assert_eq!(MrzError::LineCount { found: 4 }.code(), "mrz.line_count");
        let e = MrzError::AmbiguousRepair {
            field: "document_number",
            candidates: 2,
        };
        assert_eq!(e.code(), "mrz.ambiguous_repair");
        assert!(e.to_string().contains("document_number"));
    }
}
