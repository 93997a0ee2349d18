//! Image quality of a document photo, in plain Rust (no model, builds for WebAssembly): where the
//! document is and whether it is wholly in the frame, sharpness, exposure, glare relative to the
//! document's own paper, and whether it has pixels enough for its MRZ. [`assess`] measures,
//! [`checks`] turns the measurements into evidence.
//!
//! ```
//! # let photo = image::RgbImage::from_pixel(640, 480, image::Rgb([128, 128, 128]));
//! let report = kyc_core::quality::assess(&photo);
//! for check in kyc_core::quality::checks(&report) {
//!     println!("{} {:?} {:?}", check.check, check.outcome, check.score);
//! }
//! ```
//!
//! The thresholds, reason codes and their calibration live in the check catalogue
//! ([`crate::check::catalogue::document`]); they are re-exported here for callers that measure.

mod glare;
mod grey;
mod outline;
mod precheck;
pub(crate) mod regions;

pub use glare::{BLOWN, PAPER_MARGIN, glare_share};
pub use grey::{Grey, luma};
pub use outline::{OUTLINE_SIDE, Outline, find as find_outline};
pub use precheck::{PRECHECK_SCHEMA_VERSION, Precheck, precheck};

use image::RgbImage;

use crate::check::CheckResult;
use crate::check::catalogue::document as catalogue;
pub use crate::check::catalogue::document::{
    MAX_BLOWN_SHARE, MAX_BORDER_SHARE, MAX_GLARE_SHARE, MIN_DOCUMENT_SIDE, MIN_MEAN_LUMA,
    MIN_SHARPNESS,
};

/// Longer side, in pixels, the document is scaled to before its sharpness is measured, so that
/// the figure means the same for a 12-megapixel photo and a 1-megapixel one.
pub const SHARPNESS_SIDE: u32 = 640;
/// Smallest share of the frame a bright region must cover to be taken for the document.
pub const MIN_FRAME_SHARE: f64 = 0.08;
/// Aspect ratios (longer over shorter side) of ISO/IEC 7810 ID-1 cards and ID-2/ID-3 pages; a
/// frame-filling image of one of these shapes is a scan of a whole document.
pub const DOCUMENT_ASPECTS: [f64; 2] = [85.6 / 53.98, 125.0 / 88.0];
/// Relative tolerance on [`DOCUMENT_ASPECTS`]. Phone frames (4:3 is 6 percent off ID-3, 16:9
/// 12 percent off ID-1) stay outside it, so a photo's frame is never taken for a page's.
pub const ASPECT_TOLERANCE: f64 = 0.04;
/// Share of the frame's width and height the page must span for a document-shaped image to be a
/// tight crop of the whole page. Real specimen scans trimmed to the page (`../shared`) span 0.99
/// to 1.0 while only part of their border reads as paper.
pub const MIN_SPAN: f64 = 0.97;

/// What [`assess`] measured.
#[derive(Clone, Debug, PartialEq)]
pub struct QualityReport {
    /// Frame width and height in pixels.
    pub frame: (u32, u32),
    /// The document's outline, when a bright region large enough was found.
    pub outline: Option<Outline>,
    /// Variance of the Laplacian of the document at [`SHARPNESS_SIDE`].
    pub sharpness: f64,
    /// Mean luminance over the document (the frame when no outline was found), 0 to 255.
    pub mean_luma: f64,
    /// Share of the document's pixels at or above [`BLOWN`].
    pub blown_share: f64,
    /// Share of the document's pixels that are glare (see [`glare_share`]).
    pub glare_share: f64,
    /// The document's median paper luminance.
    pub paper_level: f64,
}

/// Measures `image`, a photo or scan of one document.
pub fn assess(image: &RgbImage) -> QualityReport {
    let (small, scale) = Grey::shrunk(image, OUTLINE_SIDE);
    let found = outline::find_with_mask(&small, scale, MIN_FRAME_SHARE);
    let (w, h) = (image.width(), image.height());
    let bbox = found
        .as_ref()
        .map_or([0.0, 0.0, f64::from(w), f64::from(h)], |(o, _)| o.bbox);
    let [x0, y0, x1, y1] = bbox.map(|v| v.max(0.0).round() as u32);
    let (x1, y1) = (x1.min(w), y1.min(h));
    let crop =
        image::imageops::crop_imm(image, x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0))
            .to_image();
    let (sharp_plane, _) = Grey::shrunk(&crop, SHARPNESS_SIDE);
    let sharpness = sharp_plane.laplacian_variance();
    // Exposure over the region's bounding box on the small plane (ink included: a page of dark
    // ink on dark paper is too dark whatever the split); glare over the region itself.
    let sbox = bbox.map(|v| (v * scale).round().max(0.0) as usize);
    let region = small.crop(sbox[0], sbox[1], sbox[2], sbox[3]);
    let n = region.data.len().max(1) as f64;
    let mean_luma = region.data.iter().map(|v| f64::from(*v)).sum::<f64>() / n;
    let blown_share = region.data.iter().filter(|v| **v >= BLOWN).count() as f64 / n;
    let (glare, paper) = glare_share(&small, found.as_ref().map(|(_, m)| m.as_slice()));
    QualityReport {
        frame: (w, h),
        outline: found.map(|(o, _)| o),
        sharpness,
        mean_luma,
        blown_share,
        glare_share: glare,
        paper_level: f64::from(paper),
    }
}

