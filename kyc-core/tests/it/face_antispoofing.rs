//! FaceAntiSpoofing, the passive-liveness model, on real images with the converted model
//! (`models/converted/FaceAntiSpoofing.onnx`, copied into `KYC_MODEL_DIR` by
//! scripts/fetch_models.py). Each test says it skipped when the models are not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use kyc_core::CheckOutcome;
use kyc_core::analysis::{CaptureImage, FaceAnalyzer, ImageKind};
use kyc_core::face::analyzer::PipelineFaceAnalyzer;
use kyc_core::face::antispoofing::{FaceAntiSpoofing, LEAVES, MAX_SPOOF_SCORE};
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::model::{ModelAnalyzers, RuntimeOptions};
use kyc_core::scenario::{LivenessMode, LivenessStep, Step};
use kyc_core::session::{CaptureReport, Origin};
use kyc_core::{CheckResult, Engine, FixedClock, SeededEntropy};

use crate::common::models as installed;

fn read(rel: &str) -> image::RgbImage {
    crate::common::decoded(&crate::common::fixture(rel))
}

#[test]
fn faceantispoofing_matches_the_tflite_source_on_the_golden_crop() {
    let Some((runtime, source)) = installed() else {
        return;
    };
    let model = FaceAntiSpoofing::load(&runtime, &source).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::fixture(
            "expected/faceantispoofing_astronaut.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let crop = read(golden["crop"].as_str().unwrap());
    let mirrored = image::imageops::flip_horizontal(&crop);
    for (input, expected) in [crop, mirrored]
        .iter()
        .zip(golden["outputs"].as_array().unwrap())
    {
        let got = model.score_crop(input).unwrap();
        let mask: Vec<f64> = expected["Identity_1"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(mask.len(), LEAVES);
        assert_eq!(mask[got.leaf], 1.0, "the TFLite model reached another leaf");
        let expected_score = expected["Identity"][got.leaf].as_f64().unwrap().abs();
        // ONNX Runtime against the TFLite interpreter: about 1e-6 was measured.
        assert!(
            (got.score - expected_score).abs() < 1e-4,
            "score {} against TFLite's {expected_score}",
            got.score
        );
    }
    // A crop of the wrong size is a typed error, not a panic.
    let err = model
        .score_crop(&image::RgbImage::new(128, 256))
        .unwrap_err();
    assert_eq!(err.code(), "model.inference");
}

/// An engine with one passive-liveness step, the model's verdict asked for or not, and the model
/// loaded or not.
fn liveness_engine(spoof_model: bool, loaded: bool) -> Option<(Engine, kyc_core::Scenario)> {
    let (runtime, source) = installed()?;
    let pipeline =
        Arc::new(FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap());
    let mut analyzer = PipelineFaceAnalyzer::new(pipeline);
    if loaded {
        analyzer = analyzer
            .with_anti_spoofing(Arc::new(FaceAntiSpoofing::load(&runtime, &source).unwrap()));
    }
    Some(liveness_engine_with(Arc::new(analyzer), spoof_model))
}

/// An engine over `analyzer` with one passive-liveness step.
fn liveness_engine_with(
    analyzer: Arc<dyn FaceAnalyzer>,
    spoof_model: bool,
) -> (Engine, kyc_core::Scenario) {
    let mut scenario = crate::common::scenario("passport_selfie");
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.steps = vec![Step::Liveness(LivenessStep {
        id: "liveness".into(),
        mode: LivenessMode::Passive,
        challenges: 2,
        spoof_model,
    })];
    let engine = Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(5)),
    )
    .face_analyzer(analyzer)
    .build();
    (engine, scenario)
}

fn submit(engine: &Engine, scenario: &kyc_core::Scenario, photo: &str) -> CaptureReport {
    let bytes = std::fs::read(crate::common::fixture(photo)).unwrap();
    let mut session = engine.create_session(scenario, Origin::Api);
    engine
        .submit_capture(
            scenario,
            &mut session,
            "liveness",
            &[CaptureImage::encoded(ImageKind::Selfie, bytes)],
        )
        .unwrap()
}

fn find<'a>(report: &'a CaptureReport, id: &str) -> Option<&'a CheckResult> {
    report.checks.iter().find(|c| c.check == id)
}

