//! Face geometry: boxes, landmarks, the similarity transform to a template, and the affine warp
//! that cuts the aligned crop.

use image::RgbImage;
use serde::{Deserialize, Serialize};

/// A point in image pixels.
pub type Point = [f32; 2];

/// The five landmarks in the order detectors and templates use: the eye on the image's left, the
/// eye on the image's right, nose tip, mouth corner on the left, mouth corner on the right.
pub type Landmarks = [Point; 5];

/// The ArcFace 112x112 template (also OpenCV's `FaceRecognizerSF::alignCrop`).
pub const ARCFACE_112: Landmarks = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundingBox {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl BoundingBox {
    /// Intersection over union.
    pub fn iou(&self, other: &BoundingBox) -> f32 {
        let x1 = self.x.max(other.x);
        let y1 = self.y.max(other.y);
        let x2 = (self.x + self.width).min(other.x + other.width);
        let y2 = (self.y + self.height).min(other.y + other.height);
        let inter = (x2 - x1).max(0.0) * (y2 - y1).max(0.0);
        let union = self.width * self.height + other.width * other.height - inter;
        if union > 0.0 { inter / union } else { 0.0 }
    }
}

/// A 2x3 affine matrix `[a, b, tx; c, d, ty]` mapping source to destination.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine(pub [[f32; 3]; 2]);

impl Affine {
    /// Applies the transform to `p`.
    pub fn apply(&self, p: Point) -> Point {
        let m = self.0;
        [
            m[0][0] * p[0] + m[0][1] * p[1] + m[0][2],
            m[1][0] * p[0] + m[1][1] * p[1] + m[1][2],
        ]
    }

    /// The inverse, when the matrix is invertible.
    pub fn inverse(&self) -> Option<Affine> {
        let [[a, b, tx], [c, d, ty]] = self.0;
        let det = a * d - b * c;
        if det.abs() < 1e-12 {
            return None;
        }
        let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det);
        Some(Affine([
            [ia, ib, -(ia * tx + ib * ty)],
            [ic, id, -(ic * tx + id * ty)],
        ]))
    }
}

/// The least-squares similarity transform (rotation, uniform scale, translation) taking `from` to
/// `to` (Umeyama's closed form for 2-D). `None` when the points are degenerate.
pub fn similarity(from: &[Point], to: &[Point]) -> Option<Affine> {
    let n = from.len().min(to.len());
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mean = |pts: &[Point]| {
        let (sx, sy) = pts.iter().take(n).fold((0.0f64, 0.0f64), |(x, y), p| {
            (x + f64::from(p[0]), y + f64::from(p[1]))
        });
        (sx / nf, sy / nf)
    };
    let (fx, fy) = mean(from);
    let (tx, ty) = mean(to);
    // With complex numbers z = x + iy, the best scale-rotation is sum(conj(f) t) / sum(|f|^2).
    let (mut re, mut im, mut norm) = (0.0f64, 0.0f64, 0.0f64);
    for (f, t) in from.iter().zip(to).take(n) {
        let (ax, ay) = (f64::from(f[0]) - fx, f64::from(f[1]) - fy);
        let (bx, by) = (f64::from(t[0]) - tx, f64::from(t[1]) - ty);
        re += ax * bx + ay * by;
        im += ax * by - ay * bx;
        norm += ax * ax + ay * ay;
    }
    if norm < 1e-9 {
        return None;
    }
    let (a, b) = (re / norm, im / norm);
    Some(Affine([
        [a as f32, (-b) as f32, (tx - (a * fx - b * fy)) as f32],
        [b as f32, a as f32, (ty - (b * fx + a * fy)) as f32],
    ]))
}

