//! The face pipeline on real images with the real models. Runs when the models are installed
//! (`KYC_MODEL_DIR`, as scripts/setup.sh exports); the shared-pairs floor runs when `../shared` is
//! present too. Otherwise each test says it skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use kyc_core::analysis::{CaptureImage, ImageData, ImageKind};
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::embed::{SFace, cosine};
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
            let (runtime, source) = crate::common::models()?;
            Some(Arc::new(
                FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap(),
            ))
        })
        .clone()
}

use crate::common::{Surface, astronaut, rendered_turn};

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
fn sface_as_rewritten_at_load_matches_the_published_graph() {
    let Some((runtime, source)) = crate::common::models() else {
        return;
    };
    // kyc rewrites SFace's PRelus at load; the golden templates come from the unedited file run
    // by onnxruntime's own Python package (scripts/reference/sface_golden.py).
    let model = SFace::load(&runtime, &source).unwrap();
    let (crops, golden) = crate::common::golden_embeddings("sface_astronaut.json");
    for (aligned, expected) in crops.iter().zip(&golden) {
        let template = model.embed_aligned(aligned).unwrap();
        let worst = crate::common::largest_difference(&template.vector, expected);
        // Unit vectors; the rewrite changes the order of float additions only (1e-6 measured).
        assert!(
            worst < 1e-4,
            "largest difference from the published graph {worst}"
        );
    }
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
    let (engine, scenario) = crate::common::face_engine(p);
    let photo = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
    let (doc, selfie, s) = crate::common::submit_document_and_selfie(&engine, &scenario, &photo);
    assert!(
        doc.checks
            .iter()
            .any(|c| c.check == "document.portrait" && c.outcome == CheckOutcome::Passed)
    );
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
fn a_photo_turned_sideways_or_upside_down_is_searched_turned_and_mapped_back() {
    let Some(p) = pipeline() else { return };
    let upright = astronaut();
    let reference = p.detect(&upright).unwrap();
    for (name, turned) in [
        ("quarter", image::imageops::rotate90(&upright)),
        ("half", image::imageops::rotate180(&upright)),
        ("three quarters", image::imageops::rotate270(&upright)),
    ] {
        let faces = p.detect(&turned).unwrap();
        assert_eq!(faces.len(), 1, "{name}: {faces:?}");
        // Found in the turned photo, reported where the face is in that photo: its template
        // matches the upright photo's.
        let a = p.embed(&upright, &reference[0]).unwrap();
        let b = p.embed(&turned, &faces[0]).unwrap();
        let similarity = cosine(&a, &b).unwrap();
        assert!(similarity > 0.9, "{name}: {similarity}");
    }
}

#[test]
fn a_small_face_in_a_large_photo_is_found_in_tiles() {
    let Some(p) = pipeline() else { return };
    use kyc_core::face::detect::YuNet;
    // The astronaut's portrait at 200x250 px (the face about 70 px wide) in a 2600x1800 photo:
    // about 17 px once the whole photo is fitted to the detector's 640 px input, below what it
    // finds at its confidence threshold; 34 px in a tile.
    let small = image::imageops::resize(
        &astronaut(),
        200,
        250,
        image::imageops::FilterType::Triangle,
    );
    let mut photo = image::RgbImage::from_fn(2600, 1800, |x, y| {
        let v = 100 + ((x * 7 + y * 13) % 23) as u8;
        image::Rgb([v, v + 5, v + 10])
    });
    image::imageops::overlay(&mut photo, &small, 1700, 1100);
    let source = ModelSource::from_env().unwrap();
    let runtime = Runtime::new(RuntimeOptions::default(), &source).unwrap();
    let single_pass = YuNet::load(&runtime, &source, DetectOptions::default()).unwrap();
    assert!(
        single_pass.detect(&photo).unwrap().is_empty(),
        "the whole-photo pass alone should miss a face this small"
    );
    let faces = p.detect(&photo).unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let b = faces[0].bbox;
    assert!(
        b.x >= 1700.0 && b.x + b.width <= 1900.0 && b.y >= 1100.0 && b.y + b.height <= 1350.0,
        "{b:?}"
    );
}

fn selfie_with_document_checks(selfie: Vec<u8>, held: Vec<u8>) -> Vec<kyc_core::CheckResult> {
    let p = pipeline().unwrap();
    use kyc_core::face::analyzer::PipelineFaceAnalyzer;
    let mut scenario = crate::common::scenario("passport_selfie");
    scenario.steps.remove(0);
    if let kyc_core::scenario::Step::Selfie(s) = &mut scenario.steps[0] {
        s.checks = kyc_core::scenario::SelfieChecks {
            face_match: false,
            not_modified: false,
            screen_photo: false,
            spoof_model: false,
            document_in_hand: true,
            age_gender_match: false,
            deepfake: false,
            generator_framing: false,
            quality: false,
        };
    }
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.customer_face_list_id = None;
    scenario.limits.age_range = None;
    let engine = Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(3)),
    )
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(p)))
    .build();
    let mut s = engine.create_session(&scenario, Origin::Api);
    engine
        .submit_capture(
            &scenario,
            &mut s,
            "selfie",
            &[
                CaptureImage::encoded(ImageKind::Selfie, selfie),
                CaptureImage::encoded(ImageKind::SelfieWithDocument, held),
            ],
        )
        .unwrap()
        .checks
}

