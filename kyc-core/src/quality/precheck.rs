//! The pre-check of a document photo before upload (in the browser through kyc-wasm, on the device
//! through kyc-ffi): decoding under the image limits, then every quality check with its evidence
//! and their combined outcome. Every binding returns this, so every host sees the same JSON.

use serde::Serialize;

use crate::analysis::ImageData;
use crate::check::catalogue::capture::CAPTURE_ORIENTATION;
use crate::check::{CheckOutcome, CheckResult, combine};
use crate::image::{ImageError, ImageLimits, decode};
use crate::scenario::CaptureOrientation;

/// Version of [`Precheck`]'s JSON shape.
pub const PRECHECK_SCHEMA_VERSION: u32 = 1;

/// What the pre-check found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Precheck {
    /// Shape version.
    pub schema_version: u32,
    /// Upright width in pixels.
    pub width: u32,
    /// Upright height in pixels.
    pub height: u32,
    /// The checks combined: failed beats unavailable beats passed.
    pub outcome: CheckOutcome,
    /// Each quality check (see [`super::checks`]).
    pub checks: Vec<CheckResult>,
}

/// Decodes `data` under `limits` and runs the quality checks; with `orientation` (the step's
/// capture frame), also `document.capture_orientation`: a frame turned the other way fails, so the
/// page can ask for a retake before uploading. Images that cannot be judged (empty, too large,
/// not an image, corrupt, outside the pixel limits) are errors.
pub fn precheck(
    data: &ImageData,
    limits: &ImageLimits,
    orientation: Option<CaptureOrientation>,
) -> Result<Precheck, ImageError> {
    let image = decode(data, limits)?;
    let mut checks = super::checks(&super::assess(&image));
    if let Some(asked) = orientation {
        let (w, h) = (image.width(), image.height());
        let fits = match asked {
            CaptureOrientation::Horizontal => w >= h,
            CaptureOrientation::Vertical => h >= w,
        };
        checks.push(CAPTURE_ORIENTATION.rule(
            fits,
            format!("a {w}x{h} frame for a {asked:?} capture").to_lowercase(),
        ));
    }
    Ok(Precheck {
        schema_version: PRECHECK_SCHEMA_VERSION,
        width: image.width(),
        height: image.height(),
        outcome: combine(&checks),
        checks,
    })
}
