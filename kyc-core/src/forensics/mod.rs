//! Anti-fraud signals from pixels and file bytes, in plain Rust (no model, builds for WebAssembly):
//! screen recapture ([`recapture`]), printouts and photocopies ([`print`]), and editing
//! (editing software named in [`metadata`], a region carrying an earlier, coarser JPEG
//! [`compression`] than the rest).
//!
//! The signal functions take any region (`&RgbImage` at its native resolution, or the file's
//! bytes) so that the face checks can run the screen and print signals on a face crop:
//! [`screen_signal`], [`print_signal`], [`compression_signal`], [`editing_software`]. [`assess`]
//! and [`checks`] put them together for a document photo, with thresholds calibrated on the
//! document generator's attacks; those constants, with their calibration, live in the check
//! catalogue ([`crate::check::catalogue::document`]) and are re-exported here. A face crop needs
//! its own calibration ([`crate::check::catalogue::liveness`]).

pub mod compression;
pub mod metadata;
pub mod print;
pub mod provenance;
pub mod recapture;
pub mod spectrum;

pub use compression::{CompressionSignal, compression_signal};
pub use metadata::editing_software;
pub use print::{PrintSignal, print_signal};
pub use provenance::{SyntheticMark, synthetic_mark};
pub use recapture::{ScreenSignal, screen_signal, stored_screen_signal};
pub use spectrum::Peaks;

use image::RgbImage;

use crate::check::CheckResult;
pub use crate::check::catalogue::document::{
    MAX_GHOST_WINDOWS, MAX_HALFTONE_PEAKS, MAX_SCREEN_PEAKS, MIN_COLOURFULNESS,
};
use crate::check::catalogue::{CheckSpec, document as catalogue};

/// What [`assess`] measured.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ForensicReport {
    /// Screen recapture signal over the document region.
    pub screen: ScreenSignal,
    /// Print signal over the document region.
    pub print: PrintSignal,
    /// JPEG ghosts over the document region.
    pub compression: CompressionSignal,
    /// An editor named in the file's metadata, with the field naming it.
    pub editor: Option<(&'static str, &'static str)>,
    /// A generative model's label in the file's metadata (a generated document image).
    pub synthetic: Option<SyntheticMark>,
    /// True when the original bytes were given (so the metadata was looked at).
    pub metadata_read: bool,
}

/// Measures a document photo. `region` is the document's bounding box `[x0, y0, x1, y1]` in
/// pixels (from [`crate::quality::Outline::bbox`]), `None` for the whole image; `original` is the
/// file as received, when there was one (a raw camera frame has no metadata).
pub fn assess(
    image: &RgbImage,
    region: Option<[f64; 4]>,
    original: Option<&[u8]>,
) -> ForensicReport {
    let (w, h) = (image.width(), image.height());
    let [x0, y0, x1, y1] = region
        .unwrap_or([0.0, 0.0, f64::from(w), f64::from(h)])
        .map(|v| v.max(0.0).round() as u32);
    // A tenth in from each side: the page's own edges and the background stay out.
    let (bw, bh) = (x1.min(w).saturating_sub(x0), y1.min(h).saturating_sub(y0));
    let (mx, my) = (bw / 10, bh / 10);
    let inner =
        image::imageops::crop_imm(image, x0 + mx, y0 + my, bw - 2 * mx, bh - 2 * my).to_image();
    // The whole region, edges included: a pasted field can sit near the page's edge, and the
    // ghost search keeps the JPEG grid whatever the crop.
    let page = image::imageops::crop_imm(image, x0, y0, bw, bh);
    ForensicReport {
        screen: stored_screen_signal(&inner, original),
        print: print_signal(&inner),
        compression: compression_signal(&*page),
        editor: original.and_then(editing_software),
        synthetic: original.and_then(synthetic_mark),
        metadata_read: original.is_some(),
    }
}

/// `row` (`document.editing.metadata`, `selfie.not_modified.metadata`): whether the file's
/// metadata names editing software (`editor`, from [`editing_software`]); unavailable under the
/// row's `no_file` code when there was no file to read (`metadata_read` false: a raw frame). A
/// named editor fails under the row's `editor_in_metadata` code and is a fraud signal.
pub fn metadata_check(
    row: &CheckSpec,
    metadata_read: bool,
    editor: Option<(&str, &str)>,
) -> CheckResult {
    match (metadata_read, editor) {
        (false, _) => row.not_made("a raw frame has no file metadata to read"),
        (true, Some((editor, field))) => {
            row.rule(false, format!("the file's {field} names {editor}"))
        }
        (true, None) => row.rule(true, "no editing software is named in the file's metadata"),
    }
}

/// `document.screen_photo`, `document.printout` (`.colour`, `.halftone`),
/// `document.editing.compression`, and `document.editing.metadata` and `.synthetic` (a
/// generative model's label); which of them are fraud signals their rows say.
pub fn checks(report: &ForensicReport) -> Vec<CheckResult> {
    let mut out = vec![
        catalogue::SCREEN_PHOTO.scored(
            report.screen.document_score(),
            "strongest periodic peak over the document (screen pixel grid or moire)",
        ),
        catalogue::PRINTOUT_COLOUR.scored(
            report.print.colourfulness,
            "95th percentile of colour saturation over the document",
        ),
        catalogue::PRINTOUT_HALFTONE.scored(
            report.print.halftone.high,
            "strongest fine periodic peak of the luminance (halftone screen)",
        ),
    ];
    let c = &report.compression;
    let own = c.file_quality.map_or_else(String::new, |q| {
        format!("; the file itself is stored at about {q}")
    });
    let message = match c.region {
        Some([x0, y0, x1, y1]) if c.ghost_windows > 0 => format!(
            "largest group of 16 px windows keeping the JPEG ghost of quality {}: {} windows at \
             [{x0}, {y0}, {x1}, {y1}] of the document, of {} textured windows{own}",
            c.quality, c.ghost_windows, c.informative_windows
        ),
        _ => format!("no window keeps the JPEG ghost of a coarser quality{own}"),
    };
    out.push(catalogue::EDITING_COMPRESSION.scored(c.ghost_windows as f64, message));
    out.push(metadata_check(
        &catalogue::EDITING_METADATA,
        report.metadata_read,
        report.editor,
    ));
    // Document images made by generators (sold online as "AI-made IDs") may keep the label.
    out.push(provenance::synthetic_media_check(
        &catalogue::EDITING_SYNTHETIC,
        report.metadata_read,
        report.synthetic,
    ));
    out
}