fn outcome_of(checks: &[kyc_core::CheckResult], id: &str) -> CheckOutcome {
    checks
        .iter()
        .find(|c| c.check == id)
        .unwrap_or_else(|| panic!("no {id} in {checks:?}"))
        .outcome
}

#[test]
fn the_held_documents_portrait_and_the_holder_match_the_selfie() {
    if pipeline().is_none() {
        return;
    }
    let selfie = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
    let checks = selfie_with_document_checks(selfie, crate::common::held_document_frame());
    for id in [
        "selfie.document_in_hand",
        "selfie.document_in_hand.same_person",
        "selfie.document_in_hand.portrait_match",
    ] {
        assert_eq!(
            outcome_of(&checks, id),
            CheckOutcome::Passed,
            "{id}: {checks:?}"
        );
    }
    let portrait = checks
        .iter()
        .find(|c| c.check == "selfie.document_in_hand.portrait_match")
        .unwrap();
    assert_eq!(portrait.threshold, Some(FACE_MATCH_THRESHOLD));
}

#[test]
fn a_frame_without_the_document_fails_document_in_hand() {
    if pipeline().is_none() {
        return;
    }
    let selfie = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
    let checks = selfie_with_document_checks(selfie.clone(), selfie);
    assert_eq!(
        outcome_of(&checks, "selfie.document_in_hand"),
        CheckOutcome::Failed,
        "{checks:?}"
    );
    assert!(
        !checks
            .iter()
            .any(|c| c.check == "selfie.document_in_hand.portrait_match"),
        "no portrait to compare: {checks:?}"
    );
}

#[test]
fn without_a_selfie_face_the_held_portrait_is_held_to_its_holder() {
    if pipeline().is_none() {
        return;
    }
    let mut blank = Vec::new();
    image::RgbImage::from_pixel(400, 400, image::Rgb([120, 120, 120]))
        .write_to(
            &mut std::io::Cursor::new(&mut blank),
            image::ImageFormat::Png,
        )
        .unwrap();
    let checks = selfie_with_document_checks(blank, crate::common::held_document_frame());
    assert_eq!(
        outcome_of(&checks, "selfie.document_in_hand.same_person"),
        CheckOutcome::Unavailable,
        "{checks:?}"
    );
    let portrait = checks
        .iter()
        .find(|c| c.check == "selfie.document_in_hand.portrait_match")
        .unwrap_or_else(|| panic!("portrait match not reported: {checks:?}"));
    assert_eq!(portrait.outcome, CheckOutcome::Passed, "{portrait:?}");
    assert!(portrait.message.contains("holder"), "{portrait:?}");
}

#[test]
fn someone_else_holding_the_document_fails_both_matches() {
    if pipeline().is_none() {
        return;
    }
    // Another person's selfie (a shared evaluation photo, read at run time, never committed).
    let other = crate::common::workspace()
        .join("../shared/data/faces/deepface/tests/unit/dataset/img1.jpg");
    let Ok(selfie) = std::fs::read(&other) else {
        crate::common::skip(&format!("{} is absent", other.display()));
        return;
    };
    let checks = selfie_with_document_checks(selfie, crate::common::held_document_frame());
    for id in [
        "selfie.document_in_hand.same_person",
        "selfie.document_in_hand.portrait_match",
    ] {
        assert_eq!(
            outcome_of(&checks, id),
            CheckOutcome::Failed,
            "{id}: {checks:?}"
        );
    }
}

