//! One JSON line per image: what is in it and where, so that evaluation needs nothing else.
//! Structs rather than maps keep the key order, and so the bytes, stable.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::data::{Identity, Kind};
use crate::layout::{Page, Side};
use crate::raster::Pt;

/// A quadrilateral in image pixels: top-left, top-right, bottom-right, bottom-left of the
/// object as printed (so after a 180-degree turn the first point is at the image's bottom right).
pub(crate) type Quad = [[f64; 2]; 4];

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Maps a page rectangle `[x0, y0, x1, y1]` to an image quad.
pub(crate) fn quad(map: &dyn Fn(Pt) -> Pt, r: [f64; 4]) -> Quad {
    [(r[0], r[1]), (r[2], r[1]), (r[2], r[3]), (r[0], r[3])].map(|p| {
        let (x, y) = map(p);
        [round2(x), round2(y)]
    })
}

/// An integer page box as floats.
pub(crate) fn rectf(r: [i64; 4]) -> [f64; 4] {
    r.map(|v| v as f64)
}

/// A printed field and where it landed.
#[derive(Serialize)]
pub(crate) struct VisualField {
    pub(crate) name: &'static str,
    pub(crate) value: String,
    pub(crate) quad: Quad,
}

/// A line of `labels.jsonl`.
#[derive(Serialize)]
pub(crate) struct Label {
    pub(crate) file: String,
    /// Document number within the run, `0000`...
    pub(crate) document: String,
    pub(crate) kind: Kind,
    pub(crate) side: Side,
    /// `genuine` or the attack's name.
    pub(crate) attack: String,
    /// `clean` (the flat render), `photo` (camera capture) or `digital` (an edited file).
    pub(crate) variant: &'static str,
    /// Clockwise quarter turn applied to the photo, in degrees.
    pub(crate) rotation: u16,
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// The MRZ printed on this document (whichever side shows it).
    pub(crate) mrz: Vec<String>,
    /// Whether this image's side carries the MRZ.
    pub(crate) mrz_visible: bool,
    /// Ground-truth values (the genuine ones, also for edits).
    pub(crate) fields: Identity,
    /// The document's outline in the image; points may lie outside the frame (crop attack).
    pub(crate) quad: Quad,
    pub(crate) portrait_quad: Option<Quad>,
    pub(crate) mrz_quad: Option<Quad>,
    pub(crate) visual_fields: Vec<VisualField>,
    /// The table, for photos.
    pub(crate) background: Option<&'static str>,
    /// What the attack drew (its kind-specific parameters), `null` for genuine images.
    pub(crate) attack_params: Value,
    /// The run's seed and this document's derived seed.
    pub(crate) seed: u64,
    pub(crate) document_seed: u64,
    /// The reference date the data was made valid for.
    pub(crate) today: Date,
}

/// Where a page's parts went, through the map from page to image.
pub(crate) struct Placement {
    pub(crate) quad: Quad,
    pub(crate) portrait: Option<Quad>,
    pub(crate) mrz: Option<Quad>,
    pub(crate) fields: Vec<VisualField>,
}

/// Maps everything a label locates.
pub(crate) fn place(page: &Page, map: &dyn Fn(Pt) -> Pt) -> Placement {
    let (w, h) = (
        f64::from(page.image.width()),
        f64::from(page.image.height()),
    );
    Placement {
        quad: quad(map, [0.0, 0.0, w, h]),
        portrait: page.portrait.map(|r| quad(map, rectf(r))),
        mrz: page.mrz.map(|r| quad(map, rectf(r))),
        fields: page
            .fields
            .iter()
            .map(|f| VisualField {
                name: f.name,
                value: f.value.clone(),
                quad: quad(map, rectf(f.rect)),
            })
            .collect(),
    }
}
