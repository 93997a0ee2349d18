//! The document checks on attacks made by the independent simulator (`scripts/attacks/simulate.py`,
//! real specimen scans as sources): per attack, how many the relevant checks accept (APCER),
//! counting only attacks whose genuine original passes those checks; and on the originals, how
//! many genuine pages each check fails (BPCER). This set is for reporting: no threshold is tuned
//! on it.
//!
//! ```text
//! cargo run --release --example ocr_lines -- ../shared/data/documents/passporteye/* > lines.jsonl
//! python3 scripts/attacks/simulate.py --lines lines.jsonl --out target/attacks --seed 11
//! KYC_MODEL_DIR=~/.cache/kyc/models ORT_DYLIB_PATH=~/.cache/kyc/models/libonnxruntime.so \
//!     cargo run --release --example eval_attacks -- target/attacks [--verbose]
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kyc_core::analysis::{AnalysisContext, CaptureImage, ImageKind};
use kyc_core::model::{ModelAnalyzers, RuntimeOptions};
use kyc_core::scenario::{DocumentChecks, DocumentStep, DocumentType, Scenario};
use kyc_core::{CheckOutcome, CheckResult};
use kyc_examples::{models_or_skip, read_file};

/// The check families reported on genuine pages, by id prefix.
const FAMILIES: [&str; 9] = [
    "document.fully_visible",
    "document.glare_blur.glare",
    "document.glare_blur.blur",
    "document.screen_photo",
    "document.printout.halftone",
    "document.printout.colour",
    "document.editing",
    "document.visual_mrz_match",
    "document.portrait",
];

fn failed(checks: &[CheckResult], prefix: &str) -> bool {
    checks.iter().any(|c| {
        c.outcome == CheckOutcome::Failed
            && (c.check == prefix || c.check.starts_with(&format!("{prefix}.")))
    })
}

fn passed(checks: &[CheckResult], prefix: &str) -> bool {
    let relevant: Vec<_> = checks
        .iter()
        .filter(|c| c.check == prefix || c.check.starts_with(&format!("{prefix}.")))
        .collect();
    !relevant.is_empty() && relevant.iter().all(|c| c.outcome == CheckOutcome::Passed)
}

