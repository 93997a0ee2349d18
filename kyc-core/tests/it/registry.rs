//! Registry checks: host-driven start/complete/expire with deadlines, results merged through the
//! engine (events and callbacks), and the offline invalid-passport list.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use jiff::SignedDuration;
use kyc_core::analysis::ImageKind;
use kyc_core::callback::{self, NotificationKind};
use kyc_core::registry::{
    self, InvalidPassportList, InvalidPassportSet, PendingChecks, RegistryAnswer,
};
use kyc_core::scenario::CallbackConfig;
use kyc_core::session::{EventKind, Origin, RecordingObserver};
use kyc_core::{CheckOutcome, Clock, Engine, ManualClock, Scenario, SeededEntropy, Session};

struct Rig {
    clock: Arc<ManualClock>,
    events: Arc<RecordingObserver>,
    engine: Engine,
    scenario: Scenario,
}

fn rig(number: &str) -> (Rig, Session) {
    let mut scenario = scenario("passport_selfie");
    scenario.steps.truncate(1);
    scenario.blacklist_id = None;
    scenario.customer_face_list_id = None;
    scenario.fraud.block_history_mismatch = false;
    scenario.callback = Some(CallbackConfig {
        url: "https://bank.example/cb".into(),
        encrypt: false,
        statuses_only: true,
        final_only: true,
        database_checks_as_ready: true,
        retiring_secret_keys: Vec::new(),
    });
    let clock = Arc::new(ManualClock::new(t0()));
    let events = Arc::new(RecordingObserver::default());
    let engine = Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(6)))
        .document_analyzer(ScriptedDocuments::new(vec![(
            passport_data(number, "1974-08-12", "2032-04-15"),
            vec![mrz_ok()],
        )]))
        .observer(events.clone())
        .build();
    let mut session = engine.create_session(&scenario, Origin::Api);
    engine
        .submit_capture(
            &scenario,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    (
        Rig {
            clock,
            events,
            engine,
            scenario,
        },
        session,
    )
}

#[test]
fn answers_in_time_merge_and_late_ones_time_out() {
    let (rig, mut session) = rig("4509 123456");
    let e = SeededEntropy::from_u64(1);
    let mut pending = PendingChecks::default();
    let (fssp, query) = pending
        .start(
            &session,
            "fssp.debts",
            SignedDuration::from_secs(30),
            rig.clock.now(),
            &e,
        )
        .unwrap();
    assert_eq!(query.document_number.as_deref(), Some("4509 123456"));
    assert!(
        !format!("{query:?}").contains("123456"),
        "Debug hides the query's data"
    );
    let (mvd, _) = pending
        .start(
            &session,
            "mvd.passports",
            SignedDuration::from_secs(10),
            rig.clock.now(),
            &e,
        )
        .unwrap();
    assert_eq!(pending.next_deadline(), Some(mvd.deadline));

    rig.clock.advance(SignedDuration::from_secs(5));
    let check = pending
        .complete(
            &rig.engine,
            &rig.scenario,
            &mut session,
            &fssp.id,
            RegistryAnswer::Clear,
            rig.clock.now(),
        )
        .unwrap();
    assert_eq!(check.outcome, CheckOutcome::Passed);
    assert_eq!(
        pending
            .complete(
                &rig.engine,
                &rig.scenario,
                &mut session,
                &fssp.id,
                RegistryAnswer::Clear,
                rig.clock.now()
            )
            .unwrap_err()
            .code(),
        "registry.unknown_ticket"
    );

    // The deadline passes: the sweep records it as unavailable.
    rig.clock.advance(SignedDuration::from_secs(5));
    let expired = pending.expire(&rig.engine, &rig.scenario, &mut session, rig.clock.now());
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].reason_code, "registry.timeout");
    assert!(pending.tickets.is_empty());
    assert_eq!(session.database_checks.len(), 2);

    // An answer after the deadline, before any sweep, is refused and recorded as a timeout.
    let (late, _) = pending
        .start(
            &session,
            "mvd.passports",
            SignedDuration::from_secs(1),
            rig.clock.now(),
            &e,
        )
        .unwrap();
    rig.clock.advance(SignedDuration::from_secs(2));
    let err = pending
        .complete(
            &rig.engine,
            &rig.scenario,
            &mut session,
            &late.id,
            RegistryAnswer::Clear,
            rig.clock.now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "registry.late");
    assert_eq!(
        session.database_checks.last().unwrap().result.reason_code,
        "registry.timeout"
    );

    assert_eq!(
        pending
            .start(
                &session,
                "x",
                SignedDuration::from_millis(500),
                rig.clock.now(),
                &e
            )
            .unwrap_err()
            .code(),
        "registry.timeout_out_of_range"
    );

    // Every result was an event, and each a callback (database_checks_as_ready).
    let events = rig.events.events();
    let recorded = events
        .iter()
        .filter(|ev| matches!(ev.kind, EventKind::DatabaseCheckRecorded { .. }))
        .count();
    assert_eq!(recorded, 3);
    let notes = callback::notifications(&rig.scenario, &session, &events);
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.kind == NotificationKind::DatabaseCheck)
            .count(),
        3
    );
}

#[test]
fn the_invalid_passport_list_answers_offline() {
    let csv = "PASSP_SERIES,PASSP_NUMBER\n4509,123456\n4510,000001\n";
    let (set, stats) = InvalidPassportSet::from_csv(csv.as_bytes(), 1000).unwrap();
    assert_eq!(stats.passports, 2);
    let list = InvalidPassportList::new("mvd.invalid_passports", set);

    let (r1, mut listed) = rig("4509 123456");
    let check = registry::check_now(&r1.engine, &r1.scenario, &mut listed, &list).unwrap();
    assert_eq!(check.outcome, CheckOutcome::Failed);
    assert_eq!(check.reason_code, "registry.invalid_passport");

    let (r2, mut clear) = rig("4509123457");
    let check = registry::check_now(&r2.engine, &r2.scenario, &mut clear, &list).unwrap();
    assert_eq!(check.outcome, CheckOutcome::Passed);

    // A number that is not a series and number: recorded as unavailable, returned as an error.
    let (r3, mut foreign) = rig("L898902C3");
    let err = registry::check_now(&r3.engine, &r3.scenario, &mut foreign, &list).unwrap_err();
    assert_eq!(err.code(), "registry.missing_input");
    assert_eq!(
        foreign.database_checks[0].result.outcome,
        CheckOutcome::Unavailable
    );
}
