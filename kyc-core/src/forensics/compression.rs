//! Inconsistent JPEG compression, found by its ghost. A JPEG's 8 x 8 blocks keep, after decoding,
//! DCT coefficients that sit near multiples of the quantisation steps they were last stored with.
//! Requantising a block at the quality it once had loses almost nothing; at any other quality the
//! loss is about a twelfth of the step squared per coefficient, as for content never quantised.
//! A region pasted in from a more heavily compressed copy (a retyped field, a swapped portrait)
//! keeps that memory of its low quality after the whole file is saved again at a higher one, so
//! at that quality its blocks lose little while the rest of the document loses the usual amount:
//! a "JPEG ghost" (Farid, *Exposing digital forgeries from JPEG ghosts*, 2009). Computed here in
//! the DCT domain with the standard (IJG) luminance table, which equals the pixel-domain
//! difference of the original method by Parseval, without an encoder round trip.
//!
//! A file stored once at a low quality, or saved twice as a whole (a forwarded photo), shows the
//! ghost everywhere: that is consistent, so only a minority of the document counts.

use image::{GenericImageView, Rgb};

use crate::quality::luma;

/// The qualities probed: where forgers' intermediate saves and messaging apps' recompressions
/// sit, below the qualities cameras and scanners store at.
pub const PROBED_QUALITIES: [u8; 28] = [
    20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66,
    68, 70, 72, 74,
];
/// Side of the windows compared, in pixels (2 x 2 JPEG blocks): small enough for a retyped date.
pub const WINDOW: usize = 16;
/// A window whose requantisation loss at a probed quality is below this share of the loss
/// expected for content never quantised at it carries that quality's ghost.
pub const GHOST_LOSS: f64 = 0.25;
/// Coefficients a window needs that the probed quality would not zero (the ones that show a
/// ghost): fewer, and a chance alignment could pass for one.
const MIN_INFORMATIVE: usize = 16;
/// At most this share of the informative windows may carry a quality's ghost for it to count as a
/// local inconsistency rather than the whole file's history.
const MAX_GHOST_SHARE: f64 = 0.35;

/// Share of a block's AC energy in one row or column of coefficients above which the block is a
/// straight edge (see [`straight_edge`]).
const STRAIGHT_EDGE_SHARE: f32 = 0.9;
/// Probed qualities this close below the file's own show part of its ghost, not an earlier one.
const OWN_GHOST_MARGIN: u8 = 8;

/// The IJG (libjpeg, Annex K) luminance quantisation table, in natural (row-major) order.
const LUMA_TABLE: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, //
    12, 12, 14, 19, 26, 58, 60, 55, //
    14, 13, 16, 24, 40, 57, 69, 56, //
    14, 17, 22, 29, 51, 87, 80, 62, //
    18, 22, 37, 56, 68, 109, 103, 77, //
    24, 35, 55, 64, 81, 104, 113, 92, //
    49, 64, 78, 87, 103, 121, 120, 101, //
    72, 92, 95, 98, 112, 100, 103, 99, //
];

/// The luminance steps libjpeg uses at `quality` (1 to 100).
pub fn luma_steps(quality: u8) -> [f32; 64] {
    let q = u32::from(quality.clamp(1, 100));
    let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
    LUMA_TABLE.map(|base| ((u32::from(base) * scale + 50) / 100).clamp(1, 255) as f32)
}

/// What [`compression_signal`] measured.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CompressionSignal {
    /// The largest connected group of windows carrying the ghost of [`Self::quality`] while
    /// most of the document does not: 0 for a consistent file.
    pub ghost_windows: usize,
    /// The probed quality with the most such windows: the pasted region's, or one whose steps
    /// divide its steps (a region stored at 25 shows at 50 too, whose steps are half as large).
    pub quality: u8,
    /// Windows with enough texture to show a ghost at that quality.
    pub informative_windows: usize,
    /// The probed quality at which most of the document shows a ghost: the quality the file was
    /// (last, as a whole) stored at, when it is among the probed ones.
    pub file_quality: Option<u8>,
    /// The box `[x0, y0, x1, y1]` (pixels) around the ghost windows counted.
    pub region: Option<[u32; 4]>,
}

