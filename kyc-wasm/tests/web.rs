//! Runs in a JavaScript engine (Node) under wasm-bindgen-test: the same codes as the native core.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn scenario_errors_keep_their_codes_in_wasm() {
    let err = kyc_wasm::validate_scenario("{").unwrap_err();
    assert_eq!(err.code, "json.malformed");
    let fixture = include_str!("../../fixtures/scenarios/id_card_liveness.json");
    assert!(kyc_wasm::validate_scenario(fixture).is_ok());
}
