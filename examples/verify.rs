//! Runs one verification end to end and prints the result JSON.
//!
//! ```text
//! cargo run --release --example verify -- --scenario fixtures/scenarios/passport_selfie.json \
//!     --document <image> [--document <image>] [--selfie <image>] [--selfie-with-document <image>] \
//!     [--frames <folder>] [--now 2026-11-28T09:00:00Z] [--seed 42] [--events] \
//!     [--retry-failed] [--blacklist <image>] [--division-codes <csv>]
//! ```
//!
//! Each `--document` fills the next side the document step asks for (front, then back). A step whose
//! images are not given is left open. `--now` and `--seed` make the output reproducible; without
//! them this host uses the system clock and the OS's randomness (`OsEntropy`; a seed is for tests). Exit code 0 on a result, 2 on bad
//! input (the error is printed as JSON).
//!
//! As a host should, it attaches in-memory stores for what the scenario names (the face lists, a
//! history under a fresh key), so no enabled check is unavailable for want of one.
//! `--blacklist <image>` enrols that image's face in the scenario's blacklist first;
//! `--retry-failed` submits a failed capture again while the step allows it (an attacker trying
//! the same images until the engine decides); `--division-codes` loads a division-code table.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use kyc_core::analysis::{CaptureImage, ImageData, ImageKind};
use kyc_core::document::mrz::InMemoryDivisionDb;
use kyc_core::facade::{FaceListStore, HistoryKeyStore, Stores, Verifier};
use kyc_core::scenario::Step;
use kyc_core::session::{Origin, RecordingObserver};
use kyc_core::{
    Clock, Engine, Entropy, FixedClock, OsEntropy, Scenario, SeededEntropy, SystemClock,
    VerificationResult,
};
use kyc_examples::{error_json, read_file};

#[derive(Default)]
struct Args {
    scenario: Option<PathBuf>,
    documents: Vec<PathBuf>,
    selfie: Option<PathBuf>,
    selfie_with_document: Option<PathBuf>,
    frames: Option<PathBuf>,
    now: Option<jiff::Timestamp>,
    seed: Option<u64>,
    events: bool,
    retry_failed: bool,
    blacklist: Option<PathBuf>,
    division_codes: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--scenario" => args.scenario = Some(value()?.into()),
            "--document" => args.documents.push(value()?.into()),
            "--selfie" => args.selfie = Some(value()?.into()),
            "--selfie-with-document" => args.selfie_with_document = Some(value()?.into()),
            "--frames" => args.frames = Some(value()?.into()),
            "--now" => args.now = Some(value()?.parse().map_err(|e| format!("--now: {e}"))?),
            "--seed" => args.seed = Some(value()?.parse().map_err(|e| format!("--seed: {e}"))?),
            "--events" => args.events = true,
            "--retry-failed" => args.retry_failed = true,
            "--blacklist" => args.blacklist = Some(value()?.into()),
            "--division-codes" => args.division_codes = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn usage_error(message: &str) -> ExitCode {
    let out = serde_json::json!({"ok": false, "error": {"code": "usage", "message": message}});
    println!("{out}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let Some(scenario_path) = &args.scenario else {
        return usage_error("--scenario <file> is required");
    };
    let text = match read_file(scenario_path)
        .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
    {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            let mut out = error_json(&e, &e.to_string());
            out["error"]["violations"] = serde_json::to_value(e.violations()).unwrap_or_default();
            println!("{out}");
            return ExitCode::from(2);
        }
    };

    // This program is the host: it chooses the clock and the entropy the engine gets.
    let clock: Arc<dyn Clock> = match args.now {
        Some(now) => Arc::new(FixedClock(now)),
        None => Arc::new(SystemClock),
    };
    // The OS's randomness, unless `--seed` asks for a reproducible run (demo.sh, golden files).
    // A history key of this run's own: a host keeps one per tenant, secret, for good.
    let mut history_key = [0u8; 32];
    let entropy: Arc<dyn Entropy> = match args.seed {
        Some(seed) => {
            for (i, chunk) in history_key.chunks_mut(8).enumerate() {
                let word = seed ^ (0x9e37_79b9_7f4a_7c15 * (i as u64 + 1));
                chunk.copy_from_slice(&word.to_le_bytes());
            }
            Arc::new(SeededEntropy::from_u64(seed))
        }
        None => match OsEntropy::new() {
            Ok(os) => {
                os.fill(&mut history_key);
                Arc::new(os)
            }
            Err(e) => return usage_error(&format!("no OS randomness: {e}")),
        },
    };
    let events = Arc::new(RecordingObserver::default());
    let engine = match host_engine(
        &scenario,
        &args,
        clock,
        entropy,
        &history_key,
        events.clone(),
    ) {
        Ok(engine) => engine,
        Err(e) => return usage_error(&e),
    };

