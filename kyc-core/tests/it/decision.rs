//! The decision through the engine: each rule of `session/decide.rs`, their order, and each
//! scenario switch changing the result when toggled. Analysers are scripted (the decision is the
//! engine's, not the models'); face lists, history and registries are the core's in-memory ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use crate::common::*;
use jiff::SignedDuration;
use kyc_core::analysis::{
    AnalysisContext, CaptureImage, FaceAnalysis, FaceAnalyzer, FaceLists, ImageKind,
};
use kyc_core::check::Comparison;
use kyc_core::document::mrz::{DivisionDbLimits, InMemoryDivisionDb};
use kyc_core::face::gallery::InMemoryFaceLists;
use kyc_core::face::{FaceTemplate, SelfieData};
use kyc_core::history::{HistoryKey, KeyedHistoryStore};
use kyc_core::registry::enforcement::EnforcementList;
use kyc_core::registry::{InvalidPassportList, InvalidPassportSet};
use kyc_core::scenario::{DatabaseCheckRule, LivenessStep, SelfieStep};
use kyc_core::session::{Origin, WaitingFor};
use kyc_core::{
    CheckOutcome, CheckResult, Engine, Error, ManualClock, Scenario, SeededEntropy, Session,
    SessionStatus, VerificationResult,
};

/// A deterministic unit-length template of person `n` (orthogonal to every other person's).
fn face_of(n: usize) -> FaceTemplate {
    let mut vector = vec![0.0; 128];
    vector[n % 128] = 1.0;
    FaceTemplate {
        model: kyc_core::face::embed::SFACE.to_owned(),
        vector,
    }
}

/// Selfies of a scripted person, one per capture in order; each passes its enabled checks unless
/// the script marks a critical failure.
struct Faces(Mutex<Vec<(usize, bool)>>);

impl Faces {
    fn people(script: &[(usize, bool)]) -> Arc<Self> {
        Arc::new(Self(Mutex::new(script.iter().rev().copied().collect())))
    }
}

impl FaceAnalyzer for Faces {
    fn analyze_selfie(
        &self,
        step: &SelfieStep,
        _images: &[CaptureImage],
        _ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        let (person, spoof) = self.0.lock().unwrap().pop().expect("script ran out");
        let checks = step
            .checks
            .enabled()
            .into_iter()
            .map(|id| {
                let fails = spoof && id == "selfie.screen_photo";
                let c = CheckResult::scored(
                    id,
                    if fails { 9.0 } else { 0.1 },
                    4.5,
                    Comparison::AtMost,
                    "scripted.pass",
                    "scripted.fail",
                    "scripted evidence",
                );
                if id == "selfie.screen_photo" {
                    c.critical()
                } else {
                    c
                }
            })
            .collect();
        Ok(FaceAnalysis {
            selfie: Some(SelfieData {
                faces_found: 1,
                estimated_age: None,
                estimated_gender: None,
                template: Some(face_of(person)),
            }),
            face_match: None,
            checks,
        })
    }

    fn analyze_liveness(
        &self,
        step: &LivenessStep,
        _images: &[CaptureImage],
        _ctx: &AnalysisContext<'_>,
    ) -> Result<FaceAnalysis, Error> {
        Ok(FaceAnalysis {
            checks: vec![CheckResult::rule(
                step.check_id(),
                true,
                "scripted.pass",
                "",
            )],
            ..FaceAnalysis::default()
        })
    }
}

/// The passport-and-selfie fixture scenario with no face lists, history or registries: each test
/// turns on what it is about.
fn plain() -> Scenario {
    let mut s = scenario("passport_selfie");
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = false;
    s.steps.iter_mut().for_each(|step| {
        if let kyc_core::scenario::Step::Selfie(selfie) = step {
            selfie.checks.age_gender_match = false;
        }
    });
    s
}

struct Rig {
    clock: Arc<ManualClock>,
    engine: Engine,
    lists: Arc<InMemoryFaceLists>,
}

