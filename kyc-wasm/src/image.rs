//! Image pre-checks in the browser: decoding under the core's limits, then the core's quality checks
//! (fully visible, blur, glare, exposure, resolution) with the native engine's thresholds.

use wasm_bindgen::prelude::*;

use crate::KycError;

/// Pre-checks an encoded document photo (JPEG, PNG, WebP) and returns the core's pre-check JSON:
/// `schema_version`, `width`, `height`, `outcome` and `checks` (each with `check`, `outcome`,
/// `score`, `threshold`, `comparison`, `reason_code`, `message`). With `orientation`
/// (`"horizontal"` or `"vertical"`, the step's `capture_orientation`), a frame turned the other
/// way fails `document.capture_orientation`. The core's default limits on bytes, sides and pixels
/// are checked before any pixel is allocated. Throws a `KycError` (`image.empty`,
/// `image.too_large`, `image.unsupported_format`, `image.decode`, `image.bad_dimensions`,
/// `image.limit_exceeded`, `image.expansion`, `image.over_budget`, `input.bad_orientation`) for what
/// cannot be judged.
#[wasm_bindgen(js_name = precheckImage)]
pub fn precheck_image(bytes: &[u8], orientation: Option<String>) -> Result<String, KycError> {
    Ok(kyc_core::facade::precheck_image(
        bytes,
        orientation.as_deref(),
    )?)
}
