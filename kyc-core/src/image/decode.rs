//! Decoding under a memory budget decided from the header, before any pixel is allocated; one
//! scale-down to the analysers' working size; EXIF orientation applied last, on the small image.

use std::io::Cursor;

use image::{ColorType, DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::{ImageError, ImageLimits, check_dimensions, precheck};
use crate::analysis::{ImageData, PixelFormat};

/// Below this many decoded bytes an image is never refused for how small its file is: ratios
/// mean little for small images, and this much is cheap.
pub const EXPANSION_FLOOR_BYTES: u64 = 48 << 20;

/// What decoding one image will hold, counted from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodePlan {
    /// Stored width and height (before orientation).
    pub size: (u32, u32),
    /// Width and height the analysers get (before orientation): the stored size, or scaled down
    /// so that the longer side is [`ImageLimits::working_side`].
    pub working: (u32, u32),
    /// The decoder's output in the file's own sample format.
    pub native_bytes: u64,
    /// Most bytes of pixel buffers held at once while decoding, converting and scaling.
    pub peak_bytes: u64,
}

/// Decodes `data` to upright 8-bit RGB at most [`ImageLimits::working_side`] on its longer side.
///
/// The byte size and format are checked first, then the header: dimensions, how far the file
/// expands ([`ImageLimits::max_expansion`]) and the buffers decoding will hold
/// ([`ImageLimits::max_decode_bytes`]). Only then are pixels decoded: a decompression bomb or a
/// flat amplifier is refused from its header, in microseconds, having allocated nothing.
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
            // The host's frame is its own memory; the copy made here is counted as a conversion.
            plan_for(*width, *height, 0, color_type(*format), None, limits)?;
            let rgb = match format {
                PixelFormat::Rgb8 => pixels.clone(),
                PixelFormat::Rgba8 => pixels
                    .chunks_exact(4)
                    .flat_map(|p| p.iter().take(3).copied())
                    .collect(),
            };
            let rgb =
                RgbImage::from_raw(*width, *height, rgb).ok_or(ImageError::RawSizeMismatch {
                    width: *width,
                    height: *height,
                    format: *format,
                    expected: u64::from(*width) * u64::from(*height) * 3,
                    actual: pixels.len(),
                })?;
            to_working(rgb, limits.working_side)
        }
    }
}

/// The plan for decoding `data`, read from its header alone (nothing decoded), or why it would
/// be refused.
pub fn plan(data: &ImageData, limits: &ImageLimits) -> Result<DecodePlan, ImageError> {
    precheck(data, limits)?;
    match data {
        ImageData::Encoded(bytes) => {
            let decoder = open(bytes, limits)?;
            let (width, height) = decoder.dimensions();
            plan_for(
                width,
                height,
                decoder.total_bytes(),
                decoder.color_type(),
                Some(bytes.len()),
                limits,
            )
        }
        ImageData::Raw {
            width,
            height,
            format,
            ..
        } => plan_for(*width, *height, 0, color_type(*format), None, limits),
    }
}

/// The decoder's colour type for a host's raw frame of `format`.
fn color_type(format: PixelFormat) -> ColorType {
    match format {
        PixelFormat::Rgb8 => ColorType::Rgb8,
        PixelFormat::Rgba8 => ColorType::Rgba8,
    }
}

fn open<'a>(
    bytes: &'a [u8],
    limits: &ImageLimits,
) -> Result<impl ImageDecoder + use<'a>, ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    decoder_limits.max_alloc = Some(limits.max_decode_bytes);
    reader.limits(decoder_limits);
    reader.into_decoder().map_err(from_image_error)
}

fn decode_encoded(bytes: &[u8], limits: &ImageLimits) -> Result<RgbImage, ImageError> {
    let mut decoder = open(bytes, limits)?;
    let (width, height) = decoder.dimensions();
    plan_for(
        width,
        height,
        decoder.total_bytes(),
        decoder.color_type(),
        Some(bytes.len()),
        limits,
    )?;
    // A broken EXIF block must not cost the image: read it upright-as-stored instead.
    let orientation = decoder.orientation().ok();
    // `into_rgb8` moves an 8-bit RGB image and converts any other, dropping the original.
    let rgb = DynamicImage::from_decoder(decoder)
        .map_err(from_image_error)?
        .into_rgb8();
    let working = to_working(rgb, limits.working_side)?;
    Ok(match orientation {
        Some(orientation) => {
            let mut image = DynamicImage::ImageRgb8(working);
            image.apply_orientation(orientation);
            image.into_rgb8()
        }
        None => working,
    })
}

