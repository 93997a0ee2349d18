//! Documents: what was read from them and the checks that need no pixels (field logic, age).

pub mod division_code;
pub mod field_logic;
pub mod mrz;
pub mod ocr;
pub mod stamp;
pub mod visual;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::face::FaceTemplate;
use crate::scenario::DocumentType;
use visual::FieldComparison;

/// Where a field's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldSource {
    /// The machine-readable zone.
    Mrz,
    /// OCR of the visual inspection zone.
    Visual,
    /// Typed in by an operator.
    Manual,
    /// Computed by a documented rule from fields that were read (the Latin transliteration of a
    /// name printed in Cyrillic); as trustworthy as those fields.
    Derived,
}

/// Field names the engine itself reads (others may appear too).
pub mod field {
    /// Surname(s).
    pub const SURNAME: &str = "surname";
    /// Given name(s).
    pub const GIVEN_NAMES: &str = "given_names";
    /// Surname in Latin letters, ICAO 9303's transliteration, for a document that prints it in
    /// another script (a Russian internal passport's Cyrillic).
    pub const SURNAME_LATIN: &str = "surname_latin";
    /// Given name(s) in Latin letters, as [`SURNAME_LATIN`].
    pub const GIVEN_NAMES_LATIN: &str = "given_names_latin";
    /// Document number.
    pub const DOCUMENT_NUMBER: &str = "document_number";
    /// Birth date, `YYYY-MM-DD`.
    pub const BIRTH_DATE: &str = "birth_date";
    /// Issue date, `YYYY-MM-DD`.
    pub const ISSUE_DATE: &str = "issue_date";
    /// Expiry date, `YYYY-MM-DD`.
    pub const EXPIRY_DATE: &str = "expiry_date";
    /// Sex: `M`, `F` or `X`.
    pub const SEX: &str = "sex";
    /// Nationality, ICAO code.
    pub const NATIONALITY: &str = "nationality";
    /// The issuing unit's division code, `NNN-NNN` (Russian internal passport).
    pub const DIVISION_CODE: &str = "division_code";
    /// The issuing authority as printed on the page.
    pub const ISSUING_AUTHORITY: &str = "issuing_authority";
}

/// One field read from a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DocumentField {
    /// Field name, e.g. `document_number` (see [`field`]).
    pub name: String,
    /// The value as read (dates as `YYYY-MM-DD`).
    pub value: String,
    /// 0 to 1: how sure the reader is (1 for a value verified by its check digit).
    pub confidence: f64,
    /// Where it was read.
    pub source: FieldSource,
}

/// What a document capture yielded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DocumentData {
    /// Recognised type.
    pub document_type: Option<DocumentType>,
    /// 0 to 1.
    pub type_confidence: f64,
    /// Issuing state, ICAO code.
    pub issuing_state: Option<String>,
    /// Fields read.
    pub fields: Vec<DocumentField>,
    /// Each MRZ field compared with the visual zone, when that comparison ran (see
    /// [`visual::cross_check`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visual_comparison: Vec<FieldComparison>,
    /// The portrait's face template, for matching with the selfie. Kept in the session, never in
    /// results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portrait: Option<FaceTemplate>,
}

impl DocumentData {
    /// The most confident value of field `name`.
    pub fn field(&self, name: &str) -> Option<&DocumentField> {
        self.fields
            .iter()
            .filter(|f| f.name == name)
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
    }

    /// Adds fields of `other` that this one lacks, and its MRZ readings of fields this one has
    /// only from the visual zone (an ID card's front read by labels, then its back's MRZ: the
    /// check digits verify the MRZ's, and [`field`](Self::field) prefers the more confident);
    /// keeps what is already there.
    pub fn merge_missing(&mut self, other: &DocumentData) {
        if self.document_type.is_none() {
            self.document_type = other.document_type;
            self.type_confidence = other.type_confidence;
        }
        if self.issuing_state.is_none() {
            self.issuing_state.clone_from(&other.issuing_state);
        }
        for f in &other.fields {
            let held = |source: Option<FieldSource>| {
                self.fields
                    .iter()
                    .any(|s| s.name == f.name && source.is_none_or(|src| s.source == src))
            };
            let wanted = if f.source == FieldSource::Mrz {
                !held(Some(FieldSource::Mrz))
            } else {
                !held(None)
            };
            if wanted {
                self.fields.push(f.clone());
            }
        }
        if self.portrait.is_none() {
            self.portrait.clone_from(&other.portrait);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(fields: &[(&str, &str, FieldSource, f64)]) -> DocumentData {
        DocumentData {
            fields: fields
                .iter()
                .map(|(name, value, source, confidence)| DocumentField {
                    name: (*name).to_owned(),
                    value: (*value).to_owned(),
                    confidence: *confidence,
                    source: *source,
                })
                .collect(),
            ..DocumentData::default()
        }
    }

    #[test]
    fn merging_a_back_s_mrz_into_a_front_read_by_labels() {
        let mut front = data(&[
            (field::SURNAME, "NÚÑEZ", FieldSource::Visual, 0.9),
            (
                field::DOCUMENT_NUMBER,
                "CJWHX68O2",
                FieldSource::Visual,
                0.8,
            ),
        ]);
        let back = data(&[
            (field::SURNAME, "NUNEZ", FieldSource::Mrz, 1.0),
            (field::DOCUMENT_NUMBER, "CJWHX6802", FieldSource::Mrz, 1.0),
            (field::ISSUE_DATE, "2019-01-02", FieldSource::Visual, 0.9),
        ]);
        front.merge_missing(&back);
        // The verified MRZ reading wins; the printed form stays beside it.
        let number = front.field(field::DOCUMENT_NUMBER).unwrap();
        assert_eq!(
            (number.value.as_str(), number.source),
            ("CJWHX6802", FieldSource::Mrz)
        );
        assert_eq!(front.fields.len(), 5);
        // Merging again adds nothing, and visual readings never displace what is held.
        front.merge_missing(&back);
        front.merge_missing(&data(&[(
            field::ISSUE_DATE,
            "2019-01-03",
            FieldSource::Visual,
            1.0,
        )]));
        assert_eq!(front.fields.len(), 5);
        assert_eq!(front.field(field::ISSUE_DATE).unwrap().value, "2019-01-02");
    }
}
