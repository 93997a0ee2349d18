//! Liveness bound to the identity, with the real models: the live face must be the selfie's and
//! the document portrait's person, and it is searched in the face lists like the selfie. Two real
//! people: the astronaut portrait and Grace Hopper's (fixtures/faces).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use kyc_core::analysis::{CaptureImage, FaceLists as _, ImageKind};
use kyc_core::face::analyzer::{PipelineFaceAnalyzer, WithPortrait};
use kyc_core::face::detect::DetectOptions;
use kyc_core::face::gallery::InMemoryFaceLists;
use kyc_core::face::pipeline::FacePipeline;
use kyc_core::scenario::{LivenessMode, LivenessStep, Scenario, Step};
use kyc_core::session::Origin;
use kyc_core::{
    CheckOutcome, CheckResult, Engine, FixedClock, SeededEntropy, Session, SessionStatus,
};

fn pipeline() -> Option<Arc<FacePipeline>> {
    let (runtime, source) = crate::common::models()?;
    Some(Arc::new(
        FacePipeline::load(&runtime, &source, DetectOptions::default()).unwrap(),
    ))
}

fn photo(name: &str) -> Vec<u8> {
    std::fs::read(crate::common::fixture(&format!("faces/{name}"))).unwrap()
}

/// Passport (the astronaut's portrait), selfie, then a liveness step of `mode`.
fn scenario(mode: LivenessMode) -> Scenario {
    let mut s = crate::common::scenario("passport_selfie");
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = false;
    s.limits.critical_errors_before_block = 1;
    s.steps.push(Step::Liveness(LivenessStep {
        id: "liveness".into(),
        mode,
        challenges: 1,
        spoof_model: false,
    }));
    s
}

fn engine(p: &Arc<FacePipeline>, lists: Arc<InMemoryFaceLists>) -> Engine {
    Engine::builder(
        Arc::new(FixedClock(crate::common::t0())),
        Arc::new(SeededEntropy::from_u64(4)),
    )
    .document_analyzer(Arc::new(WithPortrait::new(None, p.clone())))
    .face_analyzer(Arc::new(PipelineFaceAnalyzer::new(p.clone())))
    .face_lists(lists)
    .build()
}

/// The astronaut's passport photo (the portrait the document analyser reads) and `selfie`.
fn document_and_selfie(engine: &Engine, s: &Scenario, selfie: &[u8]) -> Session {
    let mut session = engine.create_session(s, Origin::Api);
    let document = photo("astronaut.png");
    engine
        .submit_capture(
            s,
            &mut session,
            "passport",
            &[CaptureImage::encoded(ImageKind::DocumentFront, document)],
        )
        .unwrap();
    if session.status.accepts_captures() {
        engine
            .submit_capture(
                s,
                &mut session,
                "selfie",
                &[CaptureImage::encoded(ImageKind::Selfie, selfie.to_vec())],
            )
            .unwrap();
    }
    session
}

fn check<'a>(session: &'a Session, step: &str, id: &str) -> &'a CheckResult {
    session
        .step(step)
        .and_then(|s| s.captures.last())
        .and_then(|c| c.checks.iter().find(|c| c.check == id))
        .unwrap_or_else(|| panic!("no {id} in step {step}"))
}

#[test]
fn another_persons_or_the_portraits_face_fails_critically_and_the_holders_passes() {
    let Some(p) = pipeline() else { return };
    let s = scenario(LivenessMode::Passive);
    let lists = Arc::new(InMemoryFaceLists::calibrated().with_lists(["blacklist"]));
    let engine = engine(&p, lists);

    // The holder's own face at the liveness step: bound, and the session goes on to its end.
    let mut own = document_and_selfie(&engine, &s, &photo("holder_selfie.png"));
    let report = engine
        .submit_capture(
            &s,
            &mut own,
            "liveness",
            &[CaptureImage::encoded(
                ImageKind::Selfie,
                photo("holder_selfie.png"),
            )],
        )
        .unwrap();
    let bound = check(&own, "liveness", "liveness.identity");
    assert_eq!(bound.outcome, CheckOutcome::Passed, "{:?}", report.checks);
    assert!(bound.score.unwrap() >= bound.threshold.unwrap());
    let new = check(&own, "liveness", "liveness.portrait_copy");
    assert_eq!(new.outcome, CheckOutcome::Passed, "{new:?}");

    // The document's photo itself at the liveness step: the holder's face, but the portrait
    // again, not a live capture: a critical failure, and a block.
    let mut copied = document_and_selfie(&engine, &s, &photo("holder_selfie.png"));
    engine
        .submit_capture(
            &s,
            &mut copied,
            "liveness",
            &[CaptureImage::encoded(
                ImageKind::Selfie,
                photo("astronaut.png"),
            )],
        )
        .unwrap();
    let copy = check(&copied, "liveness", "liveness.portrait_copy");
    assert_eq!(copy.outcome, CheckOutcome::Failed, "{copy:?}");
    assert_eq!(copy.reason_code, "face.portrait_copy.same_photo");
    assert!(copy.critical);
    assert_eq!(
        check(&copied, "liveness", "liveness.identity").outcome,
        CheckOutcome::Passed
    );
    assert_eq!(copied.status, SessionStatus::Blocked);
    assert_eq!(copied.status_reason, "decision.critical_errors");

    // A fraudster's live face after the victim's selfie: a critical failure, and with one
    // critical error allowed, a block.
    let mut swapped = document_and_selfie(&engine, &s, &photo("holder_selfie.png"));
    engine
        .submit_capture(
            &s,
            &mut swapped,
            "liveness",
            &[CaptureImage::encoded(
                ImageKind::Selfie,
                photo("grace_hopper.jpg"),
            )],
        )
        .unwrap();
    let other = check(&swapped, "liveness", "liveness.identity");
    assert_eq!(other.outcome, CheckOutcome::Failed);
    assert_eq!(other.reason_code, "face.identity.other_person");
    assert!(other.critical);
    assert!(other.score.unwrap() < 0.3, "{other:?}");
    assert_eq!(swapped.status, SessionStatus::Blocked);
    assert_eq!(swapped.status_reason, "decision.critical_errors");
}

