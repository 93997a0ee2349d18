//! Selfie capture quality of the main face: head pose, sharpness and lighting, each measured on the
//! face itself rather than the whole frame, because a sharp, well-lit background says nothing
//! about whether the face can be matched.
//!
//! Sharpness and lighting are read from the face aligned to the 112x112 ArcFace template (the crop
//! the embedder sees), so the figures do not depend on the photo's resolution or the head's
//! in-plane tilt. The thresholds were set on the shared genuine photos and on blurred, darkened,
//! over-exposed and side-lit copies of them (`examples/eval_selfie_quality.rs`); they live, with
//! their figures, in the check catalogue ([`crate::check::catalogue::selfie`]) and are re-exported
//! here.

use image::RgbImage;

use super::detect::Face;
use super::geometry::align_arcface;
use super::pose::{self, Pose};
use crate::check::CheckResult;
use crate::check::catalogue::selfie as catalogue;
pub use crate::check::catalogue::selfie::{
    MAX_FACE_BLOWN_SHARE, MAX_PITCH_OFFSET, MAX_YAW, MIN_FACE_BRIGHTNESS, MIN_FACE_SHARPNESS,
    MIN_LIGHTING_BALANCE,
};
use crate::quality::{BLOWN, Grey, luma};

/// The pitch proxy of a level head (nose tip between the eye line and the mouth line): the median
/// over the shared genuine photos with YuNet's landmarks (5th to 95th percentile 0.51 to 0.65).
pub const LEVEL_PITCH: f64 = 0.58;

/// The skin region of the 112x112 aligned face: between the temples, from the brows to the chin.
/// The template puts the eyes at (38, 52) and (74, 52), the mouth corners at y 92.
const SKIN_X: (u32, u32) = (26, 86);
const SKIN_Y: (u32, u32) = (36, 104);

/// What was measured of one face.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FaceQuality {
    /// Pose proxies, when the landmarks allow them.
    pub pose: Option<Pose>,
    /// Laplacian variance of the aligned face.
    pub sharpness: f64,
    /// Mean grey level of the skin region.
    pub brightness: f64,
    /// Share of the skin region that is blown out.
    pub blown_share: f64,
    /// Darker half's mean over the brighter half's.
    pub balance: f64,
}

/// Measures the face, or `None` when it cannot be aligned (degenerate landmarks).
pub fn measure(image: &RgbImage, face: &Face) -> Option<FaceQuality> {
    let aligned = align_arcface(image, &face.landmarks)?;
    let grey = Grey::from_rgb(&aligned);
    let (mut sum, mut blown, mut n) = (0.0f64, 0usize, 0usize);
    let (mut left, mut right) = (0.0f64, 0.0f64);
    let mid = (SKIN_X.0 + SKIN_X.1) / 2;
    for y in SKIN_Y.0..SKIN_Y.1 {
        for x in SKIN_X.0..SKIN_X.1 {
            let v = luma(aligned.get_pixel(x, y).0);
            sum += f64::from(v);
            blown += usize::from(v >= BLOWN);
            n += 1;
            if x < mid {
                left += f64::from(v);
            } else {
                right += f64::from(v);
            }
        }
    }
    let n = n.max(1) as f64;
    let (darker, brighter) = (left.min(right), left.max(right));
    Some(FaceQuality {
        pose: pose::estimate(&face.landmarks),
        sharpness: grey.laplacian_variance(),
        brightness: sum / n,
        blown_share: blown as f64 / n,
        balance: if brighter > 0.0 {
            darker / brighter
        } else {
            0.0
        },
    })
}

/// The evidence items for one measured face.
pub fn checks(quality: &FaceQuality) -> Vec<CheckResult> {
    let mut checks = Vec::with_capacity(6);
    match quality.pose {
        Some(p) => {
            checks.push(catalogue::POSE_YAW.scored(
                p.yaw.abs(),
                "sideways turn: nose offset along the eye line, in eye distances",
            ));
            checks.push(catalogue::POSE_PITCH.scored(
                (p.pitch - LEVEL_PITCH).abs(),
                format!(
                    "distance of the nose's height between eyes and mouth ({:.2}) from a level \
                     head's {LEVEL_PITCH}",
                    p.pitch
                ),
            ));
        }
        None => checks.push(catalogue::POSE.not_made("the face's landmarks are degenerate")),
    }
    checks.push(catalogue::SHARPNESS.scored(
        quality.sharpness,
        "Laplacian variance of the face aligned to 112x112",
    ));
    checks.push(catalogue::BRIGHTNESS.scored(quality.brightness, "mean grey level of the face"));
    checks.push(catalogue::OVEREXPOSURE.scored(
        quality.blown_share,
        "share of the face at the blown-out grey level",
    ));
    checks.push(catalogue::LIGHTING_BALANCE.scored(
        quality.balance,
        "darker half of the face over the brighter half (mean grey levels)",
    ));
    checks
}

