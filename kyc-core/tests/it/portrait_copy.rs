//! `selfie.portrait_copy` through the engine, with the real models: the document's own portrait
//! presented as the selfie (the page itself, or the portrait photographed from close by) fails
//! critically and the session is not approved; the holder photographed anew passes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use kyc_core::analysis::{CaptureImage, ImageKind};
use kyc_core::face::analyzer::{PipelineFaceAnalyzer, WithPortrait};
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::session::{CaptureOutcome, Origin};
use kyc_core::{CheckOutcome, CheckResult, Engine, FixedClock, SeededEntropy, SessionStatus};

use crate::common::{decoded, encode_jpeg, fixture, models, scenario, t0};

const PASSPORT: &str = "documents/0002_passport_genuine_photo.jpg";

/// The passport's front, then `selfie` as long as the session takes captures (at most five
/// times): the first selfie capture's `selfie.portrait_copy`, its outcome and the session's final
/// status with its reason.
fn run(engine: &Engine, selfie: Vec<u8>) -> (CheckResult, CaptureOutcome, SessionStatus, String) {
    let s = scenario("passport_selfie");
    let mut session = engine.create_session(&s, Origin::Api);
    let document = std::fs::read(fixture(PASSPORT)).unwrap();
    engine
        .submit_capture(
            &s,
            &mut session,
            "passport",
            &[CaptureImage::encoded(ImageKind::DocumentFront, document)],
        )
        .unwrap();
    for _ in 0..5 {
        if !session.status.accepts_captures() {
            break;
        }
        engine
            .submit_capture(
                &s,
                &mut session,
                "selfie",
                &[CaptureImage::encoded(ImageKind::Selfie, selfie.clone())],
            )
            .unwrap();
    }
    let first = session
        .step("selfie")
        .and_then(|s| s.captures.first())
        .expect("no selfie capture");
    let check = first
        .checks
        .iter()
        .find(|c| c.check == "selfie.portrait_copy")
        .cloned()
        .expect("no selfie.portrait_copy");
    (
        check,
        first.outcome,
        session.status,
        session.status_reason.clone(),
    )
}

#[test]
fn the_documents_portrait_as_the_selfie_fails_and_a_new_photograph_passes() {
    let Some((runtime, source)) = models() else {
        return;
    };
    let pipeline =
        Arc::new(FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap());
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(5)),
    )
    .document_analyzer(Arc::new(WithPortrait::new(None, pipeline.clone())))
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(pipeline.clone())))
    .build();

    // The holder photographed anew (fixtures/faces/holder_selfie.png, examples/gen_selfie.rs).
    let holder = std::fs::read(fixture("faces/holder_selfie.png")).unwrap();
    let (new, outcome, status, _) = run(&engine, holder);
    assert_eq!(new.outcome, CheckOutcome::Passed, "{new:?}");
    assert_eq!(new.reason_code, "face.portrait_copy.new_photo");
    assert!(new.score.unwrap() < 0.85, "{new:?}");
    // Not failed: nothing in it is a copy (checks whose models this engine lacks are unavailable,
    // so it goes to review, not to approval).
    assert_ne!(outcome, CaptureOutcome::Failed);
    assert_eq!(status, SessionStatus::ManualReview);

    // The passport photo itself uploaded as the selfie, and its portrait photographed from close
    // by (the face's box with a margin, enlarged three times and re-saved as JPEG).
    let page = decoded(&fixture(PASSPORT));
    let face = pipeline.main_face(&page).unwrap().unwrap().face.bbox;
    let (x, y) = (
        (face.x - face.width * 0.6).max(0.0),
        (face.y - face.height * 0.6).max(0.0),
    );
    let crop = image::imageops::crop_imm(
        &page,
        x as u32,
        y as u32,
        (face.width * 2.2) as u32,
        (face.height * 2.2) as u32,
    )
    .to_image();
    let close_up = image::imageops::resize(
        &crop,
        crop.width() * 3,
        crop.height() * 3,
        image::imageops::FilterType::CatmullRom,
    );
    for (what, selfie) in [
        ("page", std::fs::read(fixture(PASSPORT)).unwrap()),
        ("close-up", encode_jpeg(&close_up)),
    ] {
        let (copy, outcome, status, reason) = run(&engine, selfie);
        assert_eq!(copy.outcome, CheckOutcome::Failed, "{what}: {copy:?}");
        assert_eq!(copy.reason_code, "face.portrait_copy.same_photo", "{what}");
        assert!(copy.critical, "{what}");
        assert!(copy.score.unwrap() > copy.threshold.unwrap(), "{what}");
        assert_eq!(outcome, CaptureOutcome::Failed, "{what}");
        // Each copy is a critical error; the scenario blocks at its third.
        assert_eq!(status, SessionStatus::Blocked, "{what}");
        assert_eq!(reason, "decision.critical_errors", "{what}");
    }
}