#[test]
fn a_live_face_on_the_blacklist_blocks_the_session() {
    let Some(p) = pipeline() else { return };
    let s = scenario(LivenessMode::Passive);
    let lists = Arc::new(InMemoryFaceLists::calibrated().with_lists(["blacklist"]));
    let hopper = p
        .main_face(&crate::common::decoded(&crate::common::fixture(
            "faces/grace_hopper.jpg",
        )))
        .unwrap()
        .unwrap()
        .template;
    lists.enroll("blacklist", "fraudster-9", &hopper).unwrap();
    let engine = engine(&p, lists);
    // The selfie is the holder's: the blacklist says nothing there; the live face is on it.
    let mut session = document_and_selfie(&engine, &s, &photo("holder_selfie.png"));
    assert_eq!(session.status, SessionStatus::InProgress);
    engine
        .submit_capture(
            &s,
            &mut session,
            "liveness",
            &[CaptureImage::encoded(
                ImageKind::Selfie,
                photo("grace_hopper.jpg"),
            )],
        )
        .unwrap();
    assert_eq!(session.status, SessionStatus::Blocked);
    assert_eq!(session.status_reason, "decision.blacklist_hit");
    let hit = check(&session, "liveness", "selfie.blacklist");
    assert_eq!(hit.outcome, CheckOutcome::Failed);
    assert!(hit.message.contains("fraudster-9"));
}

#[test]
fn a_live_sequence_of_one_person_with_a_selfie_of_another_fails() {
    let Some(p) = pipeline() else { return };
    let s = scenario(LivenessMode::Active);
    let lists = Arc::new(InMemoryFaceLists::calibrated().with_lists(["blacklist"]));
    let engine = engine(&p, lists);
    // The victim's passport and selfie... but the live sequence is Grace Hopper's: five frames of
    // her still photo (the challenge fails too; the identity is what is asserted here).
    let mut session = document_and_selfie(&engine, &s, &photo("holder_selfie.png"));
    let frames: Vec<CaptureImage> = (0..5)
        .map(|_| CaptureImage::encoded(ImageKind::LivenessFrame, photo("grace_hopper.jpg")))
        .collect();
    engine
        .submit_capture(&s, &mut session, "liveness", &frames)
        .unwrap();
    let other = check(&session, "liveness", "liveness.identity");
    assert_eq!(other.outcome, CheckOutcome::Failed);
    assert!(other.critical);
}

/// The texture residual the active check measures (`face::planarity`), on the fixture portrait
/// rendered on a head, on a curved print and on a flat photo, turned and tipped as the challenge
/// asks: the figures behind `MIN_DEPTH_RESIDUAL` (printed; development renders, not recordings).
#[test]
fn a_head_shows_depth_where_a_flat_photo_does_not() {
    use crate::common::{Surface, rendered_turn};
    use kyc_core::face::planarity::texture_residual;
    let Some(p) = pipeline() else { return };
    let image = crate::common::astronaut();
    let face = p.detect(&image).unwrap().remove(0);
    let seen = |png: &[u8]| {
        let img = image::load_from_memory(png).unwrap().to_rgb8();
        let lm = p
            .detect(&img)
            .unwrap()
            .into_iter()
            .next()
            .map(|f| f.landmarks);
        (img, lm.unwrap())
    };
    let (mut lowest_head, mut highest_flat) = (f64::MAX, 0.0f64);
    for surface in [Surface::Head, Surface::CurvedPrint, Surface::Flat] {
        let (first, first_lm) = seen(&rendered_turn(&image, &face, surface, 0.0, 0.0, 1));
        for (yaw, pitch) in [
            (25.0, 0.0),
            (-25.0, 0.0),
            (35.0, 0.0),
            (-35.0, 0.0),
            (0.0, 20.0),
            (0.0, -15.0),
            (0.0, 30.0),
            (0.0, -25.0),
            (0.0, 40.0),
            (0.0, -35.0),
        ] {
            let (later, later_lm) = seen(&rendered_turn(&image, &face, surface, yaw, pitch, 2));
            let r = texture_residual(&first, &first_lm, &later, &later_lm).unwrap();
            let pose = kyc_core::face::pose::estimate(&later_lm).unwrap();
            println!(
                "{surface:?} yaw {yaw} pitch {pitch}: texture residual {r:.4} (pose proxies: yaw {:.3}, pitch {:.3})",
                pose.yaw, pose.pitch
            );
            match surface {
                Surface::Head => lowest_head = lowest_head.min(r),
                Surface::Flat => highest_flat = highest_flat.max(r),
                Surface::CurvedPrint => {}
            }
        }
    }
    println!("lowest head {lowest_head:.4}, highest flat {highest_flat:.4}");
    let t = kyc_core::check::catalogue::liveness::MIN_DEPTH_RESIDUAL;
    assert!(lowest_head > t, "{lowest_head} vs {t}");
    assert!(highest_flat < t, "{highest_flat} vs {t}");
}
