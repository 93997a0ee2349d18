//! A grey plane (luminance as `f32`, 0 to 255) and area-average shrinking. Every quality and
//! forensic measure works on one of these so that none depends on the photo's pixel count.

use image::RgbImage;

/// Luminance, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Grey {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` values, 0 to 255.
    pub data: Vec<f32>,
}

/// Rec. 601 luma of one pixel.
pub fn luma(p: [u8; 3]) -> f32 {
    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
}

impl Grey {
    /// The luminance of `image` at full resolution.
    pub fn from_rgb(image: &RgbImage) -> Self {
        Self {
            width: image.width() as usize,
            height: image.height() as usize,
            data: image.pixels().map(|p| luma(p.0)).collect(),
        }
    }

    /// The luminance of `image` shrunk (never enlarged) by an integer-free area average so that its
    /// longer side is at most `max_side`; also returns the scale (small pixels per source pixel).
    /// Area averaging, unlike point sampling, cannot alias fine print into false texture.
    pub fn shrunk(image: &RgbImage, max_side: u32) -> (Self, f64) {
        let (w, h) = (image.width(), image.height());
        let longer = w.max(h).max(1);
        if longer <= max_side || max_side == 0 {
            return (Self::from_rgb(image), 1.0);
        }
        let scale = f64::from(max_side) / f64::from(longer);
        let ow = ((f64::from(w) * scale).round() as usize).max(1);
        let oh = ((f64::from(h) * scale).round() as usize).max(1);
        let mut sum = vec![0.0f32; ow * oh];
        let mut count = vec![0.0f32; ow * oh];
        // Each source pixel lands in exactly one output cell: cells are as even as integer
        // division makes them, which is close enough to a true box filter for measuring.
        let xmap: Vec<usize> = (0..w as usize)
            .map(|x| (x * ow / w as usize).min(ow - 1))
            .collect();
        for (y, row) in image.rows().enumerate() {
            let oy = (y * oh / h as usize).min(oh - 1);
            for (x, p) in row.enumerate() {
                let ox = xmap.get(x).copied().unwrap_or(0);
                let i = oy * ow + ox;
                if let (Some(s), Some(c)) = (sum.get_mut(i), count.get_mut(i)) {
                    *s += luma(p.0);
                    *c += 1.0;
                }
            }
        }
        let data = sum
            .iter()
            .zip(&count)
            .map(|(s, c)| if *c > 0.0 { s / c } else { 0.0 })
            .collect();
        (
            Self {
                width: ow,
                height: oh,
                data,
            },
            ow as f64 / f64::from(w),
        )
    }

    /// The value at `(x, y)`, 0 outside.
    pub fn at(&self, x: usize, y: usize) -> f32 {
        if x >= self.width {
            return 0.0;
        }
        self.data.get(y * self.width + x).copied().unwrap_or(0.0)
    }

    /// The rectangle `[x0, x1) x [y0, y1)`, clipped to the plane.
    pub fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Self {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let (x0, y0) = (x0.min(x1), y0.min(y1));
        let mut data = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            let start = y * self.width;
            if let Some(row) = self.data.get(start + x0..start + x1) {
                data.extend_from_slice(row);
            }
        }
        Self {
            width: x1 - x0,
            height: y1 - y0,
            data,
        }
    }

    /// Variance of the 4-neighbour Laplacian over the interior: high for crisp edges, low for
    /// soft ones. Only meaningful between planes of similar scale and content.
    pub fn laplacian_variance(&self) -> f64 {
        let (w, h) = (self.width, self.height);
        if w < 3 || h < 3 {
            return 0.0;
        }
        let (mut sum, mut sum2, mut n) = (0.0f64, 0.0f64, 0usize);
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let lap = f64::from(
                    self.at(x - 1, y) + self.at(x + 1, y) + self.at(x, y - 1) + self.at(x, y + 1)
                        - 4.0 * self.at(x, y),
                );
                sum += lap;
                sum2 += lap * lap;
                n += 1;
            }
        }
        let mean = sum / n as f64;
        (sum2 / n as f64 - mean * mean).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_averages_areas_and_reports_the_scale() {
        let mut img = RgbImage::from_pixel(400, 200, image::Rgb([0, 0, 0]));
        for (x, _, p) in img.enumerate_pixels_mut() {
            if x % 2 == 0 {
                p.0 = [200, 200, 200];
            }
        }
        let (g, scale) = Grey::shrunk(&img, 100);
        assert_eq!((g.width, g.height), (100, 50));
        assert!((scale - 0.25).abs() < 1e-9);
        // Fine stripes average to their mean grey instead of aliasing.
        assert!(
            g.data.iter().all(|v| (v - 100.0).abs() < 1.0),
            "{:?}",
            &g.data[..4]
        );
        let (same, s) = Grey::shrunk(&img, 1000);
        assert_eq!((same.width, s), (400, 1.0));
    }

    #[test]
    fn laplacian_variance_separates_edges_from_flat() {
        let flat = Grey {
            width: 10,
            height: 10,
            data: vec![128.0; 100],
        };
        assert!(flat.laplacian_variance() < 1e-9);
        let mut edges = flat.clone();
        for (i, v) in edges.data.iter_mut().enumerate() {
            if (i % 10) % 2 == 0 {
                *v = 255.0;
            }
        }
        assert!(edges.laplacian_variance() > 1000.0);
        assert_eq!(edges.crop(2, 2, 5, 4).data.len(), 6);
    }
}
