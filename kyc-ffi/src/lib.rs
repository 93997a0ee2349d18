//! Kotlin and Swift (and Python, for tests) bindings through uniffi. Small wrappers over kyc-core: the
//! core's types carry the uniffi derives, and this crate converts errors and holds handles. No
//! decision, threshold or schema lives here.
//!
//! The surface is synchronous and coarse: [`parse_mrz`] (text → fields and report),
//! [`precheck_image`] (photo bytes → quality checks JSON),
//! [`validate_scenario`], [`verify`] / [`Verifier`] (scenario JSON and image bytes → result JSON),
//! and [`CallbackReceiver`]. Every failure is one [`KycError`] carrying the core's stable code.

mod callback;
mod error;
mod mrz;
mod quality;
mod scenario;
mod time;
mod verify;

pub use callback::{CallbackReceiver, Header};
pub use error::KycError;
pub use mrz::{MrzParse, parse_mrz};
pub use quality::precheck_image;
pub use scenario::{ScenarioSummary, validate_scenario};
pub use verify::{Verifier, verify};

uniffi::setup_scaffolding!("kyc");
