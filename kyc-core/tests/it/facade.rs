//! The façade every binding wraps: its outputs for fixed inputs are recorded in
//! `fixtures/expected/parity.json` (inputs and outputs side by side), which the Python, uniffi
//! (Python and Kotlin) and WebAssembly tests replay through their own binding and compare. This
//! test keeps the file equal to what the core gives; `KYC_UPDATE_GOLDEN=1` rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::common::*;
use kyc_core::analysis::ImageKind;
use kyc_core::facade::{self, CallbackReceiver, FaceListStore, Stores, Verifier};
use kyc_core::session::{CaptureSet, Origin, RecordingObserver};
use kyc_core::{Engine, FixedClock, SeededEntropy};

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const PHOTO: &str = "documents/0004_passport_genuine_photo.jpg";

fn error_value(e: &facade::PublicError) -> Value {
    json!({"kind": e.kind, "code": e.code, "violations": e.violations})
}

/// A signed, encrypted callback of a finished fixture session, made by the core's sender.
fn signed_callback() -> (Vec<(String, String)>, Vec<u8>, i64) {
    let mut s = scenario("passport_selfie");
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = false;
    let events = Arc::new(RecordingObserver::default());
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(21)),
    )
    .document_analyzer(ScriptedDocuments::new(vec![good_passport()]))
    .face_analyzer(Arc::new(ScriptedFaces { similarity: 0.9 }))
    .observer(events.clone())
    .build();
    let mut session = engine.create_session(&s, Origin::Api);
    for (step, kind) in [
        ("passport", ImageKind::DocumentFront),
        ("selfie", ImageKind::Selfie),
    ] {
        engine
            .submit_capture(&s, &mut session, step, &[image(kind)])
            .unwrap();
    }
    let notes = kyc_core::callback::notifications(&s, &session, &events.events());
    let last = notes.last().expect("a final notification");
    let delivery =
        kyc_core::callback::prepare(&s, last, t0(), &SeededEntropy::from_u64(22)).unwrap();
    (delivery.headers, delivery.body, t0().as_second())
}

fn good_passport() -> (kyc_core::document::DocumentData, Vec<kyc_core::CheckResult>) {
    (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_ok()],
    )
}

/// Every case: its inputs and the façade's output (a JSON string, byte for byte) or error.
fn cases() -> Value {
    let scenario_text = std::fs::read_to_string(fixture("scenarios/passport_selfie.json")).unwrap();
    let photo = std::fs::read(fixture(PHOTO)).unwrap();
    let (headers, body, now) = signed_callback();
    let secret = "fixture-only-secret-key-0123456789abcdef";
    let receiver = CallbackReceiver::new(secret, false);
    let text = |r: Result<String, facade::PublicError>| match r {
        Ok(out) => json!({"output": out}),
        Err(e) => json!({"error": error_value(&e)}),
    };
    json!({
        "describe_scenario": {
            "input_file": "fixtures/scenarios/passport_selfie.json",
            "result": text(facade::describe_scenario(&scenario_text).map(|d| d.to_json())),
        },
        "describe_scenario_error": {
            "input": "{\"id\": 3}",
            "result": text(facade::describe_scenario("{\"id\": 3}").map(|d| d.to_json())),
        },
        "precheck_image": {
            "input_file": format!("fixtures/{PHOTO}"),
            "orientation": "vertical",
            "result": text(facade::precheck_image(&photo, Some("vertical"))),
        },
        "precheck_image_error": {
            "input_base64": STANDARD.encode(b"not an image"),
            "result": text(facade::precheck_image(b"not an image", None)),
        },
        "parse_mrz": {
            "input": TD3,
            "today": "2010-06-01",
            "result": text(facade::parse_mrz(TD3, "2010-06-01", false)),
        },
        "parse_mrz_error": {
            "input": "P<UTO\nshort",
            "today": "2010-06-01",
            "result": text(facade::parse_mrz("P<UTO\nshort", "2010-06-01", false)),
        },
        "callback": {
            "secret": secret,
            "headers": headers,
            "body_base64": STANDARD.encode(&body),
            "now": now,
            "result": text(receiver.verify(&headers, &body, now)),
        },
        "callback_replay": {
            "note": "the same callback a second time, to the same receiver",
            "result": text(receiver.verify(&headers, &body, now)),
        },
    })
}