/// Measures `image`, decoded as it was stored (no resizing, no rotation by other than quarter
/// turns, which keep the 8 x 8 grid). The grid's phase is found from the image itself, so a crop
/// of a JPEG works too; a resampled photo has no grid and no ghost. Takes any view (a whole
/// image or a `crop_imm` of one), so a region is searched without copying it.
pub fn compression_signal<I>(image: &I) -> CompressionSignal
where
    I: GenericImageView<Pixel = Rgb<u8>>,
{
    let (w, h) = (image.width() as usize, image.height() as usize);
    if w < 2 * WINDOW || h < 2 * WINDOW {
        return CompressionSignal::default();
    }
    // JPEG codes luminance centred on zero.
    let luma_at = |x: usize, y: usize| {
        let (x, y) = (x as u32, y as u32);
        if image.in_bounds(x, y) {
            luma(image.get_pixel(x, y).0) - 128.0
        } else {
            0.0
        }
    };
    let (px, py) = grid_phase(&luma_at, w, h);
    let (ww, wh) = ((w - px) / WINDOW, (h - py) / WINDOW);
    let basis = dct_basis();
    let steps: Vec<[f32; 64]> = PROBED_QUALITIES.iter().map(|&q| luma_steps(q)).collect();
    // Coefficients no probed quality would keep (most of them, zeroed by the file's own
    // quantisation) can never show a ghost.
    let keep = steps.iter().flatten().fold(f32::MAX, |m, s| m.min(*s)) / 2.0;
    // One row of windows at a time, so memory stays a strip's whatever the photo's size: per
    // probed quality, which windows carry its ghost, and how many could show one.
    let mut ghost = vec![false; PROBED_QUALITIES.len() * ww * wh];
    let mut informative = [0usize; PROBED_QUALITIES.len()];
    let mut strip = vec![0.0f32; WINDOW * w];
    let mut coefs: Vec<(u8, f32)> = Vec::new();
    let mut starts = Vec::with_capacity(ww + 1);
    let mut block = [0.0f32; 64];
    for wy in 0..wh {
        for (r, line) in strip.chunks_exact_mut(w).enumerate() {
            for (x, v) in line.iter_mut().enumerate() {
                *v = luma_at(x, py + wy * WINDOW + r);
            }
        }
        coefs.clear();
        starts.clear();
        for wx in 0..ww {
            starts.push(coefs.len());
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                for (r, row) in block.chunks_exact_mut(8).enumerate() {
                    let start = (dy * 8 + r) * w + px + wx * WINDOW + dx * 8;
                    if let Some(src) = strip.get(start..start + 8) {
                        row.copy_from_slice(src);
                    }
                }
                let dct = dct8x8(&block, &basis);
                if straight_edge(&dct) {
                    continue;
                }
                coefs.extend((0u8..).zip(dct).filter(|(_, c)| c.abs() > keep));
            }
        }
        starts.push(coefs.len());
        for (qi, steps) in steps.iter().enumerate() {
            let inverse = steps.map(|s| 1.0 / s);
            for wx in 0..ww {
                let (Some(&from), Some(&to)) = (starts.get(wx), starts.get(wx + 1)) else {
                    continue;
                };
                let (mut lost, mut expected, mut count) = (0.0f32, 0.0f32, 0usize);
                for &(k, c) in coefs.get(from..to).unwrap_or(&[]) {
                    let k = usize::from(k);
                    let (Some(&s), Some(&inv)) = (steps.get(k), inverse.get(k)) else {
                        continue;
                    };
                    // Coefficients the step would zero look the same either way.
                    if c.abs() > s / 2.0 {
                        let e = c - nearest(c * inv) * s;
                        lost += e * e;
                        expected += s * s / 12.0;
                        count += 1;
                    }
                }
                if count >= MIN_INFORMATIVE {
                    if let Some(n) = informative.get_mut(qi) {
                        *n += 1;
                    }
                    if let Some(g) = ghost.get_mut((qi * wh + wy) * ww + wx) {
                        *g = lost < GHOST_LOSS as f32 * expected;
                    }
                }
            }
        }
    }
    // Per probed quality, ascending: (quality, largest ghost cluster and its box in windows,
    // informative windows).
    let mut probed: Vec<(u8, (usize, [usize; 4]), usize)> =
        Vec::with_capacity(PROBED_QUALITIES.len());
    let mut file_quality = None;
    for ((quality, found), &informative) in PROBED_QUALITIES
        .into_iter()
        .zip(ghost.chunks_exact(ww * wh))
        .zip(&informative)
    {
        let total = found.iter().filter(|g| **g).count();
        if (total as f64) > MAX_GHOST_SHARE * informative as f64 {
            // The whole file was stored at (about) this quality: its own ghost, which also
            // shows in part at neighbouring qualities, and hides any coarser earlier one above.
            file_quality = Some(quality);
            break;
        }
        probed.push((quality, largest_cluster(found, ww, wh), informative));
    }
    let limit = file_quality.map_or(u8::MAX, |q| q.saturating_sub(OWN_GHOST_MARGIN));
    let best = probed
        .into_iter()
        .filter(|(q, ..)| *q < limit)
        .max_by_key(|(_, cluster, _)| cluster.0)
        .unwrap_or_default();
    let (quality, (ghost_windows, [x0, y0, x1, y1]), informative_windows) = best;
    let to_pixels = |v: usize, phase: usize| (phase + v * WINDOW) as u32;
    CompressionSignal {
        ghost_windows,
        quality,
        informative_windows,
        file_quality,
        region: (ghost_windows > 0).then(|| {
            [
                to_pixels(x0, px),
                to_pixels(y0, py),
                to_pixels(x1, px),
                to_pixels(y1, py),
            ]
        }),
    }
}

