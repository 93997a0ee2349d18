//! Where everything goes on a page: the TD3 passport data page (125 x 88 mm) and the TD1 card's
//! front and back (85.6 x 54 mm), at 10 pixels per millimetre (254 dpi, close to the 300 dpi of
//! a flatbed scan). Positions follow the zones of ICAO Doc 9303: header, portrait on the left,
//! labelled fields, MRZ at the bottom.

use image::RgbImage;
use kyc_core::document::mrz::MrzFormat;

use crate::Result;
use crate::data::{Identity, Kind, visual_date};
use crate::portrait::{self, PortraitVariation};
use crate::raster::{Color, blend, draw_mask_rotated, fill_rect, stroke_rect};
use crate::rng::Rng;
use crate::text::{self, Fonts, Style};
use crate::texture::{guilloche, hsv};

/// Passport data page size in pixels.
pub(crate) const PASSPORT: (u32, u32) = (1250, 880);
/// ID card size in pixels.
pub(crate) const CARD: (u32, u32) = (856, 540);

/// Which face of the document a page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Side {
    DataPage,
    Front,
    Back,
}

impl Side {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::DataPage => "data_page",
            Self::Front => "front",
            Self::Back => "back",
        }
    }
}

/// A printed value and the box its text covers, `[x0, y0, x1, y1]`.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) value: String,
    pub(crate) rect: [i64; 4],
    /// Text size, so that an edit can imitate (badly) the original.
    pub(crate) px: f32,
}

/// One rendered face of a document.
pub(crate) struct Page {
    pub(crate) side: Side,
    pub(crate) image: RgbImage,
    pub(crate) portrait: Option<[i64; 4]>,
    pub(crate) mrz: Option<[i64; 4]>,
    pub(crate) fields: Vec<Field>,
    /// Pale colour of the background, for pasted patches.
    pub(crate) paper: Color,
}

/// Shared drawing state for one page.
struct Painter<'a> {
    img: RgbImage,
    fonts: &'a Fonts,
    label_color: Color,
    value_color: Color,
    label_px: f32,
    value_px: f32,
    fields: Vec<Field>,
}

impl Painter<'_> {
    /// A label in small type with the value under it; records the value's box.
    fn field(&mut self, name: &'static str, label: &str, value: &str, x: f32, y: f32, max_w: f32) {
        let ls = text::fit(Style::new(&self.fonts.sans, self.label_px), label, max_w);
        text::draw(&mut self.img, &ls, x, y, label, self.label_color);
        let vs = text::fit(Style::new(&self.fonts.bold, self.value_px), value, max_w);
        let baseline = y + self.value_px * 1.15;
        let rect = text::draw(&mut self.img, &vs, x, baseline, value, self.value_color);
        self.fields.push(Field {
            name,
            value: value.to_string(),
            rect,
            px: vs.px,
        });
    }

    fn text(&mut self, style: &Style<'_>, x: f32, y: f32, s: &str, c: Color) -> [i64; 4] {
        text::draw(&mut self.img, style, x, y, s, c)
    }
}

/// The holder's signature, or (`signed` false, for the `unsigned` attack) the same stroke drawn
/// where nobody sees it, so that the rest of the page takes the same random numbers.
#[allow(clippy::too_many_arguments)]
fn sign(img: &mut RgbImage, signed: bool, x: f64, y: f64, len: f64, rng: &mut Rng, c: Color) {
    if signed {
        signature(img, x, y, len, rng, c);
    } else {
        signature(&mut img.clone(), x, y, len, rng, c);
    }
}

/// A pen signature: a wandering stroke of overlapping soft dots.
fn signature(img: &mut RgbImage, x: f64, y: f64, len: f64, rng: &mut Rng, c: Color) {
    let (f1, f2, f3) = (
        rng.range(0.05, 0.12),
        rng.range(0.15, 0.3),
        rng.range(0.02, 0.05),
    );
    let (a1, a2) = (rng.range(8.0, 18.0), rng.range(4.0, 9.0));
    let n = (len * 3.0) as i64;
    for i in 0..n {
        let t = i as f64 / 3.0;
        let px = x + t + 6.0 * (t * f2).sin();
        let py = y + a1 * (t * f1).sin() + a2 * (t * f2 + 1.0).cos() - 10.0 * (t * f3).sin();
        for (ox, oy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            blend(img, px as i64 + ox, py as i64 + oy, c, 0.6);
        }
    }
}

