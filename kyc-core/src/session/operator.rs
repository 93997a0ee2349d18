//! What arrives from outside the capture flow: operators' decisions (the audit trail) and
//! registry answers, which the decision may be waiting for.

use super::engine::Engine;
use super::event::EventKind;
use super::record::{CaptureOutcome, DatabaseCheck, ManualDecision, Session};
use super::{SessionError, SessionStatus};
use crate::check::CheckResult;
use crate::error::Error;
use crate::scenario::Scenario;

impl Engine {
    /// Applies an operator's decision: `approved`, `declined` or `blocked`, with a reason. Allowed
    /// on any session not yet final (including frozen ones, those awaiting review and those
    /// waiting for registries).
    pub fn decide_manually(
        &self,
        session: &mut Session,
        operator_id: &str,
        decision: SessionStatus,
        reason: &str,
    ) -> Result<(), Error> {
        if !matches!(
            decision,
            SessionStatus::Approved | SessionStatus::Declined | SessionStatus::Blocked
        ) {
            return Err(SessionError::BadDecision(format!(
                "an operator decides approved, declined or blocked, not {decision}"
            ))
            .into());
        }
        if operator_id.trim().is_empty() || operator_id.len() > 128 {
            return Err(
                SessionError::BadDecision("operator id must be 1 to 128 bytes".into()).into(),
            );
        }
        if reason.trim().is_empty() || reason.len() > 4000 {
            return Err(SessionError::BadDecision("reason must be 1 to 4000 bytes".into()).into());
        }
        if !session.status.accepts_manual_decision() {
            return Err(SessionError::IllegalTransition {
                status: session.status,
                operation: "take a manual decision",
            }
            .into());
        }
        let at = self.clock.now();
        session.manual_decisions.push(ManualDecision {
            operator_id: operator_id.to_owned(),
            decision,
            reason: reason.to_owned(),
            at,
        });
        self.emit(
            session,
            EventKind::ManualDecisionRecorded {
                operator_id: operator_id.to_owned(),
                decision,
                reason: reason.to_owned(),
            },
        );
        self.set_status(session, decision, "decision.manual");
        if decision == SessionStatus::Approved {
            self.remember_history(session)?;
        }
        Ok(())
    }

    /// Records a database (registry) check result as it arrives and decides again: a failure
    /// declines an open session, and a session waiting for registries moves on once the last
    /// required source has answered. After a final decision, or in review, it is kept and
    /// reported but moves nothing.
    pub fn record_database_check(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        source: &str,
        result: CheckResult,
    ) {
        self.push_database_check(session, source, result);
        if session.scenario_id == scenario.id {
            // A history store's refusal on approval cannot be reported from here; the approval
            // stands (see `apply_decision`).
            let _recorded = self.apply_decision(scenario, session);
        }
    }

    /// Enrols the person of an approved session in the scenario's customer list as `person_id`,
    /// with the face of their selfie, so that their next session recognises them
    /// (`selfie.customer_match`), whatever document they bring.
    pub fn enroll_customer(
        &self,
        scenario: &Scenario,
        session: &mut Session,
        person_id: &str,
    ) -> Result<(), Error> {
        let refuse = |message: &str| -> Error {
            SessionError::BadCapture {
                code: "session.cannot_enroll",
                message: message.to_owned(),
            }
            .into()
        };
        if session.scenario_id != scenario.id {
            return Err(SessionError::ScenarioMismatch {
                session: session.scenario_id.clone(),
                given: scenario.id.clone(),
            }
            .into());
        }
        if session.status != SessionStatus::Approved {
            return Err(refuse("only an approved session's person can be enrolled"));
        }
        let Some(list_id) = &scenario.customer_face_list_id else {
            return Err(refuse("the scenario names no customer face list"));
        };
        let Some(lists) = &self.analyzers.face_lists else {
            return Err(refuse("no face lists are configured"));
        };
        let template = session
            .steps
            .iter()
            .flat_map(|s| &s.captures)
            .filter(|c| c.outcome == CaptureOutcome::Passed)
            .filter_map(|c| c.selfie.as_ref()?.template.as_ref())
            .next_back()
            .ok_or_else(|| refuse("the session holds no selfie face to enrol"))?;
        lists.enroll(list_id, person_id, template)?;
        self.emit(
            session,
            EventKind::CustomerEnrolled {
                list_id: list_id.clone(),
                person_id: person_id.to_owned(),
            },
        );
        Ok(())
    }

    pub(super) fn push_database_check(
        &self,
        session: &mut Session,
        source: &str,
        result: CheckResult,
    ) {
        self.push_screened_check(session, source, result, None);
    }

    /// Records a database check with an AML screening's answer beside its evidence.
    pub(super) fn push_screened_check(
        &self,
        session: &mut Session,
        source: &str,
        result: CheckResult,
        screening: Option<crate::aml::Screening>,
    ) {
        let check = DatabaseCheck {
            source: source.to_owned(),
            result,
            received_at: self.clock.now(),
            screening,
        };
        session.database_checks.push(check.clone());
        self.emit(session, EventKind::DatabaseCheckRecorded { check });
    }
}
