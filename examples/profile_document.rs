//! Where a document page's time goes, stage by stage, on one intra-op thread: decoding, text
//! detection, the MRZ read, the visual pass (every box), and the recogniser over the page's boxes
//! one at a time against batches of similar widths. Each figure is the median of `--runs`
//! (default 5) repetitions after one warm-up.
//!
//! ```text
//! KYC_MODEL_DIR=~/.cache/kyc/models ORT_DYLIB_PATH=~/.cache/kyc/models/libonnxruntime.so \
//!     cargo run --release --example profile_document -- [--runs N] <image>...
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kyc_core::Scenario;
use kyc_core::analysis::{AnalysisContext, CaptureImage, DocumentAnalyzer, ImageData, ImageKind};
use kyc_core::document::ocr::MrzReader;
use kyc_core::document::ocr::OcrDocumentAnalyzer;
use kyc_core::document::ocr::det::DetOptions;
use kyc_core::document::ocr::geometry::sample_rect;
use kyc_core::document::ocr::rec::{INPUT_HEIGHT, scaled_width};
use kyc_core::image::{ImageLimits, decode};
use kyc_core::scenario::Step;
use kyc_examples::{models_or_skip, read_file};

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5usize;
    let trace = args.iter().any(|a| a == "--trace");
    args.retain(|a| a != "--trace");
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(5)
            .max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    let files: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    if files.is_empty() {
        eprintln!("usage: profile_document [--runs N] <image>...");
        return ExitCode::from(2);
    }
    let (source, runtime) = match models_or_skip(1) {
        Ok(Some(pair)) => pair,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("profile_document: {e}");
            return ExitCode::FAILURE;
        }
    };
    let reader = match MrzReader::load(&runtime, &source, DetOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("profile_document: {e}");
            return ExitCode::FAILURE;
        }
    };
    let today = jiff::civil::date(2026, 12, 1);
    let reader = std::sync::Arc::new(reader);
    let scenario = std::fs::read_to_string("fixtures/scenarios/passport_selfie.json")
        .ok()
        .and_then(|t| Scenario::from_json(&t).ok());
    let step = scenario.as_ref().and_then(|s| {
        s.steps.iter().find_map(|s| match s {
            Step::Document(d) => Some(d.clone()),
            _ => None,
        })
    });
    let analyzer = OcrDocumentAnalyzer::new(reader.clone(), ImageLimits::default());
    let limits = ImageLimits::default();
    for file in files {
        let Ok(bytes) = read_file(&file) else {
            eprintln!("{}: unreadable", file.display());
            continue;
        };
        let data = ImageData::Encoded(bytes);
        let Ok(image) = decode(&data, &limits) else {
            eprintln!("{}: undecodable", file.display());
            continue;
        };
        let t_decode = median_ms(runs, || {
            let _ = decode(&data, &limits);
        });
        let t_detect = median_ms(runs, || {
            let _ = reader.detect(&image);
        });
        let Ok(outcome) = reader.read(&image, today) else {
            eprintln!("{}: read failed", file.display());
            continue;
        };
        let t_read = median_ms(runs, || {
            let _ = reader.read(&image, today);
        });
        let mut t_analyze = 0.0;
        if let (Some(scenario), Some(step)) = (&scenario, &step) {
            let ctx = AnalysisContext {
                scenario,
                session_id: "profile",
                today,
                document_portrait: None,
                document: None,
                deadline: &kyc_core::capture::NO_DEADLINE,
            };
            t_analyze = median_ms(runs, || {
                let images = [CaptureImage::encoded(
                    ImageKind::DocumentFront,
                    match &data {
                        ImageData::Encoded(b) => b.clone(),
                        ImageData::Raw { .. } => Vec::new(),
                    },
                )];
                let _ = analyzer.analyze(step, &images, &ctx);
            });
        }
        let t_quality = median_ms(runs, || {
            let _ = kyc_core::quality::assess(&image);
        });
        let report = kyc_core::quality::assess(&image);
        let original = match &data {
            ImageData::Encoded(b) => Some(b.as_slice()),
            ImageData::Raw { .. } => None,
        };
        let t_forensics = median_ms(runs, || {
            let _ = kyc_core::forensics::assess(
                &image,
                report.outline.as_ref().map(|o| o.bbox),
                original,
            );
        });
        let t_stamp = median_ms(runs, || {
            let _ = kyc_core::document::stamp::find(&image);
        });
        if trace && let Ok(boxes) = reader.detect(&image) {
            match reader.read_boxes(&image, &boxes, today) {
                Ok(first) => match &first.reading {
                    Some(r) => println!(
                        "  first detection: {} boxes, MRZ valid {} ({} of {} digits), lines {:?}",
                        boxes.len(),
                        r.repaired.mrz.valid(),
                        r.repaired.mrz.checks().filter(|c| c.valid()).count(),
                        r.repaired.mrz.checks().count(),
                        r.lines
                            .iter()
                            .map(|l| format!("{} h{:.0}", l.text.text, l.rect.height))
                            .collect::<Vec<_>>()
                    ),
                    None => println!(
                        "  first detection: {} boxes, no MRZ ({:?})",
                        boxes.len(),
                        first.error
                    ),
                },
                Err(e) => println!("  first detection: {e}"),
            }
        }
        if trace && let Some(r) = &outcome.reading {
            let doc = kyc_core::document::ocr::analyzer::document_data(
                &r.repaired.mrz,
                f64::from(r.ocr_confidence()),
            );
            let longer = image.width().max(image.height()) as f32;
            let pitch = r.pitch();
            let mut order = vec![format!(
                "  MRZ line height {:.1}, pitch {pitch:.1} px, at the first detection size {:.1} and {:.1}",
                r.line_height(),
                r.line_height() * 640.0 / longer,
                pitch * 640.0 / longer
            )];
            let _ = reader.read_visual(&image, &outcome, |so_far| {
                let lines: Vec<_> = so_far
                    .iter()
                    .map(kyc_core::document::ocr::visual_line)
                    .collect();
                let c = kyc_core::document::visual::compare(&doc, &lines);
                let last = so_far.last().map_or(String::new(), |l| {
                    format!("{:.0}x{:.0} {:?}", l.rect.width, l.rect.height, l.text.text)
                });
                let matched: Vec<_> = c
                    .iter()
                    .filter(|c| c.matched)
                    .map(|c| c.name.clone())
                    .collect();
                let issue = kyc_core::document::visual::labelled_fields(&lines)
                    .iter()
                    .any(|f| f.name == "issue_date");
                order.push(format!(
                    "  {:2} {last} -> matched {matched:?} issue label {issue} settled {}",
                    so_far.len(),
                    kyc_core::document::ocr::analyzer::visual_enough(Some(&doc), &lines)
                ));
                false
            });
            for o in order {
                println!("{o}");
            }
        }
        let mut visual = 0;
        let t_visual = median_ms(runs, || {
            visual = reader
                .read_visual(&image, &outcome, |_| false)
                .map_or(0, |v| v.lines.len());
        });
        // The recogniser alone over every detected box (upright crops), one by one and in
        // batches of neighbouring widths.
        let mut crops: Vec<_> = outcome
            .boxes
            .iter()
            .take(60)
            .map(|b| {
                let w = scaled_width(b.rect.width.round() as u32, b.rect.height.round() as u32);
                sample_rect(&image, &b.rect, w, INPUT_HEIGHT)
            })
            .collect();
        crops.sort_by_key(|c| c.width());
        let rec = reader.recognizer();
        let t_single = median_ms(runs, || {
            for c in &crops {
                let _ = rec.recognize(std::slice::from_ref(c));
            }
        });
        let mut line = format!(
            "{}: {}x{} whole document stage (passport_selfie.json's checks) {t_analyze:.1} ms; decode {t_decode:.1} ms, quality {t_quality:.1} ms, forensics {t_forensics:.1} ms, stamp {t_stamp:.1} ms, detect {t_detect:.1} ms, MRZ read (detection included) {t_read:.1} ms, visual pass {t_visual:.1} ms ({visual} lines); recogniser over {} boxes (widths {}..{}): one by one {t_single:.1} ms",
            file.display(),
            image.width(),
            image.height(),
            crops.len(),
            crops.first().map_or(0, |c| c.width()),
            crops.last().map_or(0, |c| c.width()),
        );
        for slack in [1.25f32, 1.5, 2.0] {
            for cap in [8usize, 16] {
                let batches = group_by_width(&crops, slack, cap);
                let t = median_ms(runs, || {
                    for b in &batches {
                        let _ = rec.recognize(b);
                    }
                });
                line.push_str(&format!(
                    ", widths within {slack}x in {cap}s ({} runs) {t:.1} ms",
                    batches.len()
                ));
            }
        }
        println!("{line}");
    }
    ExitCode::SUCCESS
}

/// Crops (sorted by width) cut into runs whose widest is at most `slack` times the narrowest, at
/// most `cap` each.
fn group_by_width(crops: &[image::RgbImage], slack: f32, cap: usize) -> Vec<Vec<image::RgbImage>> {
    let mut out: Vec<Vec<image::RgbImage>> = Vec::new();
    for c in crops {
        match out.last_mut() {
            Some(b)
                if b.len() < cap
                    && b.first()
                        .is_some_and(|f| c.width() as f32 <= slack * f.width() as f32) =>
            {
                b.push(c.clone())
            }
            _ => out.push(vec![c.clone()]),
        }
    }
    out
}
