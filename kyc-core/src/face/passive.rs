//! Passive liveness from image signals on the face region: a face shown on a screen carries the
//! panel's pixel grid (or its moire), a printed face carries the printer's halftone screen, and a
//! grey copy has lost the skin's colour. The signals are [`crate::forensics`]'s, measured on the
//! face at native resolution; the thresholds are this module's own, calibrated on face crops
//! (`examples/eval_liveness.rs`).
//!
//! What this does not catch: a print or a screen good enough, or far enough from the camera, that
//! no grid or dot survives in the photo, masks, and deepfakes injected past the camera. A step may
//! add the FaceAntiSpoofing model's verdict ([`super::antispoofing`], `spoof_model` in the
//! scenario) with [`PassiveLiveness::add_signal`]. Either way the result says "no attack signal
//! found", never "proven live".
//!
//! The thresholds, with their calibration, live in the check catalogue
//! ([`crate::check::catalogue::liveness`]) and are re-exported here.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::detect::Face;
use crate::check::catalogue::liveness::FACE_TOO_SMALL;
pub use crate::check::catalogue::liveness::{
    MAX_FACE_HALFTONE_PEAKS, MAX_FACE_SCREEN_PEAKS, MIN_FACE_COLOURFULNESS, PASSIVE_SIGNALS,
    PassiveRows,
};
pub use crate::check::catalogue::selfie::SCREEN_PHOTO_SIGNALS;
use crate::check::{CheckOutcome, CheckResult};
use crate::forensics::{print_signal, screen_signal};
/// The face region is the detector's box grown by this factor: hair, ears and the background next
/// to the face carry the grid too, and the spectrum needs at least 128 pixels a side.
pub const REGION_SCALE: f32 = 1.6;
/// Smallest region side, in pixels, the spectrum can measure.
pub const MIN_REGION_SIDE: u32 = crate::forensics::spectrum::TILE as u32;

/// The verdict of passive liveness with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassiveLiveness {
    /// The worst signal as a fraction of its threshold (above 1 fails).
    pub score: f64,
    /// 1: the score a signal reaches at its own threshold.
    pub threshold: f64,
    /// No attack signal reached its threshold.
    pub live: bool,
    /// Each signal's evidence (the rows' `screen`, `halftone` and `colour`).
    pub signals: Vec<CheckResult>,
}

impl PassiveLiveness {
    /// Adds a signal whose score is `ratio` of its threshold (above 1 fails), such as the
    /// FaceAntiSpoofing model's: the verdict is live only while every signal passes.
    pub fn add_signal(&mut self, check: CheckResult, ratio: f64) {
        self.score = self.score.max(ratio);
        self.live &= check.outcome == CheckOutcome::Passed;
        self.signals.push(check);
    }
}

/// The face region: the box grown by [`REGION_SCALE`], clipped to the image.
pub fn face_region(image: &RgbImage, face: &Face) -> RgbImage {
    let b = face.bbox;
    let (cx, cy) = (b.x + b.width / 2.0, b.y + b.height / 2.0);
    let side = b.width.max(b.height) * REGION_SCALE;
    let (w, h) = (image.width() as f32, image.height() as f32);
    let x0 = (cx - side / 2.0).clamp(0.0, w);
    let y0 = (cy - side / 2.0).clamp(0.0, h);
    let x1 = (cx + side / 2.0).clamp(0.0, w);
    let y1 = (cy + side / 2.0).clamp(0.0, h);
    image::imageops::crop_imm(
        image,
        x0 as u32,
        y0 as u32,
        (x1 - x0) as u32,
        (y1 - y0) as u32,
    )
    .to_image()
}