/// An engine over scripted documents and faces, with in-memory face lists `blacklist` and
/// `customers`, and whatever `configure` adds.
fn rig(
    documents: Vec<(kyc_core::document::DocumentData, Vec<CheckResult>)>,
    faces: &[(usize, bool)],
    configure: impl FnOnce(kyc_core::session::EngineBuilder) -> kyc_core::session::EngineBuilder,
) -> Rig {
    let clock = Arc::new(ManualClock::new(t0()));
    let lists = Arc::new(InMemoryFaceLists::calibrated().with_lists(["blacklist", "customers"]));
    let engine = configure(
        Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(5)))
            .document_analyzer(ScriptedDocuments::new(documents))
            .face_analyzer(Faces::people(faces))
            .face_lists(lists.clone()),
    )
    .build();
    Rig {
        clock,
        engine,
        lists,
    }
}

fn good() -> (kyc_core::document::DocumentData, Vec<CheckResult>) {
    (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_ok(), screen_photo(0.1)],
    )
}

fn recaptured() -> (kyc_core::document::DocumentData, Vec<CheckResult>) {
    (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_ok(), screen_photo(0.9)],
    )
}

fn submit(r: &Rig, s: &Scenario, session: &mut Session, step: &str) {
    let kind = if step == "passport" {
        ImageKind::DocumentFront
    } else {
        ImageKind::Selfie
    };
    r.engine
        .submit_capture(s, session, step, &[image(kind)])
        .unwrap();
}

fn checks_of<'a>(session: &'a Session, id: &str) -> Vec<&'a CheckResult> {
    session
        .steps
        .iter()
        .flat_map(|s| &s.captures)
        .flat_map(|c| &c.checks)
        .filter(|c| c.check == id)
        .collect()
}

// ---- each rule -------------------------------------------------------------------------------

#[test]
fn a_configured_blacklist_hit_blocks() {
    let mut s = plain();
    s.blacklist_id = Some("blacklist".into());
    let r = rig(vec![good()], &[(7, false)], |b| b);
    r.lists
        .enroll("blacklist", "fraudster-7", &face_of(7))
        .unwrap();
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    submit(&r, &s, &mut session, "selfie");
    assert_eq!(session.status, SessionStatus::Blocked);
    assert_eq!(session.status_reason, "decision.blacklist_hit");
    let hit = checks_of(&session, "selfie.blacklist")[0];
    assert_eq!(hit.outcome, CheckOutcome::Failed);
    assert!(
        hit.critical && hit.message.contains("fraudster-7"),
        "{hit:?}"
    );

    // Someone else goes through.
    let r = rig(vec![good()], &[(8, false)], |b| b);
    r.lists
        .enroll("blacklist", "fraudster-7", &face_of(7))
        .unwrap();
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    submit(&r, &s, &mut session, "selfie");
    assert_eq!(session.status, SessionStatus::Approved);
    let clear = checks_of(&session, "selfie.blacklist")[0];
    assert_eq!(clear.reason_code, "selfie.blacklist.clear");
    assert!(
        !clear.message.contains("fraudster"),
        "the closest is not named"
    );
}

#[test]
fn critical_errors_counted_across_steps_block() {
    let mut s = plain();
    s.limits.critical_errors_before_block = 2;
    // A recaptured passport (critical, retaken and then good), then a spoofed selfie: two captures
    // with a critical failure, in two steps.
    let r = rig(vec![recaptured(), good()], &[(1, true)], |b| b);
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    assert_eq!(session.status, SessionStatus::InProgress);
    assert_eq!(session.status_reason, "session.awaiting_retake");
    submit(&r, &s, &mut session, "passport");
    submit(&r, &s, &mut session, "selfie");
    assert_eq!(session.status, SessionStatus::Blocked);
    assert_eq!(session.status_reason, "decision.critical_errors");
}