/// The MRZ, each line at a fixed character pitch in OCR-B, in the clear zone at the page bottom.
fn mrz(
    p: &mut Painter<'_>,
    lines: &[String],
    left: f32,
    first_baseline: f32,
    pitch: f32,
    line_gap: f32,
) -> [i64; 4] {
    // OCR-B's advance is 0.6 em: the size that makes that advance the pitch, shrunk a little so
    // the glyphs sit within the ICAO 2.0-2.5 mm character height.
    let em_advance = Style::new(&p.fonts.ocr_b, 100.0).advance('<') / 100.0;
    let px = pitch / em_advance * 0.92;
    let style = Style {
        tracking: pitch - Style::new(&p.fonts.ocr_b, px).advance('<'),
        ..Style::new(&p.fonts.ocr_b, px)
    };
    let mut r = [i64::MAX, i64::MAX, i64::MIN, i64::MIN];
    for (i, line) in lines.iter().enumerate() {
        let b = p.text(
            &style,
            left,
            first_baseline + i as f32 * line_gap,
            line,
            [18, 18, 22],
        );
        r = [
            r[0].min(b[0]),
            r[1].min(b[1]),
            r[2].max(b[2]),
            r[3].max(b[3]),
        ];
    }
    r
}

fn sex_text(sex: char) -> String {
    match sex {
        'F' => "F".into(),
        'M' => "M".into(),
        _ => "X".into(),
    }
}

/// The big diagonal `SPECIMEN` overprint.
fn specimen(p: &mut Painter<'_>, at: (f64, f64), px: f32) {
    let m = text::mask(&Style::new(&p.fonts.bold, px), "SPECIMEN");
    draw_mask_rotated(&mut p.img, &m, at, -0.28, [200, 40, 50], 0.22);
}

fn painter<'a>(
    fonts: &'a Fonts,
    img: RgbImage,
    hue: f64,
    label_px: f32,
    value_px: f32,
) -> Painter<'a> {
    Painter {
        img,
        fonts,
        label_color: hsv(hue, 0.5, 0.38),
        value_color: [22, 22, 30],
        label_px,
        value_px,
        fields: Vec::new(),
    }
}

fn portrait_into(
    img: &mut RgbImage,
    face: &RgbImage,
    v: &PortraitVariation,
    r: [i64; 4],
    grey: bool,
    opacity: f32,
) {
    let (w, h) = ((r[2] - r[0]) as u32, (r[3] - r[1]) as u32);
    let pic = portrait::render(face, v, w, h, grey);
    for (x, y, px) in pic.enumerate_pixels() {
        blend(img, r[0] + i64::from(x), r[1] + i64::from(y), px.0, opacity);
    }
}

