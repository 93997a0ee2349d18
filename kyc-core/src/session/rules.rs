//! The engine's own rules on a capture, added to the analysers' evidence: field logic, the age
//! range, accepted document types and countries, one document per step, history, the division
//! code, and the face lists. Then the capture's outcome: failed beats unavailable beats passed.
//! Every check here is a row of the catalogue's engine area ([`catalogue::engine`]).

use jiff::Timestamp;

use super::engine::Engine;
use super::record::{CaptureOutcome, CaptureRecord, Session, StepRecord};
use crate::analysis::{
    AnalysisContext, DocumentAnalysis, FaceAnalysis, FaceListHit, HistoryVerdict,
};
use crate::check::catalogue::CheckSpec;
use crate::check::catalogue::document as document_rows;
use crate::check::catalogue::engine as rows;
use crate::check::{self, CheckOutcome, CheckResult};
use crate::document::visual::text::confusion_class;
use crate::document::{
    DocumentData, DocumentField, FieldSource, division_code, field, field_logic,
};
use crate::error::Error;
use crate::face::FaceTemplate;
use crate::scenario::{DocumentStep, Scenario, StepKind};

impl Engine {
    /// The analyser's evidence plus the engine's own document rules: field logic, age range,
    /// accepted types and countries, one document per step, history, the division code.
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
                checks.push(same_document(step_record, doc, analysis.documents_in_frame));
            }
            if scenario.fraud.block_history_mismatch {
                checks.push(self.history_check(doc)?);
            }
            if scenario.fraud.check_division_code {
                checks.extend(division_code::checks(
                    doc,
                    self.analyzers.division_codes.as_deref(),
                ));
            }
        } else {
            if scenario.limits.age_range.is_some() {
                checks.push(document_rows::AGE_RANGE.unavailable(
                    document_rows::NOT_READ,
                    "no document data to read the age from",
                ));
            }
            if scenario.fraud.block_history_mismatch {
                checks.push(rows::HISTORY.unavailable(
                    rows::HISTORY_INCOMPLETE,
                    "no document data to compare with earlier sessions",
                ));
            }
        }
        Ok(capture_record(
            self.clock.now(),
            checks,
            analysis.document,
            None,
            None,
            None,
        ))
    }

    fn history_check(&self, doc: &DocumentData) -> Result<CheckResult, Error> {
        let Some(history) = &self.analyzers.history else {
            return Ok(rows::HISTORY.unavailable(
                crate::check::catalogue::NO_ANALYSER,
                "no history store is configured",
            ));
        };
        Ok(match history.check(doc)? {
            HistoryVerdict::Consistent => rows::HISTORY.rule_as(
                true,
                rows::HISTORY_CONSISTENT,
                "no earlier approved document of this person with other data",
            ),
            HistoryVerdict::Renewal => rows::HISTORY.rule_as(
                true,
                rows::HISTORY_RENEWAL,
                "a newer document of the same person than the one approved before",
            ),
            HistoryVerdict::Conflict => rows::HISTORY.rule(
                false,
                "the same person showed a document of this type with other data before",
            ),
            HistoryVerdict::Incomplete => rows::HISTORY.unavailable(
                rows::HISTORY_INCOMPLETE,
                "the name, birth date and number were not all read from a verified MRZ",
            ),
        })
    }

    /// Records an approved session's document as its holder's reference in the history store,
    /// when one is configured. Returns whether it was recorded.
    pub(super) fn remember_history(&self, session: &Session) -> Result<bool, Error> {
        match (&self.analyzers.history, session.document()) {
            (Some(history), Some(doc)) => history.record(&doc),
            _ => Ok(false),
        }
    }

    pub(super) fn face_capture(
        &self,
        scenario: &Scenario,
        session: &Session,
        record_index: usize,
        kind: StepKind,
        analysis: FaceAnalysis,
    ) -> Result<CaptureRecord, Error> {
        let mut checks = analysis.checks;
        let template = analysis.selfie.as_ref().and_then(|s| s.template.as_ref());
        checks.extend(identity_check(
            scenario,
            session,
            record_index,
            kind,
            template,
        ));
        // A liveness face that is the document portrait again (a scenario may have no selfie
        // step, so the selfie's own check would not see it). Nothing to say without both.
        if kind == StepKind::Liveness
            && let (Some(face), Some(portrait)) =
                (template, session.document().and_then(|d| d.portrait))
        {
            checks.push(crate::face::portrait_copy::compare(
                &rows::LIVENESS_PORTRAIT_COPY,
                face,
                &portrait,
            ));
        }
        if let Some(list_id) = &scenario.blacklist_id {
            checks.push(match self.search(list_id, template)? {
                Search::Closest(Some(closest)) => blacklist_check(&closest),
                Search::Closest(None) => rows::BLACKLIST.rule(true, "the blacklist holds nobody"),
                Search::NoLists => rows::BLACKLIST.unavailable(
                    crate::check::catalogue::NO_ANALYSER,
                    "no face lists are configured",
                ),
                Search::NoTemplate => rows::BLACKLIST
                    .unavailable(rows::NO_TEMPLATE, "no face template to search with"),
            });
        }
        let mut customer = None;
        if let Some(list_id) = &scenario.customer_face_list_id {
            checks.push(match self.search(list_id, template)? {
                Search::Closest(closest) => {
                    let check = customer_check(closest.as_ref());
                    customer = closest.filter(FaceListHit::is_hit);
                    check
                }
                Search::NoLists => rows::CUSTOMER_MATCH.unavailable(
                    crate::check::catalogue::NO_ANALYSER,
                    "no face lists are configured",
                ),
                Search::NoTemplate => rows::CUSTOMER_MATCH
                    .unavailable(rows::NO_TEMPLATE, "no face template to search with"),
            });
        }
        Ok(capture_record(
            self.clock.now(),
            checks,
            None,
            analysis.selfie,
            analysis.face_match,
            customer,
        ))
    }

    fn search(&self, list_id: &str, template: Option<&FaceTemplate>) -> Result<Search, Error> {
        Ok(match (&self.analyzers.face_lists, template) {
            (None, _) => Search::NoLists,
            (Some(_), None) => Search::NoTemplate,
            (Some(lists), Some(face)) => Search::Closest(lists.closest(list_id, face)?),
        })
    }
}