#[test]
fn attempts_exhausted_decline_and_an_open_session_says_what_it_waits_for() {
    let mut s = plain();
    s.limits.failed_attempts_allowed = 1;
    s.limits.critical_errors_before_block = 10;
    let r = rig(vec![recaptured(), recaptured()], &[], |b| b);
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    let result = VerificationResult::build(&s, &session);
    assert_eq!(
        result.decision.waiting_for,
        Some(WaitingFor::Capture {
            step_id: "passport".into(),
            retake: true,
            attempts_left: 0,
        })
    );
    submit(&r, &s, &mut session, "passport");
    assert_eq!(session.status, SessionStatus::Declined);
    assert_eq!(session.status_reason, "decision.attempts_exhausted");
    assert_eq!(
        VerificationResult::build(&s, &session).decision.waiting_for,
        None
    );
}

#[test]
fn a_pending_database_check_holds_approval_and_a_failed_one_declines() {
    let mut s = plain();
    s.database_checks = vec![DatabaseCheckRule {
        source: "mvd.invalid_passports".into(),
        deadline_minutes: 30,
    }];
    let run = |answer: Option<CheckResult>| {
        let r = rig(vec![good()], &[(1, false)], |b| b);
        let mut session = r.engine.create_session(&s, Origin::Api);
        submit(&r, &s, &mut session, "passport");
        submit(&r, &s, &mut session, "selfie");
        assert_eq!(session.status, SessionStatus::AwaitingDatabaseChecks);
        assert_eq!(session.status_reason, "decision.awaiting_database_checks");
        let waiting = VerificationResult::build(&s, &session).decision.waiting_for;
        assert!(
            matches!(&waiting, Some(WaitingFor::DatabaseChecks { sources, .. }) if sources == &["mvd.invalid_passports"]),
            "{waiting:?}"
        );
        // No more captures while waiting.
        assert!(
            r.engine
                .submit_capture(&s, &mut session, "selfie", &[image(ImageKind::Selfie)])
                .is_err()
        );
        r.clock.advance(SignedDuration::from_mins(5));
        if let Some(answer) = answer {
            r.engine
                .record_database_check(&s, &mut session, "mvd.invalid_passports", answer);
        }
        (r, session)
    };
    let (_, clear) = run(Some(CheckResult::rule(
        "mvd.invalid_passports",
        true,
        "registry.clear",
        "not listed",
    )));
    assert_eq!(clear.status, SessionStatus::Approved);

    let (_, listed) = run(Some(CheckResult::rule(
        "mvd.invalid_passports",
        false,
        "registry.invalid_passport",
        "listed",
    )));
    assert_eq!(listed.status, SessionStatus::Declined);
    assert_eq!(listed.status_reason, "decision.database_check_failed");

    // No answer by the deadline: the sweep records it unavailable and hands the session over.
    let (r, mut silent) = run(None);
    assert!(!r.engine.refresh(&s, &mut silent));
    r.clock.advance(SignedDuration::from_mins(26));
    assert!(r.engine.refresh(&s, &mut silent));
    assert_eq!(silent.status, SessionStatus::ManualReview);
    assert_eq!(
        silent.database_checks[0].result.reason_code,
        "registry.deadline_passed"
    );
}

#[test]
fn evidence_that_could_not_be_made_goes_to_review_never_passes() {
    // No analysers at all: every enabled check is unavailable, no capture passes, and the
    // session ends in review.
    let s = plain();
    let engine = Engine::builder(
        Arc::new(ManualClock::new(t0())),
        Arc::new(SeededEntropy::from_u64(1)),
    )
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
    assert_eq!(session.status, SessionStatus::ManualReview);
    let all: Vec<&CheckResult> = session
        .steps
        .iter()
        .flat_map(|s| &s.captures)
        .flat_map(|c| &c.checks)
        .collect();
    assert!(!all.is_empty());
    for c in all {
        assert_eq!(c.outcome, CheckOutcome::Unavailable, "{c:?}");
        assert!(c.score.is_none() && c.threshold.is_none(), "{c:?}");
    }
}

// ---- the order of the rules ------------------------------------------------------------------

