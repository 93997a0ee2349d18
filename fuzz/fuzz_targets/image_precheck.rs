//! Image bytes as an upload delivers them: the header plan, the decode under small limits (so the
//! fuzzer spends its time on hostile files, not on big honest images), then, for small images, the
//! document pre-check under those limits with and without an orientation and the public façade's
//! pre-check. Nothing may panic; a decoded image stays within the limits.
#![no_main]

use kyc_core::analysis::ImageData;
use kyc_core::facade::precheck_image;
use kyc_core::image::{ImageLimits, decode, plan};
use kyc_core::quality::precheck;
use kyc_core::scenario::CaptureOrientation;
use libfuzzer_sys::fuzz_target;

const LIMITS: ImageLimits = ImageLimits {
    max_bytes: 1 << 20,
    max_side: 2048,
    max_pixels: 4_000_000,
    max_decode_bytes: 64 << 20,
    max_expansion: 256,
    working_side: 256,
};

fuzz_target!(|data: &[u8]| {
    let image = ImageData::Encoded(data.to_vec());
    let Ok(plan) = plan(&image, &LIMITS) else {
        assert!(
            decode(&image, &LIMITS).is_err(),
            "decoded what the plan refused"
        );
        return;
    };
    assert!(plan.peak_bytes <= LIMITS.max_decode_bytes);
    if let Ok(rgb) = decode(&image, &LIMITS) {
        assert!(rgb.width().max(rgb.height()) <= LIMITS.working_side);
        assert!(rgb.width() > 0 && rgb.height() > 0);
    }
    // The pre-checks measure pixels (outline, glare, sharpness): about a microsecond a pixel under
    // the sanitizer, so only small images go on to them, and the fuzzer's time goes to the decoders.
    if u64::from(plan.size.0) * u64::from(plan.size.1) > 96 * 96 {
        return;
    }
    let orientation = match data.len() % 3 {
        0 => None,
        1 => Some(CaptureOrientation::Horizontal),
        _ => Some(CaptureOrientation::Vertical),
    };
    let _ = precheck(&image, &LIMITS, orientation);
    // The façade, under the core's default limits.
    let _ = precheck_image(data, Some("vertical"));
});
