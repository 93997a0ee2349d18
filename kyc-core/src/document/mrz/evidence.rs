//! Evidence the parser returns: per check digit, per field, per policy check, with stable reason codes.

use serde::Serialize;

/// A field protected by a check digit of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckedField {
    /// Document number (with its TD1/TD2 overflow).
    DocumentNumber,
    /// Date of birth.
    BirthDate,
    /// Date of expiry.
    ExpiryDate,
    /// TD3 personal number (optional data); on the Russian passport, series digit, issue date and
    /// division code.
    OptionalData,
    /// The composite check digit over the other protected fields.
    Composite,
}

impl CheckedField {
    /// Field name as used in results.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DocumentNumber => "document_number",
            Self::BirthDate => "birth_date",
            Self::ExpiryDate => "expiry_date",
            Self::OptionalData => "optional_data",
            Self::Composite => "composite",
        }
    }

    /// Stable reason code, `document.mrz.check_digit.<field>`.
    pub const fn reason(self) -> &'static str {
        match self {
            Self::DocumentNumber => "document.mrz.check_digit.document_number",
            Self::BirthDate => "document.mrz.check_digit.birth_date",
            Self::ExpiryDate => "document.mrz.check_digit.expiry_date",
            Self::OptionalData => "document.mrz.check_digit.optional_data",
            Self::Composite => "document.mrz.check_digit.composite",
        }
    }
}

/// What a check digit says about its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The printed digit equals the computed one.
    Verified,
    /// It does not, or a `<` stands where ICAO requires a digit.
    Refuted,
    /// The field is all fillers and so is its check digit, which ICAO allows (an empty TD3 personal
    /// number, the Russian passport's absent expiry date).
    Absent,
}

/// A departure from ICAO 9303 that a known issuer prints and that is accepted, named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quirk {
    /// Belgian TD1 cards with a long document number: the issuer computed the document-number check
    /// digit over the `<` at position 15 as well (`000590240<601` → 3). ICAO excludes it. Accepted
    /// only for issuing state `BEL`, only when the ICAO computation fails.
    BelgianFillerInLongNumber,
    /// Romanian identity cards of the model issued until 2009, which did not state nationality:
    /// line 2 of their TD2 MRZ holds three digits where ICAO puts the nationality
    /// (`HD198025<5132850509...`). Accepted only for a document code starting with `I`, issuing
    /// state `ROU` and exactly three digits; no check digit covers them, and the nationality's
    /// policy then reads `document.mrz.country.nationality.not_stated`.
    RomanianDigitsForNationality,
}

/// One check digit, as printed and as computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckDigit {
    /// The field it protects.
    pub field: CheckedField,
    /// Outcome.
    pub outcome: CheckOutcome,
    /// The character printed in the check-digit position.
    pub found: char,
    /// The digit computed over the field (`None` when the field holds bytes outside the MRZ set).
    pub computed: Option<u8>,
    /// A named issuer quirk that the verification relied on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quirk: Option<Quirk>,
}

impl CheckDigit {
    /// Not refuted.
    pub fn valid(&self) -> bool {
        self.outcome != CheckOutcome::Refuted
    }

    /// Stable reason code.
    pub fn reason(&self) -> &'static str {
        self.field.reason()
    }
}

/// A check digit in result form (the example's `checks` array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Field name.
    pub field: &'static str,
    /// Not refuted.
    pub valid: bool,
    /// Outcome.
    pub outcome: CheckOutcome,
    /// Character printed.
    pub found: char,
    /// Digit computed.
    pub computed: Option<u8>,
    /// Reason code.
    pub reason: &'static str,
    /// Issuer quirk relied on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quirk: Option<Quirk>,
}

impl From<&CheckDigit> for CheckReport {
    fn from(c: &CheckDigit) -> Self {
        Self {
            field: c.field.as_str(),
            valid: c.valid(),
            outcome: c.outcome,
            found: c.found,
            computed: c.computed,
            reason: c.reason(),
            quirk: c.quirk,
        }
    }
}

/// How a field is protected, for the per-field evidence list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// Its own check digit verifies it.
    Verified,
    /// Its own check digit (or the composite, where it has none) refutes it.
    Refuted,
    /// Covered only by the composite check digit, which verifies.
    VerifiedByComposite,
    /// Empty field with an empty check digit.
    Absent,
    /// No check digit covers it (names, codes, sex, nationality...).
    NotProtected,
}

/// Evidence for one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldEvidence {
    /// Field name.
    pub field: &'static str,
    /// Protection.
    pub protection: Protection,
    /// Reason code.
    pub reason: &'static str,
}

/// A structural defect: the MRZ reads, but a field does not hold what its layout requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureIssue {
    /// The document code does not start with a letter.
    DocumentCode,
    /// Issuing state holds digits.
    IssuingStateCharset,
    /// Nationality holds digits.
    NationalityCharset,
    /// The name field holds digits (allowed only on the Russian internal passport).
    NameCharset,
    /// Sex is not `M`, `F`, `X` or `<`.
    Sex,
    /// Date of birth is no calendar date.
    BirthDate,
    /// Date of expiry is no calendar date.
    ExpiryDate,
    /// A `<` in the TD1/TD2 document-number check digit without an overflow in the optional data.
    DocumentNumberOverflow,
}

impl StructureIssue {
    /// Every structure issue.
    pub(crate) const ALL: [StructureIssue; 8] = [
        Self::DocumentCode,
        Self::IssuingStateCharset,
        Self::NationalityCharset,
        Self::NameCharset,
        Self::Sex,
        Self::BirthDate,
        Self::ExpiryDate,
        Self::DocumentNumberOverflow,
    ];

    pub(super) fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Stable reason code.
    pub const fn reason(self) -> &'static str {
        match self {
            Self::DocumentCode => "document.mrz.structure.document_code",
            Self::IssuingStateCharset => "document.mrz.structure.issuing_state",
            Self::NationalityCharset => "document.mrz.structure.nationality",
            Self::NameCharset => "document.mrz.structure.name",
            Self::Sex => "document.mrz.structure.sex",
            Self::BirthDate => "document.mrz.structure.birth_date",
            Self::ExpiryDate => "document.mrz.structure.expiry_date",
            Self::DocumentNumberOverflow => "document.mrz.structure.document_number_overflow",
        }
    }
}

/// The outcome of a policy check: facts the caller's policy decides on, never folded into `valid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyOutcome {
    /// Nothing to note.
    Pass,
    /// Worth a look (historical code, unknown date part).
    Warn,
    /// A policy would normally refuse it (specimen or unknown code, expired document).
    Fail,
}

/// One policy check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyCheck {
    /// What was checked (`issuing_state`, `nationality`, `expiry`, `birth_date`, `division_code`...).
    pub check: &'static str,
    /// Outcome.
    pub outcome: PolicyOutcome,
    /// Stable reason code.
    pub reason: &'static str,
}
