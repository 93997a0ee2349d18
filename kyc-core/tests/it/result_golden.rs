//! Golden result JSON and published schemas. Same inputs, same bytes: the clock is fixed and the
//! entropy seeded. Set `KYC_UPDATE_GOLDEN=1` to rewrite the files after an intended change, then
//! review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use kyc_core::analysis::ImageKind;
use kyc_core::session::Origin;
use kyc_core::{Engine, FixedClock, ManualClock, SeededEntropy, VerificationResult};

fn check_golden(rel: &str, actual: &str) {
    let path = fixture(rel);
    if crate::common::update_golden() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with KYC_UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{rel} differs from the engine's output:\n{actual}"
    );
}

#[test]
fn approved_passport_and_selfie() {
    let mut scenario = scenario("passport_selfie");
    scenario.fraud.block_history_mismatch = false;
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    let clock = Arc::new(ManualClock::new(t0()));
    let engine = Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(42)))
        .document_analyzer(ScriptedDocuments::new(vec![
            (
                passport_data("L898902C3", "1974-08-12", "2032-04-15"),
                vec![mrz_bad(), screen_photo(0.12)],
            ),
            (
                passport_data("L898902C3", "1974-08-12", "2032-04-15"),
                vec![mrz_ok(), screen_photo(0.08)],
            ),
        ]))
        .face_analyzer(Arc::new(ScriptedFaces { similarity: 0.6875 }))
        .build();
    let mut s = engine.create_session(&scenario, Origin::Api);
    for step in ["passport", "passport"] {
        clock.advance(jiff::SignedDuration::from_secs(30));
        engine
            .submit_capture(&scenario, &mut s, step, &[image(ImageKind::DocumentFront)])
            .unwrap();
    }
    clock.advance(jiff::SignedDuration::from_secs(45));
    engine
        .submit_capture(&scenario, &mut s, "selfie", &[image(ImageKind::Selfie)])
        .unwrap();
    let result = VerificationResult::build(&scenario, &s);
    assert_eq!(result.decision.status, kyc_core::SessionStatus::Approved);
    assert!(result.failure.is_none());
    check_golden(
        "expected/passport_selfie_approved.json",
        &result.to_json_pretty(),
    );
}

#[test]
fn id_card_without_analysers_goes_to_review() {
    let scenario = scenario("id_card_liveness");
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(42)),
    )
    .build();
    let mut s = engine.create_session(&scenario, Origin::Api);
    engine
        .submit_capture(
            &scenario,
            &mut s,
            "id-card",
            &[
                image(ImageKind::DocumentFront),
                image(ImageKind::DocumentBack),
            ],
        )
        .unwrap();
    let result = VerificationResult::build(&scenario, &s);
    assert_eq!(result.decision.status, kyc_core::SessionStatus::InProgress);
    check_golden(
        "expected/id_card_in_progress.json",
        &result.to_json_pretty(),
    );
}

#[test]
fn results_never_carry_face_templates_or_the_secret() {
    let mut scenario = scenario("passport_selfie");
    scenario.fraud.block_history_mismatch = false;
    let mut data = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    data.portrait = Some(kyc_core::face::FaceTemplate {
        model: "sface".into(),
        vector: vec![0.123_456_79; 128],
    });
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(1)),
    )
    .document_analyzer(ScriptedDocuments::new(vec![(data, vec![mrz_ok()])]))
    .build();
    let mut s = engine.create_session(&scenario, Origin::Api);
    engine
        .submit_capture(
            &scenario,
            &mut s,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    assert!(
        s.to_json().contains("0.12345679"),
        "the session keeps the template for matching"
    );
    let json = VerificationResult::build(&scenario, &s).to_json_pretty();
    assert!(!json.contains("0.12345679"));
    assert!(!json.contains("fixture-only-secret-key"));
}

#[test]
fn published_schemas_match_the_types() {
    for (name, schema) in kyc_core::schema::all() {
        let text = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap());
        check_golden(&format!("schema/{name}"), &text);
    }
}
