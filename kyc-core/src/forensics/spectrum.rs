//! Periodicity in the frequency domain. A screen's pixel grid and a printer's halftone screen are
//! regular lattices: photographed, they leave sharp peaks (or their aliases, the moire) in the 2-D
//! power spectrum, standing far above the spectrum's smooth fall-off at the same frequency. Paper,
//! ink and camera noise do not.
//!
//! The FFT is `rustfft` (pure Rust, no system library, builds for WebAssembly; SIMD where the
//! target has it): a naive DFT of a 256 x 256 tile would be 4 billion operations, the FFT is about
//! a million.

use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

/// Side of the square tiles the spectrum is taken over: large enough to resolve a grid of a
/// 2-pixel pitch from its harmonics, small enough to fit inside a face crop.
pub const TILE: usize = 128;
/// Most tiles averaged per measurement, to bound the work on large crops.
pub const MAX_TILES: usize = 16;

/// A plane of values, row-major.
pub(crate) struct Plane<'a> {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) data: &'a [f32],
}

/// How strongly periodic a plane is, per frequency band.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Peaks {
    /// Mean excess, in natural-log power, of the strongest peaks over the median of their ring,
    /// for frequencies from 0.04 to 0.2 cycles per pixel (moire, coarse halftone).
    pub low: f64,
    /// The same from 0.2 to 0.5 cycles per pixel (the grid or the halftone itself).
    pub high: f64,
    /// Tiles averaged.
    pub tiles: usize,
}

/// Top-left corners of up to [`MAX_TILES`] tiles spread evenly over a `w` x `h` plane.
fn tile_origins(w: usize, h: usize) -> Vec<(usize, usize)> {
    if w < TILE || h < TILE {
        return Vec::new();
    }
    let (nx, ny) = (w / TILE, h / TILE);
    let (kx, ky) = (nx.min(4), ny.min(4));
    let mut out = Vec::with_capacity(kx * ky);
    for j in 0..ky {
        for i in 0..kx {
            // Spread: the first and last tiles touch the plane's edges.
            let x = if kx > 1 {
                i * (w - TILE) / (kx - 1)
            } else {
                (w - TILE) / 2
            };
            let y = if ky > 1 {
                j * (h - TILE) / (ky - 1)
            } else {
                (h - TILE) / 2
            };
            out.push((x, y));
        }
    }
    out
}

/// The mean power spectrum of the tiles of `plane` (DC at index 0), or `None` when the plane is
/// smaller than a tile.
fn power(plane: &Plane<'_>) -> Option<(Vec<f64>, usize)> {
    let origins = tile_origins(plane.width, plane.height);
    if origins.is_empty() {
        return None;
    }
    let mut planner = FftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(TILE);
    let hann: Vec<f32> = (0..TILE)
        .map(|i| {
            let t = std::f32::consts::PI * 2.0 * i as f32 / TILE as f32;
            0.5 - 0.5 * t.cos()
        })
        .collect();
    let mut acc = vec![0.0f64; TILE * TILE];
    let mut buf = vec![Complex::new(0.0f32, 0.0); TILE * TILE];
    let mut column = vec![Complex::new(0.0f32, 0.0); TILE];
    for &(ox, oy) in &origins {
        let mut mean = 0.0f32;
        for y in 0..TILE {
            let start = (oy + y) * plane.width + ox;
            for (x, b) in buf[y * TILE..(y + 1) * TILE].iter_mut().enumerate() {
                let v = plane.data.get(start + x).copied().unwrap_or(0.0);
                *b = Complex::new(v, 0.0);
                mean += v;
            }
        }
        mean /= (TILE * TILE) as f32;
        for (i, b) in buf.iter_mut().enumerate() {
            let (x, y) = (i % TILE, i / TILE);
            let wgt = hann.get(x).copied().unwrap_or(0.0) * hann.get(y).copied().unwrap_or(0.0);
            *b = Complex::new((b.re - mean) * wgt, 0.0);
        }
        for row in buf.chunks_exact_mut(TILE) {
            fft.process(row);
        }
        for x in 0..TILE {
            for (y, c) in column.iter_mut().enumerate() {
                *c = buf.get(y * TILE + x).copied().unwrap_or_default();
            }
            fft.process(&mut column);
            for (y, c) in column.iter().enumerate() {
                if let Some(a) = acc.get_mut(y * TILE + x) {
                    *a += f64::from(c.norm_sqr());
                }
            }
        }
    }
    let n = origins.len() as f64;
    acc.iter_mut().for_each(|a| *a /= n);
    Some((acc, origins.len()))
}

