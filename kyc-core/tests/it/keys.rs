//! One subkey per purpose: the scenario's secret keys nothing directly. A callback's signature is
//! keyed with the webhook subkey (a Standard Webhooks receiver verifies with
//! `standard_webhooks_secret`, never with the secret), a liveness challenge with its own subkey;
//! the raw secret verifies neither.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use kyc_core::callback::{self, Notification};
use kyc_core::face::active;
use kyc_core::scenario::KeyPurpose;
use kyc_core::session::{Origin, RecordingObserver};
use kyc_core::{Engine, FixedClock, SeededEntropy};
use sha2::Sha256;

fn standard_webhooks_signature(key: &[u8], id: &str, ts: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(format!("{id}.{ts}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn a_notification() -> (kyc_core::Scenario, Notification) {
    let mut s = scenario("passport_selfie");
    // Every event notifies, so a new session's `created` is a notification to sign.
    s.callback.as_mut().unwrap().final_only = false;
    let events = Arc::new(RecordingObserver::default());
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(1)),
    )
    .observer(events.clone())
    .build();
    let session = engine.create_session(&s, Origin::Api);
    let notes = callback::notifications(&s, &session, &events.events());
    let note = notes.into_iter().last().expect("a notification");
    (s, note)
}

#[test]
fn callbacks_are_signed_with_the_webhook_subkey_not_the_secret() {
    let (s, note) = a_notification();
    let d = callback::prepare(&s, &note, t0(), &SeededEntropy::from_u64(2)).unwrap();
    let sent = d
        .headers
        .iter()
        .find(|(k, _)| k == callback::HEADER_SIGNATURE)
        .map(|(_, v)| v.clone())
        .unwrap();
    let raw =
        standard_webhooks_signature(s.secret_key.expose(), &d.webhook_id, d.timestamp, &d.body);
    assert_ne!(
        sent, raw,
        "the raw scenario secret must not key the webhook HMAC"
    );

    let whsec = callback::standard_webhooks_secret(&s.secret_key);
    let key = STANDARD
        .decode(whsec.strip_prefix("whsec_").unwrap())
        .unwrap();
    assert_eq!(
        &key[..],
        s.secret_key.subkey(KeyPurpose::WebhookSignature).expose()
    );
    let expected = standard_webhooks_signature(&key, &d.webhook_id, d.timestamp, &d.body);
    assert_eq!(
        sent, expected,
        "a Standard Webhooks receiver verifies with the whsec_ subkey"
    );
    // ...and that subkey is none of the others.
    for purpose in [
        KeyPurpose::CallbackEncryption,
        KeyPurpose::LinkToken,
        KeyPurpose::LivenessChallenge,
    ] {
        assert_ne!(&key[..], s.secret_key.subkey(purpose).expose());
    }
}

#[test]
fn liveness_challenges_are_keyed_with_their_own_subkey() {
    let s = scenario("id_card_liveness");
    let engine = Engine::builder(
        Arc::new(FixedClock(t0())),
        Arc::new(SeededEntropy::from_u64(3)),
    )
    .build();
    let mut differ = 0;
    for _ in 0..20 {
        let session = engine.create_session(&s, Origin::Api);
        let got = engine.liveness_challenge(&s, &session, "liveness").unwrap();
        let sub = s.secret_key.subkey(KeyPurpose::LivenessChallenge);
        assert_eq!(
            got,
            active::challenges(sub.expose(), &session.id, "liveness", 3)
        );
        if got != active::challenges(s.secret_key.expose(), &session.id, "liveness", 3) {
            differ += 1;
        }
    }
    assert!(
        differ >= 10,
        "keyed by the raw secret in {} of 20 sessions",
        20 - differ
    );
}
