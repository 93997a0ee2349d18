//! One-time links: batch limits, stateless verification, expiry at the exact instant, single use
//! under compare-and-set, the status flow, and refusal of bad tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::SignedDuration;
use kyc_core::link::{self, InMemoryLinkStore, LinkStatus, LinkStore};
use kyc_core::{SeededEntropy, SessionStatus};

fn hour() -> SignedDuration {
    SignedDuration::from_hours(1)
}

#[test]
fn counts_and_lifetimes_out_of_range_are_typed_errors() {
    let s = scenario("passport_selfie");
    let store = InMemoryLinkStore::new();
    let e = SeededEntropy::from_u64(1);
    for count in [0, 1001] {
        let err = link::issue(&store, &s, count, hour(), t0(), &e).unwrap_err();
        assert_eq!(err.code(), "link.count_out_of_range");
    }
    for lifetime in [
        SignedDuration::from_secs(59),
        SignedDuration::from_hours(30 * 24 + 1),
        SignedDuration::from_secs(-60),
    ] {
        let err = link::issue(&store, &s, 1, lifetime, t0(), &e).unwrap_err();
        assert_eq!(err.code(), "link.lifetime_out_of_range");
    }
    let links = link::issue(&store, &s, 1000, SignedDuration::from_secs(60), t0(), &e).unwrap();
    assert_eq!(links.len(), 1000);
    let mut ids: Vec<_> = links.iter().map(|l| l.link_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1000);
    assert_eq!(ids[0].len(), 32, "128 random bits");
    assert_eq!(format!("{:?}", links[0].token), "LinkToken(***)");
}

#[test]
fn tokens_verify_without_lookup_and_expire_exactly_at_their_time() {
    let s = scenario("passport_selfie");
    let store = InMemoryLinkStore::new();
    let links = link::issue(&store, &s, 2, hour(), t0(), &SeededEntropy::from_u64(2)).unwrap();
    let token = links[0].token.expose();
    assert_eq!(link::peek_scenario_id(token).unwrap(), s.id);
    let claims = link::verify(&s, token, t0()).unwrap();
    assert_eq!(claims.link_id, links[0].link_id);
    assert_eq!(claims.expires_at, t0() + hour());
    let just_before = t0() + hour() - SignedDuration::from_secs(1);
    assert!(link::verify(&s, token, just_before).is_ok());
    assert_eq!(
        link::verify(&s, token, t0() + hour()).unwrap_err().code(),
        "link.expired"
    );

    // Opening after expiry refuses and records the expiry.
    let second = links[1].token.expose();
    let err = link::open(&store, &s, second, t0() + hour()).unwrap_err();
    assert_eq!(err.code(), "link.expired");
    assert_eq!(
        store.get(&links[1].link_id).unwrap().unwrap().status,
        LinkStatus::Expired
    );
    let record = store.get(&links[0].link_id).unwrap().unwrap();
    assert_eq!(record.status_at(t0() + hour()), LinkStatus::Expired);
    assert_eq!(record.status_at(just_before), LinkStatus::Created);
}

#[test]
fn a_link_opens_once_then_follows_its_session() {
    let s = scenario("passport_selfie");
    let store = InMemoryLinkStore::new();
    let links = link::issue(&store, &s, 3, hour(), t0(), &SeededEntropy::from_u64(3)).unwrap();
    let token = links[0].token.expose();
    let opened = link::open(&store, &s, token, t0()).unwrap();
    assert_eq!(opened.status, LinkStatus::Opened);
    assert_eq!(
        link::open(&store, &s, token, t0()).unwrap_err().code(),
        "link.already_used"
    );

    let started = link::start(&store, &links[0].link_id, "session-1").unwrap();
    assert_eq!(started.status, LinkStatus::InProgress);
    assert_eq!(started.session_id.as_deref(), Some("session-1"));
    assert_eq!(
        link::open(&store, &s, token, t0()).unwrap_err().code(),
        "link.already_used"
    );
    let unchanged = link::finish(&store, &links[0].link_id, SessionStatus::ManualReview).unwrap();
    assert_eq!(unchanged.status, LinkStatus::InProgress);
    let done = link::finish(&store, &links[0].link_id, SessionStatus::Approved).unwrap();
    assert_eq!(done.status, LinkStatus::Success);
    assert_eq!(
        link::finish(&store, &links[0].link_id, SessionStatus::Declined)
            .unwrap_err()
            .code(),
        "link.illegal_transition"
    );

    // Failure path, and no start before open.
    assert_eq!(
        link::start(&store, &links[1].link_id, "s")
            .unwrap_err()
            .code(),
        "link.illegal_transition"
    );
    link::open(&store, &s, links[1].token.expose(), t0()).unwrap();
    link::start(&store, &links[1].link_id, "session-2").unwrap();
    let failed = link::finish(&store, &links[1].link_id, SessionStatus::Blocked).unwrap();
    assert_eq!(failed.status, LinkStatus::Failure);
}

