//! Image input: format sniffing and size limits checked before any decoding work, decoding with
//! EXIF orientation, and resizing.

mod decode;
mod resize;

pub use decode::{DecodePlan, EXPANSION_FLOOR_BYTES, decode, plan};
pub use resize::{fit_within, resize};

use crate::analysis::{ImageData, PixelFormat};

/// Encoded formats the engine reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodedFormat {
    /// JPEG (JFIF, EXIF).
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    WebP,
}

/// Limits on image input, applied before decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest encoded or raw image, in bytes.
    pub max_bytes: usize,
    /// Largest width or height, in pixels.
    pub max_side: u32,
    /// Largest pixel count.
    pub max_pixels: u64,
    /// Memory budget of one decode, in bytes: every buffer held at once (the decoder's output in
    /// its own sample format, the 8-bit RGB copy, the resizer's scratch and the working image),
    /// counted from the header before any pixel is allocated.
    pub max_decode_bytes: u64,
    /// Largest ratio of decoded bytes to file bytes above [`EXPANSION_FLOOR_BYTES`]: a small file
    /// that claims a large flat image is an amplifier, not a photograph (the most compressed real
    /// photo among the project's data expands about 60 times).
    pub max_expansion: u64,
    /// Longest side the analysers work at: a larger image is scaled down once, at decoding.
    pub working_side: u32,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_bytes: 25 << 20,
            max_side: 12_000,
            max_pixels: 50_000_000,
            max_decode_bytes: 320 << 20,
            max_expansion: 256,
            working_side: 4096,
        }
    }
}

/// Why an image was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// No bytes.
    #[error("image is empty")]
    Empty,
    /// Over the byte limit.
    #[error("image is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not JPEG, PNG or WebP.
    #[error("not a JPEG, PNG or WebP image")]
    UnsupportedFormat,
    /// Width or height over the limit, or zero.
    #[error("image is {width}x{height} pixels, outside the limits")]
    BadDimensions {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// The file could not be decoded (truncated, corrupt, unsupported variant).
    #[error("image could not be decoded: {0}")]
    Decode(String),
    /// The decoder's own limits refused the image (dimensions or memory).
    #[error("image exceeds decoding limits: {0}")]
    LimitExceeded(String),
    /// Decoding would need more memory than [`ImageLimits::max_decode_bytes`].
    #[error("decoding needs {needed} bytes of buffers, over the budget of {budget}")]
    OverBudget {
        /// Bytes held at once, counted from the header.
        needed: u64,
        /// The budget.
        budget: u64,
    },
    /// A small file that decodes to far more bytes than any photograph would.
    #[error("{encoded} bytes decode to {decoded}, more than {limit} times their size")]
    Expansion {
        /// File size.
        encoded: u64,
        /// Decoded size in the file's own sample format.
        decoded: u64,
        /// The largest ratio allowed.
        limit: u64,
    },
    /// A raw frame whose byte count does not match its dimensions.
    #[error("raw frame of {width}x{height} {format:?} needs {expected} bytes, got {actual}")]
    RawSizeMismatch {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Layout.
        format: PixelFormat,
        /// Bytes the dimensions need.
        expected: u64,
        /// Bytes given.
        actual: usize,
    },
}

impl ImageError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "image.empty",
            Self::TooLarge { .. } => "image.too_large",
            Self::UnsupportedFormat => "image.unsupported_format",
            Self::BadDimensions { .. } => "image.bad_dimensions",
            Self::RawSizeMismatch { .. } => "image.raw_size_mismatch",
            Self::Decode(_) => "image.decode",
            Self::LimitExceeded(_) => "image.limit_exceeded",
            Self::OverBudget { .. } => "image.over_budget",
            Self::Expansion { .. } => "image.expansion",
        }
    }
}

/// Names the encoded format from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<EncodedFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(EncodedFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(EncodedFormat::Png),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(EncodedFormat::WebP),
        _ => None,
    }
}

/// The checks that need no decoding: size, format and, for raw frames, that the bytes match the
/// dimensions.
pub fn precheck(data: &ImageData, limits: &ImageLimits) -> Result<(), ImageError> {
    if data.is_empty() {
        return Err(ImageError::Empty);
    }
    if data.len() > limits.max_bytes {
        return Err(ImageError::TooLarge {
            size: data.len(),
            limit: limits.max_bytes,
        });
    }
    match data {
        ImageData::Encoded(bytes) => sniff(bytes)
            .map(|_| ())
            .ok_or(ImageError::UnsupportedFormat),
        ImageData::Raw {
            width,
            height,
            format,
            pixels,
        } => {
            check_dimensions(*width, *height, limits)?;
            let bytes_per_pixel: u64 = match format {
                PixelFormat::Rgb8 => 3,
                PixelFormat::Rgba8 => 4,
            };
            let expected = u64::from(*width) * u64::from(*height) * bytes_per_pixel;
            if u64::try_from(pixels.len()).ok() != Some(expected) {
                return Err(ImageError::RawSizeMismatch {
                    width: *width,
                    height: *height,
                    format: *format,
                    expected,
                    actual: pixels.len(),
                });
            }
            Ok(())
        }
    }
}

/// Width and height within the limits (and not zero).
pub fn check_dimensions(width: u32, height: u32, limits: &ImageLimits) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0
        || height == 0
        || width > limits.max_side
        || height > limits.max_side
        || pixels > limits.max_pixels
    {
        return Err(ImageError::BadDimensions { width, height });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_magic_not_by_luck() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(EncodedFormat::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(EncodedFormat::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(EncodedFormat::WebP));
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(&[0xFF, 0xD8]), None);
    }

    #[test]
    fn raw_frames_must_match_their_dimensions() {
        let limits = ImageLimits::default();
        let ok = ImageData::Raw {
            width: 2,
            height: 2,
            format: PixelFormat::Rgba8,
            pixels: vec![0; 16],
        };
        assert!(precheck(&ok, &limits).is_ok());
        let short = ImageData::Raw {
            width: 2,
            height: 2,
            format: PixelFormat::Rgb8,
            pixels: vec![0; 11],
        };
        assert_eq!(
            precheck(&short, &limits).unwrap_err().code(),
            "image.raw_size_mismatch"
        );
        let huge = ImageData::Raw {
            width: u32::MAX,
            height: u32::MAX,
            format: PixelFormat::Rgb8,
            pixels: vec![0; 3],
        };
        assert_eq!(
            precheck(&huge, &limits).unwrap_err().code(),
            "image.bad_dimensions"
        );
    }

    #[test]
    fn empty_and_oversize_are_refused_before_sniffing() {
        let limits = ImageLimits {
            max_bytes: 4,
            ..ImageLimits::default()
        };
        assert_eq!(
            precheck(&ImageData::Encoded(vec![]), &limits)
                .unwrap_err()
                .code(),
            "image.empty"
        );
        assert_eq!(
            precheck(&ImageData::Encoded(vec![0xFF; 5]), &limits)
                .unwrap_err()
                .code(),
            "image.too_large"
        );
    }
}
