//! The façade: the one surface every binding wraps, one to one and under the same names, so that
//! Python, Kotlin and Swift, and the browser get the same behaviour from the same code. A binding
//! converts types and maps [`PublicError`] to its language's error; it holds no rule, threshold,
//! schema or default of its own.
//!
//! | façade | Python (`kyc`) | Kotlin / Swift (`kyc-ffi`) | WebAssembly (`kyc-wasm`) |
//! |---|---|---|---|
//! | [`describe_scenario`] | `Scenario.from_json(..).describe()` | `describeScenario` | `describeScenario` |
//! | [`precheck_image`] | `precheck_image` | `precheckImage` | `precheckImage` |
//! | [`parse_mrz`] | `parse_mrz` | `parseMrz` | `parseMrz` |
//! | [`CallbackReceiver`] | `CallbackReceiver` | `CallbackReceiver` | `CallbackReceiver` |
//! | [`Verifier`] (one-call verify, stores) | `Engine` (sessions) | `Verifier` | — (no ONNX Runtime) |
//! | [`FaceListStore`], [`HistoryKeyStore`] | `FaceLists`, `History` | `FaceLists`, `History` | — |
//! | [`PublicError`] | `KycError` and subclasses | `KycException` | `KycError` |
//!
//! `parity_cases` in the tests writes each call's output for fixed inputs to
//! `fixtures/expected/parity.json`; every binding's own test runner compares its output with it.

mod callback;
mod error;
mod mrz;
mod precheck;
mod scenario;
mod stores;
mod verifier;

pub use callback::CallbackReceiver;
pub use error::{ErrorKind, PublicError};
pub use mrz::parse_mrz;
pub use precheck::precheck_image;
pub use scenario::{ScenarioDescription, StepDescription, describe_scenario};
pub use stores::{FaceListStore, HistoryKeyStore, Stores};
pub use verifier::Verifier;
