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
    /// A sealed stored session whose seal does not match its JSON: it was changed after sealing,
    /// or sealed under another key.
    #[error(
        "the stored session's seal does not match: changed after it was stored, or another key"
    )]
    SealMismatch,
    /// The host loads under a key and the stored text carries no seal.
    #[error("the stored session is not sealed, and this host loads sealed sessions only")]
    Unsealed,
    /// A sealed stored session loaded without a key to check it.
    #[error("the stored session is sealed: load it with the host's session key")]
    SealKeyMissing,
    /// The capture ran past its time budget ([`crate::capture::Deadline`]); it was not recorded.
    #[error("the capture ran past its budget of {budget_ms} ms and stopped before {stage}")]
    DeadlineExceeded {
        /// The stage it stopped before.
        stage: &'static str,
        /// The budget.
        budget_ms: u64,
    },
    /// The host cancelled the capture; it was not recorded.
    #[error("the capture was cancelled before {stage}")]
    Cancelled {
        /// The stage it stopped before.
        stage: &'static str,
    },
    /// A session key of the wrong length.
    #[error("a session key is 32 to 512 bytes, not {0}")]
    SealKeyLength(usize),
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
            Self::SealMismatch => "session.seal_mismatch",
            Self::Unsealed => "session.unsealed",
            Self::SealKeyMissing => "session.seal_key_missing",
            Self::SealKeyLength(_) => "session.seal_key_length",
            Self::DeadlineExceeded { .. } => "capture.deadline_exceeded",
            Self::Cancelled { .. } => "capture.cancelled",
        }
    }
}
