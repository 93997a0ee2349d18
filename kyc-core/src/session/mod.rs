//! Sessions: one person going through one scenario. The [`Session`] is plain data the host stores
//! (it serialises to JSON and back); the [`Engine`] moves it along and tells an observer every change.

mod engine;
mod error;
mod event;
mod record;
mod run;
mod state;

pub use engine::{CaptureLimits, CaptureReport, Engine, EngineBuilder};
pub use error::SessionError;
pub use event::{EventKind, NoopObserver, RecordingObserver, SessionEvent, SessionObserver};
pub use record::{
    CaptureOutcome, CaptureRecord, DatabaseCheck, Decider, ManualDecision, Origin, Session,
    StepOutcome, StepRecord,
};
pub use run::CaptureSet;
pub use state::SessionStatus;
