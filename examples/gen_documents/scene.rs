//! A phone photo of a flat object (a document, a printout of it, a screen showing it): the object
//! laid on a table, turned and tilted, lit unevenly, then the camera's own defects (soft optics,
//! colour cast, sensor noise). Glare and blur are optional steps of the same pipeline, applied
//! where they happen physically: glare on the scene, blur before the sensor noise.

use image::{Rgb, RgbImage};
use serde::Serialize;

use crate::Result;
use crate::raster::{Homography, Pt, blur, blur_plane, inside_quad, motion_blur, px, warp};
use crate::rng::{Rng, hash_unit};
use crate::texture::table;

/// The camera frame.
pub(crate) const FRAME: (u32, u32) = (1280, 960);

/// Which frame edge a cropped document runs off.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Edge {
    Left,
    Right,
    Top,
    Bottom,
}

/// Camera shake or focus.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub(crate) enum BlurKind {
    Gaussian { sigma: f32 },
    Motion { length: f64, angle_deg: f64 },
}

/// A specular highlight, in object coordinates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Glare {
    pub(crate) at: Pt,
    /// Radius in object pixels.
    pub(crate) radius: f64,
}

/// What to do beyond a plain genuine photo.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Plan {
    /// Width of the region of interest as a share of the frame width.
    pub(crate) fill: Option<(f64, f64)>,
    /// The part of the object that must fit the frame, `[x0, y0, x1, y1]` (default: all of it).
    pub(crate) roi: Option<[f64; 4]>,
    pub(crate) outside: Option<(Edge, f64)>,
    pub(crate) glare: Option<Glare>,
    pub(crate) blur: Option<BlurKind>,
    /// Extra tilt, for recaptures held at an angle.
    pub(crate) tilt: f64,
    /// Sensor samples per pixel and axis (see `raster::warp`); 0 or 1 for one.
    pub(crate) samples: u32,
}

/// The photo and where the object went.
pub(crate) struct Shot {
    pub(crate) image: RgbImage,
    /// Object coordinates to image coordinates.
    pub(crate) h: Homography,
    pub(crate) background: &'static str,
    /// The glare's centre and radius in image coordinates, when there is one.
    pub(crate) glare: Option<(Pt, f64)>,
}

fn quad_bounds(q: &[Pt; 4]) -> [f64; 4] {
    let xs = q.iter().map(|p| p.0);
    let ys = q.iter().map(|p| p.1);
    [
        xs.clone().fold(f64::MAX, f64::min),
        ys.clone().fold(f64::MAX, f64::min),
        xs.fold(f64::MIN, f64::max),
        ys.fold(f64::MIN, f64::max),
    ]
}

