//! The document photo's pre-check on the device, before upload.

use kyc_core::analysis::ImageData;
use kyc_core::image::ImageLimits;

use crate::KycError;

/// Decodes an encoded photo under the core's limits and runs the quality checks (fully visible,
/// blur, glare, exposure, resolution); returns the core's pre-check JSON, the same the browser
/// package returns. Images that cannot be judged raise `KycError` with an `image.*` code.
#[uniffi::export]
pub fn precheck_image(image: Vec<u8>) -> Result<String, KycError> {
    let result = kyc_core::quality::precheck(&ImageData::Encoded(image), &ImageLimits::default())
        .map_err(kyc_core::Error::from)?;
    serde_json::to_string(&result).map_err(|e| KycError::Other {
        code: "precheck.encode".to_owned(),
        detail: e.to_string(),
    })
}
