//! The visual inspection zone: the text printed outside the MRZ, read by OCR. Its values are found
//! by the MRZ's (names folded, dates in the formats issuers print, the document number through the
//! OCR's confusions) and compared with them, and the page's printed title names the document type.
//! Plain Rust over recognised text, so it builds everywhere; the OCR that feeds it is in
//! [`super::ocr`].

pub mod cross_check;
pub mod dates;
pub mod labelled;
pub mod printed;
pub mod text;
pub mod title;

pub use cross_check::{FieldComparison, compare, visual_fields};
pub use labelled::labelled_fields;
pub use title::document_type;

/// A line of text read in the visual zone.
#[derive(Clone, Debug, PartialEq)]
pub struct VisualLine {
    /// What the OCR read.
    pub text: String,
    /// The OCR's mean character confidence, 0 to 1.
    pub confidence: f64,
    /// Where it was printed, when known.
    pub place: Option<LinePlace>,
}

/// Where a line was printed, in pixels along the page's reading direction (`along`, left to right)
/// and across it (`down`, top to bottom), whatever the photo's rotation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinePlace {
    /// Centre, along the reading direction.
    pub along: f64,
    /// Centre, across it.
    pub down: f64,
    /// Length along the reading direction.
    pub width: f64,
    /// Height of the text.
    pub height: f64,
}