#[test]
fn the_rules_apply_in_their_order() {
    // Blacklist beats critical errors: a blacklisted face that is also a spoof reads as a
    // blacklist hit.
    let mut s = plain();
    s.blacklist_id = Some("blacklist".into());
    s.limits.critical_errors_before_block = 1;
    let r = rig(vec![good()], &[(3, true)], |b| b);
    r.lists.enroll("blacklist", "p3", &face_of(3)).unwrap();
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    submit(&r, &s, &mut session, "selfie");
    assert_eq!(session.status_reason, "decision.blacklist_hit");

    // Critical errors beat attempts exhausted: the last allowed attempt fails critically.
    let mut s = plain();
    s.limits.failed_attempts_allowed = 0;
    s.limits.critical_errors_before_block = 1;
    let r = rig(vec![recaptured()], &[], |b| b);
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    assert_eq!(session.status_reason, "decision.critical_errors");

    // Attempts exhausted beats a failed database check.
    let mut s = plain();
    s.limits.failed_attempts_allowed = 0;
    s.limits.critical_errors_before_block = 5;
    let r = rig(vec![recaptured()], &[], |b| b);
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    r.engine.record_database_check(
        &s,
        &mut session,
        "mvd.invalid_passports",
        CheckResult::rule(
            "mvd.invalid_passports",
            false,
            "registry.invalid_passport",
            "",
        ),
    );
    assert_eq!(session.status_reason, "decision.attempts_exhausted");

    // A failed database check beats the steps that remain, and review.
    let s = plain();
    let r = rig(vec![good()], &[], |b| b);
    let mut session = r.engine.create_session(&s, Origin::Api);
    submit(&r, &s, &mut session, "passport");
    r.engine.record_database_check(
        &s,
        &mut session,
        "fssp.enforcement_proceedings",
        CheckResult::rule(
            "fssp.enforcement_proceedings",
            false,
            "registry.enforcement_proceedings",
            "",
        ),
    );
    assert_eq!(session.status_reason, "decision.database_check_failed");

    // Pending registries beat review: a step needing review waits for the registry first.
    let mut s = plain();
    s.database_checks = vec![DatabaseCheckRule {
        source: "mvd.invalid_passports".into(),
        deadline_minutes: 10,
    }];
    s.blacklist_id = Some("blacklist".into());
    let r = rig(vec![good()], &[(1, false)], |b| b);
    let engine_without_lists =
        Engine::builder(r.clock.clone(), Arc::new(SeededEntropy::from_u64(2)))
            .document_analyzer(ScriptedDocuments::new(vec![good()]))
            .face_analyzer(Faces::people(&[(1, false)]))
            .build();
    let mut session = engine_without_lists.create_session(&s, Origin::Api);
    for (step, kind) in [
        ("passport", ImageKind::DocumentFront),
        ("selfie", ImageKind::Selfie),
    ] {
        engine_without_lists
            .submit_capture(&s, &mut session, step, &[image(kind)])
            .unwrap();
    }
    assert_eq!(session.status, SessionStatus::AwaitingDatabaseChecks);
    engine_without_lists.record_database_check(
        &s,
        &mut session,
        "mvd.invalid_passports",
        CheckResult::rule("mvd.invalid_passports", true, "registry.clear", ""),
    );
    // Then review (the blacklist could not be searched), not approval.
    assert_eq!(session.status, SessionStatus::ManualReview);
    drop(r);
}

// ---- each scenario switch acts -----------------------------------------------------------------

/// The passport and selfie of one person through `s`; the session.
fn through(s: &Scenario, configure: impl FnOnce(&Rig)) -> Session {
    let r = rig(vec![good()], &[(1, false)], |b| b);
    configure(&r);
    let mut session = r.engine.create_session(s, Origin::Api);
    submit(&r, s, &mut session, "passport");
    submit(&r, s, &mut session, "selfie");
    session
}

#[test]
fn switch_mobile_redirect_url() {
    let mut s = plain();
    let with = VerificationResult::build(&s, &through(&s, |_| {}));
    assert_eq!(with.decision.status, SessionStatus::Approved);
    assert_eq!(
        with.decision.redirect_url.as_deref(),
        Some("https://bank.example/onboarding/done")
    );
    s.mobile_redirect_url = None;
    let without = VerificationResult::build(&s, &through(&s, |_| {}));
    assert_eq!(without.decision.redirect_url, None);
}

