//! Models: the manifest of every model kyc loads, one loader that checks each file's hash, and (on
//! native hosts) the ONNX Runtime sessions built from them.

#[cfg(feature = "onnx")]
mod analyzers;
#[cfg(feature = "onnx")]
mod graph_edit;
#[cfg(feature = "onnx")]
mod initializer_inputs;
mod lazy;
mod manifest;
#[cfg(feature = "onnx")]
mod onnx_fields;
#[cfg(feature = "onnx")]
mod prelu;
#[cfg(feature = "onnx")]
mod proto;
#[cfg(feature = "onnx")]
mod runtime;
mod store;

#[cfg(feature = "onnx")]
pub use analyzers::ModelAnalyzers;
#[cfg(feature = "onnx")]
pub use analyzers::analyzers;
#[cfg(feature = "onnx")]
pub use graph_edit::GraphEdit;
pub use lazy::LazyModel;
pub use manifest::{LibrarySpec, Manifest, ModelOrigin, ModelSpec, manifest};
#[cfg(feature = "onnx")]
pub use runtime::{OnnxModel, Runtime, RuntimeOptions};
pub use store::{ModelError, ModelSource};
