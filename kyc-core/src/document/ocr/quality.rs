//! Image quality measured where the MRZ was read: sharpness (variance of the Laplacian of the line
//! crops at the recogniser's scale, so the figure does not depend on the photo's resolution), glare
//! (share of near-white clipped pixels) and the MRZ's text height in source pixels.

use image::RgbImage;

use super::geometry::{RotatedRect, sample_rect};
use super::rec::{INPUT_HEIGHT, scaled_width};

/// Pixels whose three channels are all at least this bright count as specular glare.
pub const GLARE_LEVEL: u8 = 250;

/// Quality figures of the MRZ region.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MrzQuality {
    /// Variance of the 4-neighbour Laplacian of grey levels (0 to 255) over the line crops.
    pub sharpness: f64,
    /// Share of clipped near-white pixels over the line crops, 0 to 1.
    pub glare: f64,
    /// Mean line-box height in source pixels.
    pub line_height: f64,
}

/// Measures `rects` (the MRZ lines) in `image`.
pub fn measure(image: &RgbImage, rects: &[RotatedRect]) -> Option<MrzQuality> {
    if rects.is_empty() {
        return None;
    }
    let (mut sum, mut sum2, mut n) = (0.0f64, 0.0f64, 0usize);
    let (mut clipped, mut pixels) = (0usize, 0usize);
    let mut height = 0.0f64;
    for r in rects {
        height += f64::from(r.height);
        let w = scaled_width(r.width.round() as u32, r.height.round() as u32);
        let crop = sample_rect(image, r, w, INPUT_HEIGHT);
        let grey: Vec<f64> = crop
            .pixels()
            .map(|p| {
                let [a, b, c] = p.0;
                if a >= GLARE_LEVEL && b >= GLARE_LEVEL && c >= GLARE_LEVEL {
                    clipped += 1;
                }
                0.299 * f64::from(a) + 0.587 * f64::from(b) + 0.114 * f64::from(c)
            })
            .collect();
        pixels += grey.len();
        let (cw, ch) = (crop.width() as usize, crop.height() as usize);
        for y in 1..ch.saturating_sub(1) {
            for x in 1..cw.saturating_sub(1) {
                let at = |xx: usize, yy: usize| grey.get(yy * cw + xx).copied().unwrap_or(0.0);
                let lap =
                    at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y);
                sum += lap;
                sum2 += lap * lap;
                n += 1;
            }
        }
    }
    if n == 0 || pixels == 0 {
        return None;
    }
    let mean = sum / n as f64;
    Some(MrzQuality {
        sharpness: (sum2 / n as f64 - mean * mean).max(0.0),
        glare: clipped as f64 / pixels as f64,
        line_height: height / rects.len() as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripes_are_sharper_than_flat_grey_and_white_is_glare() {
        let rect = RotatedRect {
            center: [50.0, 10.0],
            u: [1.0, 0.0],
            width: 96.0,
            height: 16.0,
        };
        let flat = RgbImage::from_pixel(100, 20, image::Rgb([128, 128, 128]));
        let q = measure(&flat, &[rect]).unwrap();
        assert!(q.sharpness < 1e-6 && q.glare == 0.0);
        let mut stripes = flat.clone();
        for (x, _, p) in stripes.enumerate_pixels_mut() {
            if (x / 3) % 2 == 0 {
                p.0 = [255, 255, 255];
            }
        }
        let q = measure(&stripes, &[rect]).unwrap();
        assert!(q.sharpness > 100.0, "{q:?}");
        assert!(q.glare > 0.2);
        assert!((q.line_height - 16.0).abs() < 1e-9);
        assert!(measure(&flat, &[]).is_none());
    }
}
