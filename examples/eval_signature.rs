//! The signature-presence check (`document.mandatory_elements.signature`) over a `gen_documents`
//! directory made with the `unsigned` attack: every genuine data page and card front, and every
//! unsigned one, judged by the document analyser alone; per group the outcomes, the ink measured
//! and the time.
//!
//! ```text
//! cargo run --release --example gen_documents -- --seed 2 --count 20 --out /tmp/sig --attacks unsigned --clean-format jpg
//! KYC_MODEL_DIR=~/.cache/kyc/models ORT_DYLIB_PATH=~/.cache/kyc/models/libonnxruntime.so \
//!     cargo run --release --example eval_signature -- /tmp/sig
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use kyc_core::Scenario;
use kyc_core::analysis::{AnalysisContext, CaptureImage, DocumentAnalyzer, ImageKind};
use kyc_core::check::CheckOutcome;
use kyc_core::document::ocr::det::DetOptions;
use kyc_core::document::ocr::signature::CHECK_ID;
use kyc_core::document::ocr::{MrzReader, OcrDocumentAnalyzer};
use kyc_core::image::ImageLimits;
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_core::scenario::{DocumentStep, Step};
use kyc_examples::read_file;

fn step(scenario: &Scenario) -> Option<DocumentStep> {
    let mut step = scenario.steps.iter().find_map(|s| match s {
        Step::Document(d) => Some(d.clone()),
        _ => None,
    })?;
    step.checks.mandatory_elements = true;
    // The cross-check is another concern: off, so the time is the signature's own.
    step.checks.visual_mrz_match = false;
    Some(step)
}

fn run() -> Result<(), String> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: eval_signature <dir>")?,
    );
    let source = match ModelSource::from_env() {
        Ok(s) => s,
        Err(e) => {
            println!("skipped: {e}");
            return Ok(());
        }
    };
    let runtime = Runtime::new(RuntimeOptions::default(), &source).map_err(|e| e.to_string())?;
    let reader =
        MrzReader::load(&runtime, &source, DetOptions::default()).map_err(|e| e.to_string())?;
    let analyzer = OcrDocumentAnalyzer::new(Arc::new(reader), ImageLimits::default());
    let scenario_text = std::fs::read_to_string("fixtures/scenarios/id_card_liveness.json")
        .map_err(|e| e.to_string())?;
    let scenario = Scenario::from_json(&scenario_text).map_err(|e| e.to_string())?;
    let step = step(&scenario).ok_or("the scenario has no document step")?;
    let ctx = AnalysisContext {
        scenario: &scenario,
        session_id: "eval",
        today: jiff::civil::date(2026, 6, 1),
        document_portrait: None,
        document: None,
        deadline: &kyc_core::capture::NO_DEADLINE,
    };
    let labels = std::fs::read_to_string(dir.join("labels.jsonl"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    // (group) -> (passed, failed, unavailable, ink values, ms)
    let mut groups: BTreeMap<String, (usize, usize, usize, Vec<f64>, f64)> = BTreeMap::new();
    for label in labels
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
    {
        let (attack, side) = (label["attack"].as_str(), label["side"].as_str());
        if !matches!(attack, Some("genuine" | "unsigned")) || side == Some("back") {
            continue;
        }
        let file = label["file"].as_str().unwrap_or_default();
        let group = format!(
            "{} {} {}",
            label["kind"].as_str().unwrap_or("?"),
            attack.unwrap_or("?"),
            label["variant"].as_str().unwrap_or("?")
        );
        let images = [CaptureImage::encoded(
            ImageKind::DocumentFront,
            read_file(&dir.join(file))?,
        )];
        let t0 = Instant::now();
        let analysis = analyzer
            .analyze(&step, &images, &ctx)
            .map_err(|e| format!("{file}: {e}"))?;
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let check = analysis
            .checks
            .iter()
            .find(|c| c.check == CHECK_ID)
            .ok_or("no signature evidence")?;
        println!(
            "{file:<44} {:<12} {:<11} {:>7} {}",
            group,
            format!("{:?}", check.outcome),
            check.score.map_or("-".to_owned(), |s| format!("{s:.4}")),
            check.reason_code
        );
        let g = groups.entry(group).or_default();
        match check.outcome {
            CheckOutcome::Passed => g.0 += 1,
            CheckOutcome::Failed => g.1 += 1,
            CheckOutcome::Unavailable => g.2 += 1,
        }
        g.3.extend(check.score);
        g.4 += ms;
    }
    println!(
        "\ngroup                      present missing unavailable  ink min  ink max   ms/image"
    );
    for (group, (p, f, u, ink, ms)) in &groups {
        let n = (p + f + u).max(1);
        let min = ink.iter().copied().fold(f64::INFINITY, f64::min);
        let max = ink.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        println!(
            "{group:<26} {p:>7} {f:>7} {u:>11} {:>8} {:>8} {:>10.0}",
            if ink.is_empty() {
                "-".to_owned()
            } else {
                format!("{min:.4}")
            },
            if ink.is_empty() {
                "-".to_owned()
            } else {
                format!("{max:.4}")
            },
            ms / n as f64
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_signature: {e}");
            ExitCode::FAILURE
        }
    }
}
