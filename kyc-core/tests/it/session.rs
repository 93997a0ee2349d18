//! The session engine: attempts, critical-error blocking, freezing, manual decisions, event order,
//! refusals, and storage round trips. Analysers are scripted so that the engine's own logic is tested.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use jiff::SignedDuration;
use kyc_core::analysis::ImageKind;
use kyc_core::session::{
    CaptureOutcome, Decider, EventKind, Origin, RecordingObserver, SEAL_PREFIX, SessionKey,
    StepOutcome,
};
use kyc_core::{
    CheckOutcome, Engine, ManualClock, Scenario, SeededEntropy, Session, SessionStatus,
};

struct Rig {
    clock: Arc<ManualClock>,
    events: Arc<RecordingObserver>,
    engine: Engine,
}

fn rig(
    configure: impl FnOnce(kyc_core::session::EngineBuilder) -> kyc_core::session::EngineBuilder,
) -> Rig {
    let clock = Arc::new(ManualClock::new(t0()));
    let events = Arc::new(RecordingObserver::default());
    let engine = configure(
        Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(1)))
            .observer(events.clone()),
    )
    .build();
    Rig {
        clock,
        events,
        engine,
    }
}

fn passport_only(failed_attempts_allowed: u32, critical: u32) -> Scenario {
    let mut s = scenario("passport_selfie");
    s.steps.truncate(1);
    s.limits.failed_attempts_allowed = failed_attempts_allowed;
    s.limits.critical_errors_before_block = critical;
    s.fraud.block_history_mismatch = false;
    s
}

fn front() -> Vec<kyc_core::CaptureImage> {
    vec![image(ImageKind::DocumentFront)]
}

fn good_doc() -> (kyc_core::document::DocumentData, Vec<kyc_core::CheckResult>) {
    (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_ok(), screen_photo(0.1)],
    )
}

fn bad_doc() -> (kyc_core::document::DocumentData, Vec<kyc_core::CheckResult>) {
    (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_bad(), screen_photo(0.1)],
    )
}

fn fraud_doc() -> (kyc_core::document::DocumentData, Vec<kyc_core::CheckResult>) {
    (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_ok(), screen_photo(0.9)],
    )
}

fn kinds(events: &[kyc_core::SessionEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match &e.kind {
            EventKind::Created { .. } => "created".to_owned(),
            EventKind::CaptureRecorded {
                step_id,
                attempt,
                outcome,
            } => {
                format!("capture:{step_id}#{attempt}:{outcome:?}")
            }
            EventKind::StepCompleted { step_id, outcome } => format!("step:{step_id}:{outcome:?}"),
            EventKind::StatusChanged {
                to, reason_code, ..
            } => format!("status:{to}:{reason_code}"),
            EventKind::ManualDecisionRecorded {
                operator_id,
                decision,
                ..
            } => {
                format!("manual:{operator_id}:{decision}")
            }
            EventKind::DatabaseCheckRecorded { check } => format!("db:{}", check.source),
            EventKind::CustomerEnrolled { person_id, .. } => format!("enrolled:{person_id}"),
        })
        .collect()
}