#[test]
fn concurrent_opens_spend_a_link_once() {
    let s = Arc::new(scenario("passport_selfie"));
    let store = Arc::new(InMemoryLinkStore::new());
    let links = link::issue(
        store.as_ref(),
        &s,
        1,
        hour(),
        t0(),
        &SeededEntropy::from_u64(4),
    )
    .unwrap();
    let token = links[0].token.expose().to_owned();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (s, store, token) = (s.clone(), store.clone(), token.clone());
            std::thread::spawn(move || link::open(store.as_ref(), &s, &token, t0()).is_ok())
        })
        .collect();
    let wins = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|won| *won)
        .count();
    assert_eq!(wins, 1);
}

#[test]
fn bad_tokens_are_refused_with_their_reason() {
    let s = scenario("passport_selfie");
    let store = InMemoryLinkStore::new();
    let links = link::issue(&store, &s, 1, hour(), t0(), &SeededEntropy::from_u64(5)).unwrap();
    let token = links[0].token.expose();
    let code = |t: &str| link::verify(&s, t, t0()).unwrap_err().code();

    assert_eq!(code(""), "link.malformed");
    assert_eq!(code("kyl1_"), "link.malformed");
    assert_eq!(code("kyl2_AAAA"), "link.malformed");
    assert_eq!(code("kyl1_!!!!"), "link.malformed");
    assert_eq!(code(&format!("kyl1_{}", "A".repeat(400))), "link.malformed");
    assert_eq!(code(&token[..token.len() - 4]), "link.malformed");

    // Any flipped byte: the expiry, the random part, the tag.
    let bytes = URL_SAFE_NO_PAD.decode(&token[5..]).unwrap();
    let tag_start = bytes.len() - 32;
    for (i, expected) in [
        (1, "link.bad_signature"),         // random part
        (16, "link.bad_signature"),        // random part, last byte
        (24, "link.bad_signature"),        // expiry, lowest byte
        (26, "link.scenario_mismatch"),    // the scenario id names another scenario
        (tag_start, "link.bad_signature"), // the tag
        (bytes.len() - 1, "link.bad_signature"),
    ] {
        let mut b = bytes.clone();
        b[i] ^= 1;
        let forged = format!("kyl1_{}", URL_SAFE_NO_PAD.encode(b));
        assert_eq!(code(&forged), expected, "byte {i}");
    }
    // Another scenario (other id, other key).
    let mut other = scenario("id_card_liveness");
    assert_eq!(
        link::verify(&other, token, t0()).unwrap_err().code(),
        "link.scenario_mismatch"
    );
    // Same id but another key: the HMAC does not verify.
    other.id = s.id.clone();
    other.secret_key = kyc_core::scenario::SecretKey::new("x".repeat(40));
    assert_eq!(
        link::verify(&other, token, t0()).unwrap_err().code(),
        "link.bad_signature"
    );
    // A valid token the store never saw.
    let elsewhere = InMemoryLinkStore::new();
    assert_eq!(
        link::open(&elsewhere, &s, token, t0()).unwrap_err().code(),
        "link.unknown"
    );
}