    let mut session = engine.create_session(&scenario, Origin::Api);
    let mut documents = args.documents.iter();
    for step in &scenario.steps {
        if let Ok(challenge) = engine.liveness_challenge(&scenario, &session, step.id()) {
            // What a host's UI would prompt before recording; the frames must follow it in order.
            eprintln!("liveness challenge for step '{}': {challenge:?}", step.id());
        }
        let images = match images_for(step, &mut documents, &args) {
            Ok(Some(images)) => images,
            Ok(None) => break, // the person stopped here
            Err(e) => return usage_error(&e),
        };
        loop {
            match engine.submit_capture(&scenario, &mut session, step.id(), &images) {
                Ok(report) if args.retry_failed && report.step_outcome.is_none() => {
                    // The step is still open after a failed capture: the same images again.
                    if !session.status.accepts_captures() {
                        break;
                    }
                }
                Ok(_) => break,
                Err(e) => {
                    println!("{}", error_json(&e, &e.to_string()));
                    return ExitCode::from(2);
                }
            }
        }
        if !session.status.accepts_captures() {
            break;
        }
    }
    let result = VerificationResult::build(&scenario, &session);
    if args.events {
        for event in events.events() {
            eprintln!("{}", serde_json::to_string(&event).unwrap_or_default());
        }
    }
    // A closed pipe (`verify ... | head`) ends the output; it is no reason to panic.
    let _closed = std::io::Write::write_all(
        &mut std::io::stdout().lock(),
        result.to_json_pretty().as_bytes(),
    );
    ExitCode::SUCCESS
}

/// The images for one step from the command line, or `None` when they were not given. What each
/// step needs comes from the core (`Step::capture_requirement`), not from this host.
fn images_for<'a>(
    step: &Step,
    documents: &mut impl Iterator<Item = &'a PathBuf>,
    args: &Args,
) -> Result<Option<Vec<CaptureImage>>, String> {
    let load =
        |kind: ImageKind, path: &PathBuf| read_file(path).map(|b| CaptureImage::encoded(kind, b));
    let required = step.capture_requirement();
    let mut images = Vec::new();
    for kind in &required.images {
        let path = match kind {
            ImageKind::DocumentFront | ImageKind::DocumentBack => documents.next(),
            ImageKind::Selfie => args.selfie.as_ref(),
            ImageKind::SelfieWithDocument => args.selfie_with_document.as_ref(),
            ImageKind::LivenessFrame => None,
        };
        let Some(path) = path else {
            return Ok(None);
        };
        images.push(load(*kind, path)?);
    }
    if required.frames.is_some() {
        let Some(folder) = &args.frames else {
            return Ok(None);
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|e| format!("{}: {e}", folder.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .take(1000)
            .collect();
        // The engine refuses a count outside the requirement's bounds, with its own code.
        paths.sort();
        for path in &paths {
            images.push(load(ImageKind::LivenessFrame, path)?);
        }
    }
    Ok(Some(images))
}

/// The engine this host runs: the models (when installed), in-memory stores for what the scenario
/// names, the blacklist enrolment asked for, the division-code table given.
fn host_engine(
    scenario: &Scenario,
    args: &Args,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    history_key: &[u8; 32],
    events: Arc<RecordingObserver>,
) -> Result<Engine, String> {
    let verifier = match Verifier::load(None, None, 1) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "verify: no models ({}: {}); every analysed check will be unavailable",
                e.code, e.message
            );
            Verifier::without_models()
        }
    };
    let lists = FaceListStore::for_scenario(scenario);
    if let Some(path) = &args.blacklist {
        let list = scenario
            .blacklist_id
            .as_deref()
            .ok_or("--blacklist: the scenario names no blacklist")?;
        let face = verifier
            .face_template(&ImageData::Encoded(read_file(path)?))
            .map_err(|e| format!("--blacklist: {e}"))?
            .ok_or("--blacklist: no face in that image")?;
        lists
            .add(list, "blacklisted-demo-person", &face)
            .map_err(|e| e.to_string())?;
    }
    let history = HistoryKeyStore::new(history_key).map_err(|e| e.to_string())?;
    let division_codes = match &args.division_codes {
        Some(path) => Some(Arc::new(
            InMemoryDivisionDb::from_csv(read_file(path)?.as_slice(), Default::default())
                .map_err(|e| format!("--division-codes: {e}"))?,
        )
            as Arc<dyn kyc_core::document::mrz::DivisionCodeDb>),
        None => None,
    };
    let verifier = verifier.with_stores(Stores {
        face_lists: Some(lists),
        history: Some(history),
        division_codes,
        registries: Vec::new(),
    });
    let engine = verifier.engine(clock, entropy, Some(events));
    Ok(engine)
}