/// Checks the header's numbers against the limits and counts the buffers decoding will hold.
/// `encoded` is the file's size (none for a raw frame, which cannot be an amplifier).
fn plan_for(
    width: u32,
    height: u32,
    native_bytes: u64,
    native: ColorType,
    encoded: Option<usize>,
    limits: &ImageLimits,
) -> Result<DecodePlan, ImageError> {
    check_dimensions(width, height, limits)?;
    if let Some(encoded) = encoded {
        let encoded = encoded as u64;
        if native_bytes > EXPANSION_FLOOR_BYTES
            && native_bytes > encoded.saturating_mul(limits.max_expansion)
        {
            return Err(ImageError::Expansion {
                encoded,
                decoded: native_bytes,
                limit: limits.max_expansion,
            });
        }
    }
    let rgb = u64::from(width) * u64::from(height) * 3;
    let working = working_size(width, height, limits.working_side);
    let out = u64::from(working.0) * u64::from(working.1) * 3;
    let converted = if native == ColorType::Rgb8 && encoded.is_some() {
        0
    } else {
        rgb
    };
    // The box filter keeps one row of sums.
    let scratch = if working == (width, height) {
        0
    } else {
        u64::from(working.0) * 3 * 8
    };
    let peak = (native_bytes + converted)
        .max(rgb + scratch + out)
        // Orientation turns the working image into a new buffer.
        .max(2 * out);
    if peak > limits.max_decode_bytes {
        return Err(ImageError::OverBudget {
            needed: peak,
            budget: limits.max_decode_bytes,
        });
    }
    Ok(DecodePlan {
        size: (width, height),
        working,
        native_bytes,
        peak_bytes: peak,
    })
}

fn working_size(width: u32, height: u32, side: u32) -> (u32, u32) {
    let longer = width.max(height);
    if longer <= side || side == 0 {
        return (width, height);
    }
    let scale = f64::from(side) / f64::from(longer);
    let fit = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, side);
    (fit(width), fit(height))
}

fn to_working(rgb: RgbImage, side: u32) -> Result<RgbImage, ImageError> {
    let (width, height) = working_size(rgb.width(), rgb.height(), side);
    if (width, height) == rgb.dimensions() {
        return Ok(rgb);
    }
    Ok(box_downscale(&rgb, width, height))
}

/// `src` shrunk to `width` x `height` (each no larger than the source's) by averaging the block
/// of source pixels each output pixel covers: the antialiasing a large reduction needs, one row of
/// sums as scratch, and small enough for the WebAssembly package (the SIMD resizer the analysers
/// use would add about 700 KB to it).
fn box_downscale(src: &RgbImage, width: u32, height: u32) -> RgbImage {
    let (sw, sh) = src.dimensions();
    let span = |i: u32, n: u32, of: u32| {
        let a = (u64::from(i) * u64::from(of) / u64::from(n)) as usize;
        let b = (u64::from(i + 1) * u64::from(of) / u64::from(n)) as usize;
        (a, b.max(a + 1).min(of as usize))
    };
    let columns: Vec<(usize, usize)> = (0..width).map(|x| span(x, width, sw)).collect();
    let raw = src.as_raw();
    let stride = sw as usize * 3;
    let mut sums = vec![0u64; width as usize * 3];
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        let (y0, y1) = span(y, height, sh);
        sums.fill(0);
        for row in raw.chunks_exact(stride).skip(y0).take(y1 - y0) {
            for (sum, &(x0, x1)) in sums.chunks_exact_mut(3).zip(&columns) {
                for pixel in row.get(x0 * 3..x1 * 3).unwrap_or(&[]).chunks_exact(3) {
                    for (s, &v) in sum.iter_mut().zip(pixel) {
                        *s += u64::from(v);
                    }
                }
            }
        }
        for (sum, &(x0, x1)) in sums.chunks_exact(3).zip(&columns) {
            let n = ((x1 - x0) * (y1 - y0)).max(1) as u64;
            out.extend(sum.iter().map(|s| ((s + n / 2) / n) as u8));
        }
    }
    // The buffer holds exactly width x height pixels.
    RgbImage::from_raw(width, height, out).unwrap_or_else(|| RgbImage::new(width, height))
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
    fn the_box_filter_averages_each_covered_block() {
        // 4 x 2 -> 2 x 1: each output pixel is the mean of a 2 x 2 block, rounded.
        let src = RgbImage::from_fn(4, 2, |x, y| image::Rgb([(x * 10 + y) as u8, 200, 7]));
        let out = box_downscale(&src, 2, 1);
        assert_eq!(out.dimensions(), (2, 1));
        assert_eq!(out.get_pixel(0, 0).0, [6, 200, 7]); // (0+1+10+11)/4 = 5.5
        assert_eq!(out.get_pixel(1, 0).0, [26, 200, 7]); // (20+21+30+31)/4 = 25.5
        // Uneven spans still cover every source pixel once.
        let src = RgbImage::from_pixel(10, 7, image::Rgb([1, 2, 3]));
        assert!(box_downscale(&src, 3, 2).pixels().all(|p| p.0 == [1, 2, 3]));
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