#[test]
fn passing_flow_is_approved_with_events_in_order() {
    let scenario = scenario("passport_selfie");
    let mut scenario = scenario;
    scenario.fraud.block_history_mismatch = false;
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    let r = rig(|b| {
        b.document_analyzer(ScriptedDocuments::new(vec![good_doc()]))
            .face_analyzer(Arc::new(ScriptedFaces { similarity: 0.71 }))
    });
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    assert_eq!(s.status, SessionStatus::Created);

    let report = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(
        report.outcome,
        CaptureOutcome::Passed,
        "{:?}",
        report.checks
    );
    assert_eq!(report.step_outcome, Some(StepOutcome::Passed));
    // The engine added its own rules to the analyser's evidence.
    for id in [
        "document.field_logic.dates",
        "document.field_logic.not_expired",
        "document.age_range",
        "document.type_accepted",
        "document.single_document",
    ] {
        assert!(
            report
                .checks
                .iter()
                .any(|c| c.check == id && c.outcome == CheckOutcome::Passed),
            "{id}"
        );
    }
    let report = r
        .engine
        .submit_capture(&scenario, &mut s, "selfie", &[image(ImageKind::Selfie)])
        .unwrap();
    assert_eq!(report.status, SessionStatus::Approved);

    let events = r.events.events();
    assert_eq!(
        kinds(&events),
        [
            "created",
            "capture:passport#1:Passed",
            "status:in_progress:session.first_capture",
            "step:passport:Passed",
            "capture:selfie#1:Passed",
            "step:selfie:Passed",
            "status:approved:decision.all_steps_passed",
        ]
    );
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=7).collect::<Vec<_>>());
    assert_eq!(s.last_event_seq, 7);
    assert!(events.iter().all(|e| e.session_id == s.id));
}

#[test]
fn failures_beyond_the_allowed_attempts_decline() {
    let scenario = passport_only(2, 10);
    let r = rig(|b| {
        b.document_analyzer(ScriptedDocuments::new(vec![
            bad_doc(),
            bad_doc(),
            bad_doc(),
        ]))
    });
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    let first = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(
        (first.outcome, first.attempts_left, first.status),
        (CaptureOutcome::Failed, 1, SessionStatus::InProgress)
    );
    assert_eq!(first.reason_code, "document.mrz.check_digit_refuted");
    let second = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(
        (second.attempts_left, second.status),
        (0, SessionStatus::InProgress)
    );
    let third = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(third.step_outcome, Some(StepOutcome::Failed));
    assert_eq!(s.status, SessionStatus::Declined);
    assert_eq!(s.status_reason, "decision.attempts_exhausted");
    // A final session takes nothing more.
    let err = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap_err();
    assert_eq!(err.code(), "session.illegal_transition");
}

#[test]
fn zero_allowed_attempts_declines_on_the_first_failure() {
    let scenario = passport_only(0, 10);
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![bad_doc()])));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(s.status, SessionStatus::Declined);
}

#[test]
fn critical_errors_block_before_attempts_run_out() {
    let scenario = passport_only(10, 2);
    let r = rig(|b| {
        b.document_analyzer(ScriptedDocuments::new(vec![
            fraud_doc(),
            bad_doc(),
            fraud_doc(),
        ]))
    });
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(
        (s.critical_errors(), s.status),
        (1, SessionStatus::InProgress)
    );
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(s.critical_errors(), 1, "a plain failure is not critical");
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!((s.critical_errors(), s.status), (2, SessionStatus::Blocked));
    assert_eq!(s.status_reason, "decision.critical_errors");
    assert_eq!(s.steps[0].failed_attempts(), 3);
}

/// Two captures of the passport step, the analyser scripted to read `first` then `second`: the
/// second's `document.single_document` evidence, and the session after it.
fn single_document_after(
    first: (kyc_core::document::DocumentData, Vec<kyc_core::CheckResult>),
    second: (kyc_core::document::DocumentData, Vec<kyc_core::CheckResult>),
) -> (kyc_core::CheckResult, Session) {
    let scenario = passport_only(5, 1);
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![first, second])));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    let report = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    let single = report
        .checks
        .into_iter()
        .find(|c| c.check == "document.single_document")
        .unwrap();
    (single, s)
}

#[test]
fn a_different_document_in_the_same_step_is_critical() {
    let other = (
        passport_data("X00000000", "1974-08-12", "2032-04-15"),
        vec![mrz_bad()],
    );
    let (single, s) = single_document_after(bad_doc(), other);
    assert_eq!(single.reason_code, "document.different_documents");
    assert_eq!(s.status, SessionStatus::Blocked);
    assert!(
        !single.message.contains("X00000000"),
        "no personal data in messages"
    );
}

