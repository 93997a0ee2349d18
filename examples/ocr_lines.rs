//! Every text line the OCR reads on each image, with its box, and the MRZ's fields: what the
//! independent attack simulator (`scripts/attacks/simulate.py`) needs to know where a page prints
//! a field, so it can overwrite it. One JSON object per image on standard output.
//!
//! ```text
//! KYC_MODEL_DIR=~/.cache/kyc/models ORT_DYLIB_PATH=~/.cache/kyc/models/libonnxruntime.so \
//!     cargo run --release --example ocr_lines -- <image>... > lines.jsonl
//! ```
//!
//! Each line: `file`, `rotation` (the quarter turns undone to read the MRZ), `mrz` (the fields as
//! the MRZ gives them, when one was read, with `valid`), `portrait` (the largest face's box,
//! `[x, y, width, height]`, when one was found), and `lines`: `text`, `confidence` and the line's
//! rotated box in image pixels (`center`, `u` the unit vector along the text, `width`, `height`).

use std::path::PathBuf;
use std::process::ExitCode;

use kyc_core::analysis::ImageData;
use kyc_core::document::ocr::MrzReader;
use kyc_core::document::ocr::det::DetOptions;
use kyc_core::image::{ImageLimits, decode};
use kyc_examples::{models_or_skip, read_file};
use serde_json::json;

fn main() -> ExitCode {
    let files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if files.is_empty() {
        eprintln!("usage: ocr_lines <image>...");
        return ExitCode::from(2);
    }
    let (source, runtime) = match models_or_skip(1) {
        Ok(Some(pair)) => pair,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ocr_lines: {e}");
            return ExitCode::FAILURE;
        }
    };
    let faces = match kyc_core::face::pipeline::FacePipeline::load(
        &runtime,
        &source,
        kyc_core::face::detect::DetectOptions::default(),
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("ocr_lines: {e}");
            return ExitCode::FAILURE;
        }
    };
    let reader = match MrzReader::load(&runtime, &source, DetOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ocr_lines: {e}");
            return ExitCode::FAILURE;
        }
    };
    let today = jiff::civil::date(2026, 11, 28);
    for file in files {
        let read = read_file(&file).and_then(|bytes| {
            decode(&ImageData::Encoded(bytes), &ImageLimits::default()).map_err(|e| e.to_string())
        });
        let image = match read {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                continue;
            }
        };
        let outcome = match reader.read(&image, today) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                continue;
            }
        };
        let lines = match reader.read_visual(&image, &outcome, |_| false) {
            Ok(v) => v.lines,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                continue;
            }
        };
        let mrz = outcome.reading.as_ref().map(|r| {
            let m = &r.repaired.mrz;
            let f = m.fields();
            json!({
                "valid": m.valid(),
                "surname": f.surname,
                "given_names": f.given_names,
                "document_number": f.document_number,
                "birth_date": f.birth_date.map(|d| d.to_string()),
                "expiry_date": f.expiry_date.map(|d| d.to_string()),
                "lines": r.lines.iter().map(|l| json!({
                    "center": l.rect.center, "u": l.rect.u,
                    "width": l.rect.width, "height": l.rect.height,
                })).collect::<Vec<_>>(),
            })
        });
        let portrait = faces
            .detect(&image)
            .ok()
            .and_then(|found| kyc_core::face::detect::largest(&found).cloned())
            .map(|f| [f.bbox.x, f.bbox.y, f.bbox.width, f.bbox.height]);
        let out = json!({
            "portrait": portrait,
            "file": file.display().to_string(),
            "width": image.width(),
            "height": image.height(),
            "rotation": outcome.reading.as_ref().map(|r| r.rotation),
            "mrz": mrz,
            "lines": lines.iter().map(|l| json!({
                "text": l.text.text,
                "confidence": l.text.mean_confidence(),
                "center": l.rect.center, "u": l.rect.u,
                "width": l.rect.width, "height": l.rect.height,
            })).collect::<Vec<_>>(),
        });
        println!("{out}");
    }
    ExitCode::SUCCESS
}
