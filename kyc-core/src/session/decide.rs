//! The session's decision: a pure function of the scenario, the stored session and the time.
//!
//! The engine calls it after every capture, after every database check that arrives, and when
//! the host refreshes a session; operators' decisions are not made here (see `operator.rs`).
//! The first rule that holds wins:
//!
//! 1. **Blacklist hit**: a capture's face matched the scenario's blacklist → `blocked`
//!    (`decision.blacklist_hit`).
//! 2. **Critical errors**: captures with a failed critical (fraud) check, counted across all
//!    steps, reached `limits.critical_errors_before_block` → `blocked` (`decision.critical_errors`).
//! 3. **Attempts exhausted**: a step's failed captures exceed `limits.failed_attempts_allowed` →
//!    `declined` (`decision.attempts_exhausted`).
//! 4. **Database check failed**: a registry listed the person or document (the latest answer of
//!    any source failed), even before the steps end → `declined` (`decision.database_check_failed`).
//!    An AML potential match (`aml.sanctions`, `aml.pep`) declines only when the scenario's
//!    `aml.on_match` is `decline`; by default it holds the session for review (rule 7).
//! 5. **Steps remain**: nothing captured yet → `created` (`session.created`); the lifetime is over
//!    → `frozen` (`session.lifetime_over`); else `in_progress`, waiting for the current step's
//!    first capture (`session.awaiting_capture`) or for a retake after a failed one
//!    (`session.awaiting_retake`). [`waiting_for`] says which step and how many attempts are left.
//! 6. **Database checks pending**: a source the scenario requires (`database_checks`) has not
//!    answered and its deadline (counted from the capture that ended the last step) has not
//!    passed → `awaiting_database_checks` (`decision.awaiting_database_checks`).
//! 7. **Review needed**: a step ended with evidence that could not be made, a database check is
//!    unavailable or failed without declining (an AML potential match under `on_match: review`),
//!    an AML check the scenario enables has no answer (no document was read to screen), or a
//!    required registry let its deadline pass unanswered → `manual_review`
//!    (`decision.needs_review`).
//! 8. Otherwise → `approved` (`decision.all_steps_passed`).
//!
//! Nothing here reads a clock: the caller passes `now`.

use jiff::{SignedDuration, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SessionStatus;
use super::record::{CaptureOutcome, DatabaseCheck, Session, StepOutcome};
use crate::check::{CheckOutcome, catalogue};
use crate::scenario::{AmlOnMatch, Scenario};

/// Where the rules put a session, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The status the session should have.
    pub status: SessionStatus,
    /// Why, as a stable code.
    pub reason_code: &'static str,
}

impl Verdict {
    const fn new(status: SessionStatus, reason_code: &'static str) -> Self {
        Self {
            status,
            reason_code,
        }
    }
}

/// What an open session waits for, for the host to prompt and the operator to see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum WaitingFor {
    /// A capture of a step.
    Capture {
        /// The step the person is on.
        step_id: String,
        /// The step's last capture failed and may be retaken.
        retake: bool,
        /// Failed captures the step still allows before the session is declined.
        attempts_left: u32,
    },
    /// Answers of registries the scenario requires.
    DatabaseChecks {
        /// The sources that have not answered.
        sources: Vec<String>,
        /// When the last of them times out (the session then goes to review).
        deadline: Timestamp,
    },
}

/// The verdict on `session` under `scenario` at `now`.
pub fn decide(scenario: &Scenario, session: &Session, now: Timestamp) -> Verdict {
    use SessionStatus::*;
    let allowed = scenario.limits.failed_attempts_allowed;
    let captures = || session.steps.iter().flat_map(|s| &s.captures);

    if captures().any(|c| c.checks.iter().any(catalogue::is_blacklist_hit)) {
        return Verdict::new(Blocked, "decision.blacklist_hit");
    }
    if session.critical_errors() >= scenario.limits.critical_errors_before_block {
        return Verdict::new(Blocked, "decision.critical_errors");
    }
    if session
        .steps
        .iter()
        .any(|s| s.outcome(allowed) == Some(StepOutcome::Failed))
    {
        return Verdict::new(Declined, "decision.attempts_exhausted");
    }
    let answers = latest_answers(session);
    if answers
        .iter()
        .any(|d| d.result.outcome == CheckOutcome::Failed && declines(scenario, d))
    {
        return Verdict::new(Declined, "decision.database_check_failed");
    }
    if let Some((_, record)) = session.current_step(scenario) {
        if captures().next().is_none() {
            return if lifetime_over(scenario, session, now) {
                Verdict::new(Frozen, "session.lifetime_over")
            } else {
                Verdict::new(Created, "session.created")
            };
        }
        if lifetime_over(scenario, session, now) {
            return Verdict::new(Frozen, "session.lifetime_over");
        }
        let retake = record
            .captures
            .last()
            .is_some_and(|c| c.outcome == CaptureOutcome::Failed);
        return Verdict::new(
            InProgress,
            if retake {
                "session.awaiting_retake"
            } else {
                "session.awaiting_capture"
            },
        );
    }
    let missing = missing_sources(scenario, session);
    if missing.iter().any(|(_, deadline)| now < *deadline) {
        return Verdict::new(AwaitingDatabaseChecks, "decision.awaiting_database_checks");
    }
    let review = session
        .steps
        .iter()
        .any(|s| s.outcome(allowed) == Some(StepOutcome::NeedsReview));
    if review
        || !missing.is_empty()
        || aml_unanswered(scenario, session)
        || answers
            .iter()
            .any(|d| d.result.outcome != CheckOutcome::Passed)
    {
        return Verdict::new(ManualReview, "decision.needs_review");
    }
    Verdict::new(Approved, "decision.all_steps_passed")
}

