//! Scenario JSON as a host or an operator's console would hand it over: parsed and validated
//! (`Scenario::from_json`), described as the bindings describe it, and, when it is accepted,
//! serialised and parsed again. Nothing may panic; an accepted scenario must survive its own round
//! trip unchanged.
#![no_main]

use kyc_core::Scenario;
use kyc_core::facade::describe_scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = describe_scenario(text);
    let Ok(scenario) = Scenario::from_json(text) else {
        return;
    };
    let json = scenario.to_json();
    let again = match Scenario::from_json(&json) {
        Ok(again) => again,
        Err(e) => panic!("an accepted scenario does not load back: {e}\n{json}"),
    };
    assert_eq!(
        again.to_json(),
        json,
        "the scenario round trip is not stable"
    );
});
