//! Pixel primitives the renderer builds on: blending, coverage masks, perspective warps, blurs and
//! the PNG/JPEG encoders. Written here rather than taken from `imageproc` to keep the dependency
//! tree small and every step visibly single-threaded (so byte-identical between runs).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ImageEncoder, Rgb, RgbImage};

use crate::Result;

/// A point in pixels.
pub(crate) type Pt = (f64, f64);

/// An 8-bit colour.
pub(crate) type Color = [u8; 3];

/// Blend `color` into pixel `(x, y)` with opacity `a` (0 to 1); outside the image does nothing.
pub(crate) fn blend(img: &mut RgbImage, x: i64, y: i64, color: Color, a: f32) {
    if x < 0 || y < 0 || x >= i64::from(img.width()) || y >= i64::from(img.height()) || a <= 0.0 {
        return;
    }
    let a = a.min(1.0);
    let p = img.get_pixel_mut(x as u32, y as u32);
    for (c, t) in p.0.iter_mut().zip(color) {
        *c = px(f32::from(*c) + (f32::from(t) - f32::from(*c)) * a);
    }
}

/// Fill the rectangle `[x0, x1) x [y0, y1)`, clipped to the image.
pub(crate) fn fill_rect(img: &mut RgbImage, x0: i64, y0: i64, x1: i64, y1: i64, c: Color, a: f32) {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    for y in y0.max(0)..y1.min(h) {
        for x in x0.max(0)..x1.min(w) {
            blend(img, x, y, c, a);
        }
    }
}

/// A rectangle outline `t` pixels thick.
pub(crate) fn stroke_rect(img: &mut RgbImage, r: [i64; 4], t: i64, c: Color, a: f32) {
    let [x0, y0, x1, y1] = r;
    fill_rect(img, x0, y0, x1, y0 + t, c, a);
    fill_rect(img, x0, y1 - t, x1, y1, c, a);
    fill_rect(img, x0, y0, x0 + t, y1, c, a);
    fill_rect(img, x1 - t, y0, x1, y1, c, a);
}

/// Coverage values (0 to 1) of rendered text or shapes, drawn later in any colour.
pub(crate) struct Mask {
    pub(crate) w: usize,
    pub(crate) h: usize,
    pub(crate) data: Vec<f32>,
}

impl Mask {
    pub(crate) fn new(w: usize, h: usize) -> Self {
        Self {
            w,
            h,
            data: vec![0.0; w * h],
        }
    }

    /// Adds coverage at `(x, y)`, saturating at 1.
    pub(crate) fn add(&mut self, x: i64, y: i64, v: f32) {
        if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h {
            return;
        }
        if let Some(c) = self.data.get_mut(y as usize * self.w + x as usize) {
            *c = (*c + v).min(1.0);
        }
    }

    fn at(&self, x: i64, y: i64) -> f32 {
        if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h {
            return 0.0;
        }
        self.data
            .get(y as usize * self.w + x as usize)
            .copied()
            .unwrap_or(0.0)
    }

