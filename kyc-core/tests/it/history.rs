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
fn the_store_keeps_no_personal_data() {
    let store = KeyedHistoryStore::new(
        HistoryKey::new(b"tenant-history-key-0123456789abcdef").unwrap(),
        InMemoryHistoryRecords::new(10),
    );
    let s = passport_scenario(1);
    let doc = personal_passport();
    assert_eq!(
        store.check_and_record(&s, &doc).unwrap(),
        HistoryVerdict::Consistent
    );
    let entries = store.records().entries();
    assert_eq!(entries.len(), 1);
    let mut raw = Vec::new();
    for (who, fp) in &entries {
        raw.extend_from_slice(who);
        raw.extend_from_slice(fp);
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
    other.check_and_record(&s, &doc).unwrap();
    assert_ne!(other.records().entries(), entries);

    // A document without a birth date cannot be attributed: consistent, not recorded.
    let mut anonymous = doc.clone();
    anonymous.fields.retain(|f| f.name != "birth_date");
    assert_eq!(
        other.check_and_record(&s, &anonymous).unwrap(),
        HistoryVerdict::Consistent
    );
    assert_eq!(other.records().len(), 1);
}

#[test]
fn a_full_store_is_an_error_not_a_pass() {
    let store = KeyedHistoryStore::new(
        HistoryKey::new(&[9; 32]).unwrap(),
        InMemoryHistoryRecords::new(1),
    );
    let s = passport_scenario(1);
    store
        .check_and_record(&s, &passport_data("A1", "1970-01-01", "2030-01-01"))
        .unwrap();
    let err = store
        .check_and_record(&s, &passport_data("B2", "1971-01-01", "2030-01-01"))
        .unwrap_err();
    assert_eq!(err.code(), "history.full");
}
