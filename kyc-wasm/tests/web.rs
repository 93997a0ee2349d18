//! Runs in a JavaScript engine (Node) under wasm-bindgen-test: the same codes and the same JSON as
//! the native core. The golden files under `fixtures/expected/` are written by the native tests
//! (kyc-ffi/tests/golden.rs), so equality here is equality with the native engine.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::wasm_bindgen_test;

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

#[wasm_bindgen_test]
fn scenario_errors_keep_their_codes_in_wasm() {
    let err = kyc_wasm::validate_scenario("{").unwrap_err();
    assert_eq!(err.code, "json.malformed");
    let err = kyc_wasm::validate_scenario("[1, 2]").unwrap_err();
    assert_eq!(err.code, "json.invalid_type");
    let err = kyc_wasm::validate_scenario(&"[".repeat(2 << 20)).unwrap_err();
    assert_eq!(err.code, "json.too_large");
    let fixture = include_str!("../../fixtures/scenarios/id_card_liveness.json");
    assert!(kyc_wasm::validate_scenario(fixture).is_ok());
}

#[wasm_bindgen_test]
fn mrz_report_equals_the_native_golden() {
    let report = kyc_wasm::parse_mrz(TD3, "2010-06-01").unwrap();
    assert_eq!(
        report,
        include_str!("../../fixtures/expected/mrz_td3_report.json")
    );
}

#[wasm_bindgen_test]
fn precheck_equals_the_native_golden() {
    let photo = include_bytes!("../../fixtures/documents/0004_passport_genuine_photo.jpg");
    let result = kyc_wasm::precheck_image(photo).unwrap();
    assert_eq!(
        result,
        include_str!("../../fixtures/expected/precheck_0004_passport_genuine_photo.json")
    );
}

#[wasm_bindgen_test]
fn mrz_garbage_is_a_kyc_error_with_code() {
    for (text, today, code) in [
        ("", "2010-06-01", "mrz.empty"),
        ("P<UTO\n123", "2010-06-01", "mrz.line_length"),
        (&"x".repeat(10_000), "2010-06-01", "mrz.too_long"),
        (
            &TD3.replacen("ERIKSSON", "eriksson", 1),
            "2010-06-01",
            "mrz.charset",
        ),
        (TD3, "2010-13-45", "input.bad_date"),
    ] {
        let err = kyc_wasm::parse_mrz(text, today).unwrap_err();
        assert_eq!(err.code, code, "{text:?}");
    }
}

#[wasm_bindgen_test]
fn image_garbage_is_a_kyc_error_with_code() {
    let png = include_bytes!("../../fixtures/faces/astronaut.png");
    let mut truncated = png.to_vec();
    truncated.truncate(png.len() / 2);
    // A valid PNG header claiming 100000 x 100000 pixels: refused from the header, not decoded.
    let mut huge = png.to_vec();
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    for (bytes, codes) in [
        (&b""[..], &["image.empty"][..]),
        (b"hello, not an image", &["image.unsupported_format"]),
        (b"\xff\xd8\xff\xe0 corrupt jpeg", &["image.decode"]),
        (&truncated, &["image.decode"]),
        (
            &huge,
            &[
                "image.bad_dimensions",
                "image.limit_exceeded",
                "image.decode",
            ],
        ),
    ] {
        let err = kyc_wasm::precheck_image(bytes).unwrap_err();
        assert!(codes.contains(&err.code.as_str()), "{}", err.code);
    }
    let too_big = vec![0xFF; 26 << 20];
    assert_eq!(
        kyc_wasm::precheck_image(&too_big).unwrap_err().code,
        "image.too_large"
    );
}
