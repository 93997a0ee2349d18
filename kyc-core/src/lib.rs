//! kyc-core: the identity-verification engine.
//!
//! A host configures a [`Scenario`] (the verification flow), opens a [`Session`] per person, feeds it
//! captures through the [`Engine`], and reads a [`VerificationResult`]. Storage, transport and UI belong
//! to the host: the engine exposes traits for what it must read or remember, with in-memory defaults.
//! Time and randomness are injected ([`Clock`], [`Entropy`]) so that results are reproducible.

#![deny(unsafe_code)]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("kyc_core");
// Calendar dates cross the uniffi boundary as ISO 8601 text (`YYYY-MM-DD`), named `IsoDate` there
// (not `Date`, which would shadow Swift's Foundation.Date).
#[cfg(feature = "uniffi")]
use jiff::civil::Date as IsoDate;
#[cfg(feature = "uniffi")]
uniffi::custom_type!(IsoDate, String, {
    remote,
    lower: |date| date.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

pub mod aml;
pub mod analysis;
pub mod callback;
pub mod capture;
pub mod check;
pub mod clock;
pub mod document;
pub mod entropy;
pub mod error;
pub mod facade;
pub mod face;
pub mod forensics;
pub mod history;
pub mod image;
pub mod json;
pub mod link;
pub mod model;
pub mod quality;
pub mod registry;
pub mod report;
pub mod result;
pub mod retention;
pub mod scenario;
pub mod schema;
pub mod session;
#[cfg(test)]
pub(crate) mod test_support;

pub use analysis::{Analyzers, CaptureImage, ImageKind};
pub use check::{CheckOutcome, CheckResult};
pub use clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use entropy::{Entropy, OsEntropy, SeededEntropy};
pub use error::{Error, ErrorCode};
pub use result::VerificationResult;
pub use scenario::{Scenario, ScenarioError, Violation};
pub use session::{Engine, Session, SessionError, SessionEvent, SessionObserver, SessionStatus};