/// A passport photographed and shown to the camera as if it were the person: its portrait has no
/// screen grid, no halftone and full colour, so the image signals pass it. The model sees a
/// reproduced face.
#[test]
fn a_document_portrait_shown_as_a_selfie_passes_the_image_signals_but_not_the_model() {
    let photo = "documents/0002_passport_genuine_photo.jpg";
    let Some((engine, scenario)) = liveness_engine(true, true) else {
        return;
    };
    let report = submit(&engine, &scenario, photo);
    for signal in ["screen", "halftone", "colour"] {
        let c = find(&report, &format!("liveness.passive.{signal}")).unwrap();
        assert_eq!(c.outcome, CheckOutcome::Passed, "{c:?}");
    }
    let model = find(&report, "liveness.passive.model").unwrap();
    assert_eq!(model.outcome, CheckOutcome::Failed, "{model:?}");
    assert_eq!(model.reason_code, "liveness.passive.model_spoof");
    assert_eq!(model.threshold, Some(MAX_SPOOF_SCORE));
    assert!(model.score.unwrap() > 0.9, "{model:?}");

    // The same verdict straight from the model on the detector's box.
    let (runtime, source) = installed().unwrap();
    let pipeline = FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap();
    let image = read(photo);
    let face = pipeline.detect(&image).unwrap().remove(0);
    let direct = FaceAntiSpoofing::load(&runtime, &source)
        .unwrap()
        .score(&image, &face.bbox)
        .unwrap();
    assert!((direct.score - model.score.unwrap()).abs() < 1e-9);

    // Without `spoof_model` the step judges by the image signals alone, and passes this photo:
    // the gap the model closes.
    let (engine, scenario) = liveness_engine(false, true).unwrap();
    let report = submit(&engine, &scenario, photo);
    assert!(find(&report, "liveness.passive.model").is_none());
    assert!(
        report
            .checks
            .iter()
            .all(|c| c.outcome == CheckOutcome::Passed),
        "{:?}",
        report.checks
    );
}

#[test]
fn a_step_asking_for_the_model_without_it_is_unavailable_not_passed() {
    let Some((engine, scenario)) = liveness_engine(true, false) else {
        return;
    };
    let report = submit(&engine, &scenario, "faces/astronaut.png");
    let model = find(&report, "liveness.passive.model").unwrap();
    assert_eq!(model.outcome, CheckOutcome::Unavailable);
    assert_eq!(model.reason_code, "liveness.passive.no_model");
}

/// The selfie step's `screen_photo` check takes the model too when the step asks for it.
#[test]
fn a_selfie_step_asking_for_the_model_holds_the_selfie_to_it() {
    let Some((runtime, source)) = installed() else {
        return;
    };
    let pipeline =
        Arc::new(FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap());
    let analyzer = PipelineFaceAnalyzer::new(pipeline)
        .with_anti_spoofing(Arc::new(FaceAntiSpoofing::load(&runtime, &source).unwrap()));
    let engine = Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(5)),
    )
    .face_analyzer(Arc::new(analyzer))
    .build();
    let mut scenario = crate::common::scenario("passport_selfie");
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.steps.remove(0);
    let Step::Selfie(selfie) = &mut scenario.steps[0] else {
        panic!("the scenario's second step is the selfie");
    };
    selfie.checks = kyc_core::scenario::SelfieChecks {
        face_match: false,
        not_modified: false,
        screen_photo: true,
        spoof_model: true,
        document_in_hand: false,
        age_gender_match: false,
        deepfake: false,
        generator_framing: false,
        quality: false,
    };
    let step = selfie.id.clone();
    let bytes = std::fs::read(crate::common::fixture(
        "documents/0004_passport_genuine_photo.jpg",
    ))
    .unwrap();
    let mut session = engine.create_session(&scenario, Origin::Api);
    let report = engine
        .submit_capture(
            &scenario,
            &mut session,
            &step,
            &[CaptureImage::encoded(ImageKind::Selfie, bytes)],
        )
        .unwrap();
    let model = find(&report, "selfie.screen_photo.model").unwrap();
    assert_eq!(model.outcome, CheckOutcome::Failed, "{model:?}");
    assert_eq!(model.reason_code, "liveness.passive.model_spoof");
    let screen = find(&report, "selfie.screen_photo.screen").unwrap();
    assert_eq!(screen.outcome, CheckOutcome::Passed, "{screen:?}");
}

/// The shipped analysers build the model only when a step first asks for it: steps that do not
/// ask leave it unbuilt, and the first that does gets the same verdict as a model built up front.
#[test]
fn the_shipped_analysers_build_the_model_on_first_use() {
    let Some((_, source)) = installed() else {
        return;
    };
    let loaded = ModelAnalyzers::load(&source, RuntimeOptions::default()).unwrap();
    let lazy = loaded
        .anti_spoofing
        .clone()
        .expect("the model file is installed");
    assert!(!lazy.is_loaded());
    let engine_with =
        |spoof_model| liveness_engine_with(loaded.analyzers.face.clone().unwrap(), spoof_model);
    let photo = "documents/0002_passport_genuine_photo.jpg";
    let (engine, scenario) = engine_with(false);
    let report = submit(&engine, &scenario, photo);
    assert!(find(&report, "liveness.passive.model").is_none());
    assert!(
        !lazy.is_loaded(),
        "a step without spoof_model built the model"
    );

    let (engine, scenario) = engine_with(true);
    let report = submit(&engine, &scenario, photo);
    assert!(lazy.is_loaded());
    let model = find(&report, "liveness.passive.model").unwrap();
    assert_eq!(model.reason_code, "liveness.passive.model_spoof");
    let (up_front, scenario) = liveness_engine(true, true).unwrap();
    let direct = submit(&up_front, &scenario, photo);
    assert_eq!(
        find(&direct, "liveness.passive.model").unwrap().score,
        model.score
    );
}