/// Renders the TD3 passport data page.
pub(crate) fn passport(
    id: &Identity,
    face: &RgbImage,
    v: &PortraitVariation,
    fonts: &Fonts,
    rng: &mut Rng,
    signed: bool,
) -> Result<Page> {
    let (w, h) = PASSPORT;
    let state = id.state();
    let bg = guilloche(w, h, state.hue, rng);
    let paper = bg.get_pixel(w / 2, 20).0;
    let mut p = painter(fonts, bg, state.hue, 15.0, 27.0);
    let head = hsv(state.hue, 0.6, 0.35);
    let title = Style::new(&fonts.bold, 30.0);
    p.text(&title, 60.0, 48.0, state.name, head);
    let sub = format!("{} / PASSPORT", state.passport_title);
    p.text(&Style::new(&fonts.sans, 24.0), 60.0, 84.0, &sub, head);
    fill_rect(&mut p.img, 60, 100, w as i64 - 60, 103, head, 0.6);

    let portrait_box = [60, 140, 410, 590];
    portrait_into(&mut p.img, face, v, portrait_box, false, 1.0);
    stroke_rect(&mut p.img, portrait_box, 2, head, 0.5);

    let (c1, c2, c3) = (450.0, 640.0, 880.0);
    let row = |i: usize| 140.0 + 65.0 * i as f32;
    p.field(
        "document_code",
        "Type / Type",
        &id.document_code,
        c1,
        row(0),
        170.0,
    );
    p.field(
        "issuing_state",
        "Code / Code",
        &id.issuing_state,
        c2,
        row(0),
        220.0,
    );
    p.field(
        "document_number",
        "Passport No. / N° du passeport",
        &id.document_number,
        c3,
        row(0),
        320.0,
    );
    p.field("surname", "Surname / Nom", &id.surname, c1, row(1), 740.0);
    p.field(
        "given_names",
        "Given names / Prénoms",
        &id.given_names,
        c1,
        row(2),
        740.0,
    );
    p.field(
        "nationality",
        "Nationality / Nationalité",
        &id.nationality,
        c1,
        row(3),
        400.0,
    );
    let birth = visual_date(id.birth_date, Kind::Passport);
    p.field(
        "birth_date",
        "Date of birth / Date de naissance",
        &birth,
        c1,
        row(4),
        400.0,
    );
    if !id.optional_data.is_empty() {
        p.field(
            "personal_number",
            "Personal No. / N° personnel",
            &id.optional_data,
            c3,
            row(4),
            320.0,
        );
    }
    p.field("sex", "Sex / Sexe", &sex_text(id.sex), c1, row(5), 170.0);
    p.field(
        "place_of_birth",
        "Place of birth / Lieu de naissance",
        &id.place_of_birth,
        c2,
        row(5),
        560.0,
    );
    let issue = visual_date(id.issue_date, Kind::Passport);
    p.field(
        "issue_date",
        "Date of issue / Date de délivrance",
        &issue,
        c1,
        row(6),
        400.0,
    );
    p.field(
        "authority",
        "Authority / Autorité",
        &id.authority,
        c3,
        row(6),
        330.0,
    );
    let expiry = visual_date(id.expiry_date, Kind::Passport);
    p.field(
        "expiry_date",
        "Date of expiry / Date d'expiration",
        &expiry,
        c1,
        row(7),
        400.0,
    );
    let ls = Style::new(&fonts.sans, 15.0);
    p.text(
        &ls,
        c3,
        row(7),
        "Holder's signature / Signature",
        p.label_color,
    );
    sign(
        &mut p.img,
        signed,
        f64::from(c3) + 10.0,
        f64::from(row(7)) + 35.0,
        220.0,
        rng,
        [30, 30, 90],
    );

    specimen(&mut p, (700.0, 360.0), 130.0);
    // The MRZ's clear zone is printed without the background pattern (Doc 9303 Part 3).
    fill_rect(
        &mut p.img,
        0,
        650,
        w as i64,
        h as i64,
        [250, 250, 247],
        0.85,
    );
    let mrz_box = mrz(&mut p, &id.mrz, 58.0, 745.0, 25.4, 78.0);
    Ok(Page {
        side: Side::DataPage,
        image: p.img,
        portrait: Some(portrait_box),
        mrz: Some(mrz_box),
        fields: p.fields,
        paper,
    })
}

