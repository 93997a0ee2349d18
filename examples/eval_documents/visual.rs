//! `--visual`: the visual zone read by OCR and cross-checked with the MRZ, per capture. A capture
//! is one image; in a directory made by `gen_documents` (with `labels.jsonl`), an ID card side is
//! joined by the genuine image of its other side (same variant, else the clean render), since the
//! names are printed on the front and the MRZ on the back.

use std::path::{Path, PathBuf};
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::check::CheckResult;
use kyc_core::document::DocumentData;
use kyc_core::document::ocr::MrzReader;
use kyc_core::document::ocr::analyzer::{apply_visual, document_data, visual_enough};
use kyc_core::document::visual::VisualLine;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::scenario::DocumentType;
use kyc_examples::read_file;

/// One capture to cross-check.
pub struct Capture {
    /// The image judged (its file name names the row).
    pub file: String,
    /// `genuine_clean`, `genuine_photo`, an attack's name, or `-` without labels.
    pub class: String,
    /// The image and, for an ID card side, the other side.
    pub images: Vec<PathBuf>,
}

/// What the visual pass gave for a capture.
pub struct Outcome {
    /// The document data (MRZ fields, visual fields, comparisons), when anything was read.
    pub document: Option<DocumentData>,
    /// `document.visual_mrz_match`.
    pub check: CheckResult,
    /// Lines read outside the MRZ, over the capture's images, with their confidence.
    pub lines: Vec<(String, f64)>,
    /// Milliseconds for the visual pass alone (recognition of the extra lines and matching).
    pub visual_ms: f64,
}

struct Label {
    file: String,
    document: String,
    kind: String,
    side: String,
    attack: String,
    variant: String,
}

fn labels(dir: &Path) -> Vec<Label> {
    let Ok(text) = std::fs::read_to_string(dir.join("labels.jsonl")) else {
        return Vec::new();
    };
    let s = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| Label {
            file: s(&v, "file"),
            document: s(&v, "document"),
            kind: s(&v, "kind"),
            side: s(&v, "side"),
            attack: s(&v, "attack"),
            variant: s(&v, "variant"),
        })
        .collect()
}

/// The captures of `dir`: one per labelled image (with its other side for ID cards), or one per
/// image file when there are no labels.
pub fn captures(dir: &Path, files: &[PathBuf]) -> Vec<Capture> {
    let list = labels(dir);
    if list.is_empty() {
        return files
            .iter()
            .map(|p| Capture {
                file: p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("?")
                    .to_owned(),
                class: "-".to_owned(),
                images: vec![p.clone()],
            })
            .collect();
    }
    list.iter()
        .map(|l| {
            let mut images = vec![dir.join(&l.file)];
            if l.kind == "id_card" {
                let other = |variant: &str| {
                    list.iter().find(|o| {
                        o.document == l.document
                            && o.side != l.side
                            && o.attack == "genuine"
                            && o.variant == variant
                    })
                };
                if let Some(o) = other(&l.variant).or_else(|| other("clean")) {
                    images.push(dir.join(&o.file));
                }
            }
            Capture {
                file: l.file.clone(),
                class: if l.attack == "genuine" {
                    format!("genuine_{}", l.variant)
                } else {
                    l.attack.clone()
                },
                images,
            }
        })
        .collect()
}

/// Reads `capture`'s images (MRZ, then the visual zone) and cross-checks them, as the document
/// analyser does with `visual_mrz_match` on.
pub fn run(
    reader: &MrzReader,
    capture: &Capture,
    today: jiff::civil::Date,
) -> Result<Outcome, String> {
    let limits = ImageLimits::default();
    let mut best: Option<(usize, DocumentData)> = None;
    let mut read = Vec::new();
    for path in &capture.images {
        let bytes = read_file(path)?;
        let img = decode(&ImageData::Encoded(bytes), &limits)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let outcome = reader
            .read(&img, today)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(r) = &outcome.reading {
            let m = &r.repaired.mrz;
            let key = usize::from(m.valid()) * 100 + m.checks().filter(|c| c.valid()).count();
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((key, document_data(m, f64::from(r.ocr_confidence()))));
            }
        }
        read.push((img, outcome));
    }
    let mrz = best.map(|(_, d)| d);
    // As the analyser does: each image read until the lines so far settle the comparison.
    let mut lines: Vec<VisualLine> = Vec::new();
    let mut visual_ms = 0.0;
    let to_line = kyc_core::document::ocr::visual_line;
    for (img, outcome) in &read {
        if visual_enough(mrz.as_ref(), &lines) {
            break;
        }
        let t0 = Instant::now();
        let got = reader
            .read_visual(img, outcome, |so_far| {
                let mut all = lines.clone();
                all.extend(so_far.iter().map(to_line));
                visual_enough(mrz.as_ref(), &all)
            })
            .map_err(|e| e.to_string())?
            .lines;
        visual_ms += t0.elapsed().as_secs_f64() * 1e3;
        lines.extend(got.iter().map(to_line));
    }
    let t0 = Instant::now();
    let mut checks = Vec::new();
    let document = apply_visual(mrz, &lines, &mut checks);
    visual_ms += t0.elapsed().as_secs_f64() * 1e3;
    let check = checks
        .pop()
        .ok_or_else(|| "the cross-check gave no evidence".to_owned())?;
    Ok(Outcome {
        document,
        check,
        lines: lines.into_iter().map(|l| (l.text, l.confidence)).collect(),
        visual_ms,
    })
}

/// One line for people: outcome, score, the type and the fields not found with what the page
/// printed near them.
pub fn describe(o: &Outcome) -> String {
    let kind = o
        .document
        .as_ref()
        .and_then(|d| d.document_type.map(|t| (t, d.type_confidence)))
        .map_or("-".to_owned(), |(t, c)| format!("{}:{c:.2}", type_name(t)));
    format!(
        "{:<44} score {} type {kind} lines {}: {}",
        o.check.reason_code,
        o.check.score.map_or("-".to_owned(), |s| format!("{s:.2}")),
        o.lines.len(),
        o.check.message
    )
}

fn type_name(t: DocumentType) -> &'static str {
    match t {
        DocumentType::Passport => "passport",
        DocumentType::IdCard => "id_card",
        DocumentType::DrivingLicence => "driving_licence",
        DocumentType::Visa => "visa",
        DocumentType::ResidencePermit => "residence_permit",
        DocumentType::RussianInternalPassport => "ru_internal",
    }
}