#[test]
fn corrupt_images_are_typed_errors_through_the_engine() {
    let Some(p) = pipeline() else { return };
    use kyc_core::face::analyzer::PipelineFaceAnalyzer;
    let mut scenario = crate::common::scenario("passport_selfie");
    scenario.steps.remove(0);
    if let kyc_core::scenario::Step::Selfie(s) = &mut scenario.steps[0] {
        s.checks.face_match = false;
        s.checks.age_gender_match = false;
    }
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.limits.age_range = None;
    let engine = Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(3)),
    )
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(p)))
    .build();
    let mut s = engine.create_session(&scenario, Origin::Api);
    let mut truncated = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
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
    let faces = crate::common::workspace().join("../shared/data/faces");
    let Ok(pairs) = std::fs::read_to_string(faces.join("pairs.jsonl")) else {
        crate::common::skip("../shared/data/faces is absent");
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

#[test]
fn active_liveness_follows_the_sessions_challenge() {
    let Some(p) = pipeline() else { return };
    use kyc_core::face::active::Challenge;
    use kyc_core::face::analyzer::PipelineFaceAnalyzer;
    use kyc_core::scenario::{LivenessMode, LivenessStep, Step};
    let mut scenario = crate::common::scenario("passport_selfie");
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.steps = vec![Step::Liveness(LivenessStep {
        id: "liveness".into(),
        mode: LivenessMode::Active,
        challenges: 3,
        spoof_model: false,
    })];
    let engine = Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(11)),
    )
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(p.clone())))
    .build();
    let image = astronaut();
    let face = p.detect(&image).unwrap().remove(0);
    let still = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
    // The portrait rendered on a surface (a head, or a flat photo) moved as asked, each frame
    // with its own camera noise (crate::common::rendered_turn).
    let frames_on = |surface: Surface, challenge: &[Challenge]| {
        let mut n = 0u64;
        let mut frame = |yaw: f32, pitch: f32| {
            n += 1;
            rendered_turn(&image, &face, surface, yaw, pitch, n)
        };
        let mut frames = vec![frame(0.0, 0.0)];
        for c in challenge {
            match c {
                // The subject's left is the image's right in an unmirrored frame.
                Challenge::TurnLeft => frames.push(frame(35.0, 0.0)),
                Challenge::TurnRight => frames.push(frame(-35.0, 0.0)),
                Challenge::Nod => {
                    frames.push(frame(0.0, 20.0));
                    frames.push(frame(0.0, -25.0));
                }
            }
            frames.push(frame(0.0, 0.0));
        }
        frames
            .into_iter()
            .map(|f| CaptureImage::encoded(ImageKind::LivenessFrame, f))
            .collect::<Vec<_>>()
    };
    let frames_for = |challenge: &[Challenge]| frames_on(Surface::Head, challenge);
    let check = |c: &kyc_core::session::CaptureReport, id: &str| {
        c.checks.iter().find(|x| x.check == id).unwrap().clone()
    };

    let mut s = engine.create_session(&scenario, Origin::Api);
    let challenge = engine
        .liveness_challenge(&scenario, &s, "liveness")
        .unwrap();
    assert_eq!(challenge.len(), 3);
    let done = engine
        .submit_capture(&scenario, &mut s, "liveness", &frames_for(&challenge))
        .unwrap();
    let moves = check(&done, "liveness.active.challenges");
    assert_eq!(
        moves.outcome,
        CheckOutcome::Passed,
        "{challenge:?}: {:?}",
        done.checks
    );
    assert_eq!(
        check(&done, "liveness.active.same_person").outcome,
        CheckOutcome::Passed
    );
    assert_eq!(
        check(&done, "liveness.active.face_count").outcome,
        CheckOutcome::Passed
    );
    assert_eq!(
        check(&done, "liveness.active.depth").outcome,
        CheckOutcome::Passed,
        "{:?}",
        check(&done, "liveness.active.depth")
    );
    assert_eq!(
        check(&done, "liveness.active.sequence").outcome,
        CheckOutcome::Passed
    );
    assert_eq!(
        done.outcome,
        kyc_core::session::CaptureOutcome::Passed,
        "{:?}",
        done.checks
    );

    // The same movements as a flat photo tilted before the camera: its texture moves by one
    // homography, so the depth check fails it, critically (the turns barely move its nose
    // against its eyes, so the challenge fails too).
    let mut flat_session = engine.create_session(&scenario, Origin::Api);
    let asked = engine
        .liveness_challenge(&scenario, &flat_session, "liveness")
        .unwrap();
    let flat = engine
        .submit_capture(
            &scenario,
            &mut flat_session,
            "liveness",
            &frames_on(Surface::Flat, &asked),
        )
        .unwrap();
    let depth = check(&flat, "liveness.active.depth");
    if depth.outcome != CheckOutcome::Unavailable {
        assert_eq!(depth.outcome, CheckOutcome::Failed, "{depth:?}");
        assert!(depth.critical);
    }
    assert_eq!(flat.outcome, kyc_core::session::CaptureOutcome::Failed);

    // The movements of another order (a replay made for a different session) fail, and so does a
    // still photo.
    let mut s2 = engine.create_session(&scenario, Origin::Api);
    let other = engine
        .liveness_challenge(&scenario, &s2, "liveness")
        .unwrap();
    let wrong: Vec<Challenge> = other
        .iter()
        .map(|c| match c {
            Challenge::TurnLeft => Challenge::TurnRight,
            Challenge::TurnRight => Challenge::Nod,
            Challenge::Nod => Challenge::TurnLeft,
        })
        .collect();
    let replay = engine
        .submit_capture(&scenario, &mut s2, "liveness", &frames_for(&wrong))
        .unwrap();
    assert_eq!(
        check(&replay, "liveness.active.challenges").outcome,
        CheckOutcome::Failed,
        "{other:?} answered with {wrong:?}"
    );
    let mut s3 = engine.create_session(&scenario, Origin::Api);
    let photo: Vec<CaptureImage> = (0..5)
        .map(|_| CaptureImage::encoded(ImageKind::LivenessFrame, still.clone()))
        .collect();
    let frozen = engine
        .submit_capture(&scenario, &mut s3, "liveness", &photo)
        .unwrap();
    let c = check(&frozen, "liveness.active.challenges");
    assert_eq!(c.outcome, CheckOutcome::Failed);
    assert_eq!(c.score, Some(0.0));
    // Five copies of one picture are no recording.
    let seq = check(&frozen, "liveness.active.sequence");
    assert_eq!(seq.outcome, CheckOutcome::Failed);
    assert_eq!(seq.reason_code, "liveness.active.repeated_frame");
}

