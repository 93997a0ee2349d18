//! Where face generators trained on FFHQ put the face. StyleGAN and its successors (the faces of
//! "this person does not exist" sites, the usual source of fake profile photos) reproduce the crop
//! of their training set: a square image in which the face was placed by one fixed rule, so every
//! face they make has its eyes at the same place. A camera frame is rarely square and, cropped
//! square, rarely puts the eyes there by chance.
//!
//! FFHQ's rule (`recreate_aligned_images` of the dataset's own script), with `e2e` the vector
//! from eye to eye and `e2m` from the eyes' midpoint to the mouth's: a square of half-side
//! `max(2·|e2e|, 1.8·|e2m|)` centred at `eyes + 0.1·e2m`, turned with the eyes. In the output, of
//! side 1, the eyes are `min(1/4, 1/(3.6·r))` apart, with `r = |e2m| / |e2e|` (a property of the
//! face, unchanged by the crop), centred on `x = 1/2` at `y = 1/2 − 0.1·r·distance`. The offset of
//! a face from that place, in fractions of the image side, is the evidence.
//!
//! This is geometry, not pixels: a generated face cropped or padded off its square passes, and so
//! do generators with other framings (diffusion models). Measured (`cargo run --release --example
//! eval_generated_faces`) on FFHQ-style crops of the shared genuine photos, since no generated face
//! may be downloaded here: see the README.

use crate::check::CheckResult;
pub use crate::check::catalogue::selfie::ALIGNMENT_THRESHOLD;
use crate::check::catalogue::selfie::GENERATOR_ALIGNMENT;
use crate::face::geometry::{Affine, Landmarks, Point, similarity};

/// The check's id in results.
pub const CHECK: &str = GENERATOR_ALIGNMENT.id;

/// The eyes' midpoint and the mouth's, and the distances between the eyes and from eyes to mouth.
struct FacePoints {
    eyes: Point,
    eye_distance: f64,
    eye_to_mouth: f64,
    mouth: Point,
}