/// Signed frequency of FFT index `i`, in cycles per pixel.
fn freq(i: usize) -> f64 {
    let k = if i > TILE / 2 {
        i as f64 - TILE as f64
    } else {
        i as f64
    };
    k / TILE as f64
}

/// Peaks of `plane`'s spectrum (see [`Peaks`]).
pub(crate) fn peaks(plane: &Plane<'_>) -> Peaks {
    let Some((power, tiles)) = power(plane) else {
        return Peaks::default();
    };
    // Rings one frequency bin wide; each bin is held to its ring's median log power.
    let rings = TILE / 2 + 1;
    let mut by_ring: Vec<Vec<f64>> = vec![Vec::new(); rings];
    let mut bins = Vec::with_capacity(TILE * TILE / 2);
    for (i, p) in power.iter().enumerate() {
        let (u, v) = (freq(i % TILE), freq(i / TILE));
        // Half the plane: the spectrum of a real signal is symmetric.
        if v < 0.0 || (v == 0.0 && u < 0.0) {
            continue;
        }
        let r = (u * u + v * v).sqrt();
        let ring = (r * TILE as f64).round() as usize;
        let lp = (p + 1e-9).ln();
        if let Some(list) = by_ring.get_mut(ring) {
            list.push(lp);
            bins.push((ring, r, u, v, lp));
        }
    }
    let medians: Vec<f64> = by_ring
        .iter_mut()
        .map(|l| {
            if l.is_empty() {
                return 0.0;
            }
            l.sort_by(f64::total_cmp);
            l.get(l.len() / 2).copied().unwrap_or(0.0)
        })
        .collect();
    let band = |lo: f64, hi: f64| {
        let mut excess: Vec<f64> = bins
            .iter()
            // The axes carry the tile's own edges and text lines' rows: leave them out.
            .filter(|(_, r, u, v, _)| {
                *r >= lo && *r < hi && u.abs() > 1.5 / TILE as f64 && *v > 1.5 / TILE as f64
            })
            .map(|(ring, _, _, _, lp)| lp - medians.get(*ring).copied().unwrap_or(0.0))
            .collect();
        excess.sort_by(|a, b| b.total_cmp(a));
        let top = &excess[..excess.len().min(4)];
        if top.is_empty() {
            0.0
        } else {
            top.iter().sum::<f64>() / top.len() as f64
        }
    };
    Peaks {
        low: band(0.04, 0.2),
        high: band(0.2, 0.5),
        tiles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic noise in 0..1 (a hash, no RNG state).
    fn noise(i: usize) -> f32 {
        let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 32;
        (x % 10_000) as f32 / 10_000.0
    }

    #[test]
    fn a_diagonal_grid_stands_out_of_noise() {
        let (w, h) = (300, 260);
        let noisy: Vec<f32> = (0..w * h).map(|i| 128.0 + 20.0 * noise(i)).collect();
        let plain = peaks(&Plane {
            width: w,
            height: h,
            data: &noisy,
        });
        let grid: Vec<f32> = noisy
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                v + 15.0 * ((x + y) * 2.0 * std::f32::consts::PI / 3.3).sin()
            })
            .collect();
        let gridded = peaks(&Plane {
            width: w,
            height: h,
            data: &grid,
        });
        assert_eq!(plain.tiles, 4);
        assert!(plain.high < 3.0, "{plain:?}");
        assert!(gridded.high > plain.high + 3.0, "{plain:?} {gridded:?}");
        let tiny = peaks(&Plane {
            width: 10,
            height: 10,
            data: &noisy[..100],
        });
        assert_eq!(tiny, Peaks::default());
    }
}