/// The selfie step's check `id` after a document and `photo` as the selfie.
fn selfie_check(
    engine: &Engine,
    scenario: &kyc_core::Scenario,
    photo: &[u8],
    id: &str,
) -> kyc_core::CheckResult {
    let (_, selfie, _) = crate::common::submit_document_and_selfie(engine, scenario, photo);
    selfie
        .checks
        .into_iter()
        .find(|c| c.check == id)
        .unwrap_or_else(|| panic!("no {id} check"))
}

#[test]
fn a_selfie_saved_by_an_editor_fails_not_modified_and_a_raw_frame_is_unavailable() {
    let Some(p) = pipeline() else { return };
    let (engine, scenario) = crate::common::face_engine(p);
    let image = astronaut();
    let plain = crate::common::encode_jpeg(&image);
    // The same JPEG with a comment segment naming an editor, right after the start-of-image marker.
    let edited = crate::common::with_jpeg_segment(&plain, 0xFE, b"Edited with GIMP");
    let not_modified =
        |photo: &[u8]| selfie_check(&engine, &scenario, photo, "selfie.not_modified.metadata");
    let clean = not_modified(&plain);
    assert_eq!(clean.outcome, CheckOutcome::Passed, "{clean:?}");
    assert_eq!(
        clean.reason_code,
        "selfie.not_modified.no_editor_in_metadata"
    );
    let caught = not_modified(&edited);
    assert_eq!(caught.outcome, CheckOutcome::Failed, "{caught:?}");
    assert!(caught.critical);
    assert_eq!(caught.reason_code, "selfie.not_modified.editor_in_metadata");
    assert!(caught.message.contains("gimp"), "{caught:?}");

    // A raw camera frame has no file to read.
    let mut s = engine.create_session(&scenario, Origin::Api);
    let png = std::fs::read(crate::common::fixture("faces/astronaut.png")).unwrap();
    engine
        .submit_capture(
            &scenario,
            &mut s,
            "passport",
            &[CaptureImage::encoded(ImageKind::DocumentFront, png)],
        )
        .unwrap();
    let raw = CaptureImage::new(
        ImageKind::Selfie,
        kyc_core::analysis::ImageData::Raw {
            width: image.width(),
            height: image.height(),
            format: kyc_core::analysis::PixelFormat::Rgb8,
            pixels: image.as_raw().clone(),
        },
    );
    let selfie = engine
        .submit_capture(&scenario, &mut s, "selfie", &[raw])
        .unwrap();
    let c = selfie
        .checks
        .iter()
        .find(|c| c.check == "selfie.not_modified.metadata")
        .unwrap();
    assert_eq!(c.outcome, CheckOutcome::Unavailable, "{c:?}");
    assert_eq!(c.reason_code, "selfie.not_modified.no_file");
}