/// Cuts a `width` x `height` image from `src` through `transform` (source to destination), with
/// bilinear sampling and black outside the source, as OpenCV's `warpAffine` does by default.
pub fn warp_affine(
    src: &RgbImage,
    transform: &Affine,
    width: u32,
    height: u32,
) -> Option<RgbImage> {
    let inv = transform.inverse()?;
    let (sw, sh) = (src.width() as i64, src.height() as i64);
    let raw = src.as_raw();
    let mut out = RgbImage::new(width, height);
    for (x, y, px) in out.enumerate_pixels_mut() {
        let [sx, sy] = inv.apply([x as f32, y as f32]);
        let (x0, y0) = (floor(sx), floor(sy));
        let (dx, dy) = (sx - x0 as f32, sy - y0 as f32);
        let taps = [
            (1.0 - dx) * (1.0 - dy),
            dx * (1.0 - dy),
            (1.0 - dx) * dy,
            dx * dy,
        ];
        // Inside the source (nearly every pixel of a face crop): the four taps read directly.
        if x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh {
            let top = ((y0 * sw + x0) * 3) as usize;
            let bottom = top + (sw * 3) as usize;
            if let (Some(t), Some(b)) = (raw.get(top..top + 6), raw.get(bottom..bottom + 6)) {
                for (c, out) in px.0.iter_mut().enumerate() {
                    let v = taps[0] * f32::from(t[c])
                        + taps[1] * f32::from(t[c + 3])
                        + taps[2] * f32::from(b[c])
                        + taps[3] * f32::from(b[c + 3]);
                    *out = (v + 0.5).clamp(0.0, 255.0) as u8;
                }
                continue;
            }
        }
        let mut acc = [0.0f32; 3];
        for (ox, oy, w) in [
            (0, 0, taps[0]),
            (1, 0, taps[1]),
            (0, 1, taps[2]),
            (1, 1, taps[3]),
        ] {
            let (xx, yy) = (x0 + ox, y0 + oy);
            if xx < 0 || yy < 0 || xx >= sw || yy >= sh || w == 0.0 {
                continue;
            }
            let i = ((yy * sw + xx) * 3) as usize;
            if let Some(p) = raw.get(i..i + 3) {
                for (a, v) in acc.iter_mut().zip(p) {
                    *a += w * f32::from(*v);
                }
            }
        }
        // Half up, as `round` does for these non-negative sums.
        px.0 = acc.map(|v| (v + 0.5).clamp(0.0, 255.0) as u8);
    }
    Some(out)
}

/// `v.floor()` as an integer, without the library call `f32::floor` costs on baseline x86-64
/// (a quarter of the warp's time). Values beyond `i64` saturate, so they fall outside any image.
fn floor(v: f32) -> i64 {
    let t = v as i64;
    if (t as f32) > v { t - 1 } else { t }
}

/// The crop aligned to the ArcFace template, 112x112.
pub fn align_arcface(src: &RgbImage, landmarks: &Landmarks) -> Option<RgbImage> {
    let t = similarity(landmarks, &ARCFACE_112)?;
    warp_affine(src, &t, 112, 112)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_recovers_a_known_transform() {
        let angle = 0.3f32;
        let (s, tx, ty) = (1.7f32, 12.0f32, -5.0f32);
        let known = Affine([
            [s * angle.cos(), -s * angle.sin(), tx],
            [s * angle.sin(), s * angle.cos(), ty],
        ]);
        let from: Vec<Point> = ARCFACE_112.to_vec();
        let to: Vec<Point> = from.iter().map(|p| known.apply(*p)).collect();
        let got = similarity(&from, &to).unwrap();
        for (r, k) in got.0.iter().flatten().zip(known.0.iter().flatten()) {
            assert!((r - k).abs() < 1e-3, "{got:?} vs {known:?}");
        }
        assert!(similarity(&[[1.0, 1.0]; 5], &ARCFACE_112).is_none());
    }

    #[test]
    fn identity_warp_copies_pixels() {
        let src = RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 10, y as u8 * 10, 5]));
        let id = Affine([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
        assert_eq!(warp_affine(&src, &id, 8, 8).unwrap(), src);
    }

    #[test]
    fn iou_of_half_overlap() {
        let a = BoundingBox {
            x: 0.0,
            y: 0.0,
            width: 2.0,
            height: 2.0,
        };
        let b = BoundingBox {
            x: 1.0,
            y: 0.0,
            width: 2.0,
            height: 2.0,
        };
        assert!((a.iou(&b) - 1.0 / 3.0).abs() < 1e-6);
    }
}
