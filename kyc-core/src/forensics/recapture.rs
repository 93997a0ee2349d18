//! Screen recapture: a photo of a screen carries the panel's pixel grid. Its rows of sub-pixels and
//! the dark matrix between them repeat every pixel pitch; photographed near that pitch they alias
//! into moire. Both show as peaks in the spectrum of the luminance and, because sub-pixels are
//! red, green and blue stripes, in the spectrum of the colour difference too.

use image::RgbImage;

use super::spectrum::{Peaks, Plane, peaks};
use crate::image::{EncodedFormat, sniff};
use crate::quality::luma;

/// What [`screen_signal`] measured.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ScreenSignal {
    /// Periodicity of the luminance.
    pub luma: Peaks,
    /// Periodicity of the red-minus-blue colour difference.
    pub chroma: Peaks,
}

impl ScreenSignal {
    /// One figure: the fine (0.2 to 0.5 cycles per pixel) peaks of the colour difference. The
    /// sub-pixel stripes are what a screen has and paper has not; luminance peaks also come from
    /// halftone and guilloche, and coarse ones from text rows.
    pub fn score(&self) -> f64 {
        self.chroma.high
    }

    /// The figure for a whole document: the stronger of the fine colour-difference peaks (the
    /// sub-pixel stripes) and the coarse ones (the moire they alias into when the page is
    /// photographed at an angle or a distance). A document region is large enough to measure the
    /// coarse band; the fine band alone missed recaptures whose grid had aliased into moire, and
    /// so had to be held so low that real specimen scans with fine colour print failed.
    pub fn document_score(&self) -> f64 {
        self.chroma.high.max(self.chroma.low)
    }
}

/// Measures `image`, any region at its native resolution (a whole document photo, a document
/// crop, a face crop): resampling it first would erase the very grid this looks for. A region
/// smaller than [`super::spectrum::TILE`] pixels a side measures nothing (all zero).
pub fn screen_signal(image: &RgbImage) -> ScreenSignal {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let grey: Vec<f32> = image.pixels().map(|p| luma(p.0)).collect();
    let chroma: Vec<f32> = image
        .pixels()
        .map(|p| f32::from(p.0[0]) - f32::from(p.0[2]))
        .collect();
    ScreenSignal {
        luma: peaks(&Plane {
            width: w,
            height: h,
            data: &grey,
        }),
        chroma: peaks(&Plane {
            width: w,
            height: h,
            data: &chroma,
        }),
    }
}

/// [`screen_signal`] of `image` as a phone would have stored it: measured as it is when the
/// `original` file is a JPEG, otherwise (a lossless file, a raw frame) after a JPEG round trip
/// ([`as_phone_jpeg`]), so that one threshold holds for every format.
pub fn stored_screen_signal(image: &RgbImage, original: Option<&[u8]>) -> ScreenSignal {
    if original.and_then(sniff) == Some(EncodedFormat::Jpeg) {
        screen_signal(image)
    } else {
        screen_signal(&as_phone_jpeg(image))
    }
}

/// JPEG quality [`as_phone_jpeg`] stores at: a phone camera's own setting is 85 to 95.
const PHONE_JPEG_QUALITY: u8 = 90;

/// `image` stored and read back as a phone camera's JPEG (4:2:0 chroma, coarse chroma
/// quantisation). The screen signal's threshold holds for such files, which every screen
/// recapture is; a lossless file (a PNG scan, a flat render, a raw frame) keeps the colour fringes
/// of sharp print up to half a cycle per pixel, which read as sub-pixel stripes. Generated flat
/// renders saved as PNG, seeds 1 and 2 (120): 1.8 to 6.4 as they are (36 over the threshold), 1.9
/// to 3.4 after the round trip. If the encoder fails (it cannot for an RGB image in memory), the
/// image is measured as it is.
fn as_phone_jpeg(image: &RgbImage) -> RgbImage {
    let mut bytes = Vec::new();
    let encoder =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, PHONE_JPEG_QUALITY);
    if image.write_with_encoder(encoder).is_err() {
        return image.clone();
    }
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        .map(|i| i.to_rgb8())
        .unwrap_or_else(|_| image.clone())
}
