//! Analysis: each step's capture goes to the analyser the host configured, and every check the
//! step enables must come back answered. A check the analyser forgot, or an analyser the host did
//! not configure, answers `unavailable`: it can never make a capture pass.

use super::engine::Engine;
use crate::analysis::{AnalysisContext, CaptureImage, DocumentAnalysis, FaceAnalysis};
use crate::check::{CheckResult, catalogue};
use crate::error::Error;
use crate::scenario::{DocumentStep, LivenessStep, SelfieStep};

/// The check the engine makes itself from the document data, when the analyser read any.
const ENGINE_MADE: &str = "document.field_logic";

impl Engine {
    pub(super) fn analyze_document(
        &self,
        step: &DocumentStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<DocumentAnalysis, Error> {
        let mut analysis = match &self.analyzers.document {
            Some(analyzer) => analyzer.analyze(step, images, ctx)?,
            None => DocumentAnalysis {
                document: None,
                checks: unavailable(&step.checks.enabled(), "document"),
                documents_in_frame: None,
            },
        };
        let expected: Vec<&str> = step
            .checks
            .enabled()
            .into_iter()
            .filter(|id| *id != ENGINE_MADE || analysis.document.is_none())
            .collect();
        require_evidence(&expected, &mut analysis.checks);
        Ok(analysis)
    }

    pub(super) fn analyze_selfie(
        &self,
        step: &SelfieStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        let mut analysis = match &self.analyzers.face {
            Some(analyzer) => analyzer.analyze_selfie(step, images, ctx)?,
            None => FaceAnalysis {
                checks: unavailable(&step.checks.enabled(), "face"),
                ..FaceAnalysis::default()
            },
        };
        require_evidence(&step.checks.enabled(), &mut analysis.checks);
        Ok(analysis)
    }

    pub(super) fn analyze_liveness(
        &self,
        step: &LivenessStep,
        images: &[CaptureImage],
        ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        let mut analysis = match &self.analyzers.face {
            Some(analyzer) => analyzer.analyze_liveness(step, images, ctx)?,
            None => FaceAnalysis {
                checks: unavailable(&[step.check_id()], "face"),
                ..FaceAnalysis::default()
            },
        };
        require_evidence(&[step.check_id()], &mut analysis.checks);
        Ok(analysis)
    }
}

/// Adds an `unavailable` item for every enabled check the analyser gave no evidence for, so that a
/// forgetful analyser can never make a capture pass. A check counts as answered by its own id or by
/// sub-checks under it (`document.field_logic.dates` answers `document.field_logic`).
pub(super) fn require_evidence(enabled: &[&str], checks: &mut Vec<CheckResult>) {
    for id in enabled {
        let answered = checks.iter().any(|c| {
            c.check == *id
                || c.check
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.starts_with('.'))
        });
        if !answered {
            checks.push(CheckResult::unavailable(
                id,
                catalogue::NO_EVIDENCE,
                "the analyser returned no evidence for this enabled check",
            ));
        }
    }
}

fn unavailable(check_ids: &[&str], analyser: &str) -> Vec<CheckResult> {
    check_ids
        .iter()
        .map(|id| {
            CheckResult::unavailable(
                id,
                catalogue::NO_ANALYSER,
                format!("no {analyser} analyser is configured"),
            )
        })
        .collect()
}
