//! The face-match decision: cosine similarity of two templates of one model held to that model's
//! calibrated threshold.
//!
//! Operating points (measured by `examples/eval_faces.rs [--embedder ...]` on the 305 labelled
//! pairs of the shared evaluation set): each threshold sits inside the gap between the lowest
//! genuine and the highest impostor score, nearer the genuine side, because a false match (someone
//! passing as another) costs a KYC user more than a false non-match (a retry). The thresholds,
//! with their figures, live in the check catalogue ([`crate::check::catalogue::selfie`]) and are
//! re-exported here; [`threshold_for`] picks the one of a model.

use super::embed::{SFACE, cosine};
use super::mobilefacenet::MOBILEFACENET;
use super::{FaceMatch, FaceTemplate};
use crate::check::catalogue::CheckSpec;
pub use crate::check::catalogue::selfie::{
    FACE_MATCH_THRESHOLD, MOBILEFACENET_MATCH_THRESHOLD, MOBILEFACENET_PORTRAIT_COPY_BOUND,
    PORTRAIT_COPY_BOUND,
};
use crate::check::{CheckOutcome, CheckResult};

/// The calibrated threshold for templates made by `model`; `None` for a model kyc has no
/// calibration for.
pub fn threshold_for(model: &str) -> Option<f64> {
    match model {
        SFACE => Some(FACE_MATCH_THRESHOLD),
        MOBILEFACENET => Some(MOBILEFACENET_MATCH_THRESHOLD),
        _ => None,
    }
}

/// The similarity from which a selfie's face is the document portrait itself rather than a new
/// photograph (`selfie.portrait_copy`), for templates made by `model`; `None` for a model without
/// one.
pub fn portrait_copy_bound(model: &str) -> Option<f64> {
    match model {
        SFACE => Some(PORTRAIT_COPY_BOUND),
        MOBILEFACENET => Some(MOBILEFACENET_PORTRAIT_COPY_BOUND),
        _ => None,
    }
}

/// Compares two templates at the threshold of the model that made them; `None` when they cannot
/// be compared (different models or sizes) or the model has no calibrated threshold.
pub fn compare_calibrated(a: &FaceTemplate, b: &FaceTemplate) -> Option<FaceMatch> {
    compare(a, b, threshold_for(&a.model)?)
}

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

/// The evidence item of `row` (a face-match row, held to the model's threshold) for a match.
pub fn check(row: &CheckSpec, m: &FaceMatch) -> CheckResult {
    row.scored_against(
        m.score,
        m.threshold,
        format!("cosine similarity of {} templates", m.model),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::template as t;

    #[test]
    fn the_threshold_follows_the_model_that_made_the_templates() {
        let (a, b) = (t(SFACE, &[1.0, 0.0]), t(SFACE, &[1.0, 0.0]));
        assert_eq!(
            compare_calibrated(&a, &b).unwrap().threshold,
            FACE_MATCH_THRESHOLD
        );
        let (c, d) = (t(MOBILEFACENET, &[1.0, 0.0]), t(MOBILEFACENET, &[0.0, 1.0]));
        let m = compare_calibrated(&c, &d).unwrap();
        assert_eq!(m.threshold, MOBILEFACENET_MATCH_THRESHOLD);
        assert_eq!(m.outcome, CheckOutcome::Failed);
        assert_eq!(m.model, MOBILEFACENET);
        // Across models, or for a model without calibration: no comparison at all.
        assert!(compare_calibrated(&a, &c).is_none());
        assert!(compare_calibrated(&t("other", &[1.0]), &t("other", &[1.0])).is_none());
    }
}