#[test]
fn switch_customer_face_list_id_recognises_a_returning_customer_with_another_document() {
    let mut s = plain();
    s.customer_face_list_id = Some("customers".into());
    let clock = Arc::new(ManualClock::new(t0()));
    let lists = Arc::new(InMemoryFaceLists::calibrated().with_lists(["customers"]));
    let engine = Engine::builder(clock, Arc::new(SeededEntropy::from_u64(9)))
        .document_analyzer(ScriptedDocuments::new(vec![
            good(),
            (
                // Another document of the same person: a new passport, another number.
                passport_data("N0000001", "1974-08-12", "2036-04-15"),
                vec![mrz_ok(), screen_photo(0.1)],
            ),
        ]))
        .face_analyzer(Faces::people(&[(4, false), (4, false)]))
        .face_lists(lists.clone())
        .build();
    let run = |session: &mut Session| {
        for (step, kind) in [
            ("passport", ImageKind::DocumentFront),
            ("selfie", ImageKind::Selfie),
        ] {
            engine
                .submit_capture(&s, session, step, &[image(kind)])
                .unwrap();
        }
    };
    let mut first = engine.create_session(&s, Origin::Api);
    run(&mut first);
    assert_eq!(first.status, SessionStatus::Approved);
    assert_eq!(
        checks_of(&first, "selfie.customer_match")[0].reason_code,
        "selfie.customer_match.new"
    );
    engine
        .enroll_customer(&s, &mut first, "customer-42")
        .unwrap();
    assert_eq!(lists.len("customers"), 1);

    let mut again = engine.create_session(&s, Origin::Api);
    run(&mut again);
    let result = VerificationResult::build(&s, &again);
    let hit = result.customer_match.expect("recognised");
    assert_eq!(hit.person_id, "customer-42");
    assert!(hit.score >= hit.threshold);
    assert_eq!(
        checks_of(&again, "selfie.customer_match")[0].reason_code,
        "selfie.customer_match.returning"
    );
    // A returning customer is evidence, not a refusal.
    assert_eq!(again.status, SessionStatus::Approved);

    // Only an approved session's person is enrolled.
    let mut open = engine.create_session(&s, Origin::Api);
    assert_eq!(
        engine
            .enroll_customer(&s, &mut open, "nobody")
            .unwrap_err()
            .code(),
        "session.cannot_enroll"
    );

    // Without the switch, no customer search.
    s.customer_face_list_id = None;
    let without = through(&s, |_| {});
    assert!(checks_of(&without, "selfie.customer_match").is_empty());
}

#[test]
fn switch_block_different_documents_in_step() {
    let mut s = plain();
    s.steps.truncate(1);
    s.limits.critical_errors_before_block = 5;
    let other = (
        passport_data("X7777777", "1974-08-12", "2032-04-15"),
        vec![mrz_bad(), screen_photo(0.1)],
    );
    let second = (
        passport_data("L898902C3", "1974-08-12", "2032-04-15"),
        vec![mrz_ok(), screen_photo(0.1)],
    );
    let run = |s: &Scenario| {
        let r = rig(vec![other.clone(), second.clone()], &[], |b| b);
        let mut session = r.engine.create_session(s, Origin::Api);
        submit(&r, s, &mut session, "passport");
        submit(&r, s, &mut session, "passport");
        session
    };
    let on = run(&s);
    let last = &on.steps[0].captures[1];
    assert_eq!(last.reason_code, "document.different_documents");
    assert_eq!(on.critical_errors(), 1);
    s.fraud.block_different_documents_in_step = false;
    let off = run(&s);
    assert_eq!(off.status, SessionStatus::Approved);
}

