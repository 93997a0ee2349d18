//! Procedural surfaces: the document's security background (guilloche-like line families over a
//! gradient), tables for the photo variants, and paper grain for printouts. All from hash-based
//! value noise keyed by the seed, so no texture files are needed.

use image::{Rgb, RgbImage};

use crate::raster::{Color, px};
use crate::rng::{Rng, hash_unit};

/// HSV (hue in degrees, saturation and value 0 to 1) to RGB.
pub(crate) fn hsv(h: f64, s: f64, v: f64) -> Color {
    let h = h.rem_euclid(360.0) / 60.0;
    let c = v * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    [r, g, b].map(|u| ((u + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

/// Smooth value noise in `[0, 1)` with lattice spacing `cell` pixels.
pub(crate) fn value_noise(key: u64, x: f32, y: f32, cell: f32) -> f32 {
    let (u, v) = (x / cell, y / cell);
    let (x0, y0) = (u.floor(), v.floor());
    let (fx, fy) = (smooth(u - x0), smooth(v - y0));
    let (xi, yi) = (x0 as i64, y0 as i64);
    let a = hash_unit(key, xi, yi);
    let b = hash_unit(key, xi + 1, yi);
    let c = hash_unit(key, xi, yi + 1);
    let d = hash_unit(key, xi + 1, yi + 1);
    let top = a + (b - a) * fx;
    let bottom = c + (d - c) * fx;
    top + (bottom - top) * fy
}

/// Three octaves of value noise, centred on 0 (roughly -0.5 to 0.5).
pub(crate) fn fbm(key: u64, x: f32, y: f32, cell: f32) -> f32 {
    let mut sum = 0.0;
    let mut amp = 0.5;
    let mut c = cell;
    for o in 0..3u64 {
        sum += amp * (value_noise(key.wrapping_add(o), x, y, c) - 0.5);
        amp *= 0.5;
        c *= 0.5;
    }
    sum / 0.875
}

/// One family of fine printed lines: where `phase` crosses an integer, at `period` pixels spacing.
fn line_intensity(phase: f64, period: f64, width: f64) -> f32 {
    let d = (phase - phase.round()).abs() * period;
    (-(d / width) * (d / width)).exp() as f32
}

/// The security print under a document's fields: a two-hue gradient, two rosettes of modulated
/// circles and a band of waves, in pale inks around `hue`.
pub(crate) fn guilloche(w: u32, h: u32, hue: f64, rng: &mut Rng) -> RgbImage {
    let base_a = hsv(hue, rng.range(0.06, 0.12), 0.97);
    let base_b = hsv(hue + rng.range(20.0, 50.0), rng.range(0.10, 0.18), 0.95);
    let ink_a = hsv(hue, 0.45, 0.75);
    let ink_b = hsv(hue + 60.0, 0.35, 0.80);
    let ink_c = hsv(hue - 40.0, 0.30, 0.78);
    let (wf, hf) = (f64::from(w), f64::from(h));
    let c1 = (wf * rng.range(0.6, 0.8), hf * rng.range(0.3, 0.6));
    let c2 = (wf * rng.range(0.05, 0.3), hf * rng.range(0.5, 0.9));
    let (n1, n2) = (rng.int(5, 12) as f64, rng.int(3, 9) as f64);
    let (p1, p2) = (rng.range(9.0, 14.0), rng.range(11.0, 16.0));
    let (a1, a2) = (rng.range(1.5, 4.0), rng.range(1.0, 3.0));
    let (ph1, ph2) = (rng.range(0.0, 6.3), rng.range(0.0, 6.3));
    let wave_period = rng.range(7.0, 11.0);
    let (wave_amp, wave_len) = (rng.range(6.0, 18.0), rng.range(60.0, 160.0));
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (xf, yf) = (f64::from(x), f64::from(y));
        let t = ((xf / wf) * 0.7 + (yf / hf) * 0.3) as f32;
        let mut c: [f32; 3] =
            [0, 1, 2].map(|i| f32::from(base_a[i]) * (1.0 - t) + f32::from(base_b[i]) * t);
        let mut ink = |color: Color, a: f32| {
            for (ci, ti) in c.iter_mut().zip(color) {
                *ci += (f32::from(ti) - *ci) * a;
            }
        };
        let (dx, dy) = (xf - c1.0, yf - c1.1);
        let (r, th) = ((dx * dx + dy * dy).sqrt(), dy.atan2(dx));
        let f = r / p1 + a1 * (n1 * th + ph1).sin() + 0.6 * (r / 90.0).sin();
        ink(ink_a, 0.26 * line_intensity(f, p1, 0.8));
        let (dx, dy) = (xf - c2.0, yf - c2.1);
        let (r, th) = ((dx * dx + dy * dy).sqrt(), dy.atan2(dx));
        let f = r / p2 + a2 * (n2 * th + ph2).cos();
        ink(ink_b, 0.21 * line_intensity(f, p2, 0.8));
        let f = (yf + wave_amp * (xf / wave_len).sin() + 0.4 * wave_amp * (xf / 37.0).cos())
            / wave_period;
        ink(ink_c, 0.14 * line_intensity(f, wave_period, 0.7));
        *p = Rgb(c.map(px));
    }
    img
}

/// Smooth noise sampled on a coarse grid and interpolated: the tables' low-frequency shading
/// does not need a full noise evaluation per pixel, and that evaluation dominated the run time.
struct Coarse {
    w: usize,
    step: f32,
    data: Vec<f32>,
}

impl Coarse {
    fn new(w: u32, h: u32, step: u32, f: impl Fn(f32, f32) -> f32) -> Self {
        let (gw, gh) = ((w / step + 2) as usize, (h / step + 2) as usize);
        let mut data = Vec::with_capacity(gw * gh);
        for gy in 0..gh {
            for gx in 0..gw {
                data.push(f((gx as u32 * step) as f32, (gy as u32 * step) as f32));
            }
        }
        Self {
            w: gw,
            step: step as f32,
            data,
        }
    }

    fn at(&self, x: f32, y: f32) -> f32 {
        let (u, v) = (x / self.step, y / self.step);
        let (x0, y0) = (u.floor() as usize, v.floor() as usize);
        let (fx, fy) = (u - u.floor(), v - v.floor());
        let g = |i: usize, j: usize| self.data.get(j * self.w + i).copied().unwrap_or(0.0);
        let top = g(x0, y0) + (g(x0 + 1, y0) - g(x0, y0)) * fx;
        let bottom = g(x0, y0 + 1) + (g(x0 + 1, y0 + 1) - g(x0, y0 + 1)) * fx;
        top + (bottom - top) * fy
    }
}

/// A surface to lay the document on: wood, a plain desk or cloth.
pub(crate) fn table(w: u32, h: u32, rng: &mut Rng) -> (RgbImage, &'static str) {
    let key = rng.next_u64();
    let style = rng.index(3);
    let (name, base) = match style {
        0 => (
            "wood",
            hsv(
                rng.range(20.0, 38.0),
                rng.range(0.45, 0.7),
                rng.range(0.35, 0.7),
            ),
        ),
        1 => (
            "desk",
            hsv(
                rng.range(0.0, 360.0),
                rng.range(0.0, 0.15),
                rng.range(0.25, 0.85),
            ),
        ),
        _ => (
            "cloth",
            hsv(
                rng.range(0.0, 360.0),
                rng.range(0.2, 0.5),
                rng.range(0.3, 0.6),
            ),
        ),
    };
    let ring = rng.range(9.0, 22.0) as f32;
    let (cell, stretch) = match style {
        0 => (40.0, 0.08),
        1 => (300.0, 1.0),
        _ => (120.0, 1.0),
    };
    let low = Coarse::new(w, h, 4, |x, y| fbm(key, x * stretch, y, cell));
    let streaks = Coarse::new(w, h, 4, |x, y| fbm(key ^ 7, x * 0.05, y, 30.0));
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (xf, yf) = (x as f32, y as f32);
        let grain = hash_unit(key, x.into(), y.into()) - 0.5;
        let shade = match style {
            0 => {
                // Grain along x: stretched noise bends rings of alternating tone.
                let rings = ((yf + low.at(xf, yf) * 140.0) / ring).sin();
                1.0 + 0.07 * rings + 0.10 * streaks.at(xf, yf) + 0.01 * grain
            }
            1 => 1.0 + 0.10 * low.at(xf, yf) + 0.012 * grain,
            _ => {
                let weave = ((xf * 1.3).sin() * (yf * 1.3).sin()) * 0.05;
                1.0 + weave + 0.12 * low.at(xf, yf) + 0.01 * grain
            }
        };
        *p = Rgb(base.map(|v| px(f32::from(v) * shade)));
    }
    (img, name)
}

/// Paper grain and fibres, multiplied into an image (printouts, photocopies).
pub(crate) fn paper(img: &mut RgbImage, key: u64, strength: f32) {
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (xf, yf) = (x as f32, y as f32);
        // One octave is enough at this scale; fibres run along x.
        let fibre = value_noise(key, xf * 0.3, yf, 6.0) - 0.5;
        let grain = hash_unit(key ^ 0x55, x.into(), y.into()) - 0.5;
        let k = 1.0 + strength * (0.6 * fibre + 0.4 * grain);
        for c in p.0.iter_mut() {
            *c = px(f32::from(*c) * k);
        }
    }
}
