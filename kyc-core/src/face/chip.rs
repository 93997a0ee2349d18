//! dlib's face chips: `get_face_chip_details` (the similarity from a canonical five-point face to
//! the landmarks, with padding) and `extract_image_chip` (a 2:1 Gaussian pyramid deep enough that
//! bilinear sampling does not alias, then a bilinear warp). The dlib age and gender networks were
//! trained on exactly these chips, so every step follows dlib, including its pixel conventions
//! (inclusive rectangles, `width - 1` centred rectangles, truncating pixel assignment).

use image::{Rgb, RgbImage};

use super::shape5::Shape5;

/// Where a chip comes from, as dlib's `chip_details`: a rectangle in the image (real-valued,
/// inclusive), its rotation about its centre, and the output size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChipDetails {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
    angle: f64,
    size: u32,
}

/// The canonical five-point face in the unit square (dlib's `get_face_chip_details`).
const CANONICAL: [[f64; 2]; 5] = [
    [0.859_567_459_599_2, 0.213_498_153_801_4],
    [0.646_060_476_410_4, 0.228_967_438_767_7],
    [0.120_575_062_078_9, 0.213_727_452_684_8],
    [0.334_085_061_371_2, 0.229_064_240_324_2],
    [0.490_112_313_567_9, 0.627_797_531_647_5],
];

/// dlib's default padding around the face, which the age and gender models were trained with.
pub const CHIP_PADDING: f64 = 0.2;

/// The chip of side `size` for the face with landmarks `shape`.
pub fn face_chip_details(shape: &Shape5, size: u32, padding: f64) -> Option<ChipDetails> {
    let side = f64::from(size);
    let from: Vec<[f64; 2]> = CANONICAL
        .iter()
        .map(|p| {
            [
                (padding + p[0]) / (2.0 * padding + 1.0) * side,
                (padding + p[1]) / (2.0 * padding + 1.0) * side,
            ]
        })
        .collect();
    let (a, b, tx, ty) = similarity(&from, shape)?;
    // The similarity's rotation and scale, and where it takes the chip's centre.
    let angle = b.atan2(a);
    let scale = a.hypot(b);
    let (cx, cy) = (side / 2.0, side / 2.0);
    let centre = [a * cx - b * cy + tx, b * cx + a * cy + ty];
    let extent = side * scale - 1.0;
    Some(ChipDetails {
        left: centre[0] - extent / 2.0,
        top: centre[1] - extent / 2.0,
        right: centre[0] + extent / 2.0,
        bottom: centre[1] + extent / 2.0,
        angle,
        size,
    })
}

/// Least-squares similarity `to ≈ [a -b; b a] from + t` (Umeyama, no reflection).
fn similarity(from: &[[f64; 2]], to: &[[f64; 2]]) -> Option<(f64, f64, f64, f64)> {
    let n = from.len() as f64;
    let mean = |s: &[[f64; 2]], k: usize| s.iter().map(|p| p[k]).sum::<f64>() / n;
    let (fx, fy, tx, ty) = (mean(from, 0), mean(from, 1), mean(to, 0), mean(to, 1));
    let (mut a, mut b, mut norm) = (0.0, 0.0, 0.0);
    for (p, q) in from.iter().zip(to) {
        let (px, py, qx, qy) = (p[0] - fx, p[1] - fy, q[0] - tx, q[1] - ty);
        a += px * qx + py * qy;
        b += px * qy - py * qx;
        norm += px * px + py * py;
    }
    if norm == 0.0 || !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (a, b) = (a / norm, b / norm);
    if a == 0.0 && b == 0.0 {
        return None;
    }
    Some((a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy)))
}

/// A real-valued inclusive rectangle (dlib's `drectangle`).
#[derive(Clone, Copy, Debug)]
struct DRect {
    l: f64,
    t: f64,
    r: f64,
    b: f64,
}

impl DRect {
    fn area(&self) -> f64 {
        if self.l > self.r || self.t > self.b {
            0.0
        } else {
            (self.r - self.l + 1.0) * (self.b - self.t + 1.0)
        }
    }

    /// One level down dlib's 2:1 pyramid.
    fn down(&self) -> DRect {
        let p = |x: f64, y: f64| [x / 2.0 - 1.25, y / 2.0 - 0.75];
        let (tl, br) = (p(self.l, self.t), p(self.r, self.b));
        DRect {
            l: tl[0],
            t: tl[1],
            r: br[0],
            b: br[1],
        }
    }

    fn centre(&self) -> [f64; 2] {
        [(self.l + self.r) / 2.0, (self.t + self.b) / 2.0]
    }
}

fn rotate(centre: [f64; 2], p: [f64; 2], angle: f64) -> [f64; 2] {
    let (s, c) = angle.sin_cos();
    let (x, y) = (p[0] - centre[0], p[1] - centre[1]);
    [c * x - s * y + centre[0], s * x + c * y + centre[1]]
}

