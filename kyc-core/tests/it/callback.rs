//! Callbacks end to end: notification modes built from real engine events, statuses-only payloads
//! free of every personal field, signing and encryption, and every refusal of the receiver's check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::{SignedDuration, Timestamp};
use kyc_core::analysis::ImageKind;
use kyc_core::callback::{
    self, CallbackError, Delivery, EncryptedBody, InMemorySeenIds, Notification, NotificationKind,
    VerifyOptions, WebhookHeaders,
};
use kyc_core::scenario::{CallbackConfig, SecretKey};
use kyc_core::session::{Origin, RecordingObserver};
use kyc_core::{
    CheckResult, Engine, ManualClock, Scenario, SeededEntropy, Session, SessionEvent, SessionStatus,
};

fn scenario_with(config: CallbackConfig) -> Scenario {
    let mut s = scenario("passport_selfie");
    s.fraud.block_history_mismatch = false;
    // No face lists in this rig.
    s.blacklist_id = None;
    s.customer_face_list_id = None;
    s.callback = Some(config);
    s
}

fn config(encrypt: bool, statuses_only: bool, final_only: bool, db: bool) -> CallbackConfig {
    CallbackConfig {
        url: "https://bank.example/kyc/callback".to_owned(),
        encrypt,
        statuses_only,
        final_only,
        database_checks_as_ready: db,
        retiring_secret_keys: Vec::new(),
    }
}

/// Runs the passport-and-selfie flow to approval, then a registry check arrives.
fn run(scenario: &Scenario) -> (Session, Vec<SessionEvent>) {
    let clock = Arc::new(ManualClock::new(t0()));
    let events = Arc::new(RecordingObserver::default());
    let engine = Engine::builder(clock.clone(), Arc::new(SeededEntropy::from_u64(3)))
        .document_analyzer(ScriptedDocuments::new(vec![(
            personal_passport(),
            vec![mrz_ok()],
        )]))
        .face_analyzer(Arc::new(ScriptedFaces { similarity: 0.9 }))
        .observer(events.clone())
        .build();
    let mut session = engine.create_session(scenario, Origin::Api);
    clock.advance(SignedDuration::from_secs(10));
    engine
        .submit_capture(
            scenario,
            &mut session,
            "passport",
            &[image(ImageKind::DocumentFront)],
        )
        .unwrap();
    clock.advance(SignedDuration::from_secs(10));
    engine
        .submit_capture(
            scenario,
            &mut session,
            "selfie",
            &[image(ImageKind::Selfie)],
        )
        .unwrap();
    assert_eq!(
        session.status,
        SessionStatus::Approved,
        "{}",
        session.status_reason
    );
    clock.advance(SignedDuration::from_secs(10));
    engine.record_database_check(
        scenario,
        &mut session,
        "mvd.invalid_passports",
        CheckResult::rule(
            "registry.invalid_passport",
            true,
            "registry.clear",
            "DN7731905 is not listed",
        ),
    );
    (session, events.events())
}

fn notifications(
    encrypt: bool,
    statuses_only: bool,
    final_only: bool,
    db: bool,
) -> Vec<Notification> {
    let s = scenario_with(config(encrypt, statuses_only, final_only, db));
    let (session, events) = run(&s);
    callback::notifications(&s, &session, &events)
}

fn summary(ns: &[Notification]) -> Vec<(NotificationKind, SessionStatus)> {
    ns.iter().map(|n| (n.kind, n.status)).collect()
}

#[test]
fn full_mode_sends_every_status_with_the_result() {
    let ns = notifications(false, false, false, false);
    assert_eq!(
        summary(&ns),
        vec![
            (NotificationKind::Status, SessionStatus::Created),
            (NotificationKind::Status, SessionStatus::InProgress),
            (NotificationKind::Status, SessionStatus::Approved),
        ]
    );
    for n in &ns {
        let result = n.result.as_ref().expect("full mode carries the result");
        assert_eq!(result.session_id, n.session_id);
    }
    assert!(ns[2].is_final);
    assert!(
        ns[2].to_json().contains("DN7731905"),
        "full mode has the document"
    );
    // Ordered per session, unique and stable idempotency keys.
    assert!(ns.windows(2).all(|w| w[0].seq < w[1].seq));
    let mut keys: Vec<_> = ns.iter().map(|n| n.idempotency_key.clone()).collect();
    keys.dedup();
    assert_eq!(keys.len(), 3);
    assert_eq!(
        ns,
        notifications(false, false, false, false),
        "rebuilding gives the same"
    );
}

