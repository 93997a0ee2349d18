//! Image pre-checks in the browser: decoding under the core's limits, then the core's quality checks
//! (fully visible, blur, glare, exposure, resolution) with the native engine's thresholds.

use kyc_core::analysis::ImageData;
use kyc_core::image::ImageLimits;
use wasm_bindgen::prelude::*;

use crate::KycError;

/// Pre-checks an encoded document photo (JPEG, PNG, WebP) and returns the core's pre-check JSON:
/// `schema_version`, `width`, `height`, `outcome` and `checks` (each with `check`, `outcome`,
/// `score`, `threshold`, `comparison`, `reason_code`, `message`). The core's default limits on
/// bytes, sides and pixels are checked before any pixel is allocated. Throws a `KycError`
/// (`image.empty`, `image.too_large`, `image.unsupported_format`, `image.decode`,
/// `image.bad_dimensions`, `image.limit_exceeded`) for what cannot be judged.
#[wasm_bindgen(js_name = precheckImage)]
pub fn precheck_image(bytes: &[u8]) -> Result<String, KycError> {
    let result =
        kyc_core::quality::precheck(&ImageData::Encoded(bytes.to_vec()), &ImageLimits::default())?;
    serde_json::to_string(&result).map_err(|e| KycError::input("precheck.encode", e.to_string()))
}
