//! Link tokens as they arrive in a URL: peeked for their scenario, verified, and opened against a
//! store holding one issued link. Nothing may panic; a token that verifies names the scenario and
//! has not expired; only the issued token opens, and only once.
#![no_main]

use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};
use kyc_core::link::{self, InMemoryLinkStore, LinkError};
use kyc_core::{Scenario, SeededEntropy};
use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = include_str!("../../fixtures/scenarios/passport_selfie.json");

fn scenario() -> &'static Scenario {
    static SCENARIO_PARSED: OnceLock<Scenario> = OnceLock::new();
    SCENARIO_PARSED.get_or_init(|| match Scenario::from_json(SCENARIO) {
        Ok(scenario) => scenario,
        Err(e) => unreachable!("the fixture scenario is invalid: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let scenario = scenario();
    let Ok(now) = Timestamp::from_second(1_790_000_000) else {
        return;
    };
    // One issued link in a fresh store (same seed, same token every time).
    let store = InMemoryLinkStore::new();
    let issued = match link::issue(
        &store,
        scenario,
        1,
        SignedDuration::from_hours(1),
        now,
        &SeededEntropy::from_u64(1),
    ) {
        Ok(mut links) => links.remove(0).token.expose().to_owned(),
        Err(e) => unreachable!("issuing a link failed: {e}"),
    };

    let peeked = link::peek_scenario_id(token);
    match link::verify(scenario, token, now) {
        Ok(claims) => {
            assert_eq!(claims.scenario_id, scenario.id);
            assert!(claims.expires_at > now);
            assert_eq!(peeked.ok().as_deref(), Some(scenario.id.as_str()));
        }
        Err(e) => assert!(!e.code().is_empty()),
    }
    let opened = link::open(&store, scenario, token, now);
    if token == issued {
        assert!(opened.is_ok(), "the issued link does not open");
        assert!(
            matches!(
                link::open(&store, scenario, token, now),
                Err(LinkError::AlreadyUsed)
            ),
            "a link opened twice"
        );
    } else {
        assert!(opened.is_err(), "a link that was never issued opened");
    }
});