/// The face of a selfie or liveness capture bound to the session's other faces: a liveness face
/// to every selfie face and the document portrait, a selfie face to every liveness face before
/// it. Each earlier step counts by its last capture that did not fail. `None` when the capture has
/// nothing to be bound to and no step could have given it (a selfie with no liveness before it:
/// its portrait match is `selfie.face_match`).
fn identity_check(
    scenario: &Scenario,
    session: &Session,
    record_index: usize,
    kind: StepKind,
    template: Option<&FaceTemplate>,
) -> Option<CheckResult> {
    let (row, wanted): (&CheckSpec, &[StepKind]) = match kind {
        StepKind::Liveness => (&rows::LIVENESS_IDENTITY, &[StepKind::Selfie]),
        StepKind::Selfie => (&rows::SELFIE_IDENTITY, &[StepKind::Liveness]),
        StepKind::Document => return None,
    };
    let earlier_steps = scenario.steps.get(..record_index).unwrap_or(&[]);
    let mut references: Vec<FaceTemplate> = earlier_steps
        .iter()
        .filter(|s| wanted.contains(&s.kind()))
        .filter_map(|s| session.step(s.id()))
        .filter_map(|record| {
            record
                .captures
                .iter()
                .rev()
                .find(|c| c.outcome != CaptureOutcome::Failed)
        })
        .filter_map(|c| c.selfie.as_ref()?.template.clone())
        .collect();
    let portrait_expected =
        kind == StepKind::Liveness && earlier_steps.iter().any(|s| s.kind() == StepKind::Document);
    if portrait_expected && let Some(portrait) = session.document().and_then(|d| d.portrait) {
        references.push(portrait);
    }
    let could_bind = earlier_steps.iter().any(|s| wanted.contains(&s.kind())) || portrait_expected;
    if !could_bind {
        return None;
    }
    let Some(face) = template else {
        return Some(row.unavailable(rows::IDENTITY_NO_FACE, "no face to bind"));
    };
    if references.is_empty() {
        return Some(row.unavailable(
            rows::IDENTITY_NOTHING_TO_BIND,
            "no earlier face of the session (selfie, document portrait) to bind it to",
        ));
    }
    let mut lowest: Option<crate::face::FaceMatch> = None;
    for reference in &references {
        let Some(m) = crate::face::matcher::compare_calibrated(face, reference) else {
            return Some(row.unavailable(
                rows::IDENTITY_INCOMPATIBLE,
                "templates of different models, or of a model without a calibrated threshold",
            ));
        };
        if lowest.as_ref().is_none_or(|l| m.score < l.score) {
            lowest = Some(m);
        }
    }
    let lowest = lowest?;
    Some(row.scored_against(
        lowest.score,
        lowest.threshold,
        format!(
            "lowest similarity to the session's {} earlier face(s)",
            references.len()
        ),
    ))
}

