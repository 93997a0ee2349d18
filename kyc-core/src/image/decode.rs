//! Decoding with limits decided before the pixels are allocated, and EXIF orientation applied.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::{ImageError, ImageLimits, check_dimensions, precheck};
use crate::analysis::{ImageData, PixelFormat};

/// Decodes `data` to upright 8-bit RGB.
///
/// The byte size and format are checked first, then the header's dimensions, and only then are
/// pixels decoded, under an allocation cap derived from the pixel limit: a decompression bomb is
/// refused from its header, in microseconds.
pub fn decode(data: &ImageData, limits: &ImageLimits) -> Result<RgbImage, ImageError> {
    precheck(data, limits)?;
    match data {
        ImageData::Encoded(bytes) => decode_encoded(bytes, limits),
        ImageData::Raw {
            width,
            height,
            format,
            pixels,
        } => {
            let rgb = match format {
                PixelFormat::Rgb8 => pixels.clone(),
                PixelFormat::Rgba8 => pixels
                    .chunks_exact(4)
                    .flat_map(|p| p.iter().take(3).copied())
                    .collect(),
            };
            RgbImage::from_raw(*width, *height, rgb).ok_or(ImageError::RawSizeMismatch {
                width: *width,
                height: *height,
                format: *format,
                expected: u64::from(*width) * u64::from(*height) * 3,
                actual: pixels.len(),
            })
        }
    }
}

fn decode_encoded(bytes: &[u8], limits: &ImageLimits) -> Result<RgbImage, ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    // RGBA at the pixel limit, plus room for the decoder's own buffers.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(4).saturating_add(64 << 20));
    reader.limits(decoder_limits);
    let mut decoder = reader.into_decoder().map_err(from_image_error)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    // A broken EXIF block must not cost the image: read it upright-as-stored instead.
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(from_image_error)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image.into_rgb8())
}

fn from_image_error(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(l) => ImageError::LimitExceeded(l.to_string()),
        image::ImageError::Unsupported(u) => ImageError::Decode(u.to_string()),
        other => ImageError::Decode(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn decodes_png_pixels_exactly() {
        let img = decode(&ImageData::Encoded(png(5, 3)), &ImageLimits::default()).unwrap();
        assert_eq!(img.dimensions(), (5, 3));
        assert_eq!(img.get_pixel(4, 2).0, [4, 2, 7]);
    }

    #[test]
    fn truncated_files_are_decode_errors() {
        let mut bytes = png(64, 64);
        bytes.truncate(bytes.len() / 2);
        let err = decode(&ImageData::Encoded(bytes), &ImageLimits::default()).unwrap_err();
        assert_eq!(err.code(), "image.decode");
    }

    #[test]
    fn huge_headers_are_refused_before_decoding() {
        // A valid PNG header claiming 100000 x 100000 pixels, with no data behind it.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let err = decode(&ImageData::Encoded(bytes), &ImageLimits::default()).unwrap_err();
        assert!(
            matches!(
                err.code(),
                "image.bad_dimensions" | "image.limit_exceeded" | "image.decode"
            ),
            "{err}"
        );
        let small = ImageLimits {
            max_side: 4,
            ..ImageLimits::default()
        };
        let err = decode(&ImageData::Encoded(png(5, 3)), &small).unwrap_err();
        assert!(
            matches!(err.code(), "image.bad_dimensions" | "image.limit_exceeded"),
            "{err}"
        );
    }

    #[test]
    fn rgba_frames_drop_alpha() {
        let data = ImageData::Raw {
            width: 2,
            height: 1,
            format: PixelFormat::Rgba8,
            pixels: vec![1, 2, 3, 255, 4, 5, 6, 0],
        };
        let img = decode(&data, &ImageLimits::default()).unwrap();
        assert_eq!(img.into_raw(), vec![1, 2, 3, 4, 5, 6]);
    }
}
