//! Presentation and tampering attacks made from a genuine page. Each builds the object that is
//! then photographed (a screen showing the page, a printout of it) or the tampered digital file;
//! blur, glare and crop are camera-side and live in `scene::Plan`.
//!
//! Each attack returns the parameters it drew, which go into the label so that a detector's
//! misses can be studied by cause (pitch of the screen grid, halftone cell, edited field...).

use image::{Rgb, RgbImage};
use serde_json::{Value, json};

use crate::Result;
use crate::layout::Page;
use crate::raster::{Homography, fill_rect, jpeg, px, sample, to_u8, unjpeg};
use crate::rng::Rng;
use crate::text::{self, Fonts, Style};
use crate::texture::paper;

/// The names of the attacks, in output order.
pub(crate) const ALL: [&str; 6] = ["screen", "print", "edit", "blur", "glare", "crop"];

/// Variants made only when named: `unsigned` (the holder's signature left out) is no attack on
/// the pixel checks, which would count it as accepted; `stamped` (an office stamp pressed over the
/// portrait's corner, a genuine page of the documents that carry one) is no attack at all.
pub(crate) const OPT_IN: [&str; 2] = ["unsigned", "stamped"];

/// An object to photograph and where the page sits on it.
pub(crate) struct Object {
    pub(crate) image: RgbImage,
    /// Page coordinates to object coordinates.
    pub(crate) h: Homography,
    /// The page's rectangle on the object.
    pub(crate) page_rect: [f64; 4],
    pub(crate) params: Value,
}

/// Mean of a small grid of samples over a `scale`-sized footprint: a box filter for shrinking.
fn area_sample(img: &RgbImage, x: f64, y: f64, scale: f64) -> [f32; 3] {
    let mut acc = [0.0f32; 3];
    for (ox, oy) in [(-0.25, -0.25), (0.25, -0.25), (-0.25, 0.25), (0.25, 0.25)] {
        let s = sample(img, x + ox * scale, y + oy * scale);
        for (a, v) in acc.iter_mut().zip(s) {
            *a += v / 4.0;
        }
    }
    acc
}