/// True for a block whose detail runs in one direction only (a ruled line, the page's edge): all
/// its AC energy in the first row or the first column of coefficients. The same straight edge
/// repeats the same few coefficients block after block along it, so where those happen to sit
/// near multiples of a probed step, a whole line of chance ghosts would look like a region.
fn straight_edge(dct: &[f32; 64]) -> bool {
    let (mut row, mut col, mut all) = (0.0f32, 0.0f32, 0.0f32);
    for (k, c) in dct.iter().enumerate().skip(1) {
        let e = c * c;
        all += e;
        if k < 8 {
            row += e;
        }
        if k % 8 == 0 {
            col += e;
        }
    }
    all > 0.0 && row.max(col) > STRAIGHT_EDGE_SHARE * all
}

/// `x` rounded to the nearest integer. `f32::round` is a library call without SSE4.1; the
/// truncating cast is one instruction, and the probed ratios are far inside `i32`.
fn nearest(x: f32) -> f32 {
    (x + 0.5f32.copysign(x)) as i32 as f32
}

/// The size of the largest 8-connected group of set cells of a `w` x `h` grid: chance ghosts in
/// genuine content are scattered, a pasted region's are together.
fn largest_cluster(set: &[bool], w: usize, h: usize) -> (usize, [usize; 4]) {
    let mut seen = vec![false; set.len()];
    let mut stack = Vec::new();
    let mut largest = (0, [0; 4]);
    for start in 0..set.len() {
        if !set.get(start).copied().unwrap_or(false) || seen.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut size = 0;
        let mut bbox = [usize::MAX, usize::MAX, 0, 0];
        stack.push(start);
        if let Some(s) = seen.get_mut(start) {
            *s = true;
        }
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = (i % w, i / w);
            bbox = [
                bbox[0].min(x),
                bbox[1].min(y),
                bbox[2].max(x + 1),
                bbox[3].max(y + 1),
            ];
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let j = ny * w + nx;
                    if set.get(j).copied().unwrap_or(false)
                        && let Some(s) = seen.get_mut(j)
                        && !*s
                    {
                        *s = true;
                        stack.push(j);
                    }
                }
            }
        }
        if size > largest.0 {
            largest = (size, bbox);
        }
    }
    largest
}

