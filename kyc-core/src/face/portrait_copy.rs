//! `selfie.portrait_copy`: whether the selfie's face is a new photograph or the document's
//! portrait presented again: the page itself held up or uploaded, the portrait photographed from
//! close by, or cropped from a scan.
//!
//! Two photographs of one person, taken apart, differ in pose, light, expression and age; a copy
//! of one photograph keeps them, so its template comes much closer to the portrait's than any new
//! photograph's does. The bound per embedding model and the sets it was set and measured on are in
//! the check catalogue ([`crate::check::catalogue::selfie::PORTRAIT_COPY_BOUND`]) and
//! `docs/liveness.md`.

use super::FaceTemplate;
use super::embed::cosine;
use super::matcher::portrait_copy_bound;
use crate::check::CheckResult;
use crate::check::catalogue::CheckSpec;
use crate::check::catalogue::selfie::{
    MATCH_INCOMPATIBLE, MATCH_NO_FACE, MATCH_NO_PORTRAIT, PORTRAIT_COPY,
};

/// The selfie step's verdict (`selfie.portrait_copy`) for its template against the document
/// portrait's.
pub fn check(selfie: Option<&FaceTemplate>, portrait: Option<&FaceTemplate>) -> CheckResult {
    let row = &PORTRAIT_COPY;
    match (selfie, portrait) {
        (Some(s), Some(p)) => compare(row, s, p),
        (None, _) => row.unavailable(MATCH_NO_FACE, "no usable face in the selfie"),
        (_, None) => row.unavailable(MATCH_NO_PORTRAIT, "no portrait was found on the document"),
    }
}

/// `row`'s verdict for a face's template against the document portrait's: held below the bound
/// of the model that made both, unavailable (`face.match.incompatible`, which `row` must list)
/// when they cannot be compared.
pub fn compare(row: &CheckSpec, selfie: &FaceTemplate, portrait: &FaceTemplate) -> CheckResult {
    let compared = (selfie.model == portrait.model)
        .then(|| portrait_copy_bound(&selfie.model))
        .flatten()
        .zip(cosine(selfie, portrait));
    match compared {
        Some((bound, score)) => row.scored_against(
            f64::from(score),
            bound,
            format!(
                "cosine similarity of {} templates, against the bound for two photographs of one \
                 person",
                selfie.model
            ),
        ),
        None => row.unavailable(
            MATCH_INCOMPATIBLE,
            "templates of different models, or of a model without a portrait-copy bound",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::face::embed::SFACE;
    use crate::face::mobilefacenet::MOBILEFACENET;
    use crate::test_support::template as t;

    /// A unit vector at cosine `c` from `[1, 0]`.
    fn at(model: &str, c: f32) -> FaceTemplate {
        t(model, &[c, (1.0 - c * c).sqrt()])
    }

    #[test]
    fn a_copy_fails_and_a_new_photograph_passes_at_each_models_bound() {
        let portrait = t(SFACE, &[1.0, 0.0]);
        let copy = check(Some(&at(SFACE, 0.95)), Some(&portrait));
        assert_eq!(copy.outcome, CheckOutcome::Failed);
        assert_eq!(copy.reason_code, "face.portrait_copy.same_photo");
        assert!(copy.critical);
        assert_eq!(
            copy.threshold,
            Some(crate::check::catalogue::selfie::PORTRAIT_COPY_BOUND)
        );
        let new = check(Some(&at(SFACE, 0.80)), Some(&portrait));
        assert_eq!(new.outcome, CheckOutcome::Passed);
        assert_eq!(new.reason_code, "face.portrait_copy.new_photo");
        assert!(!new.critical);
        // MobileFaceNet scores the same pairs higher: 0.92 is a new photograph under its bound,
        // a copy under SFace's.
        let m = check(
            Some(&at(MOBILEFACENET, 0.92)),
            Some(&t(MOBILEFACENET, &[1.0, 0.0])),
        );
        assert_eq!(m.outcome, CheckOutcome::Passed);
        assert_eq!(
            check(Some(&at(SFACE, 0.92)), Some(&portrait)).outcome,
            CheckOutcome::Failed
        );
    }

    #[test]
    fn what_cannot_be_compared_is_unavailable_never_a_pass() {
        let s = t(SFACE, &[1.0, 0.0]);
        let m = t(MOBILEFACENET, &[1.0, 0.0]);
        for (got, code) in [
            (check(None, Some(&s)), MATCH_NO_FACE),
            (check(Some(&s), None), MATCH_NO_PORTRAIT),
            (check(Some(&s), Some(&m)), MATCH_INCOMPATIBLE),
            (
                check(Some(&t("other", &[1.0])), Some(&t("other", &[1.0]))),
                MATCH_INCOMPATIBLE,
            ),
        ] {
            assert_eq!(got.outcome, CheckOutcome::Unavailable);
            assert_eq!(got.reason_code, code);
        }
    }
}
