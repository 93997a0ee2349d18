//! Printouts and photocopies: a grey copy has lost the document's colour (its tinted paper, its
//! colour portrait and security print), and any print is made of halftone dots on a regular
//! screen, which leaves peaks in the spectrum like a screen's grid does.

use image::RgbImage;

use super::spectrum::{Peaks, Plane, peaks};
use crate::quality::luma;

/// What [`print_signal`] measured.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PrintSignal {
    /// The 95th percentile of colour saturation (max minus min channel, 0 to 255) after the
    /// photo's colour cast is divided out: near 0 for a grey copy.
    pub colourfulness: f64,
    /// Periodicity of the luminance (halftone).
    pub halftone: Peaks,
}

/// Measures `image`, any region at its native resolution (see
/// [`super::recapture::screen_signal`]).
pub fn print_signal(image: &RgbImage) -> PrintSignal {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let grey: Vec<f32> = image.pixels().map(|p| luma(p.0)).collect();
    PrintSignal {
        colourfulness: colourfulness(image, &grey),
        halftone: peaks(&Plane {
            width: w,
            height: h,
            data: &grey,
        }),
    }
}

/// See [`PrintSignal::colourfulness`].
fn colourfulness(image: &RgbImage, grey: &[f32]) -> f64 {
    // The cast: the mean colour of the brightest quarter of pixels, which is the paper's white
    // (or the light, if there is no paper).
    let mut sorted: Vec<f32> = grey.to_vec();
    if sorted.is_empty() {
        return 0.0;
    }
    let k = sorted.len() * 3 / 4;
    let (_, cut, _) = sorted.select_nth_unstable_by(k, f32::total_cmp);
    let cut = *cut;
    let mut white = [0.0f64; 3];
    let mut n = 0.0;
    // Every fourth pixel a side is plenty for percentiles and bounds the work.
    let step = if image.width() * image.height() > 1_000_000 {
        2
    } else {
        1
    };
    for (x, y, p) in image.enumerate_pixels() {
        if x % step != 0 || y % step != 0 {
            continue;
        }
        if luma(p.0) >= cut {
            for (w, c) in white.iter_mut().zip(p.0) {
                *w += f64::from(c);
            }
            n += 1.0;
        }
    }
    if n == 0.0 {
        return 0.0;
    }
    let mean = (white[0] + white[1] + white[2]) / 3.0;
    let gain = white.map(|w| if w > 0.0 { mean / w } else { 1.0 });
    let mut sat: Vec<f32> = Vec::new();
    for (x, y, p) in image.enumerate_pixels() {
        if x % step != 0 || y % step != 0 {
            continue;
        }
        let c = [0, 1, 2].map(|i| f64::from(p.0[i]) * gain[i]);
        let (lo, hi) = c
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        sat.push((hi - lo) as f32);
    }
    if sat.is_empty() {
        return 0.0;
    }
    let k = (sat.len() * 95 / 100).min(sat.len() - 1);
    let (_, v, _) = sat.select_nth_unstable_by(k, f32::total_cmp);
    f64::from(*v)
}