/// Passive liveness of `face` in `image`; `rows` name the checks ([`PASSIVE_SIGNALS`] for
/// `liveness.passive`, [`SCREEN_PHOTO_SIGNALS`] for `selfie.screen_photo`). A face region too
/// small to measure gives unavailable evidence.
pub fn assess(image: &RgbImage, face: &Face, rows: &PassiveRows) -> PassiveLiveness {
    let region = face_region(image, face);
    if region.width() < MIN_REGION_SIDE || region.height() < MIN_REGION_SIDE {
        let check = rows.check.unavailable(
            FACE_TOO_SMALL,
            format!(
                "the face region is {}x{} pixels; the signals need {MIN_REGION_SIDE} a side",
                region.width(),
                region.height()
            ),
        );
        return PassiveLiveness {
            score: 0.0,
            threshold: 1.0,
            live: false,
            signals: vec![check],
        };
    }
    let screen = screen_signal(&region);
    let print = print_signal(&region);
    let signals = vec![
        rows.screen.scored(
            screen.score(),
            "strongest periodic peak around the face (screen pixel grid or moire)",
        ),
        rows.halftone.scored(
            print.halftone.high,
            "strongest fine periodic peak of the luminance around the face (print dots)",
        ),
        rows.colour.scored(
            print.colourfulness,
            "95th percentile of colour saturation around the face",
        ),
    ];
    let ratios = [
        screen.score() / MAX_FACE_SCREEN_PEAKS,
        print.halftone.high / MAX_FACE_HALFTONE_PEAKS,
        MIN_FACE_COLOURFULNESS / print.colourfulness.max(1e-6),
    ];
    let score = ratios.into_iter().fold(0.0, f64::max);
    PassiveLiveness {
        score,
        threshold: 1.0,
        live: signals.iter().all(|c| c.outcome == CheckOutcome::Passed),
        signals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::geometry::BoundingBox;

    fn face(x: f32, y: f32, side: f32) -> Face {
        Face {
            bbox: BoundingBox {
                x,
                y,
                width: side,
                height: side,
            },
            landmarks: [[0.0; 2]; 5],
            score: 1.0,
        }
    }

    /// Smooth colour gradients with noise: no periodic structure, skin-like saturation.
    fn natural(w: u32, h: u32) -> RgbImage {
        let mut state = 12345u32;
        RgbImage::from_fn(w, h, |x, y| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let n = (state >> 28) as f32;
            let r = 150.0 + 60.0 * ((x as f32) / w as f32) + n;
            let g = 100.0 + 40.0 * ((y as f32) / h as f32) + n;
            let b = 80.0 + n;
            image::Rgb([r as u8, g as u8, b as u8])
        })
    }

    #[test]
    fn a_natural_region_is_live_and_a_pixel_grid_is_not() {
        let img = natural(400, 400);
        let verdict = assess(&img, &face(120.0, 120.0, 160.0), &PASSIVE_SIGNALS);
        assert!(verdict.live, "{verdict:?}");
        assert_eq!(verdict.signals.len(), 3);
        assert!(verdict.score <= 1.0);

        // The same picture on an RGB-stripe panel: every third column lit in one primary, a dark
        // row between pixel rows.
        let grid = RgbImage::from_fn(400, 400, |x, y| {
            let p = img.get_pixel(x, y).0;
            let mut q = [0u8; 3];
            if y % 3 != 2 {
                q[(x % 3) as usize] = p[(x % 3) as usize];
            }
            image::Rgb(q)
        });
        let verdict = assess(&grid, &face(120.0, 120.0, 160.0), &PASSIVE_SIGNALS);
        assert!(!verdict.live, "{verdict:?}");
        assert!(verdict.score > 1.0);
        let screen = &verdict.signals[0];
        assert_eq!(screen.check, "liveness.passive.screen");
        assert_eq!(screen.reason_code, "liveness.passive.screen_grid");
    }

    #[test]
    fn a_grey_copy_fails_the_colour_signal() {
        let img = natural(400, 400);
        let grey = RgbImage::from_fn(400, 400, |x, y| {
            let p = img.get_pixel(x, y).0;
            let v = ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8;
            image::Rgb([v, v, v])
        });
        let verdict = assess(&grey, &face(120.0, 120.0, 160.0), &SCREEN_PHOTO_SIGNALS);
        assert!(!verdict.live);
        assert_eq!(verdict.signals[2].check, "selfie.screen_photo.colour");
        assert_eq!(verdict.signals[2].outcome, CheckOutcome::Failed);
    }

    #[test]
    fn a_small_face_is_unavailable_not_live() {
        let img = natural(200, 200);
        let verdict = assess(&img, &face(90.0, 90.0, 30.0), &PASSIVE_SIGNALS);
        assert!(!verdict.live);
        assert_eq!(verdict.signals[0].outcome, CheckOutcome::Unavailable);
    }
}
