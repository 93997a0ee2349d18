//! Models: the manifest of every model kyc loads, one loader that checks each file's hash, and (on
//! native hosts) the ONNX Runtime sessions built from them.

#[cfg(feature = "onnx")]
mod analyzers;
#[cfg(any(feature = "onnx", feature = "fuzzing"))]
mod graph_edit;
#[cfg(any(feature = "onnx", feature = "fuzzing"))]
mod initializer_inputs;
mod lazy;
mod manifest;
#[cfg(any(feature = "onnx", feature = "fuzzing"))]
mod onnx_fields;
#[cfg(any(feature = "onnx", feature = "fuzzing"))]
mod prelu;
#[cfg(any(feature = "onnx", feature = "fuzzing"))]
mod proto;
#[cfg(feature = "onnx")]
mod runtime;
mod store;

#[cfg(feature = "onnx")]
pub use analyzers::ModelAnalyzers;
#[cfg(feature = "onnx")]
pub use analyzers::analyzers;
#[cfg(any(feature = "onnx", feature = "fuzzing"))]
pub use graph_edit::GraphEdit;
pub use lazy::LazyModel;
pub use manifest::{LibrarySpec, Manifest, ModelOrigin, ModelSpec, manifest};
#[cfg(feature = "onnx")]
pub use runtime::{LibraryCheck, OnnxModel, Runtime, RuntimeOptions};
pub use store::{ModelError, ModelSource};

/// The byte-level model edits, for the fuzz crate (`fuzz/`) only: they read model files before
/// ONNX Runtime does, so they are fuzzed without it. Not a stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use super::graph_edit::apply;
    pub use super::initializer_inputs::strip_initializer_inputs;
    pub use super::proto::ProtoError;
}