#[test]
fn a_visual_number_with_ocr_look_alikes_is_the_same_document() {
    // A front read by its labels (`O` for `0` in the number), then the MRZ's reading: one document.
    let visual = |number: &str| {
        let mut d = passport_data(number, "1974-08-12", "2032-04-15");
        for f in &mut d.fields {
            f.source = kyc_core::document::FieldSource::Visual;
            f.confidence = 0.9;
        }
        (d, vec![mrz_bad()])
    };
    let mrz = || {
        (
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            vec![mrz_ok()],
        )
    };
    let (same, _) = single_document_after(visual("L8989O2C3"), mrz());
    assert_eq!(same.reason_code, "document.single_document");
    // A number that differs beyond look-alikes is another document.
    let (other, _) = single_document_after(visual("L898903C3"), mrz());
    assert_eq!(other.reason_code, "document.different_documents");
}

#[test]
fn age_outside_the_scenario_range_fails_the_capture() {
    let scenario = passport_only(0, 10);
    let minor = (
        passport_data("L898902C3", "2010-01-01", "2032-04-15"),
        vec![mrz_ok()],
    );
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![minor])));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    let report = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(report.reason_code, "document.age_range.too_young");
    assert_eq!(s.status, SessionStatus::Declined);
}

#[test]
fn the_session_freezes_when_its_lifetime_is_over() {
    let scenario = passport_only(3, 3); // 60-minute lifetime
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![bad_doc(), good_doc()])));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    r.clock.advance(SignedDuration::from_mins(59));
    assert!(!r.engine.refresh(&scenario, &mut s));
    r.clock.advance(SignedDuration::from_mins(1));
    let err = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap_err();
    assert_eq!(err.code(), "session.frozen");
    assert_eq!(s.status, SessionStatus::Frozen);
    assert_eq!(
        s.steps[0].captures.len(),
        1,
        "the late capture was not recorded"
    );
    assert_eq!(
        kinds(&r.events.events()).last().unwrap(),
        "status:frozen:session.lifetime_over"
    );
    // Still frozen, and it says so again.
    let err = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap_err();
    assert_eq!(err.code(), "session.frozen");
    // An operator can still decide.
    r.engine
        .decide_manually(&mut s, "op-7", SessionStatus::Declined, "did not finish")
        .unwrap();
    assert_eq!(s.status, SessionStatus::Declined);
}

#[test]
fn without_analysers_every_check_is_unavailable_and_an_operator_decides() {
    let mut scenario = scenario("passport_selfie");
    scenario.fraud.block_history_mismatch = false;
    let r = rig(|b| b);
    let mut s = r.engine.create_session(
        &scenario,
        Origin::Manual {
            operator_id: "op-1".into(),
        },
    );
    let report = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(report.outcome, CaptureOutcome::Unavailable);
    assert!(
        report
            .checks
            .iter()
            .all(|c| c.outcome == CheckOutcome::Unavailable)
    );
    assert_eq!(report.step_outcome, Some(StepOutcome::NeedsReview));
    r.engine
        .submit_capture(&scenario, &mut s, "selfie", &[image(ImageKind::Selfie)])
        .unwrap();
    assert_eq!(
        s.status,
        SessionStatus::ManualReview,
        "never approved without evidence"
    );

    // Operators' decisions are validated, recorded and audited.
    let err = r
        .engine
        .decide_manually(&mut s, "op-1", SessionStatus::InProgress, "x")
        .unwrap_err();
    assert_eq!(err.code(), "session.bad_decision");
    let err = r
        .engine
        .decide_manually(&mut s, "", SessionStatus::Approved, "x")
        .unwrap_err();
    assert_eq!(err.code(), "session.bad_decision");
    r.clock.advance(SignedDuration::from_mins(5));
    r.engine
        .decide_manually(
            &mut s,
            "op-1",
            SessionStatus::Approved,
            "documents checked by hand",
        )
        .unwrap();
    assert_eq!(s.status, SessionStatus::Approved);
    assert_eq!(
        s.decider(),
        Decider::Operator {
            operator_id: "op-1".into()
        }
    );
    assert_eq!(s.manual_decisions.len(), 1);
    assert_eq!(
        s.manual_decisions[0].at,
        t0() + SignedDuration::from_mins(5)
    );
    let tail: Vec<String> = kinds(&r.events.events())
        .into_iter()
        .rev()
        .take(2)
        .collect();
    assert_eq!(
        tail,
        ["status:approved:decision.manual", "manual:op-1:approved"]
    );
    let err = r
        .engine
        .decide_manually(&mut s, "op-2", SessionStatus::Declined, "second thoughts")
        .unwrap_err();
    assert_eq!(err.code(), "session.illegal_transition");
}

