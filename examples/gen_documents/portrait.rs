//! The document portrait: the one licence-clean face we have (`fixtures/faces/astronaut.png`,
//! NASA, public domain), varied per document in crop, scale, exposure and hue so that no two
//! documents carry the identical picture.

use image::{ImageFormat, RgbImage};
use serde::Serialize;

use crate::Result;
use crate::raster::{sample, to_u8};
use crate::rng::Rng;

const ASTRONAUT: &[u8] = include_bytes!("../../fixtures/faces/astronaut.png");

/// Decodes the committed face.
pub(crate) fn load() -> Result<RgbImage> {
    Ok(image::load_from_memory_with_format(ASTRONAUT, ImageFormat::Png)?.to_rgb8())
}

/// How this document's portrait differs from the source, for the labels.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PortraitVariation {
    /// Crop rectangle in the source, `[x, y, w, h]`.
    pub(crate) crop: [f64; 4],
    pub(crate) brightness: f64,
    pub(crate) contrast: f64,
    pub(crate) saturation: f64,
    /// Hue rotation in degrees.
    pub(crate) hue: f64,
}

/// Draws the random variation of this document's portrait.
pub(crate) fn vary(src: &RgbImage, aspect: f64, rng: &mut Rng) -> PortraitVariation {
    let (sw, sh) = (f64::from(src.width()), f64::from(src.height()));
    let mut cw = sw * rng.range(0.80, 1.0);
    let mut ch = cw / aspect;
    if ch > sh {
        ch = sh;
        cw = ch * aspect;
    }
    let x = rng.range(0.0, (sw - cw).max(0.0));
    // Keep the top of the head in: bias the crop upwards.
    let y = rng.range(0.0, (sh - ch).max(0.0)) * 0.5;
    PortraitVariation {
        crop: [x, y, cw, ch],
        brightness: rng.range(0.88, 1.12),
        contrast: rng.range(0.88, 1.12),
        saturation: rng.range(0.8, 1.1),
        hue: rng.range(-8.0, 8.0),
    }
}

/// Renders the portrait at `w x h` pixels; `grey` gives the faded ghost image of ID cards.
pub(crate) fn render(
    src: &RgbImage,
    v: &PortraitVariation,
    w: u32,
    h: u32,
    grey: bool,
) -> RgbImage {
    let [cx, cy, cw, ch] = v.crop;
    let (sx, sy) = (cw / f64::from(w.max(1)), ch / f64::from(h.max(1)));
    let (hs, hc) = (
        v.hue.to_radians().sin() as f32,
        v.hue.to_radians().cos() as f32,
    );
    let mut out = RgbImage::new(w, h);
    for (x, y, p) in out.enumerate_pixels_mut() {
        // Average a 2x2 grid of samples when shrinking, so the ghost image does not alias.
        let mut acc = [0.0f32; 3];
        for (ox, oy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
            let s = sample(
                src,
                cx + (f64::from(x) + ox) * sx,
                cy + (f64::from(y) + oy) * sy,
            );
            for (a, c) in acc.iter_mut().zip(s) {
                *a += c / 4.0;
            }
        }
        // YIQ: luma keeps exposure and contrast, the chroma plane rotates for hue.
        let [r, g, b] = acc;
        let luma = 0.299 * r + 0.587 * g + 0.114 * b;
        let i = 0.596 * r - 0.274 * g - 0.322 * b;
        let q = 0.211 * r - 0.523 * g + 0.312 * b;
        let yv = ((luma - 128.0) * v.contrast as f32 + 128.0) * v.brightness as f32;
        let sat = if grey { 0.0 } else { v.saturation as f32 };
        let (i2, q2) = ((i * hc - q * hs) * sat, (i * hs + q * hc) * sat);
        *p = to_u8([
            yv + 0.956 * i2 + 0.621 * q2,
            yv - 0.272 * i2 - 0.647 * q2,
            yv - 1.106 * i2 + 1.703 * q2,
        ]);
    }
    out
}