/// A screen showing the page: the page resampled to screen pixels, each drawn as three RGB
/// sub-pixel stripes over a black matrix, inside a bezel. Photographing it at a scale near the
/// sub-pixel pitch makes the moire that recapture detectors look for.
pub(crate) fn screen(page: &Page, rng: &mut Rng) -> Result<Object> {
    let (pw, ph) = (
        f64::from(page.image.width()),
        f64::from(page.image.height()),
    );
    let density = rng.range(0.5, 0.75); // screen pixels per page pixel
    let (margin_x, margin_y) = (rng.int(8, 40) as u32, rng.int(8, 60) as u32);
    let (sw, sh) = (
        (pw * density).round() as u32 + 2 * margin_x,
        (ph * density).round() as u32 + 2 * margin_y,
    );
    let dark_ui = rng.chance(0.5);
    let ui = if dark_ui {
        [18.0, 18.0, 20.0]
    } else {
        [236.0, 236.0, 240.0]
    };
    // The panel's rendition: lifted blacks, a blue-ish white point, a little extra saturation.
    let black = rng.range(8.0, 30.0) as f32;
    let tint = [rng.range(0.9, 1.0) as f32, rng.range(0.95, 1.0) as f32, 1.0];
    let sat = rng.range(1.0, 1.25) as f32;
    let mut panel = RgbImage::new(sw, sh);
    for (x, y, p) in panel.enumerate_pixels_mut() {
        let (u, v) = (
            (f64::from(x) - f64::from(margin_x) + 0.5) / density,
            (f64::from(y) - f64::from(margin_y) + 0.5) / density,
        );
        let c = if u < 0.0 || v < 0.0 || u >= pw || v >= ph {
            ui
        } else {
            area_sample(&page.image, u, v, 1.0 / density)
        };
        let mean = (c[0] + c[1] + c[2]) / 3.0;
        let mut out = [0.0f32; 3];
        for (i, o) in out.iter_mut().enumerate() {
            let s = mean + (c[i] - mean) * sat;
            *o = black + s * (255.0 - black) / 255.0 * tint[i];
        }
        *p = to_u8(out);
    }
    // Sub-pixels: 3 object pixels per screen pixel; the lit stripe is boosted so the mean
    // brightness stays near the page's.
    const PITCH: u32 = 3;
    let bezel = rng.int(20, 45) as u32 * PITCH;
    let gain = rng.range(1.6, 2.0) as f32;
    let gap = rng.range(0.3, 0.6) as f32;
    // Light from the lit sub-pixel spreads into its neighbours (diffuser, lens).
    let leak = rng.range(0.2, 0.35) as f32;
    let bezel_grey = rng.int(8, 40) as u8;
    let (ow, oh) = (sw * PITCH + 2 * bezel, sh * PITCH + 2 * bezel);
    let mut object = RgbImage::from_pixel(ow, oh, Rgb([bezel_grey, bezel_grey, bezel_grey + 4]));
    for y in 0..sh * PITCH {
        for x in 0..sw * PITCH {
            let c = panel.get_pixel(x / PITCH, y / PITCH).0;
            let lit = (x % PITCH) as usize;
            let row = if y % PITCH == PITCH - 1 { gap } else { 1.0 };
            let mut out = [0.0f32; 3];
            for (i, o) in out.iter_mut().enumerate() {
                let on = if i == lit { 1.0 } else { leak };
                *o = f32::from(c[i]) * gain * on * row;
            }
            object.put_pixel(x + bezel, y + bezel, to_u8(out));
        }
    }
    let (x0, y0) = (
        f64::from(bezel + margin_x * PITCH),
        f64::from(bezel + margin_y * PITCH),
    );
    let scale = density * f64::from(PITCH);
    let rect = [x0, y0, x0 + pw * scale, y0 + ph * scale];
    let h = Homography::from_rect(
        pw,
        ph,
        [
            (rect[0], rect[1]),
            (rect[2], rect[1]),
            (rect[2], rect[3]),
            (rect[0], rect[3]),
        ],
    )
    .ok_or("degenerate screen placement")?;
    Ok(Object {
        image: object,
        h,
        page_rect: rect,
        params: json!({
            "screen_pixels_per_page_pixel": round3(density),
            "subpixel_pitch": PITCH,
            "panel": [sw, sh],
            "dark_ui": dark_ui,
            "bezel": bezel,
        }),
    })
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Coverage of a halftone dot for darkness `k` at `(x, y)`, on a grid of `cell` pixels at
/// `angle` radians; `sample_at` gives the darkness at the dot's centre.
fn halftone(x: f64, y: f64, cell: f64, angle: f64, darkness: impl Fn(f64, f64) -> f32) -> f32 {
    let (s, c) = angle.sin_cos();
    let (u, v) = ((x * c + y * s) / cell, (-x * s + y * c) / cell);
    let (cu, cv) = (u.round(), v.round());
    // Back to page coordinates for the dot centre.
    let (px, py) = ((cu * c - cv * s) * cell, (cu * s + cv * c) * cell);
    let k = darkness(px, py).clamp(0.0, 1.0);
    let r = (f64::from(k) / std::f64::consts::PI).sqrt() * 1.12;
    let d = ((u - cu).powi(2) + (v - cv).powi(2)).sqrt();
    let dot = ((r - d) * cell + 0.5).clamp(0.0, 1.0) as f32;
    // Printers set text and line art solid (and their screens are finer than a cell can show
    // at this resolution): dark pixels print solid, so that text stays legible.
    let solid = ((darkness(x, y) - 0.5) / 0.2).clamp(0.0, 1.0);
    dot.max(solid)
}

/// A printout or photocopy: the page as halftone dots (colour CMYK or a grey copy) on paper
/// with a white margin.
pub(crate) fn print(page: &Page, rng: &mut Rng) -> Result<Object> {
    let (w, h) = (page.image.width(), page.image.height());
    let grey = rng.chance(0.5);
    let cell = rng.range(3.0, 5.0);
    let margin = rng.int(30, 90) as u32;
    let paper_tone = [
        rng.range(238.0, 250.0) as f32,
        rng.range(238.0, 248.0) as f32,
        rng.range(228.0, 242.0) as f32,
    ];
    let contrast = rng.range(1.1, 1.4) as f32;
    let src = &page.image;
    let lum = |x: f64, y: f64| {
        let [r, g, b] = sample(src, x, y);
        ((0.299 * r + 0.587 * g + 0.114 * b) - 128.0) * contrast + 128.0
    };
    let mut object = RgbImage::from_pixel(w + 2 * margin, h + 2 * margin, to_u8(paper_tone));
    for y in 0..h {
        for x in 0..w {
            let (xf, yf) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            let out = if grey {
                let cov = halftone(xf, yf, cell, 45f64.to_radians(), |a, b| {
                    1.0 - lum(a, b) / 255.0
                });
                paper_tone.map(|p| p * (1.0 - 0.9 * cov))
            } else {
                // CMY from RGB with grey component replacement into K, screened at the
                // traditional angles (C 15, M 75, Y 0, K 45 degrees).
                let cmyk = |a: f64, b: f64| {
                    let [r, g, bl] = sample(src, a, b);
                    let cmy = [1.0 - r / 255.0, 1.0 - g / 255.0, 1.0 - bl / 255.0];
                    let k = cmy.iter().copied().fold(1.0f32, f32::min) * 0.8;
                    [cmy[0] - k, cmy[1] - k, cmy[2] - k, k]
                };
                let angles = [15f64, 75.0, 0.0, 45.0];
                let inks: [[f32; 3]; 4] = [
                    [0.05, 0.65, 0.95],
                    [0.9, 0.1, 0.55],
                    [1.0, 0.95, 0.05],
                    [0.12, 0.12, 0.12],
                ];
                let mut t = [1.0f32; 3];
                for (i, (angle, ink)) in angles.iter().zip(inks).enumerate() {
                    let cov = halftone(xf, yf, cell, angle.to_radians(), |a, b| {
                        cmyk(a, b).get(i).copied().unwrap_or(0.0)
                    });
                    for (tc, ic) in t.iter_mut().zip(ink) {
                        *tc *= 1.0 - cov * (1.0 - ic);
                    }
                }
                [
                    paper_tone[0] * t[0],
                    paper_tone[1] * t[1],
                    paper_tone[2] * t[2],
                ]
            };
            object.put_pixel(x + margin, y + margin, to_u8(out));
        }
    }
    paper(&mut object, rng.next_u64(), rng.range(0.04, 0.09) as f32);
    let m = f64::from(margin);
    let rect = [m, m, m + f64::from(w), m + f64::from(h)];
    let hm = Homography::from_rect(
        f64::from(w),
        f64::from(h),
        [
            (rect[0], rect[1]),
            (rect[2], rect[1]),
            (rect[2], rect[3]),
            (rect[0], rect[3]),
        ],
    )
    .ok_or("degenerate print placement")?;
    Ok(Object {
        image: object,
        h: hm,
        page_rect: rect,
        params: json!({
            "mode": if grey { "grey_copy" } else { "colour_halftone" },
            "halftone_cell": round3(cell),
            "paper_margin": margin,
        }),
    })
}

/// A tampered digital file: one field covered with a flat patch and retyped in another face and
/// size; and a region (that field or the portrait) recompressed at a different JPEG quality, so
/// that the file's compression history is inconsistent.
pub(crate) struct Edit {
    pub(crate) image: RgbImage,
    pub(crate) box_: [i64; 4],
    pub(crate) params: Value,
}

/// A different value of the same shape as `value`.
fn replacement(name: &str, value: &str, rng: &mut Rng) -> String {
    let digit = |rng: &mut Rng| char::from(b'0' + rng.int(0, 9) as u8);
    match name {
        "surname" => [
            "MARTIN",
            "SCHMIDT",
            "NOVÁKOVÁ",
            "GARCÍA",
            "JOHANSSON",
            "ROSSI",
        ]
        .get(rng.index(6))
        .map_or_else(|| "DOE".into(), |s| (*s).to_string()),
        "given_names" => ["ELENA", "MARCO", "SOFIA", "DAVID", "IRÈNE"]
            .get(rng.index(5))
            .map_or_else(|| "ALEX".into(), |s| (*s).to_string()),
        _ => {
            // Dates and numbers: change two of the digits, keep the layout.
            let mut chars: Vec<char> = value.chars().collect();
            let digits: Vec<usize> = chars
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            for _ in 0..2 {
                if let Some(&i) = digits.get(rng.index(digits.len()))
                    && let Some(c) = chars.get_mut(i)
                {
                    let mut d = digit(rng);
                    if d == *c {
                        d = if d == '9' {
                            '1'
                        } else {
                            char::from(d as u8 + 1)
                        };
                    }
                    *c = d;
                }
            }
            let s: String = chars.into_iter().collect();
            if s == value { format!("{value}1") } else { s }
        }
    }
}

pub(crate) fn edit(page: &Page, fonts: &Fonts, rng: &mut Rng) -> Result<Edit> {
    const TARGETS: [&str; 5] = [
        "surname",
        "given_names",
        "birth_date",
        "document_number",
        "expiry_date",
    ];
    let candidates: Vec<_> = page
        .fields
        .iter()
        .filter(|f| TARGETS.contains(&f.name))
        .collect();
    let field = *rng
        .pick(&candidates)
        .ok_or("no editable field on this page")?;
    let new_value = replacement(field.name, &field.value, rng);
    let mut img = page.image.clone();
    let pad = rng.int(2, 6);
    let [x0, y0, x1, y1] = field.rect;
    // The patch must hide the old text even if the new one is shorter.
    let patch = [x0 - pad, y0 - pad / 2, x1 + pad + 6, y1 + pad / 2];
    // The forger matches the local background: the mean of the light pixels under the patch,
    // off by a few levels (and flat, so the security print is gone inside it).
    let mut sum = [0.0f64; 3];
    let mut n = 0.0;
    for y in patch[1].max(0)..patch[3].min(i64::from(img.height())) {
        for x in patch[0].max(0)..patch[2].min(i64::from(img.width())) {
            let p = img.get_pixel(x as u32, y as u32).0;
            if u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) > 3 * 150 {
                for (s, c) in sum.iter_mut().zip(p) {
                    *s += f64::from(c);
                }
                n += 1.0;
            }
        }
    }
    let shift = rng.range(-4.0, 4.0);
    let flat = if n > 0.0 {
        sum.map(|s| px((s / n + shift) as f32))
    } else {
        page.paper
    };
    fill_rect(&mut img, patch[0], patch[1], patch[2], patch[3], flat, 1.0);
    let (face, face_name) = if rng.chance(0.5) {
        (&fonts.sans, "sans_regular")
    } else {
        (&fonts.ocr_b, "ocr_b")
    };
    let px = field.px * rng.range(0.85, 1.12) as f32;
    let style = text::fit(
        Style::new(face, px),
        &new_value,
        (patch[2] - patch[0]) as f32 + 40.0,
    );
    let baseline = y0 as f32 + Style::new(face, field.px).ascent() + rng.range(-2.0, 3.0) as f32;
    let ink = [
        rng.int(0, 60) as u8,
        rng.int(0, 50) as u8,
        rng.int(0, 60) as u8,
    ];
    let drawn = text::draw(
        &mut img,
        &style,
        x0 as f32 + rng.range(-2.0, 3.0) as f32,
        baseline,
        &new_value,
        ink,
    );
    let edit_box = [
        patch[0].min(drawn[0]),
        patch[1].min(drawn[1]),
        patch[2].max(drawn[2]),
        patch[3].max(drawn[3]),
    ];

    // Recompress one region at a low quality and paste it back: in the final file that region
    // carries a second, different quantisation.
    let quality = rng.int(25, 55) as u8;
    let region = match page.portrait {
        Some(r) if rng.chance(0.5) => ("portrait", r),
        _ => ("field", edit_box),
    };
    let low = unjpeg(&jpeg(&img, quality)?)?;
    let [rx0, ry0, rx1, ry1] = region.1;
    for y in ry0.max(0)..ry1.min(i64::from(img.height())) {
        for x in rx0.max(0)..rx1.min(i64::from(img.width())) {
            let p = *low.get_pixel(x as u32, y as u32);
            img.put_pixel(x as u32, y as u32, p);
        }
    }
    Ok(Edit {
        image: img,
        box_: edit_box,
        params: json!({
            "field": field.name,
            "original": field.value,
            "replacement": new_value,
            "font": face_name,
            "recompressed_region": region.0,
            "recompressed_box": region.1,
            "region_quality": quality,
        }),
    })
}
