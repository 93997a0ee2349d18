//! History fraud through the engine: the same person with the same document type but different data
//! is blocked by `document.history`; the store keeps keyed hashes only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use kyc_core::analysis::{HistoryStore, HistoryVerdict, ImageKind};
use kyc_core::document::DocumentData;
use kyc_core::history::{HistoryKey, InMemoryHistoryRecords, KeyedHistoryStore};
use kyc_core::session::Origin;
use kyc_core::{CheckOutcome, Engine, FixedClock, Scenario, SeededEntropy, SessionStatus};

fn passport_scenario(critical_errors_before_block: u32) -> Scenario {
    let mut s = scenario("passport_selfie");
    s.steps.truncate(1);
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = true;
    s.limits.critical_errors_before_block = critical_errors_before_block;
    s
}

/// Runs one session per document through one engine sharing `store`; returns each session's
/// status and its `document.history` check.
fn run(
    scenario: &Scenario,
    store: Arc<KeyedHistoryStore>,
    docs: Vec<DocumentData>,
) -> Vec<(SessionStatus, kyc_core::CheckResult)> {
    let script = docs.iter().map(|d| (d.clone(), vec![mrz_ok()])).collect();
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(11)),
    )
    .document_analyzer(ScriptedDocuments::new(script))
    .history(store)
    .build();
    docs.iter()
        .map(|_| {
            let mut session = engine.create_session(scenario, Origin::Api);
            let report = engine
                .submit_capture(
                    scenario,
                    &mut session,
                    "passport",
                    &[image(ImageKind::DocumentFront)],
                )
                .unwrap();
            let history = report
                .checks
                .iter()
                .find(|c| c.check == "document.history")
                .cloned()
                .expect("history check present");
            (session.status, history)
        })
        .collect()
}

fn store() -> Arc<KeyedHistoryStore> {
    Arc::new(KeyedHistoryStore::in_memory(
        HistoryKey::new(b"tenant-history-key-0123456789abcdef").unwrap(),
    ))
}

#[test]
fn the_same_person_with_other_document_data_is_blocked() {
    let s = passport_scenario(1);
    let first = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    let second = passport_data("X1234567", "1974-08-12", "2032-04-15");
    let results = run(&s, store(), vec![first, second]);

    assert_eq!(results[0].0, SessionStatus::Approved);
    assert_eq!(results[0].1.outcome, CheckOutcome::Passed);
    assert_eq!(results[0].1.reason_code, "document.history.consistent");

    let (status, history) = &results[1];
    assert_eq!(history.outcome, CheckOutcome::Failed);
    assert!(history.critical);
    assert_eq!(history.reason_code, "document.history.conflict");
    assert_eq!(*status, SessionStatus::Blocked);
}

#[test]
fn with_more_critical_errors_allowed_the_capture_fails_and_the_session_goes_on() {
    let s = passport_scenario(3);
    let results = run(
        &s,
        store(),
        vec![
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            passport_data("X1234567", "1974-08-12", "2032-04-15"),
        ],
    );
    assert_eq!(results[1].1.outcome, CheckOutcome::Failed);
    assert_eq!(results[1].0, SessionStatus::InProgress);
}

#[test]
fn same_data_other_people_and_spelling_variants_are_consistent() {
    let s = passport_scenario(1);
    let base = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    // The same data again, the name spelt with other case and separators.
    let mut respelt = base.clone();
    for f in &mut respelt.fields {
        if f.name == "given_names" {
            f.value = "anna-maria".to_owned();
        }
        if f.name == "document_number" {
            f.value = "L89 8902C3".to_owned();
        }
    }
    // Another person (other birth date) with another document.
    let other = passport_data("Z7777777", "1980-01-01", "2032-04-15");
    let results = run(&s, store(), vec![base, respelt, other]);
    for (status, history) in &results {
        assert_eq!(history.outcome, CheckOutcome::Passed, "{history:?}");
        assert_eq!(*status, SessionStatus::Approved);
    }
}

#[test]
fn a_renewal_is_not_a_conflict_and_becomes_the_reference() {
    let s = passport_scenario(1);
    let first = passport_data("L898902C3", "1974-08-12", "2028-04-15");
    // Same person, new number, later expiry: a renewed passport.
    let renewed = passport_data("N0000001", "1974-08-12", "2036-04-15");
    // Then an older document again (expiring before the renewal): other data, not newer.
    let older = passport_data("Q5555555", "1974-08-12", "2030-01-01");
    let results = run(&s, store(), vec![first, renewed, older]);
    assert_eq!(results[1].1.outcome, CheckOutcome::Passed);
    assert_eq!(results[1].1.reason_code, "document.history.renewal");
    assert_eq!(results[1].0, SessionStatus::Approved);
    assert_eq!(results[2].1.reason_code, "document.history.conflict");
    assert_eq!(results[2].0, SessionStatus::Blocked);
}

