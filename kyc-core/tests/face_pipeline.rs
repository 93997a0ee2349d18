//! The face pipeline on real images with the real models. Runs when the models are installed
//! (`KYC_MODEL_DIR`, as scripts/setup.sh exports); the shared-pairs floor runs when `../shared` is
//! present too. Otherwise each test says it skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, OnceLock};

use kyc_core::analysis::{CaptureImage, ImageData, ImageKind};
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::embed::cosine;
use kyc_core::face::matcher::{FACE_MATCH_THRESHOLD, compare};
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::image::{ImageLimits, decode};
use kyc_core::model::{ModelSource, Runtime, RuntimeOptions};
use kyc_core::session::Origin;
use kyc_core::{CheckOutcome, Engine, FixedClock, SeededEntropy};

fn pipeline() -> Option<Arc<FacePipeline>> {
    static PIPELINE: OnceLock<Option<Arc<FacePipeline>>> = OnceLock::new();
    PIPELINE
        .get_or_init(|| {
            let Ok(source) = ModelSource::from_env() else {
                eprintln!(
                    "skipped: KYC_MODEL_DIR is not set (scripts/setup.sh installs the models)"
                );
                return None;
            };
            let runtime = Runtime::new(RuntimeOptions::default(), &source).unwrap();
            Some(Arc::new(
                FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap(),
            ))
        })
        .clone()
}

fn astronaut() -> image::RgbImage {
    let bytes = std::fs::read(common::fixture("faces/astronaut.png")).unwrap();
    decode(&ImageData::Encoded(bytes), &ImageLimits::default()).unwrap()
}

#[test]
fn finds_the_one_face_with_landmarks_inside_it() {
    let Some(p) = pipeline() else { return };
    let faces = p.detect(&astronaut()).unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let f = &faces[0];
    assert!(f.score > 0.9);
    for [x, y] in f.landmarks {
        assert!(
            x > f.bbox.x
                && x < f.bbox.x + f.bbox.width
                && y > f.bbox.y
                && y < f.bbox.y + f.bbox.height
        );
    }
    // Eyes above the nose above the mouth.
    assert!(f.landmarks[0][1] < f.landmarks[2][1] && f.landmarks[2][1] < f.landmarks[3][1]);
}

#[test]
fn the_same_face_matches_itself_across_scale_and_a_blank_image_has_none() {
    let Some(p) = pipeline() else { return };
    let img = astronaut();
    let big = image::imageops::resize(
        &img,
        img.width() * 2,
        img.height() * 2,
        image::imageops::FilterType::Triangle,
    );
    let a = p.main_face(&img).unwrap().unwrap();
    let b = p.main_face(&big).unwrap().unwrap();
    let m = compare(&a.template, &b.template, FACE_MATCH_THRESHOLD).unwrap();
    assert_eq!(m.outcome, CheckOutcome::Passed, "similarity {}", m.score);
    assert!(m.score > 0.8, "{}", m.score);
    let blank = image::RgbImage::from_pixel(640, 480, image::Rgb([128, 128, 128]));
    assert!(p.main_face(&blank).unwrap().is_none());
}

#[test]
fn a_selfie_is_matched_against_the_document_portrait_through_the_engine() {
    let Some(p) = pipeline() else { return };
    use kyc_core::face::analyzer::{PipelineFaceAnalyzer, WithPortrait};
    let mut scenario = common::scenario("passport_selfie");
    scenario.blacklist_id = None;
    scenario.fraud.block_history_mismatch = false;
    let engine = Engine::builder(
        Arc::new(FixedClock(common::t0())),
        Arc::new(SeededEntropy::from_u64(3)),
    )
    .document_analyzer(Arc::new(WithPortrait::new(None, p.clone())))
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(p)))
    .build();
    let photo = std::fs::read(common::fixture("faces/astronaut.png")).unwrap();
    let mut s = engine.create_session(&scenario, Origin::Api);
    let doc = engine
        .submit_capture(
            &scenario,
            &mut s,
            "passport",
            &[CaptureImage::encoded(
                ImageKind::DocumentFront,
                photo.clone(),
            )],
        )
        .unwrap();
    assert!(
        doc.checks
            .iter()
            .any(|c| c.check == "document.portrait" && c.outcome == CheckOutcome::Passed)
    );
    let selfie = engine
        .submit_capture(
            &scenario,
            &mut s,
            "selfie",
            &[CaptureImage::encoded(ImageKind::Selfie, photo)],
        )
        .unwrap();
    let m = selfie
        .checks
        .iter()
        .find(|c| c.check == "selfie.face_match")
        .unwrap();
    assert_eq!(m.outcome, CheckOutcome::Passed, "{m:?}");
    assert!(m.score.unwrap() > 0.99, "the same photo: {m:?}");
    assert_eq!(m.threshold, Some(FACE_MATCH_THRESHOLD));
    // The template stays in the session for matching and never reaches the result.
    let json = kyc_core::VerificationResult::build(&scenario, &s).to_json_pretty();
    assert!(!json.contains("\"vector\""));
}

