//! What the MRZ reader measures ([`crate::document::ocr`]): the MRZ's check digits and structure,
//! and the resolution and margins of its lines. The reason codes of a refuted check digit or a
//! structure defect are the MRZ parser's own ([`CheckedField::reason`],
//! [`StructureIssue::reason`]), listed here from it: the parser builds alone, without the engine.

use super::{CheckSpec, Critical, EnabledBy, HeldTo};
use crate::check::Comparison::AtLeast;
use crate::document::mrz::{CheckedField, StructureIssue};
use crate::scenario::StepKind;

const DOC: &[StepKind] = &[StepKind::Document];

/// Share of the MRZ's check digits that must verify: every one. A structure defect (a field that
/// does not hold what its layout requires) scales the share by 0.99, so that it fails too even
/// when every digit verifies.
pub const MIN_VERIFIED_SHARE: f64 = 1.0;
/// Reason: no MRZ could be read.
pub const MRZ_NOT_FOUND: &str = "document.mrz.not_found";
/// Reason: the MRZ does not validate, with no refuted digit or structure issue to name.
pub const MRZ_INVALID: &str = "document.mrz.invalid";

/// `document.mrz`.
pub const MRZ: CheckSpec = CheckSpec {
    id: "document.mrz",
    enabled_by: EnabledBy::Switch("checks.mrz_required"),
    steps: DOC,
    held_to: HeldTo::Threshold(MIN_VERIFIED_SHARE, AtLeast),
    pass: &["document.mrz.valid"],
    fail: &[
        MRZ_NOT_FOUND,
        MRZ_INVALID,
        CheckedField::DocumentNumber.reason(),
        CheckedField::BirthDate.reason(),
        CheckedField::ExpiryDate.reason(),
        CheckedField::OptionalData.reason(),
        CheckedField::Composite.reason(),
        StructureIssue::DocumentCode.reason(),
        StructureIssue::IssuingStateCharset.reason(),
        StructureIssue::NationalityCharset.reason(),
        StructureIssue::NameCharset.reason(),
        StructureIssue::Sex.reason(),
        StructureIssue::BirthDate.reason(),
        StructureIssue::ExpiryDate.reason(),
        StructureIssue::DocumentNumberOverflow.reason(),
    ],
    unavailable: &[],
    critical: Critical::No,
    authenticity: false,
    measures: "share of the best reading's check digits that verify (0 without an MRZ); the \
               first refuted digit or structure defect names the reason",
};

/// MRZ line-box height in source pixels below which the resolution is too low to trust. OCR-B
/// needs about 10 pixels of character height; the box is about 1.5 times that.
pub const MIN_LINE_HEIGHT: f64 = 15.0;

/// `document.glare_blur.mrz_resolution`.
pub const MRZ_RESOLUTION: CheckSpec = CheckSpec {
    id: "document.glare_blur.mrz_resolution",
    enabled_by: EnabledBy::Switch("checks.glare_blur"),
    steps: DOC,
    held_to: HeldTo::Threshold(MIN_LINE_HEIGHT, AtLeast),
    pass: &["document.glare_blur.resolution_ok"],
    fail: &["document.glare_blur.low_resolution"],
    unavailable: &[],
    critical: Critical::No,
    authenticity: false,
    measures: "height in pixels of the MRZ's line boxes, when an MRZ was read",
};

/// Pixels an MRZ line's box must keep from the frame's edges: a box that reaches the edge was cut
/// by it (a genuine page keeps its margin round the MRZ, tens of pixels).
pub const MIN_MRZ_MARGIN: f64 = 3.0;

/// `document.fully_visible.mrz`.
pub const MRZ_MARGIN: CheckSpec = CheckSpec {
    id: "document.fully_visible.mrz",
    enabled_by: EnabledBy::Switch("checks.fully_visible"),
    steps: DOC,
    held_to: HeldTo::Threshold(MIN_MRZ_MARGIN, AtLeast),
    pass: &[super::document::FULLY_VISIBLE_INSIDE],
    fail: &["document.fully_visible.mrz_cut"],
    unavailable: &[],
    critical: Critical::No,
    authenticity: false,
    measures: "distance in pixels from the MRZ's line boxes to the frame's edge, per image read",
};

/// Every MRZ row.
pub const ALL: &[&CheckSpec] = &[&MRZ, &MRZ_RESOLUTION, &MRZ_MARGIN];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_digit_and_structure_reason_is_a_fail_code() {
        use CheckedField as F;
        for f in [
            F::DocumentNumber,
            F::BirthDate,
            F::ExpiryDate,
            F::OptionalData,
            F::Composite,
        ] {
            assert!(MRZ.fail.contains(&f.reason()), "{f:?}");
        }
        for issue in StructureIssue::ALL {
            assert!(MRZ.fail.contains(&issue.reason()), "{issue:?}");
        }
    }
}