/// What searching a face list came to.
enum Search {
    Closest(Option<FaceListHit>),
    NoLists,
    NoTemplate,
}

fn blacklist_check(closest: &FaceListHit) -> CheckResult {
    if closest.is_hit() {
        // A similarity at the threshold is a hit, though `AtMost` would let it pass.
        let mut c = rows::BLACKLIST.scored_against(
            closest.score,
            closest.threshold,
            format!("matches blacklisted person '{}'", closest.person_id),
        );
        c.outcome = CheckOutcome::Failed;
        c.reason_code = "selfie.blacklist.hit".to_owned();
        c
    } else {
        // Who came closest is not said: nobody on the list matched.
        rows::BLACKLIST.scored_against(
            closest.score,
            closest.threshold,
            "similarity to the closest blacklisted face",
        )
    }
}

fn customer_check(closest: Option<&FaceListHit>) -> CheckResult {
    match closest {
        Some(c) if c.is_hit() => {
            let mut check = rows::CUSTOMER_MATCH.scored_against(
                c.score,
                c.threshold,
                format!("a returning customer: person '{}'", c.person_id),
            );
            check.reason_code = rows::CUSTOMER_RETURNING.to_owned();
            check
        }
        Some(c) => {
            // Below the threshold is no failure here: a new customer.
            let mut check = rows::CUSTOMER_MATCH.scored_against(
                c.score,
                c.threshold,
                "a new customer: the closest enrolled face is below the threshold",
            );
            check.outcome = CheckOutcome::Passed;
            check.reason_code = rows::CUSTOMER_NEW.to_owned();
            check
        }
        None => rows::CUSTOMER_MATCH.rule(true, "a new customer: nobody is enrolled yet"),
    }
}

fn capture_record(
    at: Timestamp,
    checks: Vec<CheckResult>,
    document: Option<DocumentData>,
    selfie: Option<crate::face::SelfieData>,
    face_match: Option<crate::face::FaceMatch>,
    customer_match: Option<FaceListHit>,
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
        customer_match,
        compacted: false,
    }
}

fn accepted_type(step: &DocumentStep, doc: &DocumentData) -> CheckResult {
    match doc.document_type {
        Some(t) => rows::TYPE_ACCEPTED.rule(
            step.document_types.contains(&t),
            format!("recognised {t:?}"),
        ),
        None => rows::TYPE_ACCEPTED.not_made("the document type was not recognised"),
    }
}

fn accepted_country(step: &DocumentStep, doc: &DocumentData) -> CheckResult {
    match &doc.issuing_state {
        Some(state) => rows::COUNTRY_ACCEPTED.rule(
            step.countries.iter().any(|c| c == state),
            format!("issued by {state}"),
        ),
        None => rows::COUNTRY_ACCEPTED.not_made("the issuing state was not read"),
    }
}

/// One document throughout the step: the analyser saw one document in this capture's frames,
/// and its number is the same as every earlier capture of this step that read one.
fn same_document(
    step: &StepRecord,
    doc: &DocumentData,
    documents_in_frame: Option<u32>,
) -> CheckResult {
    if let Some(n @ 2..) = documents_in_frame {
        return rows::SINGLE_DOCUMENT.rule_as(
            false,
            rows::TWO_DOCUMENTS_IN_CAPTURE,
            format!("{n} documents in one capture (outlines, MRZs, or sides that disagree)"),
        );
    }
    let Some(number) = doc.field(field::DOCUMENT_NUMBER) else {
        return rows::SINGLE_DOCUMENT.not_made("no document number to compare");
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
    rows::SINGLE_DOCUMENT.rule(
        other.is_none(),
        match other {
            // Numbers are personal data: say that they differ, not what they are.
            Some(_) => "an earlier capture of this step showed a different document",
            None => "one document in this capture and in the step",
        },
    )
}