/// Photographs `object` according to `plan`.
pub(crate) fn photograph(object: &RgbImage, plan: &Plan, rng: &mut Rng) -> Result<Shot> {
    let (fw, fh) = (f64::from(FRAME.0), f64::from(FRAME.1));
    let (ow, oh) = (f64::from(object.width()), f64::from(object.height()));
    let roi = plan.roi.unwrap_or([0.0, 0.0, ow, oh]);
    let (rw, rh) = (roi[2] - roi[0], roi[3] - roi[1]);
    let (lo, hi) = plan.fill.unwrap_or((0.62, 0.82));
    // Scale so that the region of interest takes the drawn share of the frame width, and fits
    // its height with a margin for the tilt.
    let mut scale = fw * rng.range(lo, hi) / rw;
    scale = scale.min(fh * 0.86 / rh);
    let angle = rng.range(-6.0f64, 6.0).to_radians();
    let (s, c) = angle.sin_cos();
    // Object corners about the ROI centre, turned, then each corner nudged for perspective.
    let (cx, cy) = ((roi[0] + roi[2]) / 2.0, (roi[1] + roi[3]) / 2.0);
    let corners = [(0.0, 0.0), (ow, 0.0), (ow, oh), (0.0, oh)];
    let tilt = 0.018 + plan.tilt;
    let keystone = rng.range(-tilt, tilt);
    let mut dst = corners.map(|(x, y)| {
        let (dx, dy) = ((x - cx) * scale, (y - cy) * scale);
        // Keystone: the far edge (top or bottom) shrinks, as when the phone leans.
        let k = 1.0 + keystone * (dy / (rh * scale / 2.0));
        let dx = dx * k;
        (dx * c - dy * s, dx * s + dy * c)
    });
    for p in &mut dst {
        p.0 += rng.normal() * rw * scale * 0.004;
        p.1 += rng.normal() * rw * scale * 0.004;
    }
    // Place the ROI: centred with jitter inside the frame, or run off one edge.
    let roi_q = [
        (roi[0], roi[1]),
        (roi[2], roi[1]),
        (roi[2], roi[3]),
        (roi[0], roi[3]),
    ];
    let h0 = Homography::from_quads(corners, dst).ok_or("degenerate placement")?;
    let b = quad_bounds(&h0.quad(roi_q));
    let (bw, bh) = (b[2] - b[0], b[3] - b[1]);
    let (mut ox, mut oy) = (
        rng.range(-b[0] + 8.0, fw - b[2] - 8.0),
        rng.range(-b[1] + 8.0, fh - b[3] - 8.0),
    );
    if !(ox.is_finite() && bw < fw) {
        ox = fw / 2.0 - (b[0] + b[2]) / 2.0;
    }
    if !(oy.is_finite() && bh < fh) {
        oy = fh / 2.0 - (b[1] + b[3]) / 2.0;
    }
    if let Some((edge, f)) = plan.outside {
        match edge {
            Edge::Left => ox = -b[0] - f * bw,
            Edge::Right => ox = fw - b[2] + f * bw,
            Edge::Top => oy = -b[1] - f * bh,
            Edge::Bottom => oy = fh - b[3] + f * bh,
        }
    }
    let dst = dst.map(|p| (p.0 + ox, p.1 + oy));
    let h = Homography::from_quads(corners, dst).ok_or("degenerate placement")?;

    let (mut img, background) = table(FRAME.0, FRAME.1, rng);
    shadow(&mut img, &dst, rng);
    warp(&mut img, object, &h, plan.samples)?;
    light(&mut img, rng);
    let glare = plan.glare.map(|g| {
        let at = h.apply(g.at);
        let r = g.radius * scale;
        glare_blob(&mut img, at, r, rng);
        (at, r)
    });
    let mut img = blur(&img, rng.range(0.4, 0.8) as f32);
    match plan.blur {
        Some(BlurKind::Gaussian { sigma }) => img = blur(&img, sigma),
        Some(BlurKind::Motion { length, angle_deg }) => {
            img = motion_blur(&img, length, angle_deg.to_radians());
        }
        None => {}
    }
    sensor(&mut img, rng);
    Ok(Shot {
        image: img,
        h,
        background,
        glare,
    })
}

/// A soft contact shadow down and to the right of the object, computed at quarter resolution.
fn shadow(img: &mut RgbImage, quad: &[Pt; 4], rng: &mut Rng) {
    let (w, h) = ((img.width() / 4) as usize, (img.height() / 4) as usize);
    let (dx, dy) = (rng.range(2.0, 12.0), rng.range(4.0, 16.0));
    let q = quad.map(|p| ((p.0 + dx) / 4.0, (p.1 + dy) / 4.0));
    let mut plane = vec![0.0f32; w * h];
    for (i, v) in plane.iter_mut().enumerate() {
        if inside_quad(&q, ((i % w) as f64 + 0.5, (i / w) as f64 + 0.5)) {
            *v = 1.0;
        }
    }
    blur_plane(&mut plane, w, h, rng.range(2.0, 4.0) as f32);
    let strength = rng.range(0.25, 0.45) as f32;
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (u, v) = (x as usize / 4, y as usize / 4);
        let s = plane.get(v * w + u).copied().unwrap_or(0.0);
        for c in p.0.iter_mut() {
            *c = px(f32::from(*c) * (1.0 - strength * s));
        }
    }
}

