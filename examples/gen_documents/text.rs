//! Fonts and text rendering. The fonts are committed under `fixtures/fonts/` and compiled into
//! the binary, so that a render does not depend on which fonts the machine has installed.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use image::RgbImage;

use crate::Result;
use crate::raster::{Color, Mask, draw_mask};

/// OCR-B from Debian's `fonts-ocr-b` (public domain): the MRZ typeface of ICAO Doc 9303.
const OCR_B: &[u8] = include_bytes!("../../fixtures/fonts/OCRB.otf");
/// DejaVu Sans Condensed, cut to Latin (Bitstream Vera licence): labels and the visual zone,
/// which need the diacritics OCR-B lacks.
const SANS: &[u8] = include_bytes!("../../fixtures/fonts/DejaVuSansCondensed-latin.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../fixtures/fonts/DejaVuSansCondensed-Bold-latin.ttf");

/// The typefaces a document uses.
pub(crate) struct Fonts {
    pub(crate) ocr_b: FontRef<'static>,
    pub(crate) sans: FontRef<'static>,
    pub(crate) bold: FontRef<'static>,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self> {
        Ok(Self {
            ocr_b: FontRef::try_from_slice(OCR_B)?,
            sans: FontRef::try_from_slice(SANS)?,
            bold: FontRef::try_from_slice(SANS_BOLD)?,
        })
    }
}

/// How to set a run of text.
#[derive(Clone, Copy)]
pub(crate) struct Style<'a> {
    pub(crate) font: &'a FontRef<'static>,
    /// Height in pixels (the em size).
    pub(crate) px: f32,
    /// Horizontal stretch (1 = as designed).
    pub(crate) stretch: f32,
    /// Extra space after every character, in pixels.
    pub(crate) tracking: f32,
}

impl<'a> Style<'a> {
    pub(crate) fn new(font: &'a FontRef<'static>, px: f32) -> Self {
        Self {
            font,
            px,
            stretch: 1.0,
            tracking: 0.0,
        }
    }

    fn scale(&self) -> PxScale {
        PxScale {
            x: self.px * self.stretch,
            y: self.px,
        }
    }

    /// Advance width of `text`.
    pub(crate) fn width(&self, text: &str) -> f32 {
        let sf = self.font.as_scaled(self.scale());
        let mut w = 0.0;
        let mut prev = None;
        for c in text.chars() {
            let id = sf.glyph_id(c);
            if let Some(p) = prev {
                w += sf.kern(p, id);
            }
            w += sf.h_advance(id) + self.tracking;
            prev = Some(id);
        }
        w
    }

    /// The ascent in pixels: distance from the top of the mask to the baseline.
    pub(crate) fn ascent(&self) -> f32 {
        self.font.as_scaled(self.scale()).ascent()
    }

    /// Width of one character cell in a monospaced font.
    pub(crate) fn advance(&self, c: char) -> f32 {
        let sf = self.font.as_scaled(self.scale());
        sf.h_advance(sf.glyph_id(c))
    }
}

/// Renders `text` into a coverage mask whose top edge is `ascent` above the baseline.
pub(crate) fn mask(style: &Style<'_>, text: &str) -> Mask {
    let sf = style.font.as_scaled(style.scale());
    let ascent = sf.ascent();
    let height = (ascent - sf.descent()).ceil().max(1.0) as usize + 2;
    let width = style.width(text).ceil().max(1.0) as usize + 4;
    let mut m = Mask::new(width, height);
    let mut caret = 1.0;
    let mut prev = None;
    for c in text.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            caret += sf.kern(p, id);
        }
        let glyph = id.with_scale_and_position(style.scale(), point(caret, ascent));
        if let Some(outlined) = style.font.outline_glyph(glyph) {
            let b = outlined.px_bounds();
            outlined.draw(|x, y, v| {
                m.add(
                    b.min.x as i64 + i64::from(x),
                    b.min.y as i64 + i64::from(y),
                    v,
                );
            });
        }
        caret += sf.h_advance(id) + style.tracking;
        prev = Some(id);
    }
    m
}

/// Draws `text` with its baseline at `y` starting at `x`; returns the box it covers
/// `[x0, y0, x1, y1]` (from the ascent to the descent).
pub(crate) fn draw(
    img: &mut RgbImage,
    style: &Style<'_>,
    x: f32,
    baseline: f32,
    text: &str,
    color: Color,
) -> [i64; 4] {
    let m = mask(style, text);
    let top = (baseline - style.ascent()).round() as i64;
    let left = x.round() as i64 - 1;
    draw_mask(img, &m, left, top, color, 1.0);
    [left, top, left + m.w as i64, top + m.h as i64]
}

/// Largest size not above `px` at which `text` fits in `max_width`.
pub(crate) fn fit<'a>(style: Style<'a>, text: &str, max_width: f32) -> Style<'a> {
    let w = style.width(text);
    if w <= max_width || w <= 0.0 {
        return style;
    }
    Style {
        px: style.px * max_width / w,
        ..style
    }
}