#[test]
fn only_approved_sessions_become_history() {
    // A first session that is refused for another reason (a failed MRZ) is not remembered: the
    // person's real document afterwards is consistent, not a conflict with the misread.
    let s = passport_scenario(3);
    let store = store();
    let misread = passport_data("L898902C8", "1974-08-12", "2032-04-15");
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(11)),
    )
    .document_analyzer(ScriptedDocuments::new(vec![
        (misread, vec![mrz_bad()]),
        (
            passport_data("L898902C3", "1974-08-12", "2032-04-15"),
            vec![mrz_ok()],
        ),
    ]))
    .history(store.clone())
    .build();
    let mut refused = engine.create_session(&s, Origin::Api);
    let report = engine
        .submit_capture(
            &s,
            &mut refused,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    assert_eq!(report.outcome, kyc_core::session::CaptureOutcome::Failed);
    assert!(
        store.records().is_empty(),
        "a refused capture is not history"
    );

    let mut real = engine.create_session(&s, Origin::Api);
    engine
        .submit_capture(
            &s,
            &mut real,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    assert_eq!(real.status, SessionStatus::Approved);
    assert_eq!(store.records().len(), 1);
}

#[test]
fn data_not_from_a_verified_mrz_is_unavailable_never_passed() {
    let s = passport_scenario(1);
    // The number read from the visual zone only, or a birth date whose check digit failed.
    let mut visual = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    for f in &mut visual.fields {
        if f.name == "document_number" {
            f.source = kyc_core::document::FieldSource::Visual;
        }
    }
    let mut unverified = passport_data("L898902C3", "1974-08-12", "2032-04-15");
    for f in &mut unverified.fields {
        if f.name == "birth_date" {
            f.confidence = 0.0;
        }
    }
    let store = store();
    let results = run(&s, store.clone(), vec![visual, unverified]);
    for (status, history) in &results {
        assert_eq!(history.outcome, CheckOutcome::Unavailable, "{history:?}");
        assert_eq!(history.reason_code, "document.history.incomplete");
        assert_eq!(*status, SessionStatus::ManualReview);
    }
    assert!(store.records().is_empty());
}

#[test]
fn the_store_keeps_no_personal_data() {
    let store = KeyedHistoryStore::new(
        HistoryKey::new(b"tenant-history-key-0123456789abcdef").unwrap(),
        InMemoryHistoryRecords::new(10),
    );
    // As a verified MRZ gives it: only that is ever recorded.
    let mut doc = personal_passport();
    for f in &mut doc.fields {
        f.source = kyc_core::document::FieldSource::Mrz;
    }
    assert_eq!(store.check(&doc).unwrap(), HistoryVerdict::Consistent);
    assert!(store.record(&doc).unwrap());
    let entries = store.records().entries();
    assert_eq!(entries.len(), 1);
    let mut raw = Vec::new();
    for (who, record) in &entries {
        raw.extend_from_slice(who);
        raw.extend_from_slice(&record.fingerprint);
    }
    for (_, value) in PERSONAL_FIELDS {
        if value.len() >= 4 {
            assert!(
                !raw.windows(value.len()).any(|w| w == value.as_bytes()),
                "{value} stored"
            );
        }
    }
    let shown = format!("{store:?}");
    assert!(!shown.contains("tenant-history-key"), "{shown}");
    assert!(!shown.contains("ZYXWSURNAME"), "{shown}");

    // Another tenant key gives other hashes for the same person.
    let other = KeyedHistoryStore::new(
        HistoryKey::new(b"another-tenant-key-0123456789abcdef").unwrap(),
        InMemoryHistoryRecords::new(10),
    );
    other.record(&doc).unwrap();
    assert_ne!(other.records().entries(), entries);

    // A document without a birth date cannot be attributed: incomplete, not recorded.
    let mut anonymous = doc.clone();
    anonymous.fields.retain(|f| f.name != "birth_date");
    assert_eq!(other.check(&anonymous).unwrap(), HistoryVerdict::Incomplete);
    assert!(!other.record(&anonymous).unwrap());
    assert_eq!(other.records().len(), 1);
}

#[test]
fn a_full_store_is_an_error_not_a_pass() {
    let store = KeyedHistoryStore::new(
        HistoryKey::new(&[9; 32]).unwrap(),
        InMemoryHistoryRecords::new(1),
    );
    store
        .record(&passport_data("A1", "1970-01-01", "2030-01-01"))
        .unwrap();
    let err = store
        .record(&passport_data("B2", "1971-01-01", "2030-01-01"))
        .unwrap_err();
    assert_eq!(err.code(), "history.full");
}
