//! The result JSON hosts get: the same structure an API response would have. Built from a session and
//! its scenario alone, so it is reproducible from stored data. Face templates never appear in it.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::FaceListHit;
use crate::check::{self, CheckOutcome, CheckResult, catalogue};
use crate::document::DocumentField;
use crate::face::{FaceMatch, Gender};
use crate::scenario::{CaptureOrientation, DocumentType, Scenario, StepKind};
use crate::session::decide::{self, WaitingFor};
use crate::session::{DatabaseCheck, Decider, Session, SessionStatus, StepOutcome, StepRecord};

/// Bumped on any change a strict reader would notice.
pub const RESULT_SCHEMA_VERSION: u32 = 1;

/// A verification's outcome with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct VerificationResult {
    /// [`RESULT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The session.
    pub session_id: String,
    /// Its scenario.
    pub scenario_id: String,
    /// Where it stands, why, and who decided.
    pub decision: Decision,
    /// When the session was opened.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// The document, when a document step ran.
    pub document: Option<DocumentBlock>,
    /// The selfie, when a selfie step ran.
    pub selfie: Option<SelfieBlock>,
    /// Liveness, when a liveness step ran.
    pub liveness: Option<LivenessBlock>,
    /// Selfie against document portrait.
    pub face_match: Option<FaceMatch>,
    /// The enrolled customer the selfie matched, when the scenario searches a customer list:
    /// a returning customer, with their person id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_match: Option<FaceListHit>,
    /// Database (registry) checks.
    pub database_checks: Vec<DatabaseCheck>,
    /// Every step in order.
    pub steps: Vec<StepSummary>,
    /// On any status but approved: what stood in the way.
    pub failure: Option<Failure>,
}

/// The decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Decision {
    /// The session's status.
    pub status: SessionStatus,
    /// Why, as a stable code.
    pub reason_code: String,
    /// The engine or an operator.
    pub decided_by: Decider,
    /// While the session is open: the step it waits for (with whether a retake is due and the
    /// attempts left), or the registries whose answers it waits for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_for: Option<WaitingFor>,
    /// The scenario's `mobile_redirect_url`, on an approved session: where the mobile flow sends
    /// the person next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

/// Whether the document looks genuine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Authenticity {
    /// Every authenticity check ran and passed.
    Genuine,
    /// An authenticity check failed.
    Suspicious,
    /// Some authenticity check could not be made.
    NotVerified,
}

/// The document block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DocumentBlock {
    /// Recognised type.
    pub document_type: Option<DocumentType>,
    /// 0 to 1.
    pub type_confidence: f64,
    /// Issuing state.
    pub issuing_state: Option<String>,
    /// Fields with confidence and source.
    pub fields: Vec<DocumentField>,
    /// Each MRZ field compared with the visual zone (which field, the MRZ's value, the printed
    /// value found, its confidence), when `document.visual_mrz_match` ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visual_comparison: Vec<crate::document::visual::FieldComparison>,
    /// From the authenticity checks.
    pub authenticity: Authenticity,
    /// Every check of the deciding capture of each document step.
    pub checks: Vec<CheckResult>,
}

/// The selfie block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct SelfieBlock {
    /// Faces found.
    pub faces_found: Option<u32>,
    /// Estimated age.
    pub estimated_age: Option<f64>,
    /// Estimated gender.
    pub estimated_gender: Option<Gender>,
    /// Its probability.
    pub gender_probability: Option<f64>,
    /// Every check of the deciding capture.
    pub checks: Vec<CheckResult>,
}

/// The liveness block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct LivenessBlock {
    /// Every check of the deciding capture.
    pub checks: Vec<CheckResult>,
}

/// One step's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct StepSummary {
    /// The step.
    pub step_id: String,
    /// Its kind.
    pub kind: StepKind,
    /// How it ended; `null` while open.
    pub outcome: Option<StepOutcome>,
    /// Captures made.
    pub attempts: u32,
    /// Captures failed.
    pub failed_attempts: u32,
    /// The last capture's deciding reason.
    pub reason_code: Option<String>,
    /// Document steps: how the capture frame is laid out (the scenario's `capture_orientation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_orientation: Option<CaptureOrientation>,
}

/// What stood in the way of approval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Failure {
    /// The status's reason code.
    pub reason_code: String,
    /// For people.
    pub message: String,
    /// Failed and unavailable checks of the deciding captures.
    pub checks: Vec<CheckResult>,
}

