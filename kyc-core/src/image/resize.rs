//! Scaling with `fast_image_resize` (SIMD convolution), the one resize path every analyser uses.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

use super::ImageError;

/// `src` scaled to exactly `width` x `height` (bilinear convolution, which antialiases when
/// shrinking).
pub fn resize(src: &RgbImage, width: u32, height: u32) -> Result<RgbImage, ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::BadDimensions { width, height });
    }
    if src.dimensions() == (width, height) {
        return Ok(src.clone());
    }
    let from = ImageRef::new(src.width(), src.height(), src.as_raw(), PixelType::U8x3)
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let mut to = Image::new(width, height, PixelType::U8x3);
    Resizer::new()
        .resize(
            &from,
            &mut to,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear)),
        )
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    RgbImage::from_raw(width, height, to.into_vec())
        .ok_or(ImageError::BadDimensions { width, height })
}

/// `src` scaled down (never up) so that its longer side is at most `max_side`, with the scale used.
pub fn fit_within(src: &RgbImage, max_side: u32) -> Result<(RgbImage, f32), ImageError> {
    let longer = src.width().max(src.height());
    if longer <= max_side {
        return Ok((src.clone(), 1.0));
    }
    let scale = max_side as f32 / longer as f32;
    let w = ((src.width() as f32 * scale).round() as u32).max(1);
    let h = ((src.height() as f32 * scale).round() as u32).max(1);
    Ok((resize(src, w, h)?, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_images_stay_uniform() {
        let src = RgbImage::from_pixel(100, 50, image::Rgb([10, 200, 30]));
        let out = resize(&src, 33, 17).unwrap();
        assert_eq!(out.dimensions(), (33, 17));
        assert!(out.pixels().all(|p| p.0 == [10, 200, 30]));
    }

    #[test]
    fn fit_within_keeps_the_aspect_ratio() {
        let src = RgbImage::new(2000, 1000);
        let (out, scale) = fit_within(&src, 1000).unwrap();
        assert_eq!(out.dimensions(), (1000, 500));
        assert!((scale - 0.5).abs() < 1e-6);
        assert_eq!(fit_within(&src, 4000).unwrap().1, 1.0);
    }
}