#[test]
fn parity_cases_are_current() {
    let text = serde_json::to_string_pretty(&cases()).unwrap() + "\n";
    let path = fixture("expected/parity.json");
    if update_golden() {
        std::fs::write(&path, &text).unwrap();
    }
    let stored = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (KYC_UPDATE_GOLDEN=1 writes it)", path.display()));
    assert_eq!(stored, text, "fixtures/expected/parity.json is stale");
}

#[test]
fn the_description_says_what_each_step_asks_for_and_holds_no_secret() {
    let text = std::fs::read_to_string(fixture("scenarios/id_card_liveness.json")).unwrap();
    let d = facade::describe_scenario(&text).unwrap();
    let json = d.to_json();
    assert!(!json.contains("secret"), "{json}");
    let document = &d.steps[0];
    assert_eq!(
        document.images,
        [ImageKind::DocumentFront, ImageKind::DocumentBack]
    );
    assert!(document.capture_orientation.is_some());
    assert!(d.steps.iter().any(|s| s.frames == Some((3, 64))));
}

#[test]
fn a_frame_turned_against_the_capture_screen_fails_the_precheck() {
    let photo = std::fs::read(fixture(PHOTO)).unwrap();
    let check = |orientation| -> Value {
        let out: Value =
            serde_json::from_str(&facade::precheck_image(&photo, orientation).unwrap()).unwrap();
        out["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "document.capture_orientation")
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(check(None), Value::Null);
    assert_eq!(check(Some("horizontal"))["outcome"], "passed");
    assert_eq!(check(Some("vertical"))["outcome"], "failed");
    assert_eq!(
        facade::precheck_image(&photo, Some("diagonal"))
            .unwrap_err()
            .code,
        "input.bad_orientation"
    );
}

#[test]
fn a_verifier_attaches_its_stores_to_every_engine_it_makes() {
    let lists = FaceListStore::new();
    let template = kyc_core::face::FaceTemplate {
        model: kyc_core::face::embed::SFACE.to_owned(),
        vector: (0..128).map(|i| if i == 3 { 1.0 } else { 0.0 }).collect(),
    };
    lists.add("blacklist", "fraudster", &template).unwrap();
    assert_eq!(lists.len("blacklist"), 1);
    let history = facade::HistoryKeyStore::new(&[5; 32]).unwrap();
    let bare = Verifier::without_models();
    let engine = bare.engine(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(2)),
        None,
    );
    assert!(engine.analyzers().face_lists.is_none() && engine.analyzers().history.is_none());
    let verifier = bare.with_stores(Stores {
        face_lists: Some(lists.clone()),
        history: Some(history),
        ..Stores::default()
    });
    let engine = verifier.engine(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(2)),
        None,
    );
    let attached = engine.analyzers().face_lists.clone().unwrap();
    let hit = attached
        .best_match("blacklist", &template)
        .unwrap()
        .unwrap();
    assert_eq!(hit.person_id, "fraudster");
    assert!(engine.analyzers().history.is_some());
    // Without models, a verification still decides what it can: review, never approval.
    let result = verifier
        .verify(
            &std::fs::read_to_string(fixture("scenarios/passport_selfie.json")).unwrap(),
            &CaptureSet {
                documents: vec![kyc_core::analysis::ImageData::Encoded(jpeg())],
                selfie: Some(kyc_core::analysis::ImageData::Encoded(jpeg())),
                ..CaptureSet::default()
            },
            Arc::new(FixedClock(t0())),
            Arc::new(SeededEntropy::from_u64(2)),
            None,
        )
        .unwrap();
    let result: Value = serde_json::from_str(&result).unwrap();
    assert_eq!(result["decision"]["status"], "manual_review");
}