#[test]
fn switch_block_history_mismatch() {
    let mut s = plain();
    s.steps.truncate(1);
    s.limits.critical_errors_before_block = 1;
    let store = Arc::new(KeyedHistoryStore::in_memory(
        HistoryKey::new(&[3; 32]).unwrap(),
    ));
    let run = |s: &Scenario| {
        let engine = Engine::builder(
            Arc::new(ManualClock::new(t0())),
            Arc::new(SeededEntropy::from_u64(4)),
        )
        .document_analyzer(ScriptedDocuments::new(vec![
            good(),
            (
                passport_data("ZZ0000001", "1974-08-12", "2030-01-01"),
                vec![mrz_ok(), screen_photo(0.1)],
            ),
        ]))
        .history(store.clone())
        .build();
        let mut statuses = Vec::new();
        for _ in 0..2 {
            let mut session = engine.create_session(s, Origin::Api);
            engine
                .submit_capture(
                    s,
                    &mut session,
                    "passport",
                    &[image(ImageKind::DocumentFront)],
                )
                .unwrap();
            statuses.push(session.status);
        }
        statuses
    };
    s.fraud.block_history_mismatch = true;
    assert_eq!(run(&s), [SessionStatus::Approved, SessionStatus::Blocked]);
    s.fraud.block_history_mismatch = false;
    assert_eq!(run(&s), [SessionStatus::Approved, SessionStatus::Approved]);
}

/// The Russian internal passport scenario's document step alone, over a real MRZ read (the MRZ
/// text parsed as the OCR gives it), with the fixture registries and division-code table.
fn russian(
    check_division_code: bool,
    database_checks: bool,
    mrz: [&str; 2],
) -> (Session, Arc<ManualClock>) {
    let mut s = scenario("russian_passport");
    s.steps.truncate(1);
    s.fraud.check_division_code = check_division_code;
    if !database_checks {
        s.database_checks.clear();
    }
    let today = jiff::civil::date(2026, 11, 28);
    let parsed = kyc_core::document::mrz::parse(&mrz, today).unwrap();
    assert!(parsed.valid(), "{mrz:?}");
    let doc = kyc_core::document::ocr::analyzer::document_data(&parsed, 0.98);
    let divisions = InMemoryDivisionDb::from_csv(
        std::fs::read(fixture("mrz/division_codes.csv"))
            .unwrap()
            .as_slice(),
        DivisionDbLimits::default(),
    )
    .unwrap();
    let (set, _) = InvalidPassportSet::from_csv(
        std::fs::read(fixture("registry/invalid_passports.csv"))
            .unwrap()
            .as_slice(),
        1000,
    )
    .unwrap();
    let proceedings = EnforcementList::from_csv(
        std::fs::read(fixture("registry/enforcement_proceedings.csv"))
            .unwrap()
            .as_slice(),
    )
    .unwrap()
    .as_of(today);
    let clock = Arc::new(ManualClock::new(t0()));
    let engine = Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(6)))
        .analyzers(kyc_core::Analyzers {
            document: Some(ScriptedDocuments::new(vec![(
                doc,
                vec![CheckResult::rule(
                    "document.mrz",
                    true,
                    "document.mrz.valid",
                    "",
                )],
            )])),
            division_codes: Some(Arc::new(divisions)),
            registries: vec![
                Arc::new(InvalidPassportList::new("mvd.invalid_passports", set)),
                Arc::new(proceedings),
            ],
            ..kyc_core::Analyzers::default()
        })
        .build();
    let mut session = engine.create_session(&s, Origin::Api);
    engine
        .submit_capture(
            &s,
            &mut session,
            "ru-passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    (session, clock)
}

fn russian_mrz(
    surname: &str,
    given: &str,
    patronymic: &str,
    series: &str,
    number: &str,
    birth: &str,
    code: &str,
) -> [String; 2] {
    let lines = kyc_core::document::mrz::render_russian(&kyc_core::document::mrz::RussianData {
        surname: surname.into(),
        given_name: given.into(),
        patronymic: patronymic.into(),
        series: series.into(),
        number: number.into(),
        birth_date: birth.into(),
        sex: 'F',
        issue_date: "150101".into(),
        division_code: code.into(),
    })
    .unwrap();
    [lines[0].clone(), lines[1].clone()]
}