/// Cuts the chip out of `image`. Pixels that fall outside the image are black, as in dlib.
pub fn extract_chip(image: &RgbImage, details: &ChipDetails) -> RgbImage {
    let size = details.size;
    let mut chip = RgbImage::new(size, size);
    if size == 0 || image.width() == 0 || image.height() == 0 {
        return chip;
    }
    let chip_area = f64::from(size) * f64::from(size);
    let rect = DRect {
        l: details.left,
        t: details.top,
        r: details.right,
        b: details.bottom,
    };

    // How deep the pyramid must go, and the part of the image it is built from (the rotated
    // rectangle grown by a border that keeps the filter's edge effects outside the chip).
    let mut depth = 0usize;
    let mut grow = 2.0;
    let mut down = rect.down();
    while down.area() > chip_area && depth < 30 {
        down = down.down();
        depth += 1;
        grow = grow * 2.0 + 2.0;
    }
    let centre = rect.centre();
    let corners = [
        [rect.l, rect.t],
        [rect.r, rect.t],
        [rect.l, rect.b],
        [rect.r, rect.b],
    ]
    .map(|p| rotate(centre, p, details.angle));
    let fold =
        |f: fn(f64, f64) -> f64, k: usize, init: f64| corners.iter().fold(init, |m, p| f(m, p[k]));
    let round = |v: f64| (v + 0.5).floor() as i64;
    let (w, h) = (i64::from(image.width()), i64::from(image.height()));
    let bbox_l = round((fold(f64::min, 0, f64::MAX) - grow).max(0.0));
    let bbox_t = round((fold(f64::min, 1, f64::MAX) - grow).max(0.0));
    let bbox_r = round((fold(f64::max, 0, f64::MIN) + grow).min((w - 1) as f64));
    let bbox_b = round((fold(f64::max, 1, f64::MIN) + grow).min((h - 1) as f64));
    if bbox_l > bbox_r || bbox_t > bbox_b {
        return chip;
    }
    let sub = image::imageops::crop_imm(
        image,
        bbox_l as u32,
        bbox_t as u32,
        (bbox_r - bbox_l + 1) as u32,
        (bbox_b - bbox_t + 1) as u32,
    )
    .to_image();

    // The level to sample from: the deepest whose rectangle is still no smaller than the chip.
    let mut local = DRect {
        l: rect.l - bbox_l as f64,
        t: rect.t - bbox_t as f64,
        r: rect.r - bbox_l as f64,
        b: rect.b - bbox_t as f64,
    };
    let mut level = sub;
    let mut levels_built = 0usize;
    while local.down().area() > chip_area && levels_built < depth.max(1) + 1 {
        level = pyramid_down(&level);
        local = local.down();
        levels_built += 1;
    }

    // Chip corners (0,0), (size-1,0), (0,size-1) go to the rotated rectangle's corners.
    let c = local.centre();
    let tl = rotate(c, [local.l, local.t], details.angle);
    let tr = rotate(c, [local.r, local.t], details.angle);
    let bl = rotate(c, [local.l, local.b], details.angle);
    let last = f64::from(size - 1).max(1.0);
    let ux = [(tr[0] - tl[0]) / last, (tr[1] - tl[1]) / last];
    let uy = [(bl[0] - tl[0]) / last, (bl[1] - tl[1]) / last];
    for y in 0..size {
        for x in 0..size {
            let (fx, fy) = (f64::from(x), f64::from(y));
            let p = [
                tl[0] + ux[0] * fx + uy[0] * fy,
                tl[1] + ux[1] * fx + uy[1] * fy,
            ];
            if let Some(px) = bilinear(&level, p) {
                chip.put_pixel(x, y, px);
            }
        }
    }
    chip
}

/// dlib's bilinear sample; `None` when any of the four neighbours is outside the image.
fn bilinear(image: &RgbImage, p: [f64; 2]) -> Option<Rgb<u8>> {
    let (left, top) = (p[0].floor(), p[1].floor());
    if left < 0.0 || top < 0.0 {
        return None;
    }
    let (l, t) = (left as u32, top as u32);
    if l + 1 >= image.width() || t + 1 >= image.height() {
        return None;
    }
    let (fx, fy) = (p[0] - left, p[1] - top);
    let (a, b) = (image.get_pixel(l, t).0, image.get_pixel(l + 1, t).0);
    let (c, d) = (image.get_pixel(l, t + 1).0, image.get_pixel(l + 1, t + 1).0);
    let mut out = [0u8; 3];
    for k in 0..3 {
        let v = (1.0 - fy) * ((1.0 - fx) * f64::from(a[k]) + fx * f64::from(b[k]))
            + fy * ((1.0 - fx) * f64::from(c[k]) + fx * f64::from(d[k]));
        // dlib assigns real values to bytes by clamping and truncating.
        out[k] = v.clamp(0.0, 255.0) as u8;
    }
    Some(Rgb(out))
}

