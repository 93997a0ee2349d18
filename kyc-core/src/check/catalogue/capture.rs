//! Checks of the capture itself, made before anything is uploaded (the in-page pre-check).

use super::{CheckSpec, Critical, EnabledBy, HeldTo};
use crate::scenario::StepKind;

/// `document.capture_orientation`: the frame is laid out as the step's capture screen asks.
pub const CAPTURE_ORIENTATION: CheckSpec = CheckSpec {
    id: "document.capture_orientation",
    enabled_by: EnabledBy::Precheck,
    steps: &[StepKind::Document],
    held_to: HeldTo::Rule,
    pass: &["document.capture_orientation.as_asked"],
    fail: &["document.capture_orientation.turned"],
    unavailable: &[],
    critical: Critical::No,
    authenticity: false,
    measures: "the photo is wider than high for a horizontal capture frame, higher than wide \
               for a vertical one (steps' capture_orientation)",
};

/// Every capture row.
pub const ALL: &[&CheckSpec] = &[&CAPTURE_ORIENTATION];
