//! Retention: purge decisions exactly at the day boundaries, unlimited retention, unknown scenarios,
//! and a purge that keeps an anonymised audit record without any personal field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use jiff::{SignedDuration, Timestamp};
use kyc_core::analysis::ImageKind;
use kyc_core::retention::{self, RetentionDecision};
use kyc_core::session::Origin;
use kyc_core::{Engine, FixedClock, Scenario, SeededEntropy, Session, SessionStatus};

fn scenario_days(id: &str, days: u32) -> Scenario {
    let mut s = scenario("passport_selfie");
    s.id = id.to_owned();
    s.limits.retention_days = days;
    s
}

fn session_at(scenario: &Scenario, id: &str, created_at: Timestamp) -> Session {
    let engine = Engine::builder(
        Arc::new(FixedClock(created_at)),
        Arc::new(SeededEntropy::from_u64(1)),
    )
    .build();
    engine
        .create_session_with_id(scenario, id, Origin::Api)
        .unwrap()
}

#[test]
fn a_session_is_purged_at_exactly_n_times_24_hours() {
    let s = scenario_days("one-day", 1);
    let created = t0();
    let session = session_at(&s, "s1", created);
    let boundary = created + SignedDuration::from_hours(24);
    let at = |offset: i64| boundary + SignedDuration::from_secs(offset);

    assert_eq!(
        retention::decide(&session, 1, at(-1)),
        RetentionDecision::Keep {
            until: Some(boundary)
        }
    );
    assert_eq!(
        retention::decide(&session, 1, at(0)),
        RetentionDecision::Purge { due_at: boundary }
    );
    assert_eq!(
        retention::decide(&session, 1, at(1)),
        RetentionDecision::Purge { due_at: boundary }
    );
    // Sub-second precision: a nanosecond before is still kept.
    let nano_before = boundary - SignedDuration::from_nanos(1);
    assert!(matches!(
        retention::decide(&session, 1, nano_before),
        RetentionDecision::Keep { .. }
    ));
}

#[test]
fn elapsed_days_not_calendar_days() {
    // Opened one second before midnight UTC: one retention day is 24 hours later, not midnight.
    let s = scenario_days("one-day", 1);
    let created: Timestamp = "2026-03-28T23:59:59Z".parse().unwrap();
    let session = session_at(&s, "late", created);
    let midnight: Timestamp = "2026-03-29T00:00:00Z".parse().unwrap();
    assert!(matches!(
        retention::decide(&session, 1, midnight + SignedDuration::from_hours(12)),
        RetentionDecision::Keep { .. }
    ));
    let due: Timestamp = "2026-03-29T23:59:59Z".parse().unwrap();
    assert_eq!(
        retention::decide(&session, 1, due),
        RetentionDecision::Purge { due_at: due }
    );
    // 90 days across the spring daylight-saving change in Europe: still 90 × 86 400 s.
    assert_eq!(
        retention::due_at(created, 90),
        Some(created + SignedDuration::from_hours(90 * 24))
    );
}

#[test]
fn the_sweep_lists_due_sessions_per_scenario() {
    let short = scenario_days("short", 30);
    let forever = scenario_days("forever", 0);
    let long = scenario_days("long", 3650);
    let now = t0();
    let days_ago = |d: i64| now - SignedDuration::from_hours(24 * d);
    let sessions = vec![
        session_at(&short, "exactly-30", days_ago(30)),
        session_at(&short, "29-days", days_ago(29)),
        session_at(&forever, "ancient", days_ago(20_000)),
        session_at(&long, "long-kept", days_ago(3649)),
        session_at(&scenario_days("deleted", 1), "orphan", days_ago(400)),
    ];
    let list = retention::due(&sessions, &[short, forever, long], now);
    let ids: Vec<_> = list.due.iter().map(|p| p.session_id.as_str()).collect();
    assert_eq!(ids, vec!["exactly-30"]);
    assert_eq!(list.due[0].due_at, now);
    assert_eq!(list.unknown_scenario, vec!["orphan".to_owned()]);
    assert_eq!(list.next_due, Some(now + SignedDuration::from_hours(24)));
}

#[test]
fn a_purge_keeps_an_anonymised_audit_record() {
    let mut s = scenario("passport_selfie");
    s.steps.truncate(1);
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.fraud.block_history_mismatch = false;
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(2)),
    )
    .document_analyzer(ScriptedDocuments::new(vec![(
        personal_passport(),
        vec![mrz_ok()],
    )]))
    .build();
    let mut session = engine.create_session(&s, Origin::Api);
    engine
        .submit_capture(
            &s,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    assert_eq!(session.status, SessionStatus::Approved);
    engine.record_database_check(
        &s,
        &mut session,
        "mvd.invalid_passports",
        kyc_core::CheckResult::rule(
            "registry.invalid_passport",
            true,
            "registry.clear",
            "DN7731905 clear",
        ),
    );
    assert!(session.to_json().contains("ZYXWSURNAME"));

    let now = t0() + SignedDuration::from_hours(24 * 100);
    let purged = retention::purge(&session, now);
    let text = serde_json::to_string(&purged.audit).unwrap();
    for (name, value) in PERSONAL_FIELDS {
        if value.len() > 3 {
            assert!(!text.contains(value), "{name} kept: {text}");
        }
    }
    assert_eq!(purged.audit.status, SessionStatus::Approved);
    assert_eq!(purged.audit.purged_at, now);
    assert_eq!(purged.audit.captures.len(), 1);
    assert!(
        purged.audit.captures[0]
            .checks
            .iter()
            .any(|c| c.check == "document.mrz")
    );
    assert_eq!(
        purged.audit.database_checks[0].check.reason_code,
        "registry.clear"
    );
    assert_eq!(
        purged.audit.document_type,
        Some(kyc_core::scenario::DocumentType::Passport)
    );
    assert_eq!(purged.images.len(), 1);
    assert_eq!(purged.images[0].kind, ImageKind::DocumentFront);
    assert_eq!(purged.images[0].step_id, "passport");
}