    fn bilinear(&self, x: f64, y: f64) -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = ((x - x0) as f32, (y - y0) as f32);
        let (xi, yi) = (x0 as i64, y0 as i64);
        let top = self.at(xi, yi) * (1.0 - fx) + self.at(xi + 1, yi) * fx;
        let bottom = self.at(xi, yi + 1) * (1.0 - fx) + self.at(xi + 1, yi + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// Draw a mask with its top-left corner at `(x, y)`.
pub(crate) fn draw_mask(img: &mut RgbImage, m: &Mask, x: i64, y: i64, c: Color, opacity: f32) {
    for my in 0..m.h {
        for mx in 0..m.w {
            let v = m.data.get(my * m.w + mx).copied().unwrap_or(0.0);
            if v > 0.0 {
                blend(img, x + mx as i64, y + my as i64, c, v * opacity);
            }
        }
    }
}

/// Draw a mask rotated by `angle` radians about its centre, placed with that centre at `at`.
pub(crate) fn draw_mask_rotated(
    img: &mut RgbImage,
    m: &Mask,
    at: Pt,
    angle: f64,
    c: Color,
    opacity: f32,
) {
    let (s, co) = angle.sin_cos();
    let (hw, hh) = (m.w as f64 / 2.0, m.h as f64 / 2.0);
    let r = (hw * hw + hh * hh).sqrt().ceil();
    let (x0, x1) = ((at.0 - r).floor() as i64, (at.0 + r).ceil() as i64);
    let (y0, y1) = ((at.1 - r).floor() as i64, (at.1 + r).ceil() as i64);
    for y in y0.max(0)..y1.min(i64::from(img.height())) {
        for x in x0.max(0)..x1.min(i64::from(img.width())) {
            let (dx, dy) = (x as f64 - at.0, y as f64 - at.1);
            // Inverse rotation takes the image pixel back into the mask.
            let u = co * dx + s * dy + hw;
            let v = -s * dx + co * dy + hh;
            let a = m.bilinear(u, v);
            if a > 0.0 {
                blend(img, x, y, c, a * opacity);
            }
        }
    }
}

/// Bilinear sample of `img` at `(x, y)` (pixel centres at integer + 0.5), clamped at the border.
pub(crate) fn sample(img: &RgbImage, x: f64, y: f64) -> [f32; 3] {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let (x, y) = (x - 0.5, y - 0.5);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = ((x - x0) as f32, (y - y0) as f32);
    let px = |xi: i64, yi: i64| -> [f32; 3] {
        let p = img.get_pixel(xi.clamp(0, w - 1) as u32, yi.clamp(0, h - 1) as u32);
        [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]
    };
    let (xi, yi) = (x0 as i64, y0 as i64);
    let (a, b, c, d) = (
        px(xi, yi),
        px(xi + 1, yi),
        px(xi, yi + 1),
        px(xi + 1, yi + 1),
    );
    let mut out = [0.0; 3];
    for (i, o) in out.iter_mut().enumerate() {
        let top = a[i] * (1.0 - fx) + b[i] * fx;
        let bottom = c[i] * (1.0 - fx) + d[i] * fx;
        *o = top * (1.0 - fy) + bottom * fy;
    }
    out
}

/// Rounds a channel value to 8 bits. Float-to-int `as` casts saturate (and map NaN to 0), so
/// adding one half rounds and clamps in one step, much cheaper than `round` then `clamp`.
pub(crate) fn px(v: f32) -> u8 {
    (v + 0.5) as u8
}

/// Rounds and clamps a float colour.
pub(crate) fn to_u8(c: [f32; 3]) -> Rgb<u8> {
    Rgb(c.map(px))
}

/// A plane projective transform (3x3, `h[8]` = 1).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Homography([f64; 9]);

impl Homography {
    /// The transform taking `src[i]` to `dst[i]`; `None` when the points are degenerate.
    pub(crate) fn from_quads(src: [Pt; 4], dst: [Pt; 4]) -> Option<Self> {
        // Eight equations in eight unknowns, solved by Gaussian elimination with pivoting.
        let mut a = [[0.0f64; 9]; 8];
        for (i, ((x, y), (u, v))) in src.iter().zip(dst.iter()).enumerate() {
            a[2 * i] = [*x, *y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, *u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, *x, *y, 1.0, -v * x, -v * y, *v];
        }
        for col in 0..8 {
            let pivot = (col..8).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
            if a[pivot][col].abs() < 1e-12 {
                return None;
            }
            a.swap(col, pivot);
            let pivot_row = a[col];
            for (row, r) in a.iter_mut().enumerate() {
                if row != col {
                    let f = r[col] / pivot_row[col];
                    for (x, p) in r.iter_mut().zip(pivot_row).skip(col) {
                        *x -= f * p;
                    }
                }
            }
        }
        let mut h = [0.0; 9];
        for (i, hi) in h.iter_mut().take(8).enumerate() {
            *hi = a[i][8] / a[i][i];
        }
        h[8] = 1.0;
        Some(Self(h))
    }

    /// The transform taking the rectangle `w x h` to `dst` (corners clockwise from top-left).
    pub(crate) fn from_rect(w: f64, h: f64, dst: [Pt; 4]) -> Option<Self> {
        Self::from_quads([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], dst)
    }

    pub(crate) fn apply(&self, p: Pt) -> Pt {
        let h = &self.0;
        let z = h[6] * p.0 + h[7] * p.1 + h[8];
        let z = if z.abs() < 1e-12 { 1e-12 } else { z };
        (
            (h[0] * p.0 + h[1] * p.1 + h[2]) / z,
            (h[3] * p.0 + h[4] * p.1 + h[5]) / z,
        )
    }

    pub(crate) fn inverse(&self) -> Option<Self> {
        let m = &self.0;
        let c = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        let det = m[0] * c[0] + m[1] * c[3] + m[2] * c[6];
        if det.abs() < 1e-12 || c[8].abs() < 1e-15 {
            return None;
        }
        Some(Self(c.map(|v| v / c[8])))
    }

    /// Maps each corner of a quad.
    pub(crate) fn quad(&self, q: [Pt; 4]) -> [Pt; 4] {
        q.map(|p| self.apply(p))
    }
}

/// Draws `src` onto `dst` through `h` (source to destination), bilinear, with anti-aliased edges.
/// `samples` per axis average a grid within each destination pixel: 1 is a plain resampling,
/// more imitate a sensor integrating light over its pixel area (which tames, but does not remove,
/// aliasing of fine periodic patterns such as a screen's sub-pixels).
pub(crate) fn warp(dst: &mut RgbImage, src: &RgbImage, h: &Homography, samples: u32) -> Result<()> {
    let inv = h.inverse().ok_or("degenerate homography")?;
    let (sw, sh) = (f64::from(src.width()), f64::from(src.height()));
    let corners = h.quad([(0.0, 0.0), (sw, 0.0), (sw, sh), (0.0, sh)]);
    let (dw, dh) = (i64::from(dst.width()), i64::from(dst.height()));
    let x0 = corners.iter().map(|p| p.0).fold(f64::MAX, f64::min).floor() as i64;
    let x1 = corners.iter().map(|p| p.0).fold(f64::MIN, f64::max).ceil() as i64;
    let y0 = corners.iter().map(|p| p.1).fold(f64::MAX, f64::min).floor() as i64;
    let y1 = corners.iter().map(|p| p.1).fold(f64::MIN, f64::max).ceil() as i64;
    // Edge softness measured in source pixels: one destination pixel's worth.
    let scale = (sw / (corners[1].0 - corners[0].0).abs().max(1.0)).max(1.0);
    for y in y0.max(0)..=y1.min(dh - 1) {
        for x in x0.max(0)..=x1.min(dw - 1) {
            let (u, v) = inv.apply((x as f64 + 0.5, y as f64 + 0.5));
            let edge = u.min(v).min(sw - u).min(sh - v) / scale + 0.5;
            if edge <= 0.0 {
                continue;
            }
            let c = if samples <= 1 {
                sample(src, u, v)
            } else {
                let n = f64::from(samples);
                let mut acc = [0.0f32; 3];
                for j in 0..samples {
                    for i in 0..samples {
                        let (su, sv) = inv.apply((
                            x as f64 + (f64::from(i) + 0.5) / n,
                            y as f64 + (f64::from(j) + 0.5) / n,
                        ));
                        for (a, c) in acc.iter_mut().zip(sample(src, su, sv)) {
                            *a += c;
                        }
                    }
                }
                acc.map(|a| a / (n * n) as f32)
            };
            let a = edge.min(1.0) as f32;
            let p = dst.get_pixel_mut(x as u32, y as u32);
            for (d, s) in p.0.iter_mut().zip(c) {
                *d = px(f32::from(*d) * (1.0 - a) + s * a);
            }
        }
    }
    Ok(())
}

/// Whether `p` lies inside the convex quad `q` (corners in order, either winding).
pub(crate) fn inside_quad(q: &[Pt; 4], p: Pt) -> bool {
    let mut sign = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        if cross.abs() < 1e-9 {
            continue;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return false;
        }
    }
    true
}

fn gaussian_kernel(sigma: f32) -> Vec<f32> {
    let r = (sigma * 3.0).ceil().max(1.0) as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    k.into_iter().map(|v| v / sum).collect()
}

/// Separable convolution of an interleaved float buffer with clamped borders.
fn convolve(data: &mut [f32], w: usize, h: usize, ch: usize, k: &[f32]) {
    let r = (k.len() / 2) as i64;
    let mut line = vec![0.0f32; w.max(h) * ch];
    for y in 0..h {
        for x in 0..w {
            for c in 0..ch {
                let mut acc = 0.0;
                for (i, kv) in k.iter().enumerate() {
                    let xx = (x as i64 + i as i64 - r).clamp(0, w as i64 - 1) as usize;
                    acc += kv * data.get((y * w + xx) * ch + c).copied().unwrap_or(0.0);
                }
                if let Some(l) = line.get_mut(x * ch + c) {
                    *l = acc;
                }
            }
        }
        if let (Some(dst), Some(src)) = (
            data.get_mut(y * w * ch..(y + 1) * w * ch),
            line.get(..w * ch),
        ) {
            dst.copy_from_slice(src);
        }
    }
    // Vertical pass row by row, so that memory is read in order.
    let src = data.to_vec();
    let stride = w * ch;
    for y in 0..h {
        let Some(out) = data.get_mut(y * stride..(y + 1) * stride) else {
            continue;
        };
        out.fill(0.0);
        for (i, kv) in k.iter().enumerate() {
            let yy = (y as i64 + i as i64 - r).clamp(0, h as i64 - 1) as usize;
            if let Some(row) = src.get(yy * stride..(yy + 1) * stride) {
                for (o, s) in out.iter_mut().zip(row) {
                    *o += kv * s;
                }
            }
        }
    }
}

/// Gaussian blur of a single-channel float plane.
pub(crate) fn blur_plane(data: &mut [f32], w: usize, h: usize, sigma: f32) {
    if sigma > 0.05 {
        convolve(data, w, h, 1, &gaussian_kernel(sigma));
    }
}

/// Gaussian blur of a colour image.
pub(crate) fn blur(img: &RgbImage, sigma: f32) -> RgbImage {
    if sigma <= 0.05 {
        return img.clone();
    }
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut f: Vec<f32> = img.as_raw().iter().map(|&v| f32::from(v)).collect();
    convolve(&mut f, w, h, 3, &gaussian_kernel(sigma));
    let raw = f.iter().map(|&v| px(v)).collect();
    RgbImage::from_raw(img.width(), img.height(), raw).unwrap_or_else(|| img.clone())
}

/// Linear motion blur: the mean of `len` samples along `angle` radians.
pub(crate) fn motion_blur(img: &RgbImage, len: f64, angle: f64) -> RgbImage {
    // A sample every 1.5 pixels along the path is smooth enough once bilinear sampling
    // interpolates between them, and saves a third of the time.
    let n = (len / 1.5).round().max(2.0) as i64;
    let step = len / n as f64;
    let (dx, dy) = (angle.cos() * step, angle.sin() * step);
    let mut out = img.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let mut acc = [0.0f32; 3];
        for i in 0..n {
            let t = i as f64 - (n - 1) as f64 / 2.0;
            let s = sample(
                img,
                f64::from(x) + 0.5 + t * dx,
                f64::from(y) + 0.5 + t * dy,
            );
            for (a, v) in acc.iter_mut().zip(s) {
                *a += v;
            }
        }
        *p = to_u8(acc.map(|v| v / n as f32));
    }
    out
}

/// JPEG bytes at `quality` (1 to 100).
pub(crate) fn jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(img)?;
    Ok(out)
}

/// Decodes JPEG bytes back into pixels (for re-compression effects).
pub(crate) fn unjpeg(bytes: &[u8]) -> Result<RgbImage> {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)?;
    Ok(img.to_rgb8())
}

/// PNG bytes, best compression with adaptive filters (deterministic).
pub(crate) fn png(img: &RgbImage) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_round_trips() {
        let dst = [(10.0, 20.0), (300.0, 5.0), (320.0, 250.0), (0.0, 200.0)];
        let h = Homography::from_rect(100.0, 50.0, dst).unwrap();
        let p = h.apply((100.0, 50.0));
        assert!((p.0 - 320.0).abs() < 1e-6 && (p.1 - 250.0).abs() < 1e-6);
        let back = h.inverse().unwrap().apply(p);
        assert!((back.0 - 100.0).abs() < 1e-6 && (back.1 - 50.0).abs() < 1e-6);
    }
}