/// What `session` waits for, when it is open: the current step, or the required database checks
/// that have not answered once the steps have ended.
pub fn waiting_for(scenario: &Scenario, session: &Session) -> Option<WaitingFor> {
    match session.status {
        SessionStatus::Created | SessionStatus::InProgress => {
            let allowed = scenario.limits.failed_attempts_allowed;
            let (_, record) = session.current_step(scenario)?;
            Some(WaitingFor::Capture {
                step_id: record.step_id.clone(),
                retake: record
                    .captures
                    .last()
                    .is_some_and(|c| c.outcome == CaptureOutcome::Failed),
                attempts_left: allowed.saturating_sub(record.failed_attempts()),
            })
        }
        SessionStatus::AwaitingDatabaseChecks => {
            let missing = missing_sources(scenario, session);
            let deadline = missing.iter().map(|(_, d)| *d).max()?;
            Some(WaitingFor::DatabaseChecks {
                sources: missing.into_iter().map(|(s, _)| s.to_owned()).collect(),
                deadline,
            })
        }
        _ => None,
    }
}

/// When the steps ended: the time of the capture that ended the last of them.
pub fn steps_ended_at(session: &Session) -> Option<Timestamp> {
    session
        .steps
        .iter()
        .flat_map(|s| &s.captures)
        .map(|c| c.at)
        .max()
}

/// The required sources that have not answered, each with its deadline.
pub fn missing_sources<'a>(scenario: &'a Scenario, session: &Session) -> Vec<(&'a str, Timestamp)> {
    let Some(ended) = steps_ended_at(session) else {
        return Vec::new();
    };
    scenario
        .database_checks
        .iter()
        .filter(|rule| {
            !session
                .database_checks
                .iter()
                .any(|d| d.source == rule.source)
        })
        .map(|rule| {
            let wait = SignedDuration::from_mins(i64::from(rule.deadline_minutes));
            (
                rule.source.as_str(),
                ended.checked_add(wait).unwrap_or(Timestamp::MAX),
            )
        })
        .collect()
}

/// Whether a failed database check declines: a registry's listing always does; an AML potential
/// match only when the scenario's `aml.on_match` is `decline` (else it holds for review).
fn declines(scenario: &Scenario, check: &DatabaseCheck) -> bool {
    if !crate::aml::is_aml_source(&check.source) {
        return true;
    }
    scenario
        .aml
        .as_ref()
        .is_some_and(|a| a.on_match == AmlOnMatch::Decline)
}

/// Whether an AML check the scenario enables has no answer (no document was read to screen).
fn aml_unanswered(scenario: &Scenario, session: &Session) -> bool {
    scenario.aml.as_ref().is_some_and(|aml| {
        aml.enabled()
            .iter()
            .any(|id| !session.database_checks.iter().any(|d| d.source == *id))
    })
}

/// The latest answer of each source, in the order the sources first answered.
fn latest_answers(session: &Session) -> Vec<&DatabaseCheck> {
    let mut latest: Vec<&DatabaseCheck> = Vec::new();
    for check in &session.database_checks {
        match latest.iter_mut().find(|d| d.source == check.source) {
            Some(slot) => *slot = check,
            None => latest.push(check),
        }
    }
    latest
}

fn lifetime_over(scenario: &Scenario, session: &Session, now: Timestamp) -> bool {
    let lifetime = SignedDuration::from_mins(i64::from(scenario.limits.session_lifetime_minutes));
    match session.created_at.checked_add(lifetime) {
        Ok(deadline) => now >= deadline,
        Err(_) => false,
    }
}