#[cfg(test)]
mod tests {
    use image::Rgb;

    use super::*;
    use crate::check::CheckOutcome;
    use crate::face::geometry::BoundingBox;

    /// A face-like test card where the ArcFace template expects a face, at twice the template's
    /// scale: a textured oval of skin on a mid-grey ground, so sharpness and light are measurable.
    fn card(light: impl Fn(u32, u32, f32) -> f32) -> (RgbImage, Face) {
        let image = RgbImage::from_fn(224, 224, |x, y| {
            let (dx, dy) = (x as f32 - 112.0, y as f32 - 140.0);
            let skin = (dx / 70.0).powi(2) + (dy / 90.0).powi(2) < 1.0;
            let base = if skin {
                // Fine texture: a checker of 2 px cells, as pores and hair give a real face.
                if (x / 2 + y / 2) % 2 == 0 {
                    170.0
                } else {
                    130.0
                }
            } else {
                110.0
            };
            let v = light(x, y, base).round().clamp(0.0, 255.0) as u8;
            Rgb([v, v, v])
        });
        // The template's landmarks, doubled.
        let landmarks = [
            [76.6, 103.4],
            [147.0, 103.0],
            [112.0, 143.4],
            [83.0, 184.7],
            [141.0, 184.4],
        ];
        let face = Face {
            bbox: BoundingBox {
                x: 40.0,
                y: 50.0,
                width: 144.0,
                height: 170.0,
            },
            score: 0.99,
            landmarks,
        };
        (image, face)
    }

    fn outcome(checks: &[CheckResult], id: &str) -> CheckOutcome {
        checks
            .iter()
            .find(|c| c.check == id)
            .map(|c| c.outcome)
            .unwrap_or_else(|| panic!("no {id} in {checks:?}"))
    }

    #[test]
    fn a_sharp_evenly_lit_frontal_face_passes_every_check() {
        let (image, face) = card(|_, _, v| v);
        let quality = measure(&image, &face).unwrap();
        let checks = checks(&quality);
        assert!(
            checks.iter().all(|c| c.outcome == CheckOutcome::Passed),
            "{checks:?}"
        );
    }

    #[test]
    fn blur_darkness_glare_and_side_light_each_fail_their_own_check() {
        let (sharp, face) = card(|_, _, v| v);
        let blurred = image::imageops::blur(&sharp, 3.0);
        let q = checks(&measure(&blurred, &face).unwrap());
        assert_eq!(
            outcome(&q, "selfie.quality.sharpness"),
            CheckOutcome::Failed
        );
        assert_eq!(
            outcome(&q, "selfie.quality.brightness"),
            CheckOutcome::Passed
        );

        let (dark, face) = card(|_, _, v| v * 0.2);
        let q = checks(&measure(&dark, &face).unwrap());
        assert_eq!(
            outcome(&q, "selfie.quality.brightness"),
            CheckOutcome::Failed
        );

        let (blown, face) = card(|_, _, v| v * 2.0);
        let q = checks(&measure(&blown, &face).unwrap());
        assert_eq!(
            outcome(&q, "selfie.quality.overexposure"),
            CheckOutcome::Failed
        );

        // Hard light from one side: the far half of the face in shadow.
        let (side, face) = card(|x, _, v| if x < 112 { v } else { v * 0.3 });
        let q = checks(&measure(&side, &face).unwrap());
        assert_eq!(
            outcome(&q, "selfie.quality.lighting_balance"),
            CheckOutcome::Failed
        );
        assert_eq!(
            outcome(&q, "selfie.quality.overexposure"),
            CheckOutcome::Passed
        );
    }

    #[test]
    fn a_turned_head_fails_the_yaw_check() {
        let (image, mut face) = card(|_, _, v| v);
        // The nose a third of the eye distance towards one eye: about 30 degrees.
        face.landmarks[2][0] += 0.33 * 70.4;
        let q = checks(&measure(&image, &face).unwrap());
        assert_eq!(outcome(&q, "selfie.quality.pose_yaw"), CheckOutcome::Failed);
        assert_eq!(
            outcome(&q, "selfie.quality.pose_pitch"),
            CheckOutcome::Passed
        );
    }

    #[test]
    fn degenerate_landmarks_are_not_measured() {
        let (image, mut face) = card(|_, _, v| v);
        face.landmarks = [[10.0, 10.0]; 5];
        assert!(measure(&image, &face).is_none());
    }
}