/// The 8 x 8 grid's phase `(x, y)`: the offsets of the first pixel of a block. JPEG zeroes most
/// high frequencies, and a row of 8 pixels inside a block then has zero high 1-D frequencies too
/// (a row's 1-D transform is a sum of the block's 2-D coefficients of the same horizontal
/// frequency), so the aligned offset is the one where the most textured runs of 8 have none.
/// Counting step sizes at block borders instead is fooled by periodic print on the document.
fn grid_phase(luma_at: &dyn Fn(usize, usize) -> f32, w: usize, h: usize) -> (usize, usize) {
    let basis = dct_basis();
    let high = [&basis[5], &basis[6], &basis[7]];
    let zero_high = |run: &[f32; 8]| {
        let (lo, hi) = run
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        hi - lo >= 4.0
            && high.iter().all(|b| {
                let c: f32 = b.iter().zip(run).map(|(b, v)| b * v).sum();
                c.abs() < 1.0
            })
    };
    let mut col = [0usize; 8];
    let mut row = [0usize; 8];
    let mut run = [0.0f32; 8];
    // Every fourth line is plenty: a document has thousands of textured runs per phase.
    let mut line = vec![0.0f32; w];
    for yy in (0..h).step_by(4) {
        for (x, v) in line.iter_mut().enumerate() {
            *v = luma_at(x, yy);
        }
        for (phase, count) in col.iter_mut().enumerate() {
            for chunk in line.get(phase..).unwrap_or(&[]).chunks_exact(8) {
                run.copy_from_slice(chunk);
                *count += usize::from(zero_high(&run));
            }
        }
    }
    let mut column = vec![0.0f32; h];
    for xx in (0..w).step_by(4) {
        for (y, v) in column.iter_mut().enumerate() {
            *v = luma_at(xx, y);
        }
        for (phase, count) in row.iter_mut().enumerate() {
            for chunk in column.get(phase..).unwrap_or(&[]).chunks_exact(8) {
                run.copy_from_slice(chunk);
                *count += usize::from(zero_high(&run));
            }
        }
    }
    let argmax = |a: &[usize; 8]| {
        a.iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
            .map_or(0, |(i, _)| i)
    };
    (argmax(&col), argmax(&row))
}

/// Orthonormal DCT-II basis: `basis[k][n]`.
fn dct_basis() -> [[f32; 8]; 8] {
    let mut basis = [[0.0f32; 8]; 8];
    for (k, row) in basis.iter_mut().enumerate() {
        let norm = if k == 0 { (1.0f64 / 8.0).sqrt() } else { 0.5 };
        for (n, v) in row.iter_mut().enumerate() {
            let angle = std::f64::consts::PI * (2 * n + 1) as f64 * k as f64 / 16.0;
            *v = (norm * angle.cos()) as f32;
        }
    }
    basis
}

/// The 2-D orthonormal DCT of a row-major block, row-major coefficients (as JPEG orders its
/// quantisation table before the zig-zag).
fn dct8x8(block: &[f32; 64], basis: &[[f32; 8]; 8]) -> [f32; 64] {
    let mut rows = [0.0f32; 64];
    for r in 0..8 {
        for (k, b) in basis.iter().enumerate() {
            let mut sum = 0.0;
            for (n, bk) in b.iter().enumerate() {
                sum += bk * block.get(r * 8 + n).copied().unwrap_or(0.0);
            }
            if let Some(slot) = rows.get_mut(r * 8 + k) {
                *slot = sum;
            }
        }
    }
    let mut out = [0.0f32; 64];
    for c in 0..8 {
        for (k, b) in basis.iter().enumerate() {
            let mut sum = 0.0;
            for (n, bk) in b.iter().enumerate() {
                sum += bk * rows.get(n * 8 + c).copied().unwrap_or(0.0);
            }
            if let Some(slot) = out.get_mut(k * 8 + c) {
                *slot = sum;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use image::RgbImage;

    use super::*;

    #[test]
    fn steps_follow_libjpeg_scaling() {
        // Quality 50 is the table itself; 75 halves it; steps never reach 0.
        assert_eq!(luma_steps(50)[0], 16.0);
        assert_eq!(luma_steps(75)[0], 8.0);
        assert_eq!(luma_steps(75)[63], 50.0);
        assert_eq!(luma_steps(100)[0], 1.0);
        assert_eq!(luma_steps(25)[0], 32.0);
    }

    #[test]
    fn dct_is_orthonormal() {
        let basis = dct_basis();
        let flat = [10.0f32; 64];
        let c = dct8x8(&flat, &basis);
        // A flat block is all DC: 8 x mean, nothing else.
        assert!((c[0] - 80.0).abs() < 1e-3);
        assert!(c[1..].iter().all(|v| v.abs() < 1e-3));
        let ramp: [f32; 64] = std::array::from_fn(|i| (i % 8) as f32 * 3.0 - (i / 8) as f32);
        let energy: f32 = ramp.iter().map(|v| v * v).sum();
        let coef = dct8x8(&ramp, &basis);
        let coef_energy: f32 = coef.iter().map(|v| v * v).sum();
        assert!((energy - coef_energy).abs() / energy < 1e-4);
    }

    #[test]
    fn too_small_measures_nothing() {
        let s = compression_signal(&RgbImage::new(20, 100));
        assert_eq!(s, CompressionSignal::default());
    }
}