#[test]
fn captures_are_refused_without_counting_as_attempts() {
    let scenario = scenario("id_card_liveness");
    let r = rig(|b| b);
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    let code = |s: &mut kyc_core::Session, step: &str, images: Vec<kyc_core::CaptureImage>| {
        r.engine
            .submit_capture(&scenario, s, step, &images)
            .unwrap_err()
            .code()
    };
    assert_eq!(
        code(&mut s, "nope", vec![image(ImageKind::DocumentFront)]),
        "session.unknown_step"
    );
    assert_eq!(
        code(
            &mut s,
            "selfie-with-document",
            vec![image(ImageKind::Selfie)]
        ),
        "session.step_out_of_order"
    );
    assert_eq!(code(&mut s, "id-card", vec![]), "capture.no_images");
    assert_eq!(
        code(&mut s, "id-card", vec![image(ImageKind::DocumentFront)]),
        "capture.missing_image"
    );
    assert_eq!(
        code(
            &mut s,
            "id-card",
            vec![
                image(ImageKind::DocumentFront),
                image(ImageKind::DocumentBack),
                image(ImageKind::Selfie)
            ]
        ),
        "capture.unexpected_image"
    );
    let gif = kyc_core::CaptureImage::encoded(ImageKind::DocumentBack, b"GIF89a....".to_vec());
    assert_eq!(
        code(
            &mut s,
            "id-card",
            vec![image(ImageKind::DocumentFront), gif]
        ),
        "image.unsupported_format"
    );
    let empty = kyc_core::CaptureImage::encoded(ImageKind::DocumentBack, Vec::new());
    assert_eq!(
        code(
            &mut s,
            "id-card",
            vec![image(ImageKind::DocumentFront), empty]
        ),
        "image.empty"
    );
    assert_eq!(s.status, SessionStatus::Created);
    assert!(s.steps.iter().all(|st| st.captures.is_empty()));

    let other = scenario_named("passport_selfie");
    assert_eq!(
        r.engine
            .submit_capture(&other, &mut s, "passport", &front())
            .unwrap_err()
            .code(),
        "session.scenario_mismatch"
    );

    // Front and back: the step is done (needs review without analysers), and cannot be redone.
    r.engine
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
    assert_eq!(
        code(
            &mut s,
            "id-card",
            vec![
                image(ImageKind::DocumentFront),
                image(ImageKind::DocumentBack)
            ]
        ),
        "session.step_completed"
    );
    assert_eq!(
        code(
            &mut s,
            "selfie-with-document",
            vec![image(ImageKind::Selfie)]
        ),
        "capture.missing_image"
    );
    r.engine
        .submit_capture(
            &scenario,
            &mut s,
            "selfie-with-document",
            &[
                image(ImageKind::Selfie),
                image(ImageKind::SelfieWithDocument),
            ],
        )
        .unwrap();
    let frames = |n: usize| {
        (0..n)
            .map(|_| image(ImageKind::LivenessFrame))
            .collect::<Vec<_>>()
    };
    assert_eq!(code(&mut s, "liveness", frames(2)), "capture.frame_count");
    assert_eq!(code(&mut s, "liveness", frames(65)), "capture.frame_count");
    r.engine
        .submit_capture(&scenario, &mut s, "liveness", &frames(8))
        .unwrap();
    assert_eq!(s.status, SessionStatus::ManualReview);
}