#[test]
fn corrupt_images_are_typed_errors_through_the_engine() {
    let Some(p) = pipeline() else { return };
    use kyc_core::face::analyzer::PipelineFaceAnalyzer;
    let mut scenario = common::scenario("passport_selfie");
    scenario.steps.remove(0);
    if let kyc_core::scenario::Step::Selfie(s) = &mut scenario.steps[0] {
        s.checks.face_match = false;
        s.checks.age_gender_match = false;
    }
    scenario.blacklist_id = None;
    scenario.limits.age_range = None;
    let engine = Engine::builder(
        Arc::new(FixedClock(common::t0())),
        Arc::new(SeededEntropy::from_u64(3)),
    )
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(p)))
    .build();
    let mut s = engine.create_session(&scenario, Origin::Api);
    let mut truncated = std::fs::read(common::fixture("faces/astronaut.png")).unwrap();
    truncated.truncate(truncated.len() / 3);
    let err = engine
        .submit_capture(
            &scenario,
            &mut s,
            "selfie",
            &[CaptureImage::encoded(ImageKind::Selfie, truncated)],
        )
        .unwrap_err();
    assert_eq!(err.code(), "image.decode");
    assert!(
        s.steps[0].captures.is_empty(),
        "a refused image is no attempt"
    );
}

#[test]
fn no_errors_on_the_shared_labelled_pairs() {
    let Some(p) = pipeline() else { return };
    let faces = common::workspace().join("../shared/data/faces");
    let Ok(pairs) = std::fs::read_to_string(faces.join("pairs.jsonl")) else {
        eprintln!("skipped: ../shared/data/faces is absent");
        return;
    };
    let mut cache = std::collections::HashMap::new();
    let mut template = |name: &str| {
        cache
            .entry(name.to_owned())
            .or_insert_with(|| {
                let bytes = std::fs::read(faces.join(name)).unwrap();
                let img = decode(&ImageData::Encoded(bytes), &ImageLimits::default()).unwrap();
                p.main_face(&img).unwrap().map(|f| f.template)
            })
            .clone()
    };
    let (mut errors, mut n, mut lowest_genuine, mut highest_impostor) = (0, 0, f32::MAX, f32::MIN);
    for line in pairs.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (a, b) = (
            template(v["a"].as_str().unwrap()),
            template(v["b"].as_str().unwrap()),
        );
        let score = cosine(a.as_ref().unwrap(), b.as_ref().unwrap()).unwrap();
        let same = v["same"].as_bool().unwrap();
        if same {
            lowest_genuine = lowest_genuine.min(score);
        } else {
            highest_impostor = highest_impostor.max(score);
        }
        if same != (f64::from(score) >= FACE_MATCH_THRESHOLD) {
            errors += 1;
        }
        n += 1;
    }
    eprintln!(
        "{n} pairs, {errors} errors, lowest genuine {lowest_genuine:.4}, highest impostor {highest_impostor:.4}"
    );
    assert_eq!(n, 305);
    assert_eq!(errors, 0);
}

#[test]
fn estimates_the_astronauts_age_and_gender_on_dlibs_chip() {
    let Some(p) = pipeline() else { return };
    let source = ModelSource::from_env().unwrap();
    let runtime = Runtime::new(RuntimeOptions::default(), &source).unwrap();
    let estimator = kyc_core::face::age_gender::AgeGender::load(&runtime, &source).unwrap();
    let image = astronaut();
    let face = p.detect(&image).unwrap().remove(0);
    let estimate = estimator.estimate(&image, &face).unwrap().unwrap();
    // Eileen Collins, a woman photographed at about 37 (NASA portrait, 1992).
    assert!(estimate.male_probability < 0.3, "{estimate:?}");
    assert!((25.0..50.0).contains(&estimate.age), "{estimate:?}");
    // dlib's landmarks: outer then inner corner of each eye, the nose base below the eyes.
    let rect = kyc_core::face::age_gender::dlib_box(&face).unwrap();
    let shape = estimator.landmarks(&image, rect);
    assert!(shape[0][0] > shape[1][0] && shape[1][0] > shape[3][0] && shape[3][0] > shape[2][0]);
    assert!(shape[4][1] > shape[0][1] && shape[4][1] > shape[2][1]);
}

#[test]
fn a_corrupt_landmark_model_is_a_typed_error() {
    let Ok(source) = ModelSource::from_env() else {
        return;
    };
    let ModelSource::Dir(dir) = source else {
        return;
    };
    let copy = std::env::temp_dir().join(format!("kyc-bad-models-{}", std::process::id()));
    std::fs::create_dir_all(&copy).unwrap();
    for name in ["age-v1.onnx", "gender-v1.onnx", "libonnxruntime.so"] {
        let _ = std::fs::copy(dir.join(name), copy.join(name));
    }
    std::fs::write(
        copy.join("shape_predictor_5_face_landmarks.dat"),
        b"not dlib",
    )
    .unwrap();
    let bad = ModelSource::Dir(copy.clone());
    let runtime = Runtime::new(RuntimeOptions::default(), &ModelSource::Dir(dir)).unwrap();
    let err = kyc_core::face::age_gender::AgeGender::load(&runtime, &bad).unwrap_err();
    assert_eq!(err.code(), "model.hash_mismatch", "{err}");
    assert!(err.to_string().contains("shape5"), "{err}");
    std::fs::remove_dir_all(copy).unwrap();
}
