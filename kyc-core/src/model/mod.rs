//! Models: the manifest of every model kyc loads, one loader that checks each file's hash, and (on
//! native hosts) the ONNX Runtime sessions built from them.

mod manifest;
#[cfg(feature = "onnx")]
mod runtime;
mod store;

pub use manifest::{LibrarySpec, Manifest, ModelSpec, manifest};
#[cfg(feature = "onnx")]
pub use runtime::{OnnxModel, Runtime, RuntimeOptions};
pub use store::{ModelError, ModelSource};
