//! The document photo's pre-check on the device, before upload.

use crate::KycError;

/// Decodes an encoded photo under the core's limits and runs the quality checks (fully visible,
/// blur, glare, exposure, resolution), and with `orientation` (`horizontal` or `vertical`, the
/// step's capture frame) the frame's orientation; returns the core's pre-check JSON, the same the
/// browser package returns. Images that cannot be judged raise `KycError` with an `image.*` code.
#[uniffi::export]
pub fn precheck_image(image: Vec<u8>, orientation: Option<String>) -> Result<String, KycError> {
    Ok(kyc_core::facade::precheck_image(
        &image,
        orientation.as_deref(),
    )?)
}
