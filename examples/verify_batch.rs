//! The same verification over a batch, timed: the direct-Rust side of the Python overhead
//! measurement (`examples/python/overhead.py` runs the same batch through the Python binding).
//!
//! ```text
//! cargo run --release --example verify_batch -- --scenario fixtures/scenarios/passport_selfie.json \
//!     --selfie fixtures/faces/holder_selfie.png --repeat 2 <document> [<document> ...]
//! ```
//!
//! Each document (front only) opens a session, then the selfie follows while the session takes
//! captures, as in `verify`. Models are loaded before the clock starts; files are read inside the
//! timed loop, as the Python side reads them from paths. Prints one JSON line: sessions, seconds,
//! statuses.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use kyc_core::analysis::{CaptureImage, ImageKind};
use kyc_core::session::Origin;
use kyc_core::{Engine, FixedClock, Scenario, SeededEntropy};
use kyc_examples::{analyzers_from_env, read_file};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!(
                "{}",
                serde_json::json!({"ok": false, "error": {"code": "usage", "message": e}})
            );
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut scenario_path = None;
    let mut selfie = None;
    let mut repeat = 1usize;
    let mut documents: Vec<PathBuf> = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--scenario" => scenario_path = Some(PathBuf::from(value()?)),
            "--selfie" => selfie = Some(PathBuf::from(value()?)),
            "--repeat" => repeat = value()?.parse().map_err(|e| format!("--repeat: {e}"))?,
            _ => documents.push(PathBuf::from(arg)),
        }
    }
    let scenario_path = scenario_path.ok_or("--scenario <file> is required")?;
    let text = String::from_utf8(read_file(&scenario_path)?).map_err(|e| e.to_string())?;
    let scenario = Scenario::from_json(&text).map_err(|e| format!("{}: {e}", e.code()))?;
    let (analyzers, missing) = analyzers_from_env();
    if let Some(why) = missing {
        return Err(format!("no analysers: {why}"));
    }
    let now: jiff::Timestamp = "2026-11-28T09:00:00Z".parse().map_err(|e| format!("{e}"))?;
    let engine = Engine::builder(
        Arc::new(FixedClock(now)),
        Arc::new(SeededEntropy::from_u64(42)),
    )
    .analyzers(analyzers)
    .build();

    let mut statuses: BTreeMap<&'static str, u32> = BTreeMap::new();
    let started = Instant::now();
    for _ in 0..repeat {
        for document in &documents {
            let mut session = engine.create_session(&scenario, Origin::Api);
            let front = CaptureImage::encoded(ImageKind::DocumentFront, read_file(document)?);
            engine
                .submit_capture(&scenario, &mut session, "passport", &[front])
                .map_err(|e| format!("{}: {e}", e.code()))?;
            // The selfie only once the document step has ended (a failed capture leaves the
            // person on the document step, as a host would).
            let on_selfie = session
                .current_step(&scenario)
                .is_some_and(|(_, r)| r.step_id == "selfie");
            if let (true, Some(selfie)) = (on_selfie, &selfie) {
                let image = CaptureImage::encoded(ImageKind::Selfie, read_file(selfie)?);
                engine
                    .submit_capture(&scenario, &mut session, "selfie", &[image])
                    .map_err(|e| format!("{}: {e}", e.code()))?;
            }
            // Built as the Python side builds it for `result()`.
            let _ = kyc_core::VerificationResult::build(&scenario, &session).to_json_pretty();
            *statuses.entry(session.status.as_str()).or_default() += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "ok": true,
            "sessions": repeat * documents.len(),
            "seconds": seconds,
            "statuses": statuses,
        })
    );
    Ok(())
}
