//! The document photo's pre-check before upload (see [`crate::quality::precheck`]).

use super::PublicError;
use crate::capture::ImageData;
use crate::image::ImageLimits;
use crate::scenario::CaptureOrientation;

/// Pre-checks an encoded document photo under the core's default limits; with `orientation`
/// (`horizontal` or `vertical`, the step's capture frame), the frame's own orientation is held to
/// it too (`document.capture_orientation`). Returns the pre-check JSON.
pub fn precheck_image(bytes: &[u8], orientation: Option<&str>) -> Result<String, PublicError> {
    let orientation = orientation
        .map(|o| {
            serde_json::from_value::<CaptureOrientation>(serde_json::Value::String(o.to_owned()))
                .map_err(|_| {
                    PublicError::invalid_input(
                        "input.bad_orientation",
                        format!("orientation {o:?} is neither horizontal nor vertical"),
                    )
                })
        })
        .transpose()?;
    let result = crate::quality::precheck(
        &ImageData::Encoded(bytes.to_vec()),
        &ImageLimits::default(),
        orientation,
    )?;
    Ok(serde_json::to_string(&result).unwrap_or_default())
}