fn scenario_named(name: &str) -> Scenario {
    crate::common::scenario(name)
}

#[test]
fn database_checks_feed_the_final_decision() {
    let scenario = passport_only(3, 3);
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![good_doc()])));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    // A registry that lists the person declines the session as soon as it answers, even before
    // the steps end; the person is not asked for more captures.
    r.engine.record_database_check(
        &scenario,
        &mut s,
        "mvd.invalid_passports",
        kyc_core::CheckResult::rule(
            "database.invalid_passports",
            false,
            "database.passport_invalid",
            "listed as invalid",
        ),
    );
    assert_eq!(s.status, SessionStatus::Declined);
    assert_eq!(s.status_reason, "decision.database_check_failed");
    let refused = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap_err();
    assert_eq!(refused.code(), "session.illegal_transition");
}

#[test]
fn sessions_round_trip_through_json_and_go_on() {
    let scenario = passport_only(3, 3);
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![bad_doc(), good_doc()])));
    let mut s = r.engine.create_session(
        &scenario,
        Origin::Link {
            link_id: "lnk-1".into(),
        },
    );
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    let stored = s.to_json();
    let mut restored = Session::from_json(&stored).unwrap();
    assert_eq!(restored, s);
    r.engine
        .submit_capture(&scenario, &mut restored, "passport", &front())
        .unwrap();
    assert_eq!(restored.status, SessionStatus::Approved);
    assert_eq!(restored.steps[0].captures.len(), 2);
    assert_eq!(
        Session::from_json("{\"id\": 1}").unwrap_err().code(),
        "json.invalid_type"
    );
}

/// A sealed stored session: a status changed in storage is refused with `session.seal_mismatch`,
/// as are a stripped seal and another host's key; without a key, plain JSON still loads.
#[test]
fn a_tampered_sealed_session_is_refused() {
    let scenario = passport_only(3, 3);
    let r = rig(|b| b.document_analyzer(ScriptedDocuments::new(vec![bad_doc()])));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    r.engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(s.status, SessionStatus::InProgress);
    let key = SessionKey::new(&[9; 32]).unwrap();
    let stored = s.store(Some(&key));
    assert!(stored.starts_with(SEAL_PREFIX) && !stored.contains('\n'));
    assert_eq!(Session::load(&stored, Some(&key)).unwrap(), s);

    // The attack: storage edited to approve the session.
    let approved = stored.replacen("\"status\":\"in_progress\"", "\"status\":\"approved\"", 1);
    assert_ne!(approved, stored);
    let forged = Session::from_json(
        approved
            .split_once('.')
            .unwrap()
            .1
            .split_once('.')
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(
        forged.status,
        SessionStatus::Approved,
        "unsealed, the edit would load"
    );
    let refused = Session::load(&approved, Some(&key)).unwrap_err();
    assert_eq!(refused.code(), "session.seal_mismatch");

    let other = SessionKey::new(&[8; 32]).unwrap();
    assert_eq!(
        Session::load(&stored, Some(&other)).unwrap_err().code(),
        "session.seal_mismatch"
    );
    // Stripping the seal does not help: a keyed host loads sealed sessions only.
    assert_eq!(
        Session::load(&s.to_json(), Some(&key)).unwrap_err().code(),
        "session.unsealed"
    );
    // No key: plain JSON as before; a sealed text cannot be checked and is refused.
    assert_eq!(s.store(None), s.to_json());
    assert_eq!(Session::load(&s.to_json(), None).unwrap(), s);
    assert_eq!(
        Session::load(&stored, None).unwrap_err().code(),
        "session.seal_key_missing"
    );
}

#[test]
fn seeded_entropy_gives_reproducible_session_ids() {
    let scenario = passport_only(3, 3);
    let a = rig(|b| b).engine.create_session(&scenario, Origin::Api);
    let b = rig(|b| b).engine.create_session(&scenario, Origin::Api);
    assert_eq!(a.id, b.id);
    assert_eq!(a.id.len(), 32);
    let r = rig(|b| b);
    assert_eq!(
        r.engine
            .create_session_with_id(&scenario, "bad id", Origin::Api)
            .unwrap_err()
            .code(),
        "session.invalid_id"
    );
    assert_eq!(
        r.engine
            .create_session_with_id(&scenario, "host-42", Origin::Api)
            .unwrap()
            .id,
        "host-42"
    );
}

#[test]
fn an_analyser_that_omits_an_enabled_check_cannot_pass_the_capture() {
    struct Forgetful;
    impl kyc_core::analysis::DocumentAnalyzer for Forgetful {
        fn analyze(
            &self,
            _step: &kyc_core::scenario::DocumentStep,
            _images: &[kyc_core::CaptureImage],
            _ctx: &kyc_core::analysis::AnalysisContext<'_>,
        ) -> Result<kyc_core::analysis::DocumentAnalysis, kyc_core::Error> {
            Ok(kyc_core::analysis::DocumentAnalysis {
                document: Some(passport_data("L898902C3", "1974-08-12", "2032-04-15")),
                checks: vec![mrz_ok()],
                documents_in_frame: None,
            })
        }
    }
    let scenario = passport_only(3, 3);
    let r = rig(|b| b.document_analyzer(Arc::new(Forgetful)));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    let report = r
        .engine
        .submit_capture(&scenario, &mut s, "passport", &front())
        .unwrap();
    assert_eq!(report.outcome, CaptureOutcome::Unavailable);
    let missing: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.reason_code == "analysis.no_evidence")
        .map(|c| c.check.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "document.fully_visible",
            "document.editing",
            "document.screen_photo",
            "document.printout",
            "document.glare_blur",
            "document.visual_mrz_match"
        ]
    );
}

