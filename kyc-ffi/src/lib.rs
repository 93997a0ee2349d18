//! Kotlin and Swift (and Python, for tests) bindings through uniffi. Small wrappers over kyc-core's
//! façade (`kyc_core::facade`), one to one and under its names: the core's types carry the uniffi
//! derives, and this crate converts types, maps errors and holds handles. No decision, threshold
//! or schema lives here.
//!
//! The surface is synchronous and coarse: [`parse_mrz`] (text → fields and report),
//! [`precheck_image`] (photo bytes → quality checks JSON), [`describe_scenario`],
//! [`Verifier`] / [`verify`] (scenario JSON and image bytes → result JSON, with [`FaceLists`] and
//! [`History`] attached and an [`EventListener`]), and [`CallbackReceiver`]. Every failure is one
//! [`KycError`] carrying the core's stable code.

mod callback;
mod error;
mod mrz;
mod quality;
mod scenario;
mod stores;
mod time;
mod verify;

pub use callback::{CallbackReceiver, Header};
pub use error::KycError;
pub use mrz::{MrzParse, parse_mrz};
pub use quality::precheck_image;
pub use scenario::describe_scenario;
pub use stores::{FaceLists, History};
pub use verify::{EventListener, Verifier, verify};

uniffi::setup_scaffolding!("kyc");
