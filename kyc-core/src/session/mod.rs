//! Sessions: one person going through one scenario. The [`Session`] is plain data the host stores
//! (it serialises to JSON and back); the [`Engine`] moves it along and tells an observer every change.
//!
//! A capture goes through `admission.rs` (may it be judged?), `analyse.rs` (the analysers'
//! evidence), `rules.rs` (the engine's own rules) and `decide.rs` (where the session stands);
//! `operator.rs` takes operators' decisions and registry answers; `screening.rs` runs AML screening; `engine.rs` ties them together.

mod admission;
mod analyse;
mod bound;
pub mod decide;
mod engine;
mod error;
mod event;
mod operator;
mod record;
mod rules;
mod run;
mod screening;
mod seal;
mod state;

pub use admission::CaptureLimits;
pub use bound::{FULL_CAPTURES_KEPT, MAX_MESSAGE_CHARS, SESSION_BUDGET, stored_len};
pub use decide::{Verdict, WaitingFor};
pub use engine::{CaptureReport, Engine, EngineBuilder};
pub use error::SessionError;
pub use event::{EventKind, NoopObserver, RecordingObserver, SessionEvent, SessionObserver};
pub use record::{
    CaptureOutcome, CaptureRecord, DatabaseCheck, Decider, ManualDecision, Origin, Session,
    StepOutcome, StepRecord,
};
pub use run::CaptureSet;
pub use screening::RescreenOutcome;
pub use seal::{SEAL_OVERHEAD, SEAL_PREFIX, SessionKey};
pub use state::SessionStatus;
