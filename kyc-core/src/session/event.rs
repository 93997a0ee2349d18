//! The event stream: every change to a session, in order, for hosts that show sessions live.

use std::sync::Mutex;

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SessionStatus;
use super::record::{CaptureOutcome, DatabaseCheck, Origin, StepOutcome};

/// One change to a session. `seq` counts from 1 per session with no gaps, so a host can order and
/// de-duplicate what it receives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct SessionEvent {
    /// The session.
    pub session_id: String,
    /// Position in the session's stream, from 1.
    pub seq: u64,
    /// When, by the engine's clock.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventKind {
    /// The session was opened.
    Created {
        /// Its scenario.
        scenario_id: String,
        /// How it was opened.
        origin: Origin,
    },
    /// A capture was analysed and recorded.
    CaptureRecorded {
        /// The step.
        step_id: String,
        /// 1-based attempt within the step.
        attempt: u32,
        /// How it came out.
        outcome: CaptureOutcome,
    },
    /// A step finished.
    StepCompleted {
        /// The step.
        step_id: String,
        /// How it ended.
        outcome: StepOutcome,
    },
    /// The status changed.
    StatusChanged {
        /// Before.
        from: SessionStatus,
        /// After.
        to: SessionStatus,
        /// Why, as a stable code.
        reason_code: String,
    },
    /// An operator decided.
    ManualDecisionRecorded {
        /// Who.
        operator_id: String,
        /// What.
        decision: SessionStatus,
        /// Why, in the operator's words.
        reason: String,
    },
    /// The person of an approved session was enrolled in the scenario's customer list.
    CustomerEnrolled {
        /// The customer list.
        list_id: String,
        /// The person's id in it.
        person_id: String,
    },
    /// A database (registry) check's result arrived.
    DatabaseCheckRecorded {
        /// The check.
        check: DatabaseCheck,
    },
}

/// Receives every event of every session an engine moves.
pub trait SessionObserver: Send + Sync {
    /// Called once per event, in order, on the thread that made the change.
    fn on_event(&self, event: &SessionEvent);
}

/// Discards events.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopObserver;

impl SessionObserver for NoopObserver {
    fn on_event(&self, _event: &SessionEvent) {}
}

/// Keeps every event in memory: for tests and simple hosts.
#[derive(Debug, Default)]
pub struct RecordingObserver(Mutex<Vec<SessionEvent>>);

impl RecordingObserver {
    /// The events so far.
    pub fn events(&self) -> Vec<SessionEvent> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Removes and returns the events so far.
    pub fn take(&self) -> Vec<SessionEvent> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }
}

impl SessionObserver for RecordingObserver {
    fn on_event(&self, event: &SessionEvent) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(event.clone());
    }
}
