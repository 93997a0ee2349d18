//! The session as stored data. Only what happened is kept; counts and step outcomes are derived from
//! the captures, so they can never disagree with them.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SessionStatus;
use crate::analysis::{FaceListHit, ImageKind};
use crate::check::CheckResult;
use crate::document::DocumentData;
use crate::face::{FaceMatch, SelfieData};
use crate::scenario::Scenario;

/// One person going through one scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Session {
    /// Session id (random, from the engine's entropy, or the host's).
    pub id: String,
    /// The scenario it runs.
    pub scenario_id: String,
    /// How it was opened.
    pub origin: Origin,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Where it stands.
    pub status: SessionStatus,
    /// Why it stands there, as a stable code (`session.created`, `decision.all_steps_passed`, ...).
    pub status_reason: String,
    /// One record per scenario step, in the scenario's order.
    pub steps: Vec<StepRecord>,
    /// Operators' decisions, oldest first: the audit trail.
    pub manual_decisions: Vec<ManualDecision>,
    /// Database (registry) checks as they arrived.
    pub database_checks: Vec<DatabaseCheck>,
    /// The `seq` of the last event emitted for this session.
    pub last_event_seq: u64,
}

/// How a session was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Origin {
    /// Through the API or an SDK.
    Api,
    /// Through a one-time link.
    Link {
        /// The link's id.
        link_id: String,
    },
    /// By an operator, for manual verification or tests.
    Manual {
        /// Who opened it.
        operator_id: String,
    },
}

/// Captures of one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct StepRecord {
    /// The scenario step.
    pub step_id: String,
    /// Every capture, oldest first.
    pub captures: Vec<CaptureRecord>,
}

/// How a capture came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaptureOutcome {
    /// Every check passed.
    Passed,
    /// A check failed: the person may try again while attempts remain.
    Failed,
    /// Nothing failed but some check could not be made: an operator must look.
    Unavailable,
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// A capture passed.
    Passed,
    /// More failed captures than allowed.
    Failed,
    /// A capture could not be fully checked.
    NeedsReview,
}

/// One analysed capture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct CaptureRecord {
    /// When it was analysed.
    pub at: Timestamp,
    /// What its images showed (the bytes stay with the host).
    pub images: Vec<ImageKind>,
    /// How it came out.
    pub outcome: CaptureOutcome,
    /// The deciding reason: the first failed (else unavailable) check's code, or `capture.passed`.
    pub reason_code: String,
    /// Every check's evidence.
    pub checks: Vec<CheckResult>,
    /// What a document capture read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentData>,
    /// What a selfie or liveness capture measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selfie: Option<SelfieData>,
    /// Selfie against document portrait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_match: Option<FaceMatch>,
    /// The enrolled customer the face matched, when the scenario searches a customer list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_match: Option<FaceListHit>,
    /// An older failed capture whose evidence was cut to its failed checks to bound the stored
    /// session (see `session/bound.rs`); its outcome, reason and critical failures stand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compacted: bool,
}

impl CaptureRecord {
    /// Whether a fraud signal failed in this capture.
    pub fn has_critical_failure(&self) -> bool {
        self.checks.iter().any(CheckResult::is_critical_failure)
    }
}

/// An operator's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ManualDecision {
    /// Who decided.
    pub operator_id: String,
    /// `approved`, `declined` or `blocked`.
    pub decision: SessionStatus,
    /// Why, in the operator's words.
    pub reason: String,
    /// When, by the engine's clock.
    pub at: Timestamp,
}

/// Who made the current decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Decider {
    /// The engine, from the evidence.
    Engine,
    /// An operator.
    Operator {
        /// Who.
        operator_id: String,
    },
}

/// A database (registry) check's result, e.g. an invalid-passport list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DatabaseCheck {
    /// Which database, e.g. `mvd.invalid_passports`.
    pub source: String,
    /// The evidence.
    pub result: CheckResult,
    /// When it arrived.
    pub received_at: Timestamp,
    /// An AML screening's answer (`aml.sanctions`, `aml.pep`): the lists read, the threshold,
    /// and each potential match with its score and which name parts matched how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<crate::aml::Screening>,
}

impl StepRecord {
    /// Failed captures so far.
    pub fn failed_attempts(&self) -> u32 {
        let n = self
            .captures
            .iter()
            .filter(|c| c.outcome == CaptureOutcome::Failed)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// How the step ended, if it has: a passed capture passes it, an unavailable one hands it to
    /// review, and failures beyond `failed_attempts_allowed` fail it.
    pub fn outcome(&self, failed_attempts_allowed: u32) -> Option<StepOutcome> {
        match self.captures.last().map(|c| c.outcome) {
            Some(CaptureOutcome::Passed) => Some(StepOutcome::Passed),
            Some(CaptureOutcome::Unavailable) => Some(StepOutcome::NeedsReview),
            Some(CaptureOutcome::Failed) if self.failed_attempts() > failed_attempts_allowed => {
                Some(StepOutcome::Failed)
            }
            _ => None,
        }
    }
}

impl Session {
    /// Captures with a failed fraud signal, across all steps.
    pub fn critical_errors(&self) -> u32 {
        let n = self
            .steps
            .iter()
            .flat_map(|s| &s.captures)
            .filter(|c| c.has_critical_failure())
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// The record of step `step_id`.
    pub fn step(&self, step_id: &str) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.step_id == step_id)
    }

    /// The first step not yet ended, with its index: where the person is.
    pub fn current_step(&self, scenario: &Scenario) -> Option<(usize, &StepRecord)> {
        let allowed = scenario.limits.failed_attempts_allowed;
        self.steps
            .iter()
            .enumerate()
            .find(|(_, s)| s.outcome(allowed).is_none())
    }

    /// The document data of every document capture that passed or went to review, merged in step
    /// order: what the session knows about the document.
    pub fn document(&self) -> Option<DocumentData> {
        let mut merged: Option<DocumentData> = None;
        for capture in self.steps.iter().flat_map(|s| &s.captures) {
            if capture.outcome == CaptureOutcome::Failed {
                continue;
            }
            if let Some(doc) = &capture.document {
                match &mut merged {
                    Some(m) => m.merge_missing(doc),
                    None => merged = Some(doc.clone()),
                }
            }
        }
        merged
    }

    /// Who made the current decision.
    pub fn decider(&self) -> Decider {
        match self.manual_decisions.last() {
            Some(d) if d.decision == self.status => Decider::Operator {
                operator_id: d.operator_id.clone(),
            },
            _ => Decider::Engine,
        }
    }

    /// Parses a stored session (bounded like all JSON input).
    pub fn from_json(text: &str) -> Result<Self, crate::json::JsonError> {
        crate::json::from_str(text)
    }

    /// The session as JSON, for the host's storage.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
