//! An issuing office's round stamp pressed over the portrait's corner, as on the photo pages of
//! many national passports and ID cards: an outer ring, an inner ring, blocky letters between them
//! and a line of them across the middle, in violet-blue ink pressed unevenly (the ink thins along
//! one side and has gaps). For the opt-in `stamped` variant.

use image::RgbImage;

use crate::raster::{Color, blend};
use crate::rng::{Rng, hash_unit};

/// Inks seen on office stamps: violet, blue-violet, blue.
const INKS: [Color; 3] = [[78, 52, 150], [52, 58, 160], [40, 72, 172]];

/// Presses a stamp of radius `r` centred at `(cx, cy)`.
pub(crate) fn press(img: &mut RgbImage, cx: f64, cy: f64, r: f64, rng: &mut Rng) {
    let ink = INKS[rng.index(INKS.len())];
    let opacity = rng.range(0.55, 0.85) as f32;
    // Uneven pressure: the ink fades towards one side, down to `faint` of its full strength.
    let (light_side, faint) = (rng.range(0.0, std::f64::consts::TAU), rng.range(0.35, 0.8));
    let key = rng.next_u64();
    let letters = 22 + rng.index(10) as i64;
    let ring = r * rng.range(0.05, 0.08);
    let inner = r * rng.range(0.66, 0.74);
    let lo = |v: f64| (v - r - 2.0).floor() as i64;
    let hi = |v: f64| (v + r + 2.0).ceil() as i64;
    for y in lo(cy)..=hi(cy) {
        for x in lo(cx)..=hi(cx) {
            let (dx, dy) = (x as f64 - cx, y as f64 - cy);
            let d = (dx * dx + dy * dy).sqrt();
            if d > r + 1.0 {
                continue;
            }
            let angle = dy.atan2(dx);
            let mut coverage: f64 = 0.0;
            // Outer ring, and the thinner inner one.
            coverage = coverage.max(band(d, r - ring / 2.0, ring));
            coverage = coverage.max(band(d, inner, ring * 0.5));
            // Letters around, between the rings: each slot a 3x5 grid of cells, some inked.
            let (text_in, text_out) = (inner + ring, r - ring * 1.6);
            if d > text_in && d < text_out {
                let t = (angle + std::f64::consts::PI) / std::f64::consts::TAU * letters as f64;
                let (slot, along) = (t.floor() as i64, t.fract());
                let across = (d - text_in) / (text_out - text_in);
                if along > 0.15 && along < 0.85 {
                    let col = ((along - 0.15) / 0.7 * 3.0) as i64;
                    let row = (across * 5.0) as i64;
                    if hash_unit(key, slot * 16 + row, col) < 0.55 {
                        coverage = 1.0;
                    }
                }
            }
            // A line of letters across the middle.
            let (u, v) = (dx / inner, dy / inner);
            if u.abs() < 0.75 && v.abs() < 0.14 {
                let slot = ((u + 0.75) / 0.15).floor() as i64;
                let col = (((u + 0.75) / 0.15).fract() * 3.0) as i64;
                let row = ((v + 0.14) / 0.28 * 5.0) as i64;
                if hash_unit(key ^ 0x5a5a, slot * 16 + row, col) < 0.5 {
                    coverage = 1.0;
                }
            }
            if coverage <= 0.0 {
                continue;
            }
            let side = 0.5 + 0.5 * (angle - light_side).cos();
            let pressure = faint + (1.0 - faint) * side;
            // Gaps where the stamp did not touch the paper.
            let gap = hash_unit(key ^ 0xa5a5, x / 3, y / 3) < 0.12;
            if !gap {
                blend(img, x, y, ink, opacity * (coverage * pressure) as f32);
            }
        }
    }
}

/// Coverage of a band `width` wide centred on radius `at`, soft at its edges.
fn band(d: f64, at: f64, width: f64) -> f64 {
    (1.0 - ((d - at).abs() - width / 2.0).max(0.0)).clamp(0.0, 1.0)
}