#[test]
fn switch_check_division_code_and_the_registries_on_a_read_russian_passport() {
    let mrz = russian_mrz(
        "Иванова",
        "Анна",
        "Сергеевна",
        "4511",
        "000002",
        "900101",
        "770-001",
    );
    let m = [mrz[0].as_str(), mrz[1].as_str()];
    let (on, _) = russian(true, false, m);
    let division = checks_of(&on, "document.division_code");
    assert_eq!(division[0].outcome, CheckOutcome::Passed, "{division:?}");
    assert!(division[0].message.contains("ТЕСТОВОЕ ПОДРАЗДЕЛЕНИЕ 1"));
    // The printed authority cannot be read here: unavailable, so the session goes to review.
    assert_eq!(
        checks_of(&on, "document.division_code.authority_printed")[0].outcome,
        CheckOutcome::Unavailable
    );
    let (off, _) = russian(false, false, m);
    assert!(checks_of(&off, "document.division_code").is_empty());

    // An unknown division code fails, critically.
    let unknown = russian_mrz(
        "Иванова",
        "Анна",
        "Сергеевна",
        "4511",
        "000002",
        "900101",
        "771-999",
    );
    let (bad, _) = russian(true, false, [unknown[0].as_str(), unknown[1].as_str()]);
    let division = checks_of(&bad, "document.division_code");
    assert_eq!(division[0].outcome, CheckOutcome::Failed);
    assert!(division[0].critical);

    // The MVD list is keyed by the ten-digit series and number, which the MRZ spreads over two
    // fields: a listed passport read from its MRZ declines the session.
    let listed = russian_mrz(
        "Иванова",
        "Анна",
        "Сергеевна",
        "4509",
        "123456",
        "900101",
        "770-001",
    );
    let (declined, _) = russian(false, true, [listed[0].as_str(), listed[1].as_str()]);
    let mvd = declined
        .database_checks
        .iter()
        .find(|d| d.source == "mvd.invalid_passports")
        .unwrap();
    assert_eq!(mvd.result.reason_code, "registry.invalid_passport");
    assert_eq!(declined.status, SessionStatus::Declined);
    assert_eq!(declined.status_reason, "decision.database_check_failed");

    // FSSP: an open proceeding against the person (by Cyrillic name and birth date) declines.
    let debtor = russian_mrz(
        "Должникова",
        "Мария",
        "Ивановна",
        "4511",
        "000003",
        "840621",
        "770-001",
    );
    let (debt, _) = russian(false, true, [debtor[0].as_str(), debtor[1].as_str()]);
    let fssp = debt
        .database_checks
        .iter()
        .find(|d| d.source == "fssp.enforcement_proceedings")
        .unwrap();
    assert_eq!(fssp.result.reason_code, "registry.enforcement_proceedings");
    assert_eq!(debt.status, SessionStatus::Declined);

    // Both registries clear: approved only once both answered (they answer at once, offline).
    let (clear, _) = russian(false, true, m);
    assert_eq!(
        clear.database_checks.len(),
        2,
        "{:?}",
        clear.database_checks
    );
    let not_passed: Vec<_> = clear.steps[0].captures[0]
        .checks
        .iter()
        .filter(|c| c.outcome != CheckOutcome::Passed)
        .collect();
    assert_eq!(clear.status, SessionStatus::Approved, "{not_passed:?}");
}

#[test]
fn switch_database_checks_hold_the_session_for_a_host_driven_registry() {
    let mut s = plain();
    let approved = through(&s, |_| {});
    assert_eq!(approved.status, SessionStatus::Approved);
    s.database_checks = vec![DatabaseCheckRule {
        source: "bank.internal_watchlist".into(),
        deadline_minutes: 15,
    }];
    let waiting = through(&s, |_| {});
    assert_eq!(waiting.status, SessionStatus::AwaitingDatabaseChecks);
}