/// One level of dlib's `pyramid_down<2>` on RGB: a separable [1 4 6 4 1] filter, every other row
/// and column kept, integer arithmetic with the same truncation.
fn pyramid_down(src: &RgbImage) -> RgbImage {
    let (w, h) = (src.width() as usize, src.height() as usize);
    if w <= 8 || h <= 8 {
        return RgbImage::new(0, 0);
    }
    let out_w = (w - 3) / 2;
    let out_h = (h - 3) / 2;
    let raw = src.as_raw();
    // Horizontal pass over every row.
    let mut temp = vec![[0u16; 3]; h * out_w];
    for r in 0..h {
        for c in 0..out_w {
            let oc = 2 * c;
            let mut acc = [0u16; 3];
            for (k, weight) in [1u16, 4, 6, 4, 1].into_iter().enumerate() {
                let i = (r * w + oc + k) * 3;
                for ch in 0..3 {
                    acc[ch] += weight * u16::from(raw[i + ch]);
                }
            }
            temp[r * out_w + c] = acc;
        }
    }
    // Vertical pass on rows 2, 4, ... (u16 wraps exactly as dlib's uint16 accumulator would if it
    // overflowed; 16 * 16 * 255 fits, so it does not).
    let mut out = RgbImage::new(out_w as u32, out_h as u32);
    let mut dr = 0u32;
    let mut r = 2usize;
    while r + 2 < h && dr < out_h as u32 {
        for c in 0..out_w {
            let mut px = [0u8; 3];
            for (ch, value) in px.iter_mut().enumerate() {
                let v = u32::from(temp[(r - 2) * out_w + c][ch])
                    + 4 * u32::from(temp[(r - 1) * out_w + c][ch])
                    + 6 * u32::from(temp[r * out_w + c][ch])
                    + 4 * u32::from(temp[(r + 1) * out_w + c][ch])
                    + u32::from(temp[(r + 2) * out_w + c][ch]);
                *value = (v / 256).min(255) as u8;
            }
            out.put_pixel(c as u32, dr, Rgb(px));
        }
        dr += 1;
        r += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_face_maps_onto_a_centred_unrotated_chip() {
        // Landmarks exactly where the canonical face puts them in a 100-pixel chip with no padding.
        let shape: Shape5 = CANONICAL.map(|p| [p[0] * 100.0 + 50.0, p[1] * 100.0 + 20.0]);
        let d = face_chip_details(&shape, 100, 0.0).unwrap();
        assert!(d.angle.abs() < 1e-9);
        // dlib's centred rectangles span `side - 1` between their inclusive edges.
        assert!(
            (d.left - 50.5).abs() < 1e-6 && (d.top - 20.5).abs() < 1e-6,
            "{d:?}"
        );
        assert!(
            (d.right - 149.5).abs() < 1e-6 && (d.bottom - 119.5).abs() < 1e-6,
            "{d:?}"
        );
    }

    #[test]
    fn degenerate_landmarks_have_no_chip() {
        assert!(face_chip_details(&[[5.0, 5.0]; 5], 64, CHIP_PADDING).is_none());
    }

    #[test]
    fn a_flat_image_gives_a_flat_chip_at_every_pyramid_depth() {
        // Far enough from the borders that dlib's pyramid border never reaches the chip (near an
        // edge dlib, and so kyc, leaves a black margin).
        let image = RgbImage::from_pixel(900, 800, Rgb([200, 100, 50]));
        let shape: Shape5 = CANONICAL.map(|p| [p[0] * 400.0 + 200.0, p[1] * 400.0 + 200.0]);
        let d = face_chip_details(&shape, 32, CHIP_PADDING).unwrap();
        let chip = extract_chip(&image, &d);
        assert_eq!(chip.dimensions(), (32, 32));
        // The pyramid's integer filter loses at most one level per pass to truncation.
        let black = chip.pixels().filter(|p| p.0 == [0, 0, 0]).count();
        assert_eq!(black, 0, "{d:?}");
        for p in chip.pixels() {
            assert!(p.0[0] >= 197 && p.0[1] >= 97 && p.0[2] >= 47, "{p:?}");
        }
    }

    #[test]
    fn parts_outside_the_image_are_black() {
        let image = RgbImage::from_pixel(100, 100, Rgb([255, 255, 255]));
        let shape: Shape5 = CANONICAL.map(|p| [p[0] * 80.0 - 40.0, p[1] * 80.0 + 10.0]);
        let d = face_chip_details(&shape, 32, CHIP_PADDING).unwrap();
        let chip = extract_chip(&image, &d);
        assert_eq!(chip.get_pixel(0, 16).0, [0, 0, 0]);
        assert_eq!(chip.get_pixel(31, 16).0, [255, 255, 255]);
    }
}
