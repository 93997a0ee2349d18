//! Reading documents from images with PP-OCR (detection and recognition through ONNX Runtime) and
//! the MRZ engine's OCR repair. Pre- and post-processing are plain Rust and build everywhere; the
//! parts that run models need the `onnx` feature.

pub mod analyzer;
pub mod det;
pub mod geometry;
pub mod mrz_locate;
pub mod quality;
#[cfg(feature = "onnx")]
pub mod reader;
pub mod rec;
pub mod signature;

#[cfg(feature = "onnx")]
pub use analyzer::{OcrDocumentAnalyzer, visual_line};
#[cfg(feature = "onnx")]
pub use reader::{MrzReader, MrzReading, OcrLine, ReadOutcome, VisualText};
