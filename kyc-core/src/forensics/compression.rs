//! Inconsistent JPEG compression: JPEG codes 8 x 8 blocks, and the coarser its quantisation the
//! larger the steps at block borders compared with the differences inside blocks. A file saved
//! once shows about the same blockiness everywhere its content is alike; a region pasted in from a
//! more heavily compressed copy (a retyped field, a swapped portrait) keeps its own, stronger,
//! blockiness on the same grid, even after the whole file is saved again.

use image::RgbImage;

use crate::quality::luma;

/// Side of the cells, in pixels (2 x 2 JPEG blocks), over which blockiness is compared.
pub const CELL: usize = 16;
/// Cells whose inside differences average less than this (grey levels) are flat: blockiness there
/// is mostly rounding, so they are left out.
const MIN_TEXTURE: f64 = 1.0;

/// What [`compression_signal`] measured.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CompressionSignal {
    /// Median over cells of (mean step across block borders) / (mean step inside blocks).
    pub median: f64,
    /// How far the most blocky cells stand above the median: the mean of the top 1 percent of cell
    /// ratios (at least 4 cells) minus the median, in units of the cells' median absolute
    /// deviation.
    pub outlier: f64,
    /// Cells measured.
    pub cells: usize,
}

/// Measures `image`, decoded as it was stored (no resizing, no rotation by other than quarter
/// turns, which keep the 8 x 8 grid). The grid's phase is found from the image itself, so a crop
/// of a JPEG works too.
pub fn compression_signal(image: &RgbImage) -> CompressionSignal {
    let (w, h) = (image.width() as usize, image.height() as usize);
    if w < 2 * CELL || h < 2 * CELL {
        return CompressionSignal::default();
    }
    let g: Vec<f32> = image.pixels().map(|p| luma(p.0)).collect();
    let at = |x: usize, y: usize| g.get(y * w + x).copied().unwrap_or(0.0);
    // Horizontal and vertical steps, summed per column and row phase (x mod 8, y mod 8).
    let mut col = [0.0f64; 8];
    let mut row = [0.0f64; 8];
    for y in 0..h - 1 {
        for x in 0..w - 1 {
            let v = at(x, y);
            if let Some(c) = col.get_mut(x % 8) {
                *c += f64::from((at(x + 1, y) - v).abs());
            }
            if let Some(r) = row.get_mut(y % 8) {
                *r += f64::from((at(x, y + 1) - v).abs());
            }
        }
    }
    let argmax = |a: &[f64; 8]| {
        a.iter()
            .enumerate()
            .max_by(|p, q| p.1.total_cmp(q.1))
            .map_or(7, |(i, _)| i)
    };
    // The step between x and x+1 with x = px (mod 8) crosses a block border.
    let (px, py) = (argmax(&col), argmax(&row));
    let mut ratios = Vec::new();
    for cy in 0..h / CELL {
        for cx in 0..w / CELL {
            let (mut border, mut nb, mut inside, mut ni) = (0.0f64, 0usize, 0.0f64, 0usize);
            for y in cy * CELL..((cy + 1) * CELL).min(h - 1) {
                for x in cx * CELL..((cx + 1) * CELL).min(w - 1) {
                    let v = at(x, y);
                    let dx = f64::from((at(x + 1, y) - v).abs());
                    let dy = f64::from((at(x, y + 1) - v).abs());
                    if x % 8 == px {
                        border += dx;
                        nb += 1;
                    } else {
                        inside += dx;
                        ni += 1;
                    }
                    if y % 8 == py {
                        border += dy;
                        nb += 1;
                    } else {
                        inside += dy;
                        ni += 1;
                    }
                }
            }
            if nb == 0 || ni == 0 {
                continue;
            }
            let (b, i) = (border / nb as f64, inside / ni as f64);
            if i >= MIN_TEXTURE {
                ratios.push(b / i);
            }
        }
    }
    if ratios.len() < 8 {
        return CompressionSignal {
            cells: ratios.len(),
            ..CompressionSignal::default()
        };
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(1.0);
    let mut dev: Vec<f64> = ratios.iter().map(|r| (r - median).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let mad = dev.get(dev.len() / 2).copied().unwrap_or(0.0).max(0.02);
    let top = (ratios.len() / 100).max(4);
    let high = ratios.iter().rev().take(top).sum::<f64>() / top as f64;
    CompressionSignal {
        median,
        outlier: (high - median) / mad,
        cells: ratios.len(),
    }
}
