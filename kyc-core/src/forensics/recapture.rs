//! Screen recapture: a photo of a screen carries the panel's pixel grid. Its rows of sub-pixels and
//! the dark matrix between them repeat every pixel pitch; photographed near that pitch they alias
//! into moire. Both show as peaks in the spectrum of the luminance and, because sub-pixels are
//! red, green and blue stripes, in the spectrum of the colour difference too.

use image::RgbImage;

use super::spectrum::{Peaks, Plane, peaks};
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
