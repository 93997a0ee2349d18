//! The face-match decision: cosine similarity of SFace templates held to a calibrated threshold.
//!
//! Operating point (measured by `examples/eval_faces.rs` on the 305 labelled pairs of the shared
//! evaluation set: see the issue notes for the figures): the threshold sits inside the gap between
//! the lowest genuine and the highest impostor score, nearer the genuine side, because a false
//! match (someone passing as another) costs a KYC user more than a false non-match (a retry).

use super::embed::cosine;
use super::{FaceMatch, FaceTemplate};
use crate::check::{CheckOutcome, CheckResult, Comparison};

/// Cosine similarity at or above which two SFace templates are taken as the same person.
pub const FACE_MATCH_THRESHOLD: f64 = 0.45;

/// Compares two templates; `None` when they cannot be compared (different models or sizes).
pub fn compare(a: &FaceTemplate, b: &FaceTemplate, threshold: f64) -> Option<FaceMatch> {
    let score = f64::from(cosine(a, b)?);
    Some(FaceMatch {
        score,
        threshold,
        outcome: if score >= threshold {
            CheckOutcome::Passed
        } else {
            CheckOutcome::Failed
        },
        model: a.model.clone(),
    })
}

/// The evidence item for a face match.
pub fn check(check_id: &str, m: &FaceMatch) -> CheckResult {
    CheckResult::scored(
        check_id,
        m.score,
        m.threshold,
        Comparison::AtLeast,
        "face.match.same_person",
        "face.match.different_person",
        format!("cosine similarity of {} templates", m.model),
    )
}
