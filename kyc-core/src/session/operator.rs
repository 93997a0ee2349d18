//! What arrives from outside the capture flow: operators' decisions (the audit trail) and
//! registry answers, which the decision may be waiting for.

use super::engine::Engine;
use super::event::EventKind;
use super::record::{DatabaseCheck, ManualDecision, Session};
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
            self.apply_decision(scenario, session);
        }
    }

    pub(super) fn push_database_check(
        &self,
        session: &mut Session,
        source: &str,
        result: CheckResult,
    ) {
        let check = DatabaseCheck {
            source: source.to_owned(),
            result,
            received_at: self.clock.now(),
        };
        session.database_checks.push(check.clone());
        self.emit(session, EventKind::DatabaseCheckRecorded { check });
    }
}