/// Uneven light: a linear gradient across the frame and a vignette.
fn light(img: &mut RgbImage, rng: &mut Rng) {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let (gx, gy) = (rng.range(-0.15, 0.15), rng.range(-0.15, 0.15));
    let vignette = rng.range(0.1, 0.3);
    let gain = rng.range(0.92, 1.08);
    let cast = [rng.range(0.95, 1.05), 1.0, rng.range(0.94, 1.06)];
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (u, v) = (f64::from(x) / w - 0.5, f64::from(y) / h - 0.5);
        let k =
            gain * (1.0 + gx * u * 2.0 + gy * v * 2.0) * (1.0 - vignette * (u * u + v * v) * 2.0);
        for (c, m) in p.0.iter_mut().zip(cast) {
            *c = px((f64::from(*c) * k * m) as f32);
        }
    }
}

/// A specular highlight: an elliptical blob, saturated at the core, fading out.
fn glare_blob(img: &mut RgbImage, at: Pt, r: f64, rng: &mut Rng) {
    let (s, c) = rng.range(0.0, std::f64::consts::PI).sin_cos();
    let squash = rng.range(0.45, 0.8);
    let reach = (r * 2.2).ceil() as i64;
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    for y in (at.1 as i64 - reach).max(0)..(at.1 as i64 + reach).min(h) {
        for x in (at.0 as i64 - reach).max(0)..(at.0 as i64 + reach).min(w) {
            let (dx, dy) = (x as f64 - at.0, y as f64 - at.1);
            let (u, v) = ((dx * c + dy * s) / r, (-dx * s + dy * c) / (r * squash));
            let d2 = u * u + v * v;
            // Flat-topped falloff: fully blown out inside about half the radius.
            let g = (1.6 * (-d2 * 1.4).exp()).min(1.0) as f32;
            if g < 0.004 {
                continue;
            }
            let p = img.get_pixel_mut(x as u32, y as u32);
            for ch in p.0.iter_mut() {
                let v = f32::from(*ch);
                *ch = px(v + (255.0 - v) * g);
            }
        }
    }
}

/// Sensor noise: luminance plus a little chroma, stronger in the shadows.
fn sensor(img: &mut RgbImage, rng: &mut Rng) {
    let key = rng.next_u64();
    // Phones denoise before encoding: what is left is faint.
    let sigma = rng.range(0.8, 2.5) as f32;
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (xi, yi) = (i64::from(x), i64::from(y));
        // The sum of two uniforms is a cheap, bounded stand-in for a Gaussian.
        let n =
            |k: u64| (hash_unit(key ^ k, xi, yi) + hash_unit(key ^ (k << 8), xi, yi) - 1.0) * 2.45;
        let luma = n(1) * sigma;
        let mean = (f32::from(p[0]) + f32::from(p[1]) + f32::from(p[2])) / 3.0;
        let shade = 1.0 + (1.0 - mean / 255.0) * 0.8;
        let [r, g, b] = p.0.map(f32::from);
        *p = Rgb([
            px(r + (luma + n(2) * sigma * 0.25) * shade),
            px(g + luma * shade),
            px(b + (luma + n(3) * sigma * 0.25) * shade),
        ]);
    }
}

/// Turns an image by a multiple of 90 degrees clockwise; also returns the point map.
pub(crate) fn rotate(img: &RgbImage, degrees: u16) -> (RgbImage, impl Fn(Pt) -> Pt) {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let out = match degrees {
        90 => image::imageops::rotate90(img),
        180 => image::imageops::rotate180(img),
        270 => image::imageops::rotate270(img),
        _ => img.clone(),
    };
    let map = move |(x, y): Pt| match degrees {
        90 => (h - y, x),
        180 => (w - x, h - y),
        270 => (y, w - x),
        _ => (x, y),
    };
    (out, map)
}
