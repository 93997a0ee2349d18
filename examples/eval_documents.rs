//! MRZ reading from document images, measured: for every image in `../shared/data/documents/
//! passporteye/` (the number before `_` is PassportEye's score, 100 = every check digit valid) and
//! in `fixtures/documents/`, whether a fully valid MRZ was read, the main fields, the time, and the
//! totals beside PassportEye's.
//!
//! ```text
//! KYC_MODEL_DIR=~/.cache/kyc/models ORT_DYLIB_PATH=~/.cache/kyc/models/libonnxruntime.so \
//!     cargo run --release --example eval_documents [-- --threads 1] [--max-side 960] [dir...]
//! ```
//!
//! With `--checks` it runs the quality and anti-fraud checks instead (no model needed) over
//! directories made by `gen_documents` (their `labels.jsonl` name each image's attack), and
//! prints the APCER per attack and the BPCER per check; `--features <file.tsv>` also writes each
//! image's measurements, for calibrating thresholds:
//!
//! ```text
//! cargo run --release --example gen_documents -- --seed 2 --count 40 --out /tmp/docs --clean-format jpg
//! cargo run --release --example eval_documents -- --checks /tmp/docs
//! ```
//!
//! `--visual` (models needed) reads the visual zone of each capture and cross-checks it with the
//! MRZ (`document.visual_mrz_match`), printing per image the outcome, the fields not found and the
//! type the printed title names, and the totals per directory; with `--checks` too, the
//! cross-check joins the pixel checks, so the `edit` attack's APCER is also given by it.
//!
//! `--fields` (models needed) reads every genuine image of a `gen_documents` directory on its own
//! and compares the fields it yields (from the MRZ, or from the visual zone by their labels) with
//! the generator's, per side and variant: right, missed, wrong.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use kyc_core::analysis::ImageData;
use kyc_core::document::ocr::MrzReader;
use kyc_core::document::ocr::det::DetOptions;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_examples::read_file;

#[path = "eval_documents/checks.rs"]
mod checks;
#[path = "eval_documents/fields.rs"]
mod fields;
#[path = "eval_documents/visual.rs"]
mod visual;

const DEFAULT_DIRS: [&str; 2] = ["../shared/data/documents/passporteye", "fixtures/documents"];

struct Args {
    threads: usize,
    max_side: u32,
    dirs: Vec<PathBuf>,
    verbose: bool,
    checks: bool,
    visual: bool,
    fields: bool,
    features: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        threads: 1,
        max_side: DetOptions::default().max_side,
        dirs: Vec::new(),
        verbose: false,
        checks: false,
        visual: false,
        fields: false,
        features: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--threads" => {
                args.threads = value()?.parse().map_err(|e| format!("--threads: {e}"))?
            }
            "--max-side" => {
                args.max_side = value()?.parse().map_err(|e| format!("--max-side: {e}"))?
            }
            "--verbose" => args.verbose = true,
            "--checks" => args.checks = true,
            "--visual" => args.visual = true,
            "--fields" => args.fields = true,
            "--features" => args.features = Some(PathBuf::from(value()?)),
            other => args.dirs.push(PathBuf::from(other)),
        }
    }
    if args.dirs.is_empty() && args.checks {
        args.dirs = vec![PathBuf::from("fixtures/documents")];
    }
    if args.dirs.is_empty() {
        args.dirs = DEFAULT_DIRS.iter().map(PathBuf::from).collect();
    }
    Ok(args)
}

fn images_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png"))
        })
        .collect();
    files.sort();
    files
}