/// Renders the card's front: portrait, names, birth, document number, expiry.
pub(crate) fn card_front(
    id: &Identity,
    face: &RgbImage,
    v: &PortraitVariation,
    fonts: &Fonts,
    rng: &mut Rng,
    signed: bool,
) -> Result<Page> {
    let (w, _) = CARD;
    let state = id.state();
    let bg = guilloche(CARD.0, CARD.1, state.hue, rng);
    let paper = bg.get_pixel(w / 2, 20).0;
    let mut p = painter(fonts, bg, state.hue, 13.0, 22.0);
    let head = hsv(state.hue, 0.6, 0.35);
    let title = text::fit(Style::new(&fonts.bold, 24.0), state.name, 780.0);
    p.text(&title, 35.0, 38.0, state.name, head);
    let sub = format!("{} / IDENTITY CARD", state.id_title);
    let sub_style = text::fit(Style::new(&fonts.sans, 18.0), &sub, 780.0);
    p.text(&sub_style, 35.0, 66.0, &sub, head);

    let portrait_box = [35, 95, 255, 377];
    portrait_into(&mut p.img, face, v, portrait_box, false, 1.0);
    stroke_rect(&mut p.img, portrait_box, 2, head, 0.4);
    portrait_into(&mut p.img, face, v, [715, 385, 805, 500], true, 0.3);

    let (c1, c2, c3) = (285.0, 520.0, 640.0);
    let row = |i: usize| 100.0 + 56.0 * i as f32;
    p.field("surname", "Surname / Nom", &id.surname, c1, row(0), 540.0);
    p.field(
        "given_names",
        "Given names / Prénoms",
        &id.given_names,
        c1,
        row(1),
        540.0,
    );
    let birth = visual_date(id.birth_date, Kind::IdCard);
    p.field("birth_date", "Date of birth", &birth, c1, row(2), 220.0);
    p.field("sex", "Sex", &sex_text(id.sex), c2, row(2), 100.0);
    p.field(
        "nationality",
        "Nationality",
        &id.nationality,
        c3,
        row(2),
        180.0,
    );
    p.field(
        "place_of_birth",
        "Place of birth",
        &id.place_of_birth,
        c1,
        row(3),
        540.0,
    );
    p.field(
        "document_number",
        "Document No.",
        &id.document_number,
        c1,
        row(4),
        220.0,
    );
    let expiry = visual_date(id.expiry_date, Kind::IdCard);
    p.field("expiry_date", "Date of expiry", &expiry, c2, row(4), 250.0);
    let ls = Style::new(&fonts.sans, 13.0);
    p.text(&ls, 35.0, 400.0, "Signature", p.label_color);
    sign(&mut p.img, signed, 45.0, 450.0, 190.0, rng, [30, 30, 90]);
    specimen(&mut p, (470.0, 300.0), 90.0);
    Ok(Page {
        side: Side::Front,
        image: p.img,
        portrait: Some(portrait_box),
        mrz: None,
        fields: p.fields,
        paper,
    })
}

/// Renders the card's back: issue data and the three-line TD1 MRZ.
pub(crate) fn card_back(id: &Identity, fonts: &Fonts, rng: &mut Rng) -> Result<Page> {
    let (w, h) = CARD;
    let state = id.state();
    let bg = guilloche(w, h, state.hue + 25.0, rng);
    let paper = bg.get_pixel(w / 2, 20).0;
    let mut p = painter(fonts, bg, state.hue, 13.0, 22.0);
    let row = |i: usize| 45.0 + 56.0 * i as f32;
    let issue = visual_date(id.issue_date, Kind::IdCard);
    p.field("issue_date", "Date of issue", &issue, 35.0, row(0), 250.0);
    p.field(
        "authority",
        "Authority",
        &id.authority,
        320.0,
        row(0),
        500.0,
    );
    if !id.optional_data.is_empty() {
        p.field(
            "optional_data",
            "Optional data",
            &id.optional_data,
            35.0,
            row(1),
            250.0,
        );
    }
    specimen(&mut p, (430.0, 200.0), 80.0);
    fill_rect(
        &mut p.img,
        0,
        345,
        w as i64,
        h as i64,
        [250, 250, 247],
        0.85,
    );
    debug_assert_eq!(id.mrz_format, MrzFormat::Td1);
    let mrz_box = mrz(&mut p, &id.mrz, 47.0, 410.0, 25.4, 50.0);
    Ok(Page {
        side: Side::Back,
        image: p.img,
        portrait: None,
        mrz: Some(mrz_box),
        fields: p.fields,
        paper,
    })
}