/// The eyes and mouth of YuNet-ordered landmarks (eyes, nose, mouth corners), by position rather
/// than by the detector's left and right.
fn points(landmarks: &Landmarks) -> Option<FacePoints> {
    let [a, b, _, c, d] = *landmarks;
    let mid = |p: Point, q: Point| [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
    let dist = |p: Point, q: Point| f64::from(p[0] - q[0]).hypot(f64::from(p[1] - q[1]));
    let (eyes, mouth) = (mid(a, b), mid(c, d));
    let (eye_distance, eye_to_mouth) = (dist(a, b), dist(eyes, mouth));
    (eye_distance > 1e-3
        && eye_to_mouth > 1e-3
        && eye_distance.is_finite()
        && eye_to_mouth.is_finite())
    .then_some(FacePoints {
        eyes,
        eye_distance,
        eye_to_mouth,
        mouth,
    })
}

/// How far the face with `landmarks` in a `width` x `height` image is from where FFHQ's crop puts
/// a face with its proportions, as a fraction of the image's longer side; at least the image's
/// departure from square. `None` for degenerate landmarks.
pub fn ffhq_offset(width: u32, height: u32, landmarks: &Landmarks) -> Option<f64> {
    let face = points(landmarks)?;
    let side = f64::from(width.max(height));
    if side <= 0.0 {
        return None;
    }
    let aspect = f64::from(width.abs_diff(height)) / side;
    let ratio = face.eye_to_mouth / face.eye_distance;
    let distance = (1.0 / (3.6 * ratio)).min(0.25);
    let eyes_y = 0.5 - 0.1 * ratio * distance;
    let offset = [
        (f64::from(face.eyes[0]) / side - 0.5).abs(),
        (f64::from(face.eyes[1]) / side - eyes_y).abs(),
        (face.eye_distance / side - distance).abs(),
        aspect,
    ]
    .into_iter()
    .fold(0.0f64, f64::max);
    Some(offset)
}

/// The transform taking a photo to FFHQ's `size` x `size` crop of the face with `landmarks`: what
/// the generators learnt, for evaluating [`ffhq_offset`] without generated images.
pub fn ffhq_crop(landmarks: &Landmarks, size: u32) -> Option<Affine> {
    let face = points(landmarks)?;
    let [a, b, ..] = *landmarks;
    // The eye on the image's left first, as in FFHQ's script.
    let (left, right) = if a[0] <= b[0] { (a, b) } else { (b, a) };
    let e2e = [f64::from(right[0] - left[0]), f64::from(right[1] - left[1])];
    let e2m = [
        f64::from(face.mouth[0] - face.eyes[0]),
        f64::from(face.mouth[1] - face.eyes[1]),
    ];
    // x = e2e − flipud(e2m)·[−1, 1], normalised, scaled; y = flipud(x)·[−1, 1].
    let mut x = [e2e[0] + e2m[1], e2e[1] - e2m[0]];
    let norm = x[0].hypot(x[1]);
    if norm < 1e-9 {
        return None;
    }
    let half = (face.eye_distance * 2.0).max(face.eye_to_mouth * 1.8);
    x = [x[0] / norm * half, x[1] / norm * half];
    let y = [-x[1], x[0]];
    let c = [
        f64::from(face.eyes[0]) + 0.1 * e2m[0],
        f64::from(face.eyes[1]) + 0.1 * e2m[1],
    ];
    let corner = |sx: f64, sy: f64| {
        [
            (c[0] + sx * x[0] + sy * y[0]) as f32,
            (c[1] + sx * x[1] + sy * y[1]) as f32,
        ]
    };
    let s = size as f32;
    // Top-left, bottom-left, bottom-right, top-right of the quad onto the square's corners.
    similarity(
        &[
            corner(-1.0, -1.0),
            corner(-1.0, 1.0),
            corner(1.0, 1.0),
            corner(1.0, -1.0),
        ],
        &[[0.0, 0.0], [0.0, s], [s, s], [s, 0.0]],
    )
}

/// The selfie's evidence: fails when its face sits where FFHQ-trained generators put one (not a
/// fraud signal: a host may crop selfies square itself, so the capture is retaken). `offset` from
/// [`ffhq_offset`], `None` when no face was found.
pub fn check(offset: Option<f64>) -> CheckResult {
    match offset {
        Some(offset) => GENERATOR_ALIGNMENT.scored(
            offset,
            if offset >= ALIGNMENT_THRESHOLD {
                "the face is not framed as face generators trained on FFHQ (StyleGAN) frame it"
                    .to_owned()
            } else {
                format!(
                    "a square image with the face where StyleGAN-style generators put it (within \
                     {:.1}% of the side): possibly generated",
                    offset * 100.0
                )
            },
        ),
        None => GENERATOR_ALIGNMENT.not_made("no face to judge"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;

    /// A face with these proportions where FFHQ puts it in a `side` image.
    fn canonical(side: f32, ratio: f32) -> Landmarks {
        let distance = (1.0 / (3.6 * ratio)).min(0.25) * side;
        let eyes_y = side * 0.5 - 0.1 * ratio * distance;
        let mouth_y = eyes_y + ratio * distance;
        let half = distance / 2.0;
        [
            [side / 2.0 - half, eyes_y],
            [side / 2.0 + half, eyes_y],
            [side / 2.0, (eyes_y + mouth_y) / 2.0],
            [side / 2.0 - half * 0.8, mouth_y],
            [side / 2.0 + half * 0.8, mouth_y],
        ]
    }

    #[test]
    fn a_face_placed_as_ffhq_places_it_is_at_offset_zero() {
        for ratio in [0.9f32, 1.1, 1.3] {
            for side in [256u32, 1024] {
                let offset = ffhq_offset(side, side, &canonical(side as f32, ratio)).unwrap();
                assert!(offset < 1e-4, "ratio {ratio} side {side}: {offset}");
                assert_eq!(check(Some(offset)).outcome, CheckOutcome::Failed);
            }
        }
    }

    #[test]
    fn moved_scaled_or_non_square_faces_are_away_from_it() {
        let base = canonical(512.0, 1.1);
        let shifted = base.map(|[x, y]| [x + 40.0, y]);
        assert!((ffhq_offset(512, 512, &shifted).unwrap() - 40.0 / 512.0).abs() < 1e-4);
        let smaller = base.map(|[x, y]| [256.0 + (x - 256.0) * 0.7, 256.0 + (y - 256.0) * 0.7]);
        assert!(ffhq_offset(512, 512, &smaller).unwrap() > ALIGNMENT_THRESHOLD);
        // The same face in a 4:3 frame: the aspect alone keeps it off.
        let offset = ffhq_offset(512, 384, &base).unwrap();
        assert!((offset - 0.25).abs() < 1e-9);
        assert_eq!(check(Some(offset)).outcome, CheckOutcome::Passed);
        assert!(ffhq_offset(512, 512, &[[10.0, 10.0]; 5]).is_none());
        assert!(ffhq_offset(0, 0, &base).is_none());
        assert_eq!(check(None).outcome, CheckOutcome::Unavailable);
    }

    #[test]
    fn ffhqs_crop_of_any_face_lands_it_at_offset_zero() {
        // A face anywhere in a photo, turned a little: its crop puts it where FFHQ does.
        let photo_face: Landmarks = [
            [310.0, 200.0],
            [372.0, 208.0],
            [340.0, 240.0],
            [316.0, 272.0],
            [362.0, 278.0],
        ];
        for size in [256u32, 1024] {
            let t = ffhq_crop(&photo_face, size).unwrap();
            let cropped = photo_face.map(|p| t.apply(p));
            let offset = ffhq_offset(size, size, &cropped).unwrap();
            assert!(offset < 0.01, "size {size}: {offset}");
        }
        assert!(ffhq_offset(640, 480, &photo_face).unwrap() > ALIGNMENT_THRESHOLD);
    }
}