impl VerificationResult {
    /// The result of `session` under `scenario`.
    pub fn build(scenario: &Scenario, session: &Session) -> Self {
        let allowed = scenario.limits.failed_attempts_allowed;
        let last_checks = |kind: StepKind| -> Vec<CheckResult> {
            steps_of(scenario, session, kind)
                .filter_map(|s| s.captures.last())
                .flat_map(|c| c.checks.iter().cloned())
                .collect()
        };

        let document = has_kind(scenario, StepKind::Document).then(|| {
            let data = session.document().unwrap_or_default();
            let checks = last_checks(StepKind::Document);
            DocumentBlock {
                document_type: data.document_type,
                type_confidence: data.type_confidence,
                issuing_state: data.issuing_state,
                fields: data.fields,
                visual_comparison: data.visual_comparison,
                authenticity: authenticity(&checks),
                checks,
            }
        });

        let selfie_capture = steps_of(scenario, session, StepKind::Selfie)
            .filter_map(|s| s.captures.last())
            .last();
        let selfie = has_kind(scenario, StepKind::Selfie).then(|| {
            let data = selfie_capture.and_then(|c| c.selfie.as_ref());
            SelfieBlock {
                faces_found: data.map(|d| d.faces_found),
                estimated_age: data.and_then(|d| d.estimated_age),
                estimated_gender: data.and_then(|d| d.estimated_gender.map(|g| g.0)),
                gender_probability: data.and_then(|d| d.estimated_gender.map(|g| g.1)),
                checks: last_checks(StepKind::Selfie),
            }
        });
        let liveness = has_kind(scenario, StepKind::Liveness).then(|| LivenessBlock {
            checks: last_checks(StepKind::Liveness),
        });

        let steps: Vec<StepSummary> = scenario
            .steps
            .iter()
            .map(|step| {
                let record = session.step(step.id());
                StepSummary {
                    step_id: step.id().to_owned(),
                    kind: step.kind(),
                    outcome: record.and_then(|r| r.outcome(allowed)),
                    attempts: record
                        .map(|r| u32::try_from(r.captures.len()).unwrap_or(u32::MAX))
                        .unwrap_or(0),
                    failed_attempts: record.map(StepRecord::failed_attempts).unwrap_or(0),
                    reason_code: record
                        .and_then(|r| r.captures.last())
                        .map(|c| c.reason_code.clone()),
                    capture_orientation: match step {
                        crate::scenario::Step::Document(d) => Some(d.capture_orientation),
                        _ => None,
                    },
                }
            })
            .collect();

        let failure = (session.status != SessionStatus::Approved).then(|| Failure {
            reason_code: session.status_reason.clone(),
            message: failure_message(session.status),
            checks: session
                .steps
                .iter()
                .filter_map(|s| s.captures.last())
                .flat_map(|c| &c.checks)
                .chain(session.database_checks.iter().map(|d| &d.result))
                .filter(|c| c.outcome != CheckOutcome::Passed)
                .cloned()
                .collect(),
        });

        Self {
            schema_version: RESULT_SCHEMA_VERSION,
            session_id: session.id.clone(),
            scenario_id: session.scenario_id.clone(),
            decision: Decision {
                status: session.status,
                reason_code: session.status_reason.clone(),
                decided_by: session.decider(),
                waiting_for: decide::waiting_for(scenario, session),
                redirect_url: (session.status == SessionStatus::Approved)
                    .then(|| scenario.mobile_redirect_url.clone())
                    .flatten(),
            },
            created_at: session.created_at,
            updated_at: session.updated_at,
            document,
            selfie,
            liveness,
            face_match: selfie_capture.and_then(|c| c.face_match.clone()),
            customer_match: selfie_capture.and_then(|c| c.customer_match.clone()),
            database_checks: session.database_checks.clone(),
            steps,
            failure,
        }
    }

    /// Pretty JSON with a stable key order (struct order) and a final newline, as golden files hold.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn has_kind(scenario: &Scenario, kind: StepKind) -> bool {
    scenario.steps.iter().any(|s| s.kind() == kind)
}

fn steps_of<'a>(
    scenario: &'a Scenario,
    session: &'a Session,
    kind: StepKind,
) -> impl Iterator<Item = &'a StepRecord> + 'a {
    scenario
        .steps
        .iter()
        .filter(move |s| s.kind() == kind)
        .filter_map(move |s| session.step(s.id()))
}

/// The document's authenticity from the checks whose catalogue rows speak to it (sub-checks
/// included: a failed `document.printout.halftone` makes it suspicious).
fn authenticity(checks: &[CheckResult]) -> Authenticity {
    let relevant: Vec<CheckResult> = checks
        .iter()
        .filter(|c| catalogue::is_authenticity(c))
        .cloned()
        .collect();
    match check::combine(&relevant) {
        CheckOutcome::Passed => Authenticity::Genuine,
        CheckOutcome::Failed => Authenticity::Suspicious,
        CheckOutcome::Unavailable => Authenticity::NotVerified,
    }
}

fn failure_message(status: SessionStatus) -> String {
    match status {
        SessionStatus::Created => "no capture has been made yet",
        SessionStatus::InProgress => "steps remain to be completed",
        SessionStatus::Approved => "approved",
        SessionStatus::Declined => "the verification was declined",
        SessionStatus::Blocked => "the session was blocked as fraudulent",
        SessionStatus::Frozen => "the session's lifetime ran out before it was completed",
        SessionStatus::ManualReview => {
            "some evidence could not be checked: an operator must decide"
        }
        SessionStatus::AwaitingDatabaseChecks => {
            "every step is done; the decision waits for registry checks"
        }
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::catalogue::document as rows;

    #[test]
    fn a_failed_authenticity_sub_check_makes_the_document_suspicious() {
        let passed = [
            rows::SCREEN_PHOTO.scored(1.0, ""),
            rows::PRINTOUT_COLOUR.scored(40.0, ""),
            rows::BLUR.scored(10.0, ""),
        ];
        // A blurred photo is unreadable, not forged: only authenticity rows count.
        assert_eq!(authenticity(&passed), Authenticity::Genuine);
        let mut checks = passed.to_vec();
        checks.push(rows::PRINTOUT_HALFTONE.scored(7.5, "printed"));
        assert_eq!(checks[3].reason_code, "document.printout.halftone");
        assert_eq!(authenticity(&checks), Authenticity::Suspicious);
        checks[3] = rows::PRINTOUT_HALFTONE.unavailable("analysis.no_evidence", "");
        assert_eq!(authenticity(&checks), Authenticity::NotVerified);
        // Readability checks and unknown ids do not count.
        let other = [
            rows::SCREEN_PHOTO.scored(1.0, ""),
            CheckResult::unavailable("document.mrz", "analysis.unavailable", ""),
        ];
        assert_eq!(authenticity(&other), Authenticity::Genuine);
        // The engine's rules count until their rows arrive.
        let history = CheckResult::unavailable("document.history", "analysis.unavailable", "");
        assert_eq!(
            authenticity(&[passed[0].clone(), history]),
            Authenticity::NotVerified
        );
    }
}