/// A session that takes every failed attempt a scenario allows (100 on a step), each carrying
/// long evidence, still stores under the JSON limit and loads back, sealed too; attempts, critical
/// errors and the decision are those of the full record, and the last captures stay whole.
#[test]
fn a_session_with_every_allowed_capture_still_loads() {
    let scenario = passport_only(100, 100);
    let long = "x".repeat(5_000);
    let heavy = || {
        let mut checks = vec![mrz_bad()];
        // Half of them fail: compacted captures keep those until the budget shrinks them too.
        for i in 0..40 {
            let id = format!("document.extra_{i}");
            checks.push(kyc_core::CheckResult::rule(
                &id,
                i % 2 == 0,
                "document.extra",
                &long,
            ));
        }
        (
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            checks,
        )
    };
    let r =
        rig(|b| b.document_analyzer(ScriptedDocuments::new((0..101).map(|_| heavy()).collect())));
    let mut s = r.engine.create_session(&scenario, Origin::Api);
    for _ in 0..101 {
        r.clock.advance(SignedDuration::from_secs(1));
        r.engine
            .submit_capture(&scenario, &mut s, "passport", &front())
            .unwrap();
    }
    assert_eq!(s.status, SessionStatus::Declined);
    assert_eq!(s.steps[0].captures.len(), 101);
    assert_eq!(s.steps[0].failed_attempts(), 101);
    let key = SessionKey::new(&[3; 32]).unwrap();
    let stored = s.store(Some(&key));
    assert!(
        stored.len() <= kyc_core::json::MAX_JSON_BYTES,
        "{} bytes",
        stored.len()
    );
    let back = Session::load(&stored, Some(&key)).unwrap();
    assert_eq!(back, s);
    let captures = &back.steps[0].captures;
    assert!(
        captures[..98]
            .iter()
            .all(|c| c.compacted && c.document.is_none())
    );
    assert!(
        captures[98..]
            .iter()
            .all(|c| !c.compacted && c.document.is_some())
    );
    assert!(
        captures
            .iter()
            .all(|c| c.reason_code == "document.mrz.check_digit_refuted")
    );
    assert!(
        captures[100]
            .checks
            .iter()
            .all(|c| c.message.chars().count() <= 1000),
        "messages are cut"
    );
}