#[test]
fn a_selfie_labelled_as_generated_fails_the_deepfake_check_and_a_camera_jpeg_passes() {
    let Some(p) = pipeline() else { return };
    let (engine, mut scenario) = crate::common::face_engine(p);
    for step in &mut scenario.steps {
        if let kyc_core::scenario::Step::Selfie(s) = step {
            s.checks.deepfake = true;
        }
    }
    let plain = crate::common::encode_jpeg(&astronaut());
    // The same JPEG with the XMP label generators write (IPTC digital source type).
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF>\
        <rdf:Description Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/\
        digitalsourcetype/trainedAlgorithmicMedia\"/></rdf:RDF></x:xmpmeta>";
    let labelled = crate::common::with_jpeg_segment(&plain, 0xE1, xmp);
    let deepfake = |photo: &[u8]| selfie_check(&engine, &scenario, photo, "selfie.deepfake");
    let clean = deepfake(&plain);
    assert_eq!(clean.outcome, CheckOutcome::Passed, "{clean:?}");
    assert_eq!(clean.reason_code, "selfie.deepfake.no_synthetic_mark");
    let caught = deepfake(&labelled);
    assert_eq!(caught.outcome, CheckOutcome::Failed, "{caught:?}");
    assert!(caught.critical);
    assert_eq!(
        caught.reason_code,
        "selfie.deepfake.synthetic_mark_in_metadata"
    );
    assert!(
        caught.message.contains("trainedalgorithmicmedia"),
        "{caught:?}"
    );
}

#[test]
fn a_selfie_framed_as_stylegan_frames_faces_fails_the_generator_alignment_check() {
    let Some(p) = pipeline() else { return };
    let (engine, mut scenario) = crate::common::face_engine(p.clone());
    for step in &mut scenario.steps {
        if let kyc_core::scenario::Step::Selfie(s) = step {
            s.checks.generator_framing = true;
        }
    }
    let photo = astronaut();
    let face = kyc_core::face::detect::largest(&p.detect(&photo).unwrap())
        .cloned()
        .unwrap();
    // The astronaut cut as FFHQ cuts faces, which generators trained on it reproduce.
    let transform = kyc_core::face::generated::ffhq_crop(&face.landmarks, 256).unwrap();
    let framed = kyc_core::face::geometry::warp_affine(&photo, &transform, 256, 256).unwrap();
    let check = |image: &image::RgbImage| {
        selfie_check(
            &engine,
            &scenario,
            &crate::common::encode_jpeg(image),
            kyc_core::face::generated::CHECK,
        )
    };
    let caught = check(&framed);
    assert_eq!(caught.outcome, CheckOutcome::Failed, "{caught:?}");
    assert!(!caught.critical, "a review, not a fraud signal");
    assert!(caught.score.unwrap() < 0.02, "{caught:?}");
    assert_eq!(
        caught.reason_code,
        "selfie.deepfake.generator_alignment.generator_framing"
    );
    // The photo as taken passes, and so does the same crop on a larger canvas (the face off the
    // place generators put it).
    let plain = check(&photo);
    assert_eq!(plain.outcome, CheckOutcome::Passed, "{plain:?}");
    let wide = kyc_core::face::geometry::warp_affine(&photo, &transform, 320, 320).unwrap();
    let wide = check(&wide);
    assert_eq!(wide.outcome, CheckOutcome::Passed, "{wide:?}");
}
