//! The visual inspection zone: the text printed outside the MRZ, read by OCR. Its values are found
//! by the MRZ's (names folded, dates in the formats issuers print, the document number through the
//! OCR's confusions) and compared with them, and the page's printed title names the document type.
//! Plain Rust over recognised text, so it builds everywhere; the OCR that feeds it is in
//! [`super::ocr`].

pub mod cross_check;
pub mod dates;
pub mod text;
pub mod title;

pub use cross_check::{FieldComparison, compare, visual_fields};
pub use title::document_type;

/// A line of text read in the visual zone.
#[derive(Clone, Debug, PartialEq)]
pub struct VisualLine {
    /// What the OCR read.
    pub text: String,
    /// The OCR's mean character confidence, 0 to 1.
    pub confidence: f64,
}
