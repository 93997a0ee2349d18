//! What can go wrong when moving a session along.

use super::SessionStatus;

/// A session operation that was refused. The session is left as it was, except where a variant
/// says otherwise.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The session belongs to another scenario.
    #[error("session belongs to scenario '{session}', not '{given}'")]
    ScenarioMismatch {
        /// The session's scenario.
        session: String,
        /// The scenario passed in.
        given: String,
    },
    /// The status does not allow this operation.
    #[error("a session that is {status} cannot {operation}")]
    IllegalTransition {
        /// The status.
        status: SessionStatus,
        /// What was tried.
        operation: &'static str,
    },
    /// The lifetime ran out: the session is now frozen (this error reports that move).
    #[error("session lifetime is over; the session is frozen and takes no new images")]
    Frozen,
    /// No step with that id.
    #[error("scenario has no step '{0}'")]
    UnknownStep(String),
    /// A capture for a later step before the current one is done.
    #[error("step '{given}' comes after the current step '{current}'")]
    StepOutOfOrder {
        /// The step captured for.
        given: String,
        /// The step the person is on.
        current: String,
    },
    /// A capture for a step already completed.
    #[error("step '{0}' is already completed")]
    StepCompleted(String),
    /// The images do not fit the step.
    #[error("{message}")]
    BadCapture {
        /// Stable code, `capture.*`.
        code: &'static str,
        /// For people.
        message: String,
    },
    /// An operator's decision is incomplete.
    #[error("manual decision: {0}")]
    BadDecision(String),
}

impl SessionError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ScenarioMismatch { .. } => "session.scenario_mismatch",
            Self::IllegalTransition { .. } => "session.illegal_transition",
            Self::Frozen => "session.frozen",
            Self::UnknownStep(_) => "session.unknown_step",
            Self::StepOutOfOrder { .. } => "session.step_out_of_order",
            Self::StepCompleted(_) => "session.step_completed",
            Self::BadCapture { code, .. } => code,
            Self::BadDecision(_) => "session.bad_decision",
        }
    }
}
