//! The engine's own rules on a capture, added to the analysers' evidence: field logic, the age
//! range, accepted document types and countries, one document per step, history, and the face
//! lists. Then the capture's outcome: failed beats unavailable beats passed.

use jiff::Timestamp;

use super::engine::Engine;
use super::record::{CaptureOutcome, CaptureRecord, Session, StepRecord};
use crate::analysis::{AnalysisContext, DocumentAnalysis, FaceAnalysis, HistoryVerdict};
use crate::check::{self, CheckOutcome, CheckResult};
use crate::document::visual::text::confusion_class;
use crate::document::{DocumentData, DocumentField, FieldSource, field, field_logic};
use crate::error::Error;
use crate::scenario::{DocumentStep, Scenario};

impl Engine {
    /// The analyser's evidence plus the engine's own document rules: field logic, age range,
    /// accepted types and countries, one document per step, history.
    pub(super) fn document_capture(
        &self,
        scenario: &Scenario,
        session: &Session,
        record_index: usize,
        step: &DocumentStep,
        analysis: DocumentAnalysis,
        ctx: &AnalysisContext<'_>,
    ) -> Result<CaptureRecord, Error> {
        let mut checks = analysis.checks;
        if let Some(doc) = &analysis.document {
            if step.checks.field_logic {
                // The analyser's own placeholder for field logic gives way to the engine's rules.
                checks.retain(|c| c.check != "document.field_logic");
                checks.extend(field_logic::check(doc, ctx.today));
            }
            if let Some(range) = scenario.limits.age_range {
                checks.push(field_logic::check_age(doc, range, ctx.today));
            }
            checks.push(accepted_type(step, doc));
            if !step.countries.is_empty() {
                checks.push(accepted_country(step, doc));
            }
            if scenario.fraud.block_different_documents_in_step
                && let Some(step_record) = session.steps.get(record_index)
            {
                checks.push(same_document(step_record, doc));
            }
            if scenario.fraud.block_history_mismatch {
                checks.push(self.history_check(scenario, doc)?);
            }
        } else if scenario.limits.age_range.is_some() {
            checks.push(CheckResult::unavailable(
                "document.age_range",
                "document.not_read",
                "no document data to read the age from",
            ));
        }
        Ok(capture_record(
            self.clock.now(),
            checks,
            analysis.document,
            None,
            None,
        ))
    }

    fn history_check(&self, scenario: &Scenario, doc: &DocumentData) -> Result<CheckResult, Error> {
        let Some(history) = &self.analyzers.history else {
            return Ok(CheckResult::unavailable(
                "document.history",
                "analysis.unavailable",
                "no history store is configured",
            ));
        };
        let verdict = history.check_and_record(scenario, doc)?;
        Ok(CheckResult::rule(
            "document.history",
            verdict == HistoryVerdict::Consistent,
            match verdict {
                HistoryVerdict::Consistent => "document.history.consistent",
                HistoryVerdict::Conflict => "document.history.conflict",
            },
            "the same person and document type against earlier submissions",
        )
        .critical())
    }

    pub(super) fn face_capture(
        &self,
        scenario: &Scenario,
        analysis: FaceAnalysis,
    ) -> Result<CaptureRecord, Error> {
        let mut checks = analysis.checks;
        let template = analysis.selfie.as_ref().and_then(|s| s.template.as_ref());
        if let Some(list_id) = &scenario.blacklist_id {
            checks.push(match (&self.analyzers.face_lists, template) {
                (Some(lists), Some(face)) => match lists.best_match(list_id, face)? {
                    Some(hit) => {
                        let mut c = CheckResult::scored(
                            "selfie.blacklist",
                            hit.score,
                            hit.threshold,
                            check::Comparison::AtMost,
                            "selfie.blacklist.clear",
                            "selfie.blacklist.hit",
                            format!("matches blacklisted person '{}'", hit.person_id),
                        );
                        // A hit at the threshold is a hit.
                        c.outcome = CheckOutcome::Failed;
                        c.reason_code = "selfie.blacklist.hit".to_owned();
                        c.critical()
                    }
                    None => CheckResult::rule(
                        "selfie.blacklist",
                        true,
                        "selfie.blacklist.clear",
                        "no blacklisted face at or above the threshold",
                    ),
                },
                (None, _) => CheckResult::unavailable(
                    "selfie.blacklist",
                    "analysis.unavailable",
                    "no face lists are configured",
                ),
                (Some(_), None) => CheckResult::unavailable(
                    "selfie.blacklist",
                    "selfie.no_template",
                    "no face template to search with",
                ),
            });
        }
        Ok(capture_record(
            self.clock.now(),
            checks,
            None,
            analysis.selfie,
            analysis.face_match,
        ))
    }
}