fn step() -> DocumentStep {
    DocumentStep {
        id: "document".into(),
        document_types: vec![
            DocumentType::Passport,
            DocumentType::IdCard,
            DocumentType::Visa,
        ],
        countries: Vec::new(),
        sides: vec![kyc_core::scenario::DocumentSide::Front],
        checks: DocumentChecks {
            fully_visible: true,
            mrz_required: true,
            editing: true,
            screen_photo: true,
            printout: true,
            field_logic: false,
            glare_blur: true,
            mandatory_elements: false,
            stamp_required: false,
            visual_mrz_match: true,
        },
        capture_orientation: Default::default(),
    }
}

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let mut verbose = false;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--verbose" => verbose = true,
            "--only" => only = args.next(),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: eval_attacks <simulator output folder> [--verbose] [--only <attack>]");
        return ExitCode::from(2);
    };
    let (source, _) = match models_or_skip(1) {
        Ok(Some(pair)) => pair,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_attacks: {e}");
            return ExitCode::FAILURE;
        }
    };
    let models = match ModelAnalyzers::load(&source, RuntimeOptions::default()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("eval_attacks: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(analyzer) = models.analyzers.document.clone() else {
        eprintln!("eval_attacks: no document analyser");
        return ExitCode::FAILURE;
    };
    let scenario_text = match read_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/passport_selfie.json"),
    )
    .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
    {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eval_attacks: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(scenario) = Scenario::from_json(&scenario_text) else {
        eprintln!("eval_attacks: the fixture scenario does not load");
        return ExitCode::FAILURE;
    };
    let step = step();
    let ctx = AnalysisContext {
        scenario: &scenario,
        session_id: "eval",
        today: jiff::civil::date(2026, 11, 28),
        document_portrait: None,
        document: None,
        deadline: &kyc_core::capture::NO_DEADLINE,
    };
    let analyse = |path: &Path| -> Option<Vec<CheckResult>> {
        let bytes = read_file(path).ok()?;
        let images = [CaptureImage::encoded(ImageKind::DocumentFront, bytes)];
        match analyzer.analyze(&step, &images, &ctx) {
            Ok(a) => Some(a.checks),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                None
            }
        }
    };

    let labels = match std::fs::read_to_string(dir.join("labels.jsonl")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", dir.join("labels.jsonl").display());
            return ExitCode::FAILURE;
        }
    };
    let mut originals: HashMap<String, Option<Vec<CheckResult>>> = HashMap::new();
    // attack -> (counted, accepted, skipped because the original fails), variant -> (counted, accepted)
    let mut totals: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut variants: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for line in labels.lines() {
        let Ok(label) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(file), Some(src), Some(attack)) = (
            label["file"].as_str(),
            label["source"].as_str(),
            label["attack"].as_str(),
        ) else {
            continue;
        };
        if only.as_deref().is_some_and(|o| o != attack) {
            continue;
        }
        let variant = label["variant"].as_str().unwrap_or("").to_owned();
        let relevant: Vec<String> = label["relevant"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let original = originals
            .entry(src.to_owned())
            .or_insert_with(|| analyse(Path::new(src)))
            .clone();
        let Some(original) = original else { continue };
        // Only the relevant checks the original passes can be said to miss the attack.
        let judged: Vec<&String> = relevant.iter().filter(|r| passed(&original, r)).collect();
        let entry = totals.entry(attack.to_owned()).or_default();
        if judged.is_empty() {
            entry.2 += 1;
            continue;
        }
        let Some(checks) = analyse(&dir.join(file)) else {
            continue;
        };
        let caught = judged.iter().any(|r| failed(&checks, r));
        entry.0 += 1;
        let v = variants
            .entry((attack.to_owned(), variant.clone()))
            .or_default();
        v.0 += 1;
        if !caught {
            entry.1 += 1;
            v.1 += 1;
        }
        if verbose {
            let fails: Vec<String> = checks
                .iter()
                .filter(|c| c.outcome == CheckOutcome::Failed)
                .map(|c| format!("{} {:.3}", c.reason_code, c.score.unwrap_or(f64::NAN)))
                .collect();
            println!(
                "{file}: {} ({variant}) judged by {judged:?}; fails: {}",
                if caught { "caught" } else { "ACCEPTED" },
                fails.join(", ")
            );
            if let Some(v) = checks
                .iter()
                .find(|c| c.check == "document.visual_mrz_match")
            {
                println!("    {}: {}", v.reason_code, v.message);
            }
        }
    }
    println!(
        "\n| attack | accepted by the relevant checks | APCER | originals failing them (not counted) |"
    );
    println!("|---|---|---|---|");
    for (attack, (n, accepted, skipped)) in &totals {
        let apcer = if *n > 0 {
            *accepted as f64 / *n as f64
        } else {
            f64::NAN
        };
        println!("| {attack} | {accepted} of {n} | {apcer:.2} | {skipped} |");
    }
    println!("\n| attack | variant | accepted |");
    println!("|---|---|---|");
    for ((attack, variant), (n, accepted)) in &variants {
        println!("| {attack} | {variant} | {accepted} of {n} |");
    }
    println!(
        "\nGenuine originals ({}): failures per check",
        originals.len()
    );
    println!("| check | genuine pages failing it |");
    println!("|---|---|");
    for family in FAMILIES {
        let mut names: Vec<String> = originals
            .iter()
            .filter_map(|(k, v)| {
                v.as_ref().filter(|c| failed(c, family)).map(|_| {
                    Path::new(k)
                        .file_name()
                        .map_or(k.clone(), |n| n.to_string_lossy().into_owned())
                })
            })
            .collect();
        names.sort();
        println!("| {family} | {} {names:?} |", names.len());
    }
    ExitCode::SUCCESS
}