/// PassportEye's score from a file name like `100_pass-chn.jpg`.
fn passporteye_score(path: &Path) -> Option<u32> {
    let dir = path.parent()?.file_name()?.to_str()?;
    if dir != "passporteye" {
        return None;
    }
    path.file_name()?.to_str()?.split('_').next()?.parse().ok()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if args.checks && !args.visual {
        return match checks::run(&args.dirs, args.features.as_deref(), args.verbose, None) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let source = match ModelSource::from_env() {
        Ok(s) => s,
        Err(e) => {
            println!("skipped: {e}");
            return ExitCode::SUCCESS;
        }
    };
    let options = RuntimeOptions {
        intra_threads: args.threads,
        ..RuntimeOptions::default()
    };
    let reader = match Runtime::new(options, &source).and_then(|rt| {
        MrzReader::load(
            &rt,
            &source,
            DetOptions {
                max_side: args.max_side,
                ..DetOptions::default()
            },
        )
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("models: {e}");
            return ExitCode::from(2);
        }
    };
    if args.checks {
        return match checks::run(
            &args.dirs,
            args.features.as_deref(),
            args.verbose,
            Some(&reader),
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let today = jiff::civil::date(2026, 6, 1);
    if args.fields {
        return fields::report(&reader, &args.dirs, today);
    }
    if args.visual {
        return visual_report(&reader, &args.dirs, today, args.verbose);
    }
    let limits = ImageLimits::default();
    println!(
        "{:<34} {:>4} {:>5} {:>6} {:>4} {:<5} {:<4} {:<12} {:<24} {:>8}",
        "image", "PE", "valid", "checks", "rot", "fmt", "code", "number", "name", "ms"
    );
    let (mut total, mut valid, mut pe100, mut pe100_valid, mut pe_valid, mut ms_sum) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0.0f64);
    let mut times: Vec<f64> = Vec::new();
    for dir in &args.dirs {
        let files = images_in(dir);
        if files.is_empty() {
            println!("({} absent or empty: skipped)", dir.display());
            continue;
        }
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("?")
                .to_owned();
            let pe = passporteye_score(&path);
            let bytes = match read_file(&path) {
                Ok(b) => b,
                Err(e) => {
                    println!("{name:<34} read error: {e}");
                    continue;
                }
            };
            let start = Instant::now();
            let outcome = decode(&ImageData::Encoded(bytes), &limits)
                .map_err(kyc_core::Error::from)
                .and_then(|img| {
                    if args.verbose {
                        let t0 = Instant::now();
                        let boxes = reader.detect(&img)?;
                        let t1 = Instant::now();
                        let out = reader.read_boxes(&img, &boxes, today);
                        println!(
                            "    {}x{} decode {:.1} ms, det {:.1} ms ({} boxes), rest {:.1} ms",
                            img.width(),
                            img.height(),
                            (t0 - start).as_secs_f64() * 1e3,
                            (t1 - t0).as_secs_f64() * 1e3,
                            boxes.len(),
                            t1.elapsed().as_secs_f64() * 1e3
                        );
                        out
                    } else {
                        reader.read(&img, today)
                    }
                });
            let ms = start.elapsed().as_secs_f64() * 1e3;
            total += 1;
            ms_sum += ms;
            times.push(ms);
            if pe == Some(100) {
                pe100 += 1;
            }
            if pe.is_some_and(|s| s == 100) {
                pe_valid += 1;
            }
            let pe_text = pe.map_or("-".to_owned(), |s| s.to_string());
            match outcome {
                Ok(o) => match o.reading {
                    Some(r) => {
                        let m = &r.repaired.mrz;
                        let ok = m.valid();
                        if ok {
                            valid += 1;
                            if pe == Some(100) {
                                pe100_valid += 1;
                            }
                        }
                        let checks = format!(
                            "{}/{}",
                            m.checks().filter(|c| c.valid()).count(),
                            m.checks().count()
                        );
                        let f = m.fields();
                        let person = format!("{} {}", f.surname, f.given_names);
                        println!(
                            "{name:<34} {pe_text:>4} {:>5} {checks:>6} {:>4} {:<5} {:<4} {:<12} {:<24.24} {ms:>8.1}",
                            if ok { "yes" } else { "no" },
                            r.rotation,
                            m.format().as_str(),
                            f.document_code,
                            f.document_number,
                            person,
                        );
                        if args.verbose || !ok {
                            for l in m.lines() {
                                println!("    mrz  {l}");
                            }
                            for l in &r.lines {
                                println!(
                                    "    ocr  {} ({:.2})",
                                    l.text.text,
                                    l.text.mean_confidence()
                                );
                            }
                            println!("    repairs {}", r.repaired.repairs.len());
                        }
                    }
                    None => {
                        let why = o.error.map_or("no MRZ".to_owned(), |e| e.code().to_owned());
                        println!(
                            "{name:<34} {pe_text:>4} {:>5} {:>6} {:>4} {why:<44} {ms:>8.1}",
                            "no", "-", "-"
                        );
                    }
                },
                Err(e) => println!("{name:<34} {pe_text:>4} error {}: {e}", e.code()),
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    println!();
    println!("images: {total}, fully valid MRZ: {valid}");
    println!(
        "PassportEye 100 (all check digits valid): {pe100}; valid here: {pe100_valid}; PassportEye fully valid overall: {pe_valid}"
    );
    println!(
        "time per image: mean {:.1} ms, median {median:.1} ms ({} intra-op threads, det max side {})",
        if total > 0 {
            ms_sum / total as f64
        } else {
            0.0
        },
        args.threads,
        args.max_side
    );
    ExitCode::SUCCESS
}

/// `--visual`: the cross-check per capture of each directory, and totals.
fn visual_report(
    reader: &MrzReader,
    dirs: &[PathBuf],
    today: jiff::civil::Date,
    verbose: bool,
) -> ExitCode {
    use kyc_core::check::CheckOutcome;
    for dir in dirs {
        let files = images_in(dir);
        if files.is_empty() {
            println!("({} absent or empty: skipped)", dir.display());
            continue;
        }
        println!("{}:", dir.display());
        let (mut passed, mut failed, mut unavailable, mut genuine, mut genuine_failed) =
            (0usize, 0usize, 0usize, 0usize, 0usize);
        let mut visual_ms = 0.0f64;
        let captures = visual::captures(dir, &files);
        for capture in &captures {
            match visual::run(reader, capture, today) {
                Ok(o) => {
                    visual_ms += o.visual_ms;
                    let is_genuine = capture.class == "-" || capture.class.starts_with("genuine");
                    match o.check.outcome {
                        CheckOutcome::Passed => passed += 1,
                        CheckOutcome::Failed => failed += 1,
                        CheckOutcome::Unavailable => unavailable += 1,
                    }
                    if is_genuine && o.check.outcome != CheckOutcome::Unavailable {
                        genuine += 1;
                        if o.check.outcome == CheckOutcome::Failed {
                            genuine_failed += 1;
                        }
                    }
                    println!(
                        "  {:<40} {:<14} {}",
                        capture.file,
                        capture.class,
                        visual::describe(&o)
                    );
                    if verbose {
                        for (text, confidence) in &o.lines {
                            println!("      {confidence:.2} {text}");
                        }
                    }
                }
                Err(e) => println!("  {:<40} error {e}", capture.file),
            }
        }
        let n = captures.len().max(1) as f64;
        println!(
            "  captures {}: consistent {passed}, mismatch {failed}, unavailable {unavailable}; \
             genuine with an MRZ: {genuine}, of which mismatched {genuine_failed}; visual pass {:.1} ms per capture",
            captures.len(),
            visual_ms / n
        );
    }
    ExitCode::SUCCESS
}
