//! Image pre-checks in the browser: decoding under the core's limits.

use kyc_core::analysis::ImageData;
use kyc_core::image::ImageLimits;
use wasm_bindgen::prelude::*;

use crate::KycError;

/// Decodes an encoded image (JPEG, PNG, WebP) under the core's default limits (bytes, sides,
/// pixels, checked before any pixel is allocated) and returns the pre-check JSON. Throws a
/// `KycError` (`image.empty`, `image.unsupported_format`, `image.decode`, `image.bad_dimensions`,
/// `image.too_large`, ...) for what cannot be judged.
#[wasm_bindgen(js_name = precheckImage)]
pub fn precheck_image(bytes: &[u8]) -> Result<String, KycError> {
    let image =
        kyc_core::image::decode(&ImageData::Encoded(bytes.to_vec()), &ImageLimits::default())?;
    Ok(serde_json::json!({"width": image.width(), "height": image.height()}).to_string())
}
