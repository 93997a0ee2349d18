//! Captures: what a person hands in for one step (images, each saying what it shows), and what
//! each kind of step requires of a capture ([`requirement`]). The session admits a capture only
//! when it holds exactly what its step requires.

mod requirement;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureImage {
    /// What it shows.
    pub kind: ImageKind,
    /// Its bytes.
    pub data: ImageData,
}

impl CaptureImage {
    /// An encoded image file.
    pub fn encoded(kind: ImageKind, bytes: Vec<u8>) -> Self {
        Self {
            kind,
            data: ImageData::Encoded(bytes),
        }
    }
}
