//! Captures: what a person hands in for one step (images, each saying what it shows), and what
//! each kind of step requires of a capture ([`requirement`]). The session admits a capture only
//! when it holds exactly what its step requires.

mod deadline;
mod requirement;

use std::sync::{Arc, OnceLock};

use image::RgbImage;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::image::{ImageError, ImageLimits};

#[cfg(not(target_arch = "wasm32"))]
pub use deadline::InstantTicker;
pub use deadline::{CancelHandle, Deadline, ManualTicker, NO_DEADLINE, Ticker};
pub use requirement::{
    CaptureRequirement, MAX_LIVENESS_FRAMES, MIN_LIVENESS_FRAMES, document_image_kind,
};

/// What an image of a capture shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImageKind {
    /// The document's front (or a passport's data page).
    DocumentFront,
    /// The document's back.
    DocumentBack,
    /// A selfie.
    Selfie,
    /// A selfie with the document held in hand.
    SelfieWithDocument,
    /// One frame of an active-liveness sequence.
    LivenessFrame,
}

/// Pixel layouts accepted as raw camera frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PixelFormat {
    /// 3 bytes a pixel.
    Rgb8,
    /// 4 bytes a pixel.
    Rgba8,
}

/// Image bytes as the host has them.
#[derive(Clone, PartialEq, Eq)]
pub enum ImageData {
    /// An encoded file (JPEG, PNG, WebP).
    Encoded(Vec<u8>),
    /// A raw frame, row-major without padding.
    Raw {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Layout of `pixels`.
        format: PixelFormat,
        /// The pixels.
        pixels: Vec<u8>,
    },
}

impl ImageData {
    /// Bytes held.
    pub fn len(&self) -> usize {
        match self {
            Self::Encoded(b) => b.len(),
            Self::Raw { pixels, .. } => pixels.len(),
        }
    }

    /// True when no bytes are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for ImageData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never dump image bytes (personal data) into logs.
        match self {
            Self::Encoded(b) => write!(f, "Encoded({} bytes)", b.len()),
            Self::Raw {
                width,
                height,
                format,
                ..
            } => write!(f, "Raw({width}x{height} {format:?})"),
        }
    }
}

/// One image of a capture.
///
/// Its pixels are decoded at most once, by the first stage that asks ([`CaptureImage::pixels`]),
/// and shared with every later one: the document reader, the portrait and the face stages of one
/// capture decode its front once between them.
#[derive(Clone, Debug)]
pub struct CaptureImage {
    /// What it shows.
    pub kind: ImageKind,
    /// Its bytes.
    pub data: ImageData,
    decoded: Decoded,
}

impl CaptureImage {
    /// An image of `kind`.
    pub fn new(kind: ImageKind, data: ImageData) -> Self {
        Self {
            kind,
            data,
            decoded: Decoded::default(),
        }
    }

    /// An encoded image file.
    pub fn encoded(kind: ImageKind, bytes: Vec<u8>) -> Self {
        Self::new(kind, ImageData::Encoded(bytes))
    }

    /// Upright 8-bit RGB at the working size ([`crate::image::decode`]), decoded under `limits`
    /// by the first call and shared with later ones (which get the first call's result, error
    /// included, whatever limits they pass).
    pub fn pixels(&self, limits: &ImageLimits) -> Result<Arc<RgbImage>, ImageError> {
        self.decoded
            .0
            .get_or_init(|| crate::image::decode(&self.data, limits).map(Arc::new))
            .clone()
    }
}

impl PartialEq for CaptureImage {
    /// Images are equal by what they show and their bytes; whether they were decoded yet is not
    /// part of them.
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.data == other.data
    }
}

impl Eq for CaptureImage {}

/// The decoded pixels, once. Clones share them.
#[derive(Clone, Default)]
struct Decoded(Arc<OnceLock<Result<Arc<RgbImage>, ImageError>>>);

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.get() {
            Some(Ok(image)) => write!(f, "decoded {}x{}", image.width(), image.height()),
            Some(Err(e)) => write!(f, "not decodable ({})", e.code()),
            None => f.write_str("not decoded yet"),
        }
    }
}