#[test]
fn statuses_only_payloads_hold_no_personal_field() {
    let s = scenario_with(config(false, true, false, true));
    let (session, events) = run(&s);
    let ns = callback::notifications(&s, &session, &events);
    assert_eq!(
        summary(&ns),
        vec![
            (NotificationKind::Status, SessionStatus::Created),
            (NotificationKind::Status, SessionStatus::InProgress),
            (NotificationKind::Status, SessionStatus::Approved),
            (NotificationKind::DatabaseCheck, SessionStatus::Approved),
        ]
    );
    // The session does hold them all (so the check below means something).
    let stored = session.to_json();
    for (name, value) in PERSONAL_FIELDS {
        assert!(stored.contains(value), "session lacks {name}");
    }
    let allowed_keys = [
        "schema_version",
        "idempotency_key",
        "kind",
        "scenario_id",
        "session_id",
        "seq",
        "at",
        "status",
        "reason_code",
        "is_final",
        "database_check",
        "source",
        "check",
        "outcome",
        "received_at",
    ];
    let entropy = SeededEntropy::from_u64(9);
    for n in &ns {
        assert!(n.result.is_none());
        let delivery = callback::prepare(&s, n, t0(), &entropy).unwrap();
        for text in [
            n.to_json(),
            String::from_utf8(delivery.body.clone()).unwrap(),
        ] {
            for (name, value) in PERSONAL_FIELDS {
                // Short values such as "F" or "UTO" would match ids by chance; the distinctive ones
                // must not appear at all, and no field name may appear as a key or value.
                if value.len() > 3 {
                    assert!(!text.contains(value), "{name} leaked: {text}");
                }
                assert!(
                    !text.contains(&format!("\"{name}\"")),
                    "{name} named: {text}"
                );
            }
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut stack = vec![&json];
            while let Some(v) = stack.pop() {
                match v {
                    serde_json::Value::Object(map) => {
                        for (k, child) in map {
                            assert!(allowed_keys.contains(&k.as_str()), "unexpected key {k}");
                            stack.push(child);
                        }
                    }
                    serde_json::Value::Array(items) => stack.extend(items),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn final_only_sends_the_final_status_alone() {
    let ns = notifications(false, false, true, false);
    assert_eq!(
        summary(&ns),
        vec![(NotificationKind::Status, SessionStatus::Approved)]
    );
    assert!(ns[0].result.is_some());
}

#[test]
fn database_checks_are_sent_as_they_arrive_even_with_final_only() {
    let ns = notifications(false, true, true, true);
    assert_eq!(
        summary(&ns),
        vec![
            (NotificationKind::Status, SessionStatus::Approved),
            (NotificationKind::DatabaseCheck, SessionStatus::Approved),
        ]
    );
    let check = ns[1].database_check.as_ref().unwrap();
    assert_eq!(check.source, "mvd.invalid_passports");
    assert_eq!(check.reason_code, "registry.clear");
    // The check's message quoted the number: it is not sent.
    assert!(!ns[1].to_json().contains("DN7731905"));
    // Without the mode, no database-check notification.
    assert!(
        notifications(false, true, true, false)
            .iter()
            .all(|n| n.kind == NotificationKind::Status)
    );
}

#[test]
fn no_callback_config_means_no_notification() {
    let mut s = scenario_with(config(false, false, false, false));
    let (session, events) = run(&s);
    s.callback = None;
    assert!(callback::notifications(&s, &session, &events).is_empty());
}

// ---- receiver ----

struct Sent {
    scenario: Scenario,
    delivery: Delivery,
    sent_at: Timestamp,
}

fn sent(encrypt: bool) -> Sent {
    let s = scenario_with(config(encrypt, false, true, false));
    let (session, events) = run(&s);
    let n = callback::notifications(&s, &session, &events).remove(0);
    let sent_at = t0() + SignedDuration::from_secs(60);
    let delivery = callback::prepare(&s, &n, sent_at, &SeededEntropy::from_u64(5)).unwrap();
    Sent {
        scenario: s,
        delivery,
        sent_at,
    }
}

fn headers(d: &Delivery) -> WebhookHeaders {
    WebhookHeaders::from_pairs(d.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn check(
    secret: &SecretKey,
    h: &WebhookHeaders,
    body: &[u8],
    now: Timestamp,
    seen: &InMemorySeenIds,
) -> Result<callback::VerifiedCallback, CallbackError> {
    callback::verify_and_decrypt(
        std::slice::from_ref(secret),
        h,
        body,
        now,
        seen,
        VerifyOptions::default(),
    )
}

#[test]
fn receiver_accepts_an_authentic_callback_in_both_forms() {
    for encrypt in [false, true] {
        let s = sent(encrypt);
        let seen = InMemorySeenIds::default();
        let ok = check(
            &s.scenario.secret_key,
            &headers(&s.delivery),
            &s.delivery.body,
            s.sent_at + SignedDuration::from_secs(2),
            &seen,
        )
        .unwrap();
        assert_eq!(ok.was_encrypted, encrypt);
        assert_eq!(ok.webhook_id, ok.notification.idempotency_key);
        assert_eq!(ok.notification.status, SessionStatus::Approved);
        let body = String::from_utf8(s.delivery.body.clone()).unwrap();
        // Encrypted bodies hide the personal data; plain ones carry it.
        assert_eq!(body.contains("DN7731905"), !encrypt);
    }
}

/// A rotation: the scenario moves to a new secret and retires the old one. Callbacks carry both
/// signatures; a receiver still on the old secret verifies plain bodies, one given both secrets
/// verifies and decrypts, and a receiver on neither is refused. Removing the retired secret from
/// the scenario ends the old receivers' acceptance.
#[test]
fn a_rotation_signs_with_both_secrets_and_receivers_verify_with_a_list() {
    let old = SecretKey::new("retiring-secret-0123456789abcdef0123456789");
    let new = SecretKey::new("current-secret-fedcba9876543210fedcba98765");
    let other = SecretKey::new("unrelated-secret-00000000000000000000000000");
    let delivered = |encrypt: bool, retiring: Vec<SecretKey>| {
        let mut config = config(encrypt, false, true, false);
        config.retiring_secret_keys = retiring;
        let mut s = scenario_with(config);
        s.secret_key = new.clone();
        assert!(s.validate().is_ok(), "{:?}", s.validate());
        let (session, events) = run(&s);
        let n = callback::notifications(&s, &session, &events).remove(0);
        let at = t0() + SignedDuration::from_secs(60);
        (
            callback::prepare(&s, &n, at, &SeededEntropy::from_u64(9)).unwrap(),
            at,
        )
    };
    let verify = |secrets: &[SecretKey], d: &Delivery, at: Timestamp| {
        callback::verify_and_decrypt(
            secrets,
            &headers(d),
            &d.body,
            at,
            &InMemorySeenIds::default(),
            VerifyOptions::default(),
        )
    };

    let (plain, at) = delivered(false, vec![old.clone()]);
    let signature = headers(&plain).signature.unwrap();
    assert_eq!(signature.split(' ').count(), 2, "{signature}");
    assert!(verify(std::slice::from_ref(&old), &plain, at).is_ok());
    assert!(verify(std::slice::from_ref(&new), &plain, at).is_ok());
    assert_eq!(
        verify(std::slice::from_ref(&other), &plain, at)
            .unwrap_err()
            .code(),
        "callback.signature_mismatch"
    );

    // Encrypted under the new secret: a receiver with both opens it, in either order; one with
    // only the old secret verifies the signature but cannot decrypt.
    let (sealed, at) = delivered(true, vec![old.clone()]);
    for secrets in [[old.clone(), new.clone()], [new.clone(), old.clone()]] {
        let ok = verify(&secrets, &sealed, at).unwrap();
        assert!(ok.was_encrypted);
        assert_eq!(ok.notification.status, SessionStatus::Approved);
    }
    assert_eq!(
        verify(std::slice::from_ref(&old), &sealed, at)
            .unwrap_err()
            .code(),
        "callback.decrypt_failed"
    );

    // Rotation over: one signature, the old secret no longer verifies.
    let (done, at) = delivered(false, Vec::new());
    assert_eq!(headers(&done).signature.unwrap().split(' ').count(), 1);
    assert_eq!(
        verify(std::slice::from_ref(&old), &done, at)
            .unwrap_err()
            .code(),
        "callback.signature_mismatch"
    );
    assert!(verify(&[old.clone(), new.clone()], &done, at).is_ok());

    // A receiver needs one to four secrets.
    assert_eq!(
        verify(&[], &done, at).unwrap_err().code(),
        "callback.secrets"
    );
    let five = vec![new.clone(); 5];
    assert_eq!(
        verify(&five, &done, at).unwrap_err().code(),
        "callback.secrets"
    );
}

#[test]
fn a_scenario_retires_at_most_three_older_secrets() {
    let mut config = config(false, false, false, false);
    let mut s = scenario_with(config.clone());
    config.retiring_secret_keys = vec![
        s.secret_key.clone(),
        SecretKey::new("short"),
        SecretKey::new("retiring-secret-0123456789abcdef0123456789"),
        SecretKey::new("retiring-secret-0123456789abcdef0123456780"),
    ];
    s.callback = Some(config);
    let Err(kyc_core::scenario::ScenarioError::Invalid(violations)) = s.validate() else {
        panic!("the scenario should be invalid");
    };
    let codes: Vec<String> = violations
        .iter()
        .map(|v| format!("{} {}", v.path, v.code))
        .collect();
    assert!(
        codes.contains(
            &"$.callback.retiring_secret_keys scenario.too_many_retiring_keys".to_owned()
        ),
        "{codes:?}"
    );
    assert!(codes.contains(
        &"$.callback.retiring_secret_keys[0] scenario.retiring_key_is_current".to_owned()
    ));
    assert!(
        codes.contains(
            &"$.callback.retiring_secret_keys[1] scenario.retiring_key_length".to_owned()
        )
    );
    // Nor does a message quote a key.
    let text = format!("{:?}", s.validate().unwrap_err());
    assert!(!text.contains("retiring-secret-0123"), "{text}");
}

#[test]
fn receiver_rejects_every_tampering_and_replay() {
    let s = sent(true);
    let key = &s.scenario.secret_key;
    let h = headers(&s.delivery);
    let body = s.delivery.body.clone();
    let now = s.sent_at;
    let code = |r: Result<callback::VerifiedCallback, CallbackError>| r.unwrap_err().code();
    let fresh = InMemorySeenIds::default;

    // Missing headers.
    for strip in 0..3 {
        let mut h2 = h.clone();
        match strip {
            0 => h2.id = None,
            1 => h2.timestamp = None,
            _ => h2.signature = None,
        }
        assert_eq!(
            code(check(key, &h2, &body, now, &fresh())),
            "callback.missing_header"
        );
    }
    // Malformed headers.
    let mut h2 = h.clone();
    h2.timestamp = Some("12e9".into());
    assert_eq!(
        code(check(key, &h2, &body, now, &fresh())),
        "callback.malformed_header"
    );
    let mut h2 = h.clone();
    h2.id = Some("x".repeat(300));
    assert_eq!(
        code(check(key, &h2, &body, now, &fresh())),
        "callback.malformed_header"
    );

    // A changed body.
    let mut changed = body.clone();
    let i = changed.len() / 2;
    changed[i] ^= 1;
    assert_eq!(
        code(check(key, &h, &changed, now, &fresh())),
        "callback.signature_mismatch"
    );
    // Changed headers: id, timestamp (still within tolerance), signature.
    let mut h2 = h.clone();
    h2.id = Some("ntf_other".into());
    assert_eq!(
        code(check(key, &h2, &body, now, &fresh())),
        "callback.signature_mismatch"
    );
    let mut h2 = h.clone();
    h2.timestamp = Some((s.delivery.timestamp + 1).to_string());
    assert_eq!(
        code(check(key, &h2, &body, now, &fresh())),
        "callback.signature_mismatch"
    );
    let mut h2 = h.clone();
    let mut sig = STANDARD
        .decode(h.signature.as_ref().unwrap().strip_prefix("v1,").unwrap())
        .unwrap();
    sig[0] ^= 1;
    h2.signature = Some(format!("v1,{}", STANDARD.encode(sig)));
    assert_eq!(
        code(check(key, &h2, &body, now, &fresh())),
        "callback.signature_mismatch"
    );
    // A wrong key.
    let wrong = SecretKey::new("another-secret-key-0123456789abcdef");
    assert_eq!(
        code(check(&wrong, &h, &body, now, &fresh())),
        "callback.signature_mismatch"
    );

    // Timestamps: 300 s either way is accepted, 301 s is not.
    let ts = s.delivery.timestamp;
    let at = |secs: i64| Timestamp::from_second(ts + secs).unwrap();
    assert!(check(key, &h, &body, at(300), &fresh()).is_ok());
    assert!(check(key, &h, &body, at(-300), &fresh()).is_ok());
    assert_eq!(
        code(check(key, &h, &body, at(301), &fresh())),
        "callback.timestamp_out_of_tolerance"
    );
    assert_eq!(
        code(check(key, &h, &body, at(-301), &fresh())),
        "callback.timestamp_out_of_tolerance"
    );

    // Replay: the same id twice into one store.
    let seen = fresh();
    assert!(check(key, &h, &body, now, &seen).is_ok());
    assert_eq!(code(check(key, &h, &body, now, &seen)), "callback.replayed");

    // Associated data: moving the ciphertext to another session, re-signed with the right key so
    // that only the binding can catch it.
    let mut envelope: EncryptedBody = serde_json::from_slice(&body).unwrap();
    envelope.session_id = "another-session".into();
    let moved = serde_json::to_vec(&envelope).unwrap();
    let mut h2 = h.clone();
    h2.signature = Some(callback::sign(key, h.id.as_ref().unwrap(), ts, &moved).unwrap());
    assert_eq!(
        code(check(key, &h2, &moved, now, &fresh())),
        "callback.decrypt_failed"
    );
    // A flipped ciphertext bit, re-signed.
    let mut envelope: EncryptedBody = serde_json::from_slice(&body).unwrap();
    let mut ct = STANDARD.decode(&envelope.ciphertext).unwrap();
    ct[3] ^= 4;
    envelope.ciphertext = STANDARD.encode(ct);
    let flipped = serde_json::to_vec(&envelope).unwrap();
    h2.signature = Some(callback::sign(key, h.id.as_ref().unwrap(), ts, &flipped).unwrap());
    assert_eq!(
        code(check(key, &h2, &flipped, now, &fresh())),
        "callback.decrypt_failed"
    );

    // Oversized body, refused before anything else.
    let big = vec![b' '; (1 << 20) + 1];
    assert_eq!(
        code(check(key, &h, &big, now, &fresh())),
        "callback.too_large"
    );
}

#[test]
fn receiver_can_require_encryption() {
    let s = sent(false);
    let options = VerifyOptions {
        require_encryption: true,
        ..VerifyOptions::default()
    };
    let err = callback::verify_and_decrypt(
        std::slice::from_ref(&s.scenario.secret_key),
        &headers(&s.delivery),
        &s.delivery.body,
        s.sent_at,
        &InMemorySeenIds::default(),
        options,
    )
    .unwrap_err();
    assert_eq!(err.code(), "callback.malformed_body");
}

#[test]
fn each_preparation_draws_a_fresh_nonce_and_nothing_secret_prints() {
    let s = sent(true);
    let n = check(
        &s.scenario.secret_key,
        &headers(&s.delivery),
        &s.delivery.body,
        s.sent_at,
        &InMemorySeenIds::default(),
    )
    .unwrap()
    .notification;
    let e = SeededEntropy::from_u64(77);
    let a = callback::prepare(&s.scenario, &n, s.sent_at, &e).unwrap();
    let b = callback::prepare(&s.scenario, &n, s.sent_at, &e).unwrap();
    let nonce = |d: &Delivery| {
        serde_json::from_slice::<EncryptedBody>(&d.body)
            .unwrap()
            .nonce
    };
    assert_ne!(nonce(&a), nonce(&b));
    assert_eq!(a.webhook_id, b.webhook_id, "a retry keeps the webhook id");
    let shown = format!("{a:?} {:?}", s.scenario);
    assert!(!shown.contains("fixture-only-secret"), "{shown}");
    assert!(!shown.contains("v1,"), "{shown}");
}
