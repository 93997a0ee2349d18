//! Kotlin and Swift (and Python, for tests) bindings through uniffi. Small wrappers over kyc-core: the
//! core's types carry the uniffi derives, and this crate converts errors and holds handles. No
//! decision, threshold or schema lives here.

mod callback;
mod error;
mod scenario;

pub use callback::{CallbackReceiver, Header};
pub use error::KycError;
pub use scenario::{ScenarioSummary, validate_scenario};

uniffi::setup_scaffolding!("kyc");
