//! The cross-binding golden result: the passport photo and the selfie of the demo through the Rust
//! API (kyc-core directly) and through this binding's `verify` give the same text, and that text
//! agrees with `fixtures/expected/verify_passport_selfie.json` up to float noise in model scores
//! (see [`agree`]); the Kotlin and uniffi-Python tests compare against the same file the same way. Needs the models (`KYC_MODEL_DIR`, scripts/setup.sh); skipped without them.
//! `KYC_UPDATE_GOLDEN=1` rewrites the file from the Rust API's output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;

use kyc_core::analysis::ImageData;
use kyc_core::face::gallery::InMemoryFaceLists;
use kyc_core::history::{HistoryKey, KeyedHistoryStore};
use kyc_core::model::ModelSource;
use kyc_core::session::{CaptureSet, Origin};
use kyc_core::{Engine, FixedClock, Scenario, SeededEntropy, VerificationResult};

const NOW: i64 = 1_795_856_400; // 2026-11-28T09:00:00Z
const SEED: u64 = 42;
/// The history's tenant key in this test (any 32 bytes: the result does not show it).
const HISTORY_KEY: [u8; 32] = [7; 32];

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(rel)
}

/// Whether two result JSONs agree: the same structure, keys and strings, and numbers within a
/// relative 1e-5. ONNX Runtime picks its kernels by CPU (AVX2, AVX-512), so a model's scores
/// differ in their last digits from one machine to another (seen: 2e-6 relative at most);
/// anything more, or any outcome, code or field that differs, is a real change.
fn agree(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-5 * x.abs().max(y.abs()).max(1.0),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| agree(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| agree(v, w)))
        }
        _ => a == b,
    }
}

/// Writes `actual` under `KYC_UPDATE_GOLDEN=1`, then compares with the file.
fn golden(rel: &str, actual: &str) -> String {
    let path = fixture(rel);
    if std::env::var("KYC_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, actual).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert!(
        actual == golden,
        "{rel} differs from the engine's output:\n{actual}"
    );
    golden
}

/// The MRZ report: the core's JSON; the uniffi binding's `report_json` and kyc-wasm's `parseMrz`
/// (kyc-wasm/tests/web.rs) must equal it.
#[test]
fn mrz_report_golden() {
    let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let today = jiff::civil::date(2010, 6, 1);
    let report = kyc_core::document::mrz::parse_text(text, today)
        .unwrap()
        .report();
    let native = serde_json::to_string(&report).unwrap();
    let golden = golden("expected/mrz_td3_report.json", &native);
    let binding = kyc_ffi::parse_mrz(text.to_owned(), "2010-06-01".to_owned()).unwrap();
    assert_eq!(binding.report_json, golden);
}

/// The document photo's pre-check: the core's JSON; the uniffi binding's and kyc-wasm's
/// `precheckImage` (kyc-wasm/tests/web.rs, examples/web/page.test.mjs) must equal it.
#[test]
fn precheck_golden() {
    let photo = std::fs::read(fixture("documents/0004_passport_genuine_photo.jpg")).unwrap();
    let result = kyc_core::quality::precheck(
        &ImageData::Encoded(photo.clone()),
        &kyc_core::image::ImageLimits::default(),
        None,
    )
    .unwrap();
    let native = serde_json::to_string(&result).unwrap();
    let golden = golden(
        "expected/precheck_0004_passport_genuine_photo.json",
        &native,
    );
    assert_eq!(kyc_ffi::precheck_image(photo, None).unwrap(), golden);
}

#[test]
fn rust_and_the_binding_give_the_golden_result() {
    let Some(models) = std::env::var_os("KYC_MODEL_DIR") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true, but KYC_MODEL_DIR is not set: this test must not skip in CI"
        );
        eprintln!("skipped: KYC_MODEL_DIR is not set");
        return;
    };
    let scenario_json = std::fs::read_to_string(fixture("scenarios/passport_selfie.json")).unwrap();
    let document = std::fs::read(fixture("documents/0002_passport_genuine_photo.jpg")).unwrap();
    let selfie = std::fs::read(fixture("faces/holder_selfie.png")).unwrap();

    // The Rust API, as a Rust host writes it: the models, and in-memory stores for the face lists
    // the scenario names and the history, so no enabled check lacks what it needs.
    let scenario = Scenario::from_json(&scenario_json).unwrap();
    let mut analyzers =
        kyc_core::model::analyzers(&ModelSource::Dir(PathBuf::from(&models))).unwrap();
    analyzers.face_lists = Some(Arc::new(
        InMemoryFaceLists::calibrated().with_lists(["blacklist", "customers"]),
    ));
    analyzers.history = Some(Arc::new(KeyedHistoryStore::in_memory(
        HistoryKey::new(&HISTORY_KEY).unwrap(),
    )));
    let engine = Engine::builder(
        Arc::new(FixedClock(jiff::Timestamp::from_second(NOW).unwrap())),
        Arc::new(SeededEntropy::from_u64(SEED)),
    )
    .analyzers(analyzers)
    .build();
    let mut session = engine.create_session(&scenario, Origin::Api);
    let images = CaptureSet {
        documents: vec![ImageData::Encoded(document.clone())],
        selfie: Some(ImageData::Encoded(selfie.clone())),
        ..CaptureSet::default()
    };
    engine
        .run_captures(&scenario, &mut session, &images)
        .unwrap();
    let rust = VerificationResult::build(&scenario, &session).to_json_pretty();

    let path = fixture("expected/verify_passport_selfie.json");
    if std::env::var("KYC_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, &rust).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    assert!(
        agree(&parse(&rust), &parse(&golden)),
        "Rust API differs from the golden file:\n{rust}"
    );

    let verifier = kyc_ffi::Verifier::new(
        Some(models.to_string_lossy().into_owned()),
        true,
        Some(kyc_ffi::FaceLists::new()),
        Some(kyc_ffi::History::new(HISTORY_KEY.to_vec()).unwrap()),
    )
    .unwrap();
    let binding = verifier
        .verify_with_test_seed(scenario_json, vec![document], Some(selfie), NOW, SEED, None)
        .unwrap();
    // The same machine runs both: byte for byte.
    assert!(
        binding == rust,
        "kyc-ffi differs from the Rust API:\n{binding}"
    );
}