fn capture_record(
    at: Timestamp,
    checks: Vec<CheckResult>,
    document: Option<DocumentData>,
    selfie: Option<crate::face::SelfieData>,
    face_match: Option<crate::face::FaceMatch>,
) -> CaptureRecord {
    let outcome = match check::combine(&checks) {
        CheckOutcome::Passed => CaptureOutcome::Passed,
        CheckOutcome::Failed => CaptureOutcome::Failed,
        CheckOutcome::Unavailable => CaptureOutcome::Unavailable,
    };
    let deciding = checks
        .iter()
        .find(|c| c.outcome == CheckOutcome::Failed)
        .or_else(|| {
            checks
                .iter()
                .find(|c| c.outcome == CheckOutcome::Unavailable)
        });
    let reason_code = match deciding {
        Some(c) => c.reason_code.clone(),
        None if checks.is_empty() => "capture.no_checks".to_owned(),
        None => "capture.passed".to_owned(),
    };
    CaptureRecord {
        at,
        images: Vec::new(),
        outcome,
        reason_code,
        checks,
        document,
        selfie,
        face_match,
    }
}

fn accepted_type(step: &DocumentStep, doc: &DocumentData) -> CheckResult {
    match doc.document_type {
        Some(t) => CheckResult::rule(
            "document.type_accepted",
            step.document_types.contains(&t),
            if step.document_types.contains(&t) {
                "document.type_accepted"
            } else {
                "document.type_not_accepted"
            },
            format!("recognised {t:?}"),
        ),
        None => CheckResult::unavailable(
            "document.type_accepted",
            "document.type_unknown",
            "the document type was not recognised",
        ),
    }
}

fn accepted_country(step: &DocumentStep, doc: &DocumentData) -> CheckResult {
    match &doc.issuing_state {
        Some(state) => {
            let ok = step.countries.iter().any(|c| c == state);
            CheckResult::rule(
                "document.country_accepted",
                ok,
                if ok {
                    "document.country_accepted"
                } else {
                    "document.country_not_accepted"
                },
                format!("issued by {state}"),
            )
        }
        None => CheckResult::unavailable(
            "document.country_accepted",
            "document.country_unknown",
            "the issuing state was not read",
        ),
    }
}

/// The same document number as every earlier capture of this step that read one.
fn same_document(step: &StepRecord, doc: &DocumentData) -> CheckResult {
    let Some(number) = doc.field(field::DOCUMENT_NUMBER) else {
        return CheckResult::unavailable(
            "document.single_document",
            "document.number_not_read",
            "no document number to compare",
        );
    };
    // A number read from the visual zone may carry the OCR's look-alike slips that the MRZ's
    // check digits rule out: against it, numbers compare through them (`O` as `0`).
    let canonical = |v: &str| -> String { v.chars().map(confusion_class).collect() };
    let differs = |earlier: &DocumentField| {
        if earlier.source == FieldSource::Visual || number.source == FieldSource::Visual {
            canonical(&earlier.value) != canonical(&number.value)
        } else {
            earlier.value != number.value
        }
    };
    let other = step
        .captures
        .iter()
        .filter_map(|c| c.document.as_ref()?.field(field::DOCUMENT_NUMBER))
        .find(|earlier| differs(earlier));
    CheckResult::rule(
        "document.single_document",
        other.is_none(),
        if other.is_none() {
            "document.single_document"
        } else {
            "document.different_documents"
        },
        match other {
            // Numbers are personal data: say that they differ, not what they are.
            Some(_) => "an earlier capture of this step showed a different document".to_owned(),
            None => "no other document seen in this step".to_owned(),
        },
    )
    .critical()
}