/// True when `long / short` is the shape of an ID-1 card or an ID-2/ID-3 page.
fn document_shaped(long: f64, short: f64) -> bool {
    short > 0.0
        && DOCUMENT_ASPECTS
            .iter()
            .any(|a| ((long / short) / a - 1.0).abs() <= ASPECT_TOLERANCE)
}

/// `document.fully_visible` from the outline alone.
pub fn fully_visible_check(report: &QualityReport) -> CheckResult {
    let row = &catalogue::FULLY_VISIBLE;
    let Some(o) = report.outline.as_ref() else {
        return row.rule_as(
            false,
            catalogue::FULLY_VISIBLE_NOT_FOUND,
            "no document-sized bright region was found in the frame",
        );
    };
    let (fw, fh) = (f64::from(report.frame.0), f64::from(report.frame.1));
    let shaped = document_shaped(fw.max(fh), fw.min(fh));
    // A tight crop (a scan trimmed to the page, a host's auto-crop) has the page reaching every
    // side of the frame even where its edge print is too dark to count as the page's border.
    let [x0, y0, x1, y1] = o.bbox;
    let spans = (x1 - x0) >= MIN_SPAN * fw && (y1 - y0) >= MIN_SPAN * fh;
    if o.is_full_frame() || (shaped && spans) {
        return if shaped {
            row.rule_as(
                true,
                catalogue::FULLY_VISIBLE_FULL_FRAME,
                "the image is the whole document (a scan or a tight crop of a document's shape)",
            )
        } else {
            row.rule_as(
                false,
                catalogue::FULLY_VISIBLE_CUT,
                "the document fills the frame but the frame is not a document's shape: it is cut",
            )
        };
    }
    row.scored(
        o.border_share,
        "share of the frame's border covered by the document",
    )
}

/// Every quality check: `document.fully_visible`, and under `document.glare_blur` the blur,
/// glare, exposure (`underexposed`, `overexposed`) and resolution sub-checks.
pub fn checks(report: &QualityReport) -> Vec<CheckResult> {
    let long_side = report
        .outline
        .as_ref()
        .map_or(f64::from(report.frame.0.max(report.frame.1)), |o| {
            o.long_side
        });
    vec![
        fully_visible_check(report),
        catalogue::BLUR.scored(
            report.sharpness,
            format!("variance of the Laplacian over the document at {SHARPNESS_SIDE} pixels"),
        ),
        catalogue::GLARE.scored(
            report.glare_share,
            format!(
                "share of the document blown out over paper of luminance {:.0}",
                report.paper_level
            ),
        ),
        catalogue::UNDEREXPOSED.scored(report.mean_luma, "mean luminance of the document"),
        catalogue::OVEREXPOSED.scored(report.blown_share, "share of the document blown out"),
        catalogue::RESOLUTION.scored(long_side, "the document's longer side in pixels"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report whose page spans the whole `w` x `h` frame but reads as paper along only a
    /// third of its border (dark print at the page's edges), touching the left and right sides.
    fn tight_crop(w: u32, h: u32) -> QualityReport {
        let (fw, fh) = (f64::from(w), f64::from(h));
        QualityReport {
            frame: (w, h),
            outline: Some(Outline {
                corners: [
                    [0.0, 0.0],
                    [fw as f32, 0.0],
                    [fw as f32, fh as f32],
                    [0.0, fh as f32],
                ],
                long_side: fw.max(fh),
                short_side: fw.min(fh),
                frame_share: 0.8,
                border_share: 0.33,
                touches: [false, true, false, true],
                bbox: [0.0, 0.0, fw, fh],
            }),
            sharpness: 1000.0,
            mean_luma: 200.0,
            blown_share: 0.0,
            glare_share: 0.0,
            paper_level: 220.0,
        }
    }

    #[test]
    fn a_page_spanning_a_document_shaped_frame_is_whole_but_not_a_phone_frame() {
        // An ID-3 page trimmed to its edges (125 x 88 mm).
        let c = fully_visible_check(&tight_crop(1250, 880));
        assert_eq!(c.reason_code, "document.fully_visible.full_frame", "{c:?}");
        assert_eq!(c.outcome, crate::check::CheckOutcome::Passed);
        // The same spread over a 4:3 phone frame: a page larger than the frame, cut.
        let c = fully_visible_check(&tight_crop(1280, 960));
        assert_eq!(c.reason_code, "document.fully_visible.cut", "{c:?}");
    }
}
